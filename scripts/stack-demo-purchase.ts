/**
 * `npm run demo:purchase`: buys one ticket through the gateway (`npm run stack` must be running),
 * prints it with the Web UI link of its saga, then polls the gateway's ticket GET (the read model,
 * fed by the outbox relay and Kafka) until the ticket shows up there too. It signs in as the
 * customer `customer-demo` with the development key, like `npm run token`.
 */
import { randomUUID } from 'node:crypto';
import { keySourceOf, signToken } from '../api/auth';
import { loadConfig } from '../config';

const config = loadConfig();
const gateway = `http://127.0.0.1:${config.GATEWAY_PORT}`;
const CUSTOMER = 'customer-demo';

if (keySourceOf(config) !== 'development') {
  throw new Error('The demo signs in with the development key; AUTH_JWKS_URL or AUTH_PUBLIC_KEY is set');
}
/** What `npm run token -- --sub customer-demo --role customer` prints. */
const authorization = `Bearer ${signToken({
  subject: CUSTOMER,
  role: 'customer',
  ttl: '1h',
  issuer: config.AUTH_ISSUER,
  audience: config.AUTH_AUDIENCE,
})}`;

interface ShowtimeView {
  id: string;
  movieTitle: string;
  startsAt: string;
  seatsAvailable: number;
}
interface SeatMapView {
  taken: { row: number; number: number }[];
}

async function json<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gateway}${path}`, {
    ...init,
    headers: { ...(init?.headers as Record<string, string>), authorization },
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function main(): Promise<void> {
  const showtimes = (await json<ShowtimeView[]>('/api/showtimes')).body;
  const showtime = showtimes.find((s) => s.seatsAvailable > 0 && Date.parse(s.startsAt) > Date.now());
  if (showtime === undefined) throw new Error('No upcoming showtime with free seats (did db:seed run?)');
  const taken = new Set(
    (await json<SeatMapView>(`/api/showtimes/${showtime.id}/seats`)).body.taken.map(
      (t) => `${t.row}:${t.number}`,
    ),
  );
  // The seat map lists only taken seats; try free candidates front row first.
  let purchase: { status: number; body: Record<string, unknown> } | undefined;
  for (let row = 1; row <= 20 && purchase?.status !== 200 && purchase?.status !== 202; row++) {
    for (let number = 1; number <= 20; number++) {
      if (taken.has(`${row}:${number}`)) continue;
      purchase = await json(`/api/ticketpurchase`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `demo-${randomUUID()}` },
        body: JSON.stringify({
          showtimeId: showtime.id,
          customerId: CUSTOMER,
          seats: [{ row, number }],
          paymentMethod: 'CreditCard',
          cardNumber: '4111111111111111',
          cardHolderName: 'Demo Buyer',
        }),
      });
      break;
    }
  }
  if (purchase === undefined || (purchase.status !== 200 && purchase.status !== 202)) {
    throw new Error(`Purchase failed: ${JSON.stringify(purchase)}`);
  }
  const sagaId = String(purchase.body.sagaId);
  console.log(`Showtime ${showtime.id} (${showtime.movieTitle})`);
  console.log(`Purchase ${purchase.status}:`, JSON.stringify(purchase.body, null, 2));
  console.log(
    `Watch the saga: ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${sagaId}`,
  );

  let ticketId = purchase.body.ticketId as string | undefined;
  while (ticketId === undefined || ticketId === null) {
    await new Promise((r) => setTimeout(r, 500));
    ticketId = (await json<{ ticketId?: string }>(`/api/ticketpurchase/${sagaId}/status`)).body.ticketId;
  }
  for (;;) {
    const ticket = await json<Record<string, unknown>>(`/api/tickets/${ticketId}`);
    if (ticket.status === 200) {
      console.log('Ticket in the read model:', JSON.stringify(ticket.body, null, 2));
      return;
    }
    process.stdout.write('.');
    await new Promise((r) => setTimeout(r, 500));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
