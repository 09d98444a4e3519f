import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, type Ticket } from '../api';
import { ErrorMessage, Loading, PageTitle } from '../components';
import { dateTime, money, seatList } from '../format';
import { useSession } from '../session';

const STATUS_WORDS: Readonly<Record<Ticket['status'], string>> = {
  Issued: 'Valid',
  Used: 'Used',
  Voided: 'Cancelled',
  Refunded: 'Refunded',
};

/** The customer's tickets; a valid ticket for a showtime that has not started can be refunded. */
export function MyTickets() {
  const { session } = useSession();
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());

  const load = useCallback(async () => {
    if (!session) return;
    try {
      setTickets(await api<Ticket[]>(`/api/customers/${encodeURIComponent(session.sub)}/tickets`));
    } catch (e) {
      setError(e);
    }
  }, [session]);
  useEffect(() => void load(), [load]);

  // A refund reaches the read model a moment after it is done: look again until it shows.
  useEffect(() => {
    if (pending.size === 0) return;
    const t = window.setTimeout(() => void load(), 700);
    return () => window.clearTimeout(t);
  }, [pending, tickets, load]);
  useEffect(() => {
    if (!tickets) return;
    setPending((cur) => {
      const still = [...cur].filter((id) => tickets.find((t) => t.id === id)?.status === 'Issued');
      return still.length === cur.size ? cur : new Set(still);
    });
  }, [tickets]);

  const refund = async (t: Ticket) => {
    if (!window.confirm(`Refund ticket ${t.ticketNumber} for ${t.movieTitle}?`)) return;
    setError(null);
    try {
      await api(`/api/payments/${encodeURIComponent(t.paymentId)}/refund`, {
        method: 'POST',
        body: { reason: 'Refund requested by the customer' },
      });
      setPending((cur) => new Set([...cur, t.id]));
    } catch (e) {
      setError(e);
    }
  };

  const sorted = [...(tickets ?? [])].sort((a, b) => b.screeningTime.localeCompare(a.screeningTime));
  return (
    <section>
      <PageTitle>My tickets</PageTitle>
      <ErrorMessage error={error} />
      {tickets === null && !error && <Loading what="your tickets" />}
      {tickets?.length === 0 && (
        <p>
          No tickets yet. <Link to="/showtimes">Find a showtime</Link>
        </p>
      )}
      <ul className="tickets">
        {sorted.map((t) => {
          const refundable = t.status === 'Issued' && Date.parse(t.screeningTime) > Date.now();
          return (
            <li key={t.id} className={`status-${t.status.toLowerCase()}`}>
              <h2>{t.movieTitle}</h2>
              <p>
                {dateTime(t.screeningTime)} · {t.auditoriumName} · {seatList(t.seats)}
              </p>
              <p>
                {t.ticketNumber} · {money(t.totalPrice, 'USD')} · <strong>{STATUS_WORDS[t.status]}</strong>
                {pending.has(t.id) && ' · refund on its way…'}
              </p>
              <div className="actions">
                <Link to={`/tickets/${encodeURIComponent(t.id)}`}>Show ticket {t.ticketNumber}</Link>
                {refundable && !pending.has(t.id) && (
                  <button type="button" onClick={() => void refund(t)}>
                    Refund ticket {t.ticketNumber}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
