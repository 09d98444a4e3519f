/**
 * The raw card number never leaves the API edge. After purchases with several test cards (written
 * plain, with spaces and with dashes), a card that fails transiently, a declined one, a cancel
 * while the provider hangs, a refund, a purchase of a sold seat (refused before any saga), a
 * validation failure and a malformed body that all carry a card number, the number is searched
 * for in every row of every table of this file's database, in the history of every workflow the test started (exported with the real temporal CLI,
 * payloads decoded), and in everything the API and the saga worker logged.
 */
import { randomUUID } from 'node:crypto';
import { scheduleShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { buy, CARDS, purchaseBody, settledStatus } from './purchase-flow';
import { dumpAllRows } from './sql-inspection';
import { exportHistoryText } from './temporal-history';
import { asAdmin, asCustomer } from '../../support/auth';

const HANGING_CARD = '4000000000000259';
const USED_CARDS = [CARDS.ok, CARDS.ok2, CARDS.declined, CARDS.transient, HANGING_CARD];

/** Each card as digits, in groups of four with spaces, and with dashes. */
const needles = USED_CARDS.flatMap((digits) => {
  const groups = digits.match(/.{1,4}/g) ?? [];
  return [digits, groups.join(' '), groups.join('-')];
});

let h: ApiHarness;
const workflowIds = new Set<string>();
let ticketNumber: string;

beforeAll(async () => {
  h = await startApiHarness({ name: 'secrecy', sagaWorker: true });
  const { showtime } = await scheduleShowtime(h.uow, h.ctx, { rows: 3, seatsPerRow: 10 });
  const customerId = 'customer-secrecy';
  const body = (row: number, cardNumber: string) =>
    purchaseBody(showtime.id, [{ row, number: 1 }], { customerId, cardNumber });

  const plain = await buy(h.url, body(1, CARDS.ok));
  const spaced = await buy(h.url, body(2, '4242 4242 4242 4242'));
  const dashed = await buy(h.url, { ...body(3, '4000-0000-0000-0002'), seats: [{ row: 3, number: 2 }] });
  const transient = await buy(h.url, { ...body(3, CARDS.transient), seats: [{ row: 3, number: 3 }] });
  const key = randomUUID();
  const declined = { ...body(2, CARDS.declined), seats: [{ row: 2, number: 2 }] };
  await buy(h.url, declined, key); // compensated
  await buy(h.url, declined, key); // the idempotent retry
  const seatSold = await buy(h.url, body(1, CARDS.ok2)); // turned away before any saga
  expect([seatSold.status, seatSold.body.error]).toEqual([409, 'SeatAlreadyTaken']);
  expect([plain.status, spaced.status, dashed.status, transient.status]).toEqual([200, 200, 400, 200]);
  ticketNumber = plain.body.ticketNumber;
  for (const res of [plain, spaced, dashed, transient]) workflowIds.add(res.body.sagaId);
  workflowIds.add(`purchase-${key}`);

  const impatient = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 0, nodeId: 'api-secrecy' });
  const hanging = await buy(impatient, { ...body(3, HANGING_CARD), seats: [{ row: 3, number: 4 }] });
  workflowIds.add(hanging.body.sagaId);
  await asAdmin(h.url).post(`/api/ticketpurchase/${hanging.body.sagaId}/cancel`).send({ reason: 'stuck' });
  await settledStatus(h.url, hanging.body.sagaId);

  const refund = await asAdmin(h.url)
    .post(`/api/payments/${spaced.body.paymentId}/refund`)
    .send({ reason: 'Customer request' });
  expect(refund.status).toBe(200);
  workflowIds.add(`refund-${spaced.body.paymentId}`);

  const invalid = await asCustomer(h.url)
    .post('/api/ticketpurchase')
    .send({ ...body(1, CARDS.ok), seats: [] });
  const malformed = await asCustomer(h.url)
    .post('/api/ticketpurchase')
    .set('Content-Type', 'application/json')
    .send(`{"cardNumber": "${CARDS.ok}", "seats": [`);
  expect([invalid.status, malformed.status]).toEqual([400, 400]);
}, 300_000);

afterAll(async () => {
  await h?.close();
});

const found = (text: string) => needles.filter((needle) => text.includes(needle));

describe('a search for the card numbers used', () => {
  it('finds nothing in any row of any table', async () => {
    const rows = await dumpAllRows(h.db);

    expect(rows).toContain(ticketNumber); // the dump really holds the purchases
    expect(rows).toContain('"card_last4":"1111"');
    expect(found(rows)).toEqual([]);
  });

  it('finds nothing in the Temporal history of any workflow the test started', async () => {
    expect(workflowIds.size).toBe(7);
    for (const workflowId of workflowIds) {
      const history = await exportHistoryText(workflowId);

      // The input's JSON is only readable once its base64 payload is decoded.
      expect(history).toContain('"requestId":"');
      expect(found(history)).toEqual([]);
    }
  });

  it('finds nothing in what the API and the saga worker logged', () => {
    const app = h.appLogs.text();
    const worker = h.workerLogs.text();

    expect(app).toContain('"msg":"purchase saga answered"'); // the capture really holds the requests
    expect(worker).toContain(ticketNumber); // the activities' own lines were captured too
    expect(found(app)).toEqual([]);
    expect(found(worker)).toEqual([]);
  });
});
