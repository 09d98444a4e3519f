import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Layout, RequireRole } from './pages/Layout';
import { SignIn } from './pages/SignIn';
import { Showtimes } from './pages/Showtimes';
import { SeatMapPage } from './pages/SeatMapPage';
import { TicketPage } from './pages/TicketPage';
import { MyTickets } from './pages/MyTickets';
import { Door } from './pages/Door';
import { Admin } from './pages/Admin';
import { Crashed } from './pages/Crashed';
import { SessionProvider } from './session';
import './styles.css';

const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <Crashed />,
    children: [
      { index: true, element: <Navigate to="/showtimes" replace /> },
      { path: 'sign-in', element: <SignIn /> },
      { path: 'showtimes', element: <Showtimes /> },
      {
        path: 'showtimes/:id',
        element: (
          <RequireRole role="customer">
            <SeatMapPage />
          </RequireRole>
        ),
      },
      {
        path: 'tickets/:id',
        element: (
          <RequireRole role="customer">
            <TicketPage />
          </RequireRole>
        ),
      },
      {
        path: 'my-tickets',
        element: (
          <RequireRole role="customer">
            <MyTickets />
          </RequireRole>
        ),
      },
      {
        path: 'door',
        element: (
          <RequireRole role="staff">
            <Door />
          </RequireRole>
        ),
      },
      {
        path: 'admin',
        element: (
          <RequireRole role="admin">
            <Admin />
          </RequireRole>
        ),
      },
      { path: '*', element: <Navigate to="/showtimes" replace /> },
    ],
  },
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
);
