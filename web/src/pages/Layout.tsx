import type { ReactNode } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useSession, type Role } from '../session';

export function Layout() {
  const { session, signOut } = useSession();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/showtimes" className="brand">
          Cinema
        </Link>
        <nav aria-label="Main">
          <NavLink to="/showtimes">Showtimes</NavLink>
          {session?.role === 'customer' && <NavLink to="/my-tickets">My tickets</NavLink>}
          {session?.role === 'staff' && <NavLink to="/door">Door</NavLink>}
          {session?.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        <div className="who">
          {session ? (
            <>
              <span>
                Signed in as <strong>{session.name}</strong>
              </span>
              <button type="button" className="link" onClick={signOut}>
                Sign out
              </button>
            </>
          ) : (
            <NavLink to="/sign-in">Sign in</NavLink>
          )}
        </div>
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}

/** A page for one role: others are sent to sign in, and come back here afterwards. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (session?.role === role) return <>{children}</>;
  const back = encodeURIComponent(location.pathname + location.search);
  return <Navigate to={`/sign-in?role=${role}&next=${back}`} replace />;
}
