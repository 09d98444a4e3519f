/**
 * A finished purchase's status comes from the closed workflow's result, not from the status query
 * (which a saga worker answers by replaying the whole history): with the saga worker stopped, the
 * status of finished purchases still answers, and it is exactly what the query answered. A running
 * purchase's status still needs a worker. A node that starts shutting down answers a purchase
 * still waiting for its saga with 202 at once.
 */
import { randomUUID } from 'node:crypto';
import { sagaStatusBody } from '../../../api/presenters/purchase';
import { statusQuery } from '../../../workflows/purchase-contract';
import { scheduleShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { asAdmin } from '../../support/auth';
import { buy, CARDS, purchaseBody } from './purchase-flow';
import { eventually } from '../read/harness';

let h: ApiHarness;
let showtimeId: string;

beforeAll(async () => {
  h = await startApiHarness({ name: 'status_no_worker', sagaWorker: true });
  showtimeId = (await scheduleShowtime(h.uow, h.ctx)).showtime.id;
});

afterAll(async () => {
  await h?.close();
});

describe('purchase status without a saga worker', () => {
  it('answers the status of finished purchases, as the status query did', async () => {
    const bought = await buy(h.url, purchaseBody(showtimeId, [{ row: 1, number: 1 }]));
    const declined = await buy(
      h.url,
      purchaseBody(showtimeId, [{ row: 1, number: 2 }], { cardNumber: CARDS.declined }),
    );
    // Both have ended (a loaded machine may answer 202 first): one with a ticket, one rolled back.
    const sagaIds = [String(bought.body.sagaId), String(declined.body.sagaId)];
    const results = await Promise.all(sagaIds.map((id) => h.temporal.workflow.getHandle(id).result()));
    expect(results.map((r) => (r as { success: boolean }).success)).toEqual([true, false]);
    const queried = await Promise.all(
      sagaIds.map((id) => h.temporal.workflow.getHandle(id).query(statusQuery)),
    );

    await h.stopSagaWorker();

    const answers = await Promise.all(
      sagaIds.map((id) => asAdmin(h.url).get(`/api/ticketpurchase/${id}/status`)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.status)).toEqual(['Completed', 'Compensated']);
    expect(answers.map((a) => a.body)).toEqual(queried.map(sagaStatusBody));
  });

  it('still needs a worker for a running purchase: 503 when none answers', async () => {
    await h.stopSagaWorker(); // the saga starts and waits for a worker
    const node = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 0 });
    const pending = await buy(node, purchaseBody(showtimeId, [{ row: 1, number: 3 }]));
    expect(pending.status).toBe(202);
    const status = await asAdmin(h.url).get(`/api/ticketpurchase/${String(pending.body.sagaId)}/status`);
    expect(status.status).toBe(503);
    expect(status.body.error).toBe('SagaUnavailable');
    await h.temporal.workflow.getHandle(String(pending.body.sagaId)).terminate('test over: no worker');
  });

  it('answers a purchase waiting for its saga with 202 at once when the node starts shutting down', async () => {
    await h.stopSagaWorker(); // the saga can't finish: the request waits for the whole response wait
    const shutdown = new AbortController();
    const node = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 120_000 }, { shutdown: shutdown.signal });
    // Keyed, so the saga's id is known: the list of running workflows may still show the saga the
    // test before terminated (visibility lags), and a list query could pick that one.
    const key = randomUUID();
    const sagaId = `purchase-${key}`;
    const answer = buy(node, purchaseBody(showtimeId, [{ row: 1, number: 4 }]), key).then((r) => r);
    await eventually(() => h.temporal.workflow.getHandle(sagaId).describe()); // the saga has started
    let answered = false;
    void answer.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false); // still waiting for the saga

    shutdown.abort();
    const res = await answer;

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ sagaId, statusUrl: expect.any(String) });
    await h.temporal.workflow.getHandle(sagaId).terminate('test over: no worker');
  });
});
