/**
 * Tickets a door scanner can trust offline: a purchase through the API (real saga worker) issues
 * a ticket whose QR code, carried by the TicketIssued event (what the read model, and so the
 * gateway's GET, shows), is a JWS that verifies with the published key set alone and names this
 * ticket of the write database, its number and seats; it is the one the signer gives for those
 * claims; a forged or edited code fails. Its number is random.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from '../../../db/sql';
import { ticketQrClaims } from '../../../domain/ticket';
import { TicketQrSigner, verifyTicketQr } from '../../../providers/ticket-qr';
import { scheduleShowtime, type ScheduledShowtime } from '../db/fixtures';
import { buy, purchaseBody } from './purchase-flow';
import { startApiHarness, type ApiHarness } from './harness';

let h: ApiHarness;
let scheduled: ScheduledShowtime;
let ticket: {
  id: string;
  ticketNumber: string;
  showtimeId: string;
  seats: Array<{ row: number; number: number }>;
  qrCode: string;
};

beforeAll(async () => {
  h = await startApiHarness({ name: 'ticket_qr', sagaWorker: true });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 4, seatsPerRow: 8 });
  const bought = await buy(
    h.url,
    purchaseBody(scheduled.showtime.id, [
      { row: 2, number: 6 },
      { row: 2, number: 5 },
    ]),
  );
  expect(bought.status).toBe(200);
  // The ticket as the write database has it, with the code its TicketIssued event carries.
  const issued = await h.repos.tickets.get(String(bought.body.ticketId));
  if (!issued) throw new Error('the purchase answered a ticket the write database does not have');
  ticket = {
    id: issued.id,
    ticketNumber: issued.ticketNumber.value,
    showtimeId: issued.showtimeId,
    seats: issued.seats.map((x) => ({ row: x.row, number: x.number })),
    qrCode: await issuedQrCode(issued.id),
  };
});

/** The qrCode of the ticket's TicketIssued event in the outbox (exactly one). */
async function issuedQrCode(ticketId: string): Promise<string> {
  const { rows } = await h.db.query(
    sql`SELECT payload FROM outbox_messages WHERE event_type = 'TicketIssued' AND aggregate_id = ${ticketId}`,
  );
  expect(rows).toHaveLength(1);
  const payload = rows[0]?.payload;
  const event = (typeof payload === 'string' ? JSON.parse(payload) : payload) as Record<string, unknown>;
  return String((event.payload as Record<string, unknown>).qrCode);
}

afterAll(async () => {
  await h?.close();
});

it('issues a QR code that verifies with the public key set alone and names this ticket', async () => {
  const jwks = JSON.parse(JSON.stringify(h.ticketQr.jwks())) as ReturnType<TicketQrSigner['jwks']>;
  expect(JSON.stringify(jwks)).not.toContain('"d"'); // the public half only

  const claims = await verifyTicketQr(ticket.qrCode, jwks);

  expect(claims).toEqual({
    ticketId: ticket.id,
    ticketNumber: ticket.ticketNumber,
    showtimeId: scheduled.showtime.id,
    seats: [
      { row: 2, number: 5 },
      { row: 2, number: 6 },
    ],
  });
});

it("puts into the TicketIssued event the code the signer gives for the write database's ticket", async () => {
  // Ed25519 is deterministic: the same claims, signed again, give the same code.
  const again = await h.ticketQr.sign(
    ticketQrClaims({
      id: ticket.id,
      ticketNumber: ticket.ticketNumber,
      showtimeId: ticket.showtimeId,
      seats: ticket.seats,
    }),
  );

  expect(ticket.qrCode).toBe(again);
});

it('refuses a code signed by another key, an edited payload and the unsigned QR:<id>:<number> form', async () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const forger = TicketQrSigner.fromConfig({
    TICKET_QR_SIGNING_KEY: JSON.stringify(privateKey.export({ format: 'jwk' })),
    TICKET_QR_KEY_ID: h.ticketQr.kid,
  });
  const claims = await verifyTicketQr(ticket.qrCode, h.ticketQr.jwks());
  const forged = await forger.sign({ ...claims, seats: [{ row: 1, number: 1 }] });
  const [header, , signature] = ticket.qrCode.split('.');
  const edited = `${header}.${Buffer.from(JSON.stringify({ ...claims, seats: [] })).toString('base64url')}.${signature}`;

  await expect(verifyTicketQr(forged, h.ticketQr.jwks())).rejects.toThrow();
  await expect(verifyTicketQr(edited, h.ticketQr.jwks())).rejects.toThrow();
  await expect(verifyTicketQr(`QR:${ticket.id}:${ticket.ticketNumber}`, h.ticketQr.jwks())).rejects.toThrow();
});

it('gives a ticket number in the documented shape that the ticket can be looked up by', async () => {
  expect(ticket.ticketNumber).toMatch(/^TKT-\d{14}-\d{4}$/);
  const byNumber = await h.repos.tickets.findByNumber(ticket.ticketNumber);

  expect(byNumber?.id).toBe(ticket.id);
});
