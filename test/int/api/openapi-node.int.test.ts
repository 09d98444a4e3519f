/**
 * The OpenAPI document of an API node against the node itself, on real services (a private
 * PostgreSQL database, the Temporal dev server with the real saga worker on this file's task
 * queue): the served document is the generated one and valid OpenAPI 3.1, Swagger UI is served,
 * the express app has exactly the documented routes, every documented operation answers as
 * documented (openapi-scenarios.ts), and every documented response was seen.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validate } from '@readme/openapi-parser';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../../api/app';
import type { ApiDeps } from '../../../api/deps';
import { openApiDocument } from '../../../api/openapi/document';
import { tokenizeCard } from '../../../providers/payment';
import { scheduleShowtime, testContext, type ScheduledShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { Contract, ContractClient, expressRoutes } from './openapi-contract';
import { contractScenarios } from './openapi-scenarios';
import { expectSwaggerUi, sameRoutes } from './openapi-docs';

/** Documented answers this file does not produce, and why. */
const NOT_EXERCISED: Readonly<Record<string, string>> = {
  'GET /api/ticketpurchase/{sagaId}/status 503':
    'SagaUnavailable: a saga whose worker stops answering (10 s)',
  'POST /api/ticketpurchase/{sagaId}/cancel 503': 'SagaUnavailable: as above',
  'POST /api/reservations/{id}/cancel 503': 'ReservationUnavailable: a hold whose worker is gone (60 s)',
};

let h: ApiHarness;
let scheduled: ScheduledShowtime;
let past: ScheduledShowtime;
let impatientUrl: string;
const contract = new Contract(JSON.parse(JSON.stringify(openApiDocument('api-node'))));

beforeAll(async () => {
  h = await startApiHarness({ name: 'openapi', sagaWorker: true });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 6, seatsPerRow: 12 });
  past = await scheduleShowtime(h.uow, testContext(new Date(Date.now() - 72 * 3_600_000)), {
    startsInHours: 48,
  });
  impatientUrl = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 0, nodeId: 'api-impatient' });
});

afterAll(async () => {
  await h?.close();
});

const deps = (overrides: Partial<ApiDeps> = {}): ApiDeps => ({
  config: h.config,
  db: h.db,
  uow: h.uow,
  repos: h.repos,
  temporal: h.temporal,
  tokenizer: { tokenizeCard },
  logger: pino({ level: 'silent' }),
  ...overrides,
});

describe('the document of an API node', () => {
  it('is served at /openapi.json exactly as generated, and is a valid OpenAPI 3.1 document', async () => {
    const res = await fetch(`${h.url}/openapi.json`);
    const served = (await res.json()) as Parameters<typeof validate>[0] & { openapi: string };

    expect(served).toEqual(contract.document);
    expect(served.openapi).toBe('3.1.0');
    expect(await validate(served)).toMatchObject({ valid: true, warnings: [] });
  });

  it('is shown by Swagger UI at /swagger, served from node_modules', async () => {
    await expectSwaggerUi(h.url);
  });

  it('lists exactly the routes the express app has', () => {
    sameRoutes(expressRoutes(createApp(deps())), contract.operations());
  });
});

contractScenarios(() => ({
  api: new ContractClient(h.url, contract),
  impatient: new ContractClient(impatientUrl, contract),
  showtime: { id: scheduled.showtime.id, movieId: scheduled.movie.id, auditoriumId: scheduled.auditorium.id },
  pastShowtimeId: past.showtime.id,
  eventual: false,
  temporal: h.temporal,
}));

describe('failures every route documents as its default answer', () => {
  it('413 for a body over the limit', async () => {
    const res = await new ContractClient(h.url, contract).post('/api/showtimes', {
      body: { movieId: 'x'.repeat(20_000) },
    });

    expect([res.status, res.body.error]).toEqual([413, 'PayloadTooLarge']);
  });

  it('Temporal unreachable: /health 503 and a purchase 503 ServiceUnavailable', async () => {
    // A real client of a port nothing listens on, without the SDK's retries (they would wait a minute).
    const connection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
    const server = createServer(createApp(deps({ temporal: new Client({ connection }) })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = new ContractClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, contract);
      const health = await api.get('/health');
      const purchase = await api.post('/api/ticketpurchase', {
        body: {
          showtimeId: scheduled.showtime.id,
          customerId: 'customer-123',
          seats: [{ row: 6, number: 12 }],
          paymentMethod: 'CreditCard',
          cardNumber: '4111111111111111',
        },
      });

      expect([health.status, health.body.checks.temporal, health.body.checks.database]).toEqual([
        503,
        'Unhealthy',
        'Healthy',
      ]);
      expect([purchase.status, purchase.body.error]).toEqual([503, 'ServiceUnavailable']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await connection.close();
    }
  });
});

describe('coverage', () => {
  it('saw every documented response (all but the listed exemptions)', () => {
    expect(contract.unexercised(NOT_EXERCISED)).toEqual({ missing: [], seenButExempt: [] });
  });
});
