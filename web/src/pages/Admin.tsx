/**
 * Admin: schedule a showtime (an overlap is refused with its reason), the day's sales per
 * showtime, and each showtime's purchases with a link to their pages in the Temporal Web UI.
 */
import { Fragment, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, type PurchaseLink, type SalesRow, type Showtime } from '../api';
import { ErrorMessage, Loading, PageTitle } from '../components';
import { dateTime, isoDay, money, time } from '../format';

export function Admin() {
  return (
    <section>
      <PageTitle>Admin</PageTitle>
      <Schedule />
      <Sales />
    </section>
  );
}

function Schedule() {
  const [known, setKnown] = useState<Showtime[]>([]);
  const [movieId, setMovieId] = useState('');
  const [auditoriumId, setAuditoriumId] = useState('');
  const [startsAt, setStartsAt] = useState(() => `${isoDay(new Date(Date.now() + 86_400_000))}T23:45`);
  const [price, setPrice] = useState('12.50');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Showtime | null>(null);
  const [busy, setBusy] = useState(false);

  // Films and halls as the programme knows them (the API has no catalogue listing of its own).
  useEffect(() => {
    api<Showtime[]>('/api/showtimes').then(setKnown, setError);
  }, []);
  const movies = useMemo(
    () =>
      uniqueBy(
        known,
        (s) => s.movieId,
        (s) => s.movieTitle,
      ),
    [known],
  );
  const halls = useMemo(
    () =>
      uniqueBy(
        known,
        (s) => s.auditoriumId,
        (s) => s.auditoriumName,
      ),
    [known],
  );
  // Until the admin picks one, the first film and hall are the choice. Derived, not set by an
  // effect: an effect that ran after a quick pick (its render still saw none) replaced the pick.
  const film = movieId || movies[0]?.[0] || '';
  const hall = auditoriumId || halls[0]?.[0] || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const s = await api<Showtime>('/api/showtimes', {
        method: 'POST',
        body: {
          movieId: film,
          auditoriumId: hall,
          startsAt: new Date(`${startsAt}:00Z`).toISOString(),
          price: Number(price),
          currency: 'USD',
        },
      });
      setCreated(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule a showtime</h2>
      <label>
        Film
        <select value={film} onChange={(e) => setMovieId(e.target.value)} required>
          {movies.map(([id, title]) => (
            <option key={id} value={id}>
              {title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Hall
        <select value={hall} onChange={(e) => setAuditoriumId(e.target.value)} required>
          {halls.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Starts at (UTC)
        <input
          type="datetime-local"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          required
        />
      </label>
      <label>
        Price per seat (USD)
        <input
          type="number"
          min="0"
          step="0.01"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          required
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Schedule
      </button>
      <ErrorMessage error={error} />
      {created && (
        <p className="outcome ok" role="status">
          Scheduled: {created.movieTitle} in {created.auditoriumName}, {dateTime(created.startsAt)}.{' '}
          <Link to={`/showtimes?date=${created.startsAt.slice(0, 10)}`}>See it in the programme</Link>
        </p>
      )}
    </form>
  );
}

function uniqueBy<T>(
  list: readonly T[],
  id: (t: T) => string,
  name: (t: T) => string,
): Array<[string, string]> {
  const m = new Map<string, string>();
  for (const t of list) m.set(id(t), name(t));
  return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1]));
}

function Sales() {
  const [date, setDate] = useState(isoDay(new Date()));
  const [rows, setRows] = useState<SalesRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api<{ showtimes: SalesRow[] }>(`/api/reports/sales?date=${date}`).then(
      (r) => setRows(r.showtimes),
      (e: unknown) => setError(e),
    );
  }, [date]);
  useEffect(() => {
    setRows(null);
    load();
  }, [load]);

  const totals = (rows ?? []).reduce(
    (t, r) => ({ seats: t.seats + r.seatsOccupied, net: t.net + r.netRevenue }),
    { seats: 0, net: 0 },
  );
  return (
    <div className="card">
      <h2>Sales per showtime</h2>
      <div className="actions">
        <label>
          Day
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={error} />
      {rows === null && !error && <Loading what="sales" />}
      {rows && (
        <div className="table-wrap">
          <table>
            <caption>
              {rows.length} showtimes · {totals.seats} seats sold · {money(totals.net, 'USD')} net
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Film</th>
                <th scope="col">Hall</th>
                <th scope="col">Seats sold</th>
                <th scope="col">Tickets</th>
                <th scope="col">Gross</th>
                <th scope="col">Refunded</th>
                <th scope="col">Net</th>
                <th scope="col">Purchases</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Fragment key={r.showtimeId}>
                  <tr>
                    <td>{time(r.startsAt)}</td>
                    <td>{r.movieTitle}</td>
                    <td>{r.auditoriumName}</td>
                    <td>
                      {r.seatsOccupied} / {r.capacity}
                    </td>
                    <td>
                      {r.ticketsIssued}
                      {r.ticketsRefunded > 0 && ` (${r.ticketsRefunded} refunded)`}
                    </td>
                    <td>{money(r.grossRevenue, r.currency)}</td>
                    <td>{money(r.refunded, r.currency)}</td>
                    <td>{money(r.netRevenue, r.currency)}</td>
                    <td>
                      <button
                        type="button"
                        aria-expanded={open === r.showtimeId}
                        onClick={() => setOpen((o) => (o === r.showtimeId ? null : r.showtimeId))}
                      >
                        Purchases at {time(r.startsAt)} ({r.movieTitle})
                      </button>
                    </td>
                  </tr>
                  {open === r.showtimeId && (
                    <tr>
                      <td colSpan={9}>
                        <Purchases showtimeId={r.showtimeId} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Purchases({ showtimeId }: { showtimeId: string }) {
  const [list, setList] = useState<PurchaseLink[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<PurchaseLink[]>(`/api/showtimes/${encodeURIComponent(showtimeId)}/purchases`).then(setList, setError);
  }, [showtimeId]);
  if (error) return <ErrorMessage error={error} />;
  if (!list) return <Loading what="purchases" />;
  if (list.length === 0) return <p>No purchases for this showtime yet.</p>;
  return (
    <ul className="purchases">
      {list.map((p) => (
        <li key={p.sagaId + p.runId}>
          <a href={p.webUiUrl} target="_blank" rel="noopener noreferrer">
            {p.sagaId}
          </a>{' '}
          · {p.sagaStatus ?? p.executionStatus}
          {p.ticketNumber && ` · ${p.ticketNumber}`} · {p.customerId} · {dateTime(p.startedAt)}
        </li>
      ))}
    </ul>
  );
}
