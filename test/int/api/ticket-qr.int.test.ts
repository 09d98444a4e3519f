/**
 * Tickets a door scanner can trust offline: a purchase through the API (real saga worker) issues
 * a ticket whose QR code is a JWS that verifies with the published key set alone and names this
 * ticket, its number and seats; the write database's answer and the TicketIssued event (what the
 * read model shows) carry the same code; a forged or edited code fails. Its number is random.
 */
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { sql } from '../../../db/sql';
import { TicketQrSigner, verifyTicketQr } from '../../../providers/ticket-qr';
import { scheduleShowtime, type ScheduledShowtime } from '../db/fixtures';
import { bearer } from '../../support/auth';
import { buy, purchaseBody } from './purchase-flow';
import { startApiHarness, type ApiHarness } from './harness';

let h: ApiHarness;
let scheduled: ScheduledShowtime;
let ticket: { id: string; ticketNumber: string; qrCode: string; showtimeId: string };

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
  const res = await request(h.url)
    .get(`/api/tickets/${bought.body.ticketId}`)
    .set('Authorization', bearer('customer-123', 'customer'));
  expect(res.status).toBe(200);
  ticket = res.body;
});

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

it('puts the same code into the TicketIssued event the read model is built from', async () => {
  const { rows } = await h.db.query(
    sql`SELECT payload FROM outbox_messages WHERE event_type = 'TicketIssued' AND aggregate_id = ${ticket.id}`,
  );
  expect(rows).toHaveLength(1);
  const payload = rows[0]?.payload;
  const event = (typeof payload === 'string' ? JSON.parse(payload) : payload) as Record<string, unknown>;
  const data = event.payload as Record<string, unknown>;

  expect(data.qrCode).toBe(ticket.qrCode);
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
  const byNumber = await request(h.url)
    .get(`/api/tickets/by-number/${ticket.ticketNumber}`)
    .set('Authorization', bearer('customer-123', 'customer'));

  expect(byNumber.status).toBe(200);
  expect(byNumber.body.qrCode).toBe(ticket.qrCode);
});
