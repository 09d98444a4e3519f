import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import QRCode from 'qrcode';
import { ApiFailure, api, type Ticket } from '../api';
import { ErrorMessage, Loading, PageTitle } from '../components';
import { dateTime, money, seatList } from '../format';

/** How long a just-issued ticket may take to reach the read model before we give up waiting. */
const WAIT_FOR_TICKET_MS = 60_000;

/** The ticket with its QR code; waits for a just-issued ticket to reach the read model. */
export function TicketPage() {
  const { id = '' } = useParams();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let open = true;
    const started = Date.now();
    const load = async () => {
      try {
        const t = await api<Ticket>(`/api/tickets/${encodeURIComponent(id)}`);
        if (!open) return;
        setTicket(t);
        setQr(await QRCode.toDataURL(t.qrCode, { margin: 1, width: 260, errorCorrectionLevel: 'M' }));
      } catch (e) {
        if (!open) return;
        if (e instanceof ApiFailure && e.status === 404 && Date.now() - started < WAIT_FOR_TICKET_MS) {
          window.setTimeout(() => void load(), 500);
        } else setError(e);
      }
    };
    void load();
    return () => {
      open = false;
    };
  }, [id]);

  if (error) return <ErrorMessage error={error} />;
  if (!ticket) return <Loading what="your ticket" />;
  return (
    <section className="narrow ticket">
      <PageTitle>Your ticket</PageTitle>
      <div className={`ticket-card status-${ticket.status.toLowerCase()}`}>
        <h2>{ticket.movieTitle}</h2>
        <p>
          {dateTime(ticket.screeningTime)} · {ticket.auditoriumName}
        </p>
        <p>{seatList(ticket.seats)}</p>
        <p>
          Ticket <strong>{ticket.ticketNumber}</strong> · {money(ticket.totalPrice, 'USD')} ·{' '}
          <span data-testid="ticket-status">{ticket.status}</span>
        </p>
        {qr && <img src={qr} width={260} height={260} alt={`QR code of ticket ${ticket.ticketNumber}`} />}
        <details>
          <summary>Code for manual entry at the door</summary>
          <code data-testid="qr-payload" className="payload">
            {ticket.qrCode}
          </code>
        </details>
      </div>
      <Link to="/my-tickets">All my tickets</Link>
    </section>
  );
}
