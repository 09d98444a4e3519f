import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage, PageTitle } from '../components';
import { DEMO_USERS, useSession, type DemoUser } from '../session';

const HOME = { customer: '/showtimes', staff: '/door', admin: '/admin' } as const;

/** Development sign-in: pick one of the demo people. */
export function SignIn() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const wanted = params.get('role');
  const next = params.get('next');

  const pick = async (user: DemoUser) => {
    setError(null);
    try {
      await signIn(user);
      navigate(next && user.role === wanted && next.startsWith('/') ? next : HOME[user.role], {
        replace: true,
      });
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="narrow">
      <PageTitle>Sign in</PageTitle>
      <p>Development sign-in: choose who you are.</p>
      {wanted && (
        <p className="notice">
          This page is for {wanted === 'admin' ? 'an admin' : wanted === 'staff' ? 'staff' : 'a customer'}.
        </p>
      )}
      <ErrorMessage error={error} />
      {(['customer', 'staff', 'admin'] as const).map((role) => (
        <fieldset key={role} className="people">
          <legend>{role === 'customer' ? 'Customers' : role === 'staff' ? 'Staff' : 'Admin'}</legend>
          {DEMO_USERS.filter((u) => u.role === role).map((u) => (
            <button type="button" key={u.sub} onClick={() => void pick(u)}>
              Sign in as {u.name}
            </button>
          ))}
        </fieldset>
      ))}
    </section>
  );
}
