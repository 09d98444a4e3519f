import { useEffect, useState } from 'react';

/** Time left until `until`, as m:ss; calls `onEnd` once when it reaches zero. */
export function Countdown({ until, onEnd }: { until: string; onEnd: () => void }) {
  const end = Date.parse(until);
  const [now, setNow] = useState(Date.now());
  const left = Math.max(0, Math.ceil((end - now) / 1000));
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (left === 0) onEnd();
  }, [left, onEnd]);
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <p className={left <= 30 ? 'countdown urgent' : 'countdown'}>
      Seats held for you for{' '}
      <span role="timer" aria-label={`${left} seconds left`}>
        {text}
      </span>
      {left <= 60 && left > 0 && (
        <span className="sr-only" aria-live="polite">
          {left === 60 ? 'One minute left to pay.' : ''}
        </span>
      )}
    </p>
  );
}
