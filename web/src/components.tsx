/** Small pieces shared by the pages. */
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiFailure } from './api';
import { messageFor } from './errors';

/** An error in plain words, announced to screen readers; focusable so it can be moved to. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const text =
    error instanceof ApiFailure
      ? error.message
      : error instanceof Error
        ? messageFor(undefined)
        : String(error);
  const detail =
    error instanceof ApiFailure && typeof error.body.message === 'string' && error.code === 'ShowtimeOverlaps'
      ? error.body.message
      : null;
  return (
    <div className="error" role="alert" data-code={error instanceof ApiFailure ? error.code : undefined}>
      <p>{text}</p>
      {detail && <p className="detail">{detail}</p>}
    </div>
  );
}

/** A heading that takes focus when the page opens, so keyboard and screen reader users start there. */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
