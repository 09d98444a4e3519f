/**
 * A showtime's seat map, live: choose seats, hold them (with a countdown), pay with a test card,
 * and watch the purchase's steps until the ticket is issued or the purchase is rolled back.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  api,
  ApiFailure,
  request,
  type Reservation,
  type SagaStatus,
  type SeatLayout,
  type SeatRef,
} from '../api';
import { ErrorMessage, Loading, PageTitle } from '../components';
import { Countdown } from '../components/Countdown';
import { PurchaseProgress } from '../components/PurchaseProgress';
import { keyOf, SeatMap, type SeatKey } from '../components/SeatMap';
import { purchaseFailureMessage } from '../errors';
import { dateTime, money, seatList } from '../format';
import { useSession } from '../session';
import { TEST_CARDS } from '../test-cards';

type Phase =
  | { kind: 'choosing' }
  | { kind: 'held'; hold: Reservation }
  | { kind: 'paying'; sagaId: string; seats: SeatRef[] }
  | { kind: 'bought'; sagaId: string; ticketId: string; ticketNumber: string | null }
  | { kind: 'failed'; sagaId: string; reason: string };

const FINAL = new Set(['Completed', 'Compensated', 'Failed']);
const STATUS_POLL_MS = 400;

const newKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

export function SeatMapPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const [layout, setLayout] = useState<SeatLayout | null>(null);
  const [live, setLive] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<SeatKey>>(new Set());
  const [phase, setPhase] = useState<Phase>({ kind: 'choosing' });
  const [status, setStatus] = useState<SagaStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [card, setCard] = useState(TEST_CARDS[0]!.number);
  const [holder, setHolder] = useState(session?.name ?? '');
  const polling = useRef<number | null>(null);

  // The map: once by GET (a plain error page for an unknown showtime), then live by server-sent events.
  useEffect(() => {
    let open = true;
    api<SeatLayout>(`/api/showtimes/${encodeURIComponent(id)}/seat-layout`).then(
      (l) => open && setLayout((cur) => cur ?? l),
      (e: unknown) => open && setLoadError(e),
    );
    const events = new EventSource(`/api/showtimes/${encodeURIComponent(id)}/seats/stream`);
    events.addEventListener('seats', (e) =>
      setLayout(JSON.parse((e as MessageEvent<string>).data) as SeatLayout),
    );
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    return () => {
      open = false;
      events.close();
    };
  }, [id]);

  // A chosen seat someone else takes meanwhile is dropped from the choice, and the customer told.
  useEffect(() => {
    // While our own hold is being placed its seats turn held on the map, often before the answer.
    if (!layout || selected.size === 0 || busy) return;
    const taken = layout.rows.flatMap((r) =>
      r.seats
        .filter((s) => s.state !== 'Available' && selected.has(keyOf({ row: r.row, number: s.number })))
        .map((s) => ({ row: r.row, number: s.number })),
    );
    if (taken.length === 0 || phase.kind !== 'choosing') return;
    setSelected((cur) => new Set([...cur].filter((k) => !taken.some((t) => keyOf(t) === k))));
    setNotice(`Someone else just took ${seatList(taken)}.`);
  }, [layout, selected, phase.kind, busy]);

  useEffect(() => () => stopPolling(), []);
  const stopPolling = () => {
    if (polling.current !== null) window.clearInterval(polling.current);
    polling.current = null;
  };

  const toggle = useCallback((seat: SeatRef) => {
    setNotice(null);
    setSelected((cur) => {
      const next = new Set(cur);
      const k = keyOf(seat);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  }, []);

  const chosenSeats = useMemo(
    () =>
      [...selected]
        .map((k) => k.split(':').map(Number) as [number, number])
        .map(([row, number]) => ({ row, number }))
        .sort((a, b) => a.row - b.row || a.number - b.number),
    [selected],
  );

  const hold = async () => {
    if (!session) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const r = await api<Reservation>('/api/reservations', {
        method: 'POST',
        body: { showtimeId: id, customerId: session.sub, seats: chosenSeats },
      });
      setPhase({ kind: 'held', hold: r });
      setSelected(new Set());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const release = async (hold: Reservation) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/reservations/${encodeURIComponent(hold.id)}/cancel`, {
        method: 'POST',
        body: { reason: 'Released by the customer' },
      });
      setPhase({ kind: 'choosing' });
      setSelected(new Set());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const holdRanOut = useCallback(() => {
    setPhase((p) => {
      if (p.kind !== 'held') return p;
      setSelected(new Set());
      setNotice('Your hold ran out and the seats were released. Choose seats again to continue.');
      return { kind: 'choosing' };
    });
  }, []);

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    if (phase.kind !== 'held' || !session) return;
    const held = phase.hold;
    setBusy(true);
    setError(null);
    setStatus(null);
    // The purchase takes the hold over (its reservationId): the seats stay held throughout, and
    // it must be paid before the hold's countdown ends.
    const key = newKey();
    const sagaId = `purchase-${key}`;
    setPhase({ kind: 'paying', sagaId, seats: held.seats });

    const finish = (s: SagaStatus) => {
      stopPolling();
      setBusy(false);
      setSelected(new Set());
      if (s.status === 'Completed' && s.ticketId) {
        setPhase({ kind: 'bought', sagaId, ticketId: s.ticketId, ticketNumber: s.ticketNumber });
      } else {
        setPhase({ kind: 'failed', sagaId, reason: purchaseFailureMessage(s.failureReason) });
      }
    };
    const poll = async () => {
      const { status: code, body } = await request<SagaStatus>(`/api/ticketpurchase/${sagaId}/status`).catch(
        () => ({ status: 0, body: null }),
      );
      if (code !== 200 || !body) return;
      setStatus(body);
      if (FINAL.has(body.status)) finish(body);
    };
    polling.current = window.setInterval(() => void poll(), STATUS_POLL_MS);

    const res = await request<Record<string, unknown>>('/api/ticketpurchase', {
      method: 'POST',
      headers: { 'Idempotency-Key': key },
      body: {
        showtimeId: id,
        customerId: session.sub,
        reservationId: held.id,
        seats: held.seats,
        paymentMethod: 'CreditCard',
        cardNumber: card.replace(/[\s-]/g, ''),
        cardHolderName: holder,
      },
    }).catch(() => ({ status: 0, body: { error: 'NetworkError' } as Record<string, unknown> }));
    const b = res.body ?? {};
    if (res.status === 200 || res.status === 202 || (res.status === 400 && typeof b.sagaId === 'string')) {
      // The status endpoint has the steps; read it once more so the last ones show.
      await poll();
      return;
    }
    stopPolling();
    setBusy(false);
    // Refused before any saga started: a hold still running can be paid again (e.g. a mistyped
    // card number); one that ended or lapsed is gone.
    setPhase(res.status === 409 || res.status === 404 ? { kind: 'choosing' } : { kind: 'held', hold: held });
    setError(new ApiFailure(res.status, typeof b.error === 'string' ? b.error : 'InternalError', b));
  };

  const cancelPurchase = async () => {
    if (phase.kind !== 'paying') return;
    try {
      await api(`/api/ticketpurchase/${phase.sagaId}/cancel`, {
        method: 'POST',
        body: { reason: 'Cancelled by the customer' },
      });
    } catch (e) {
      setError(e);
    }
  };

  if (loadError) {
    return (
      <section>
        <PageTitle>Seats</PageTitle>
        <ErrorMessage error={loadError} />
        <Link to="/showtimes">Back to showtimes</Link>
      </section>
    );
  }
  if (!layout) return <Loading what="the seat map" />;
  const s = layout.showtime;
  const myHold = phase.kind === 'held' ? phase.hold : null;
  const mySeats = new Set((myHold?.seats ?? []).map(keyOf));
  const total = (s.price ?? 0) * (myHold ? myHold.seats.length : chosenSeats.length);

  return (
    <section className="booking">
      <PageTitle>
        {s.movieTitle} · {dateTime(s.startsAt)}
      </PageTitle>
      <p className="sub">
        {s.auditoriumName} · {money(s.price, s.currency)} a seat ·{' '}
        <span data-testid="seats-available">{layout.seatsAvailable} seats free</span> ·{' '}
        <span className={live ? 'live on' : 'live'}>{live ? 'Live' : 'Connecting…'}</span>
      </p>

      <SeatMap
        layout={layout}
        selected={selected}
        mine={mySeats}
        onToggle={toggle}
        disabled={phase.kind !== 'choosing' || busy}
      />

      <div className="panel" aria-live="polite">
        {notice && <p className="notice">{notice}</p>}
        <ErrorMessage error={error} />

        {phase.kind === 'choosing' && (
          <>
            <p>
              {chosenSeats.length === 0
                ? 'Choose your seats on the map.'
                : `Chosen: ${seatList(chosenSeats)}`}
            </p>
            <button
              type="button"
              className="primary"
              disabled={chosenSeats.length === 0 || busy}
              onClick={() => void hold()}
            >
              {chosenSeats.length === 0
                ? 'Hold seats'
                : chosenSeats.length === 1
                  ? 'Hold 1 seat'
                  : `Hold ${chosenSeats.length} seats`}
            </button>
          </>
        )}

        {myHold && myHold.holdExpiresAt && (
          <>
            <Countdown until={myHold.holdExpiresAt} onEnd={holdRanOut} />
            <p>Held: {seatList(myHold.seats)}</p>
            <form className="checkout" onSubmit={(e) => void pay(e)}>
              <h2>Pay</h2>
              <label>
                Test card
                <select
                  value={TEST_CARDS.some((c) => c.number === card) ? card : ''}
                  onChange={(e) => setCard(e.target.value)}
                >
                  {TEST_CARDS.map((c) => (
                    <option key={c.number} value={c.number}>
                      {c.label}
                    </option>
                  ))}
                  <option value="">Another card…</option>
                </select>
              </label>
              <label>
                Card number
                <input
                  inputMode="numeric"
                  autoComplete="cc-number"
                  value={card}
                  onChange={(e) => setCard(e.target.value)}
                  required
                />
              </label>
              <label>
                Name on card
                <input
                  autoComplete="cc-name"
                  value={holder}
                  onChange={(e) => setHolder(e.target.value)}
                  required
                />
              </label>
              <div className="actions">
                <button type="submit" className="primary" disabled={busy}>
                  Pay {money(total, s.currency)}
                </button>
                <button type="button" disabled={busy} onClick={() => void release(myHold)}>
                  Release seats
                </button>
              </div>
            </form>
          </>
        )}

        {(phase.kind === 'paying' || phase.kind === 'bought' || phase.kind === 'failed') && (
          <>
            <h2>Your purchase</h2>
            <PurchaseProgress status={status} />
          </>
        )}
        {phase.kind === 'paying' && (
          <button type="button" onClick={() => void cancelPurchase()}>
            Cancel purchase
          </button>
        )}
        {phase.kind === 'bought' && (
          <div className="outcome ok" role="status">
            <p>
              <strong>Ticket issued{phase.ticketNumber ? `: ${phase.ticketNumber}` : ''}.</strong>
            </p>
            <Link className="button primary" to={`/tickets/${encodeURIComponent(phase.ticketId)}`}>
              Show my ticket
            </Link>
          </div>
        )}
        {phase.kind === 'failed' && (
          <div className="outcome bad" role="alert">
            <p>
              <strong>{phase.reason}</strong>
            </p>
            <p>Nothing was charged (a payment already taken is refunded) and the seats were released.</p>
            <button type="button" onClick={() => setPhase({ kind: 'choosing' })}>
              Choose seats again
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
