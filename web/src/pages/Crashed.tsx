import { Link } from 'react-router';

/** A bug in the app itself: say so plainly instead of a stack trace. */
export function Crashed() {
  return (
    <main id="main" className="narrow">
      <h1>Something went wrong on this page</h1>
      <p role="alert">Sorry, the page could not be shown. Please go back and try again.</p>
      <Link to="/showtimes">Back to showtimes</Link>
    </main>
  );
}
