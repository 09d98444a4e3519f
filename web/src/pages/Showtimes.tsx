import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Showtime } from '../api';
import { ErrorMessage, Loading, PageTitle } from '../components';
import { day, isoDay, money, time } from '../format';

const DAYS_SHOWN = 7;

/** Showtimes of one day, grouped by film; each start time links to its seat map. */
export function Showtimes() {
  const [params, setParams] = useSearchParams();
  const today = isoDay(new Date());
  const date = params.get('date') ?? today;
  const [showtimes, setShowtimes] = useState<Showtime[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setShowtimes(null);
    setError(null);
    api<Showtime[]>(`/api/showtimes?date=${date}`).then(
      (list) => live && setShowtimes(list),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [date]);

  const days = useMemo(
    () => Array.from({ length: DAYS_SHOWN }, (_, i) => isoDay(new Date(Date.now() + i * 86_400_000))),
    [],
  );
  const byMovie = useMemo(() => {
    const groups = new Map<string, Showtime[]>();
    for (const s of [...(showtimes ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      groups.set(s.movieTitle, [...(groups.get(s.movieTitle) ?? []), s]);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [showtimes]);

  return (
    <section>
      <PageTitle>Showtimes</PageTitle>
      <nav aria-label="Day" className="days">
        {days.map((d) => (
          <button type="button" key={d} aria-pressed={d === date} onClick={() => setParams({ date: d })}>
            {d === today ? 'Today' : day(`${d}T12:00:00Z`)}
          </button>
        ))}
      </nav>
      <ErrorMessage error={error} />
      {showtimes === null && !error && <Loading what="showtimes" />}
      {showtimes !== null && showtimes.length === 0 && <p>No showtimes on this day.</p>}
      {byMovie.map(([title, list]) => (
        <article key={title} className="movie">
          <h2>{title}</h2>
          <ul className="times">
            {list.map((s) => {
              const started = Date.parse(s.startsAt) <= Date.now();
              return (
                <li key={s.id}>
                  <Link
                    to={`/showtimes/${encodeURIComponent(s.id)}`}
                    className={started ? 'time started' : 'time'}
                    aria-label={`${title} at ${time(s.startsAt)}, ${s.auditoriumName}, ${s.seatsAvailable} of ${s.capacity} seats free${started ? ', already started' : ''}`}
                  >
                    <strong>{time(s.startsAt)}</strong>
                    <span>{s.auditoriumName}</span>
                    <span>
                      {s.seatsAvailable} free · {money(s.price, s.currency)}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </article>
      ))}
    </section>
  );
}
