/**
 * The OpenAPI document of the gateway (every route of the system) against the whole stack as real
 * processes (test/e2e/stack.ts: saga and relay workers, read service, two API nodes, load
 * balancer, gateway on a private database, topic and Mongo database): the served document is the
 * generated one and valid OpenAPI 3.1, Swagger UI is served, the gateway's own routes plus the
 * API nodes' are exactly the documented operations, every documented operation answers through
 * the gateway as documented (openapi-scenarios.ts, GETs from the read model), dependencies
 * stopped give the documented 503 and 502, and every documented response was seen.
 */
import { validate } from '@readme/openapi-parser';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createGatewayApp } from '../../../api/gateway/app';
import { codecPlugin } from '../../../codec/data-converter';
import { openApiDocument } from '../../../api/openapi/document';
import { loadConfig } from '../../../config';
import { openDatabase } from '../../../db';
import { UnitOfWork } from '../../../db/unit-of-work';
import { ReadClient } from '../../../read-service/client';
import { eventually, startStack, type Stack } from '../../e2e/stack';
import { scheduleShowtime, testContext } from '../db/fixtures';
import { Contract, ContractClient, expressRoutes } from './openapi-contract';
import { expectSwaggerUi, sameRoutes } from './openapi-docs';
import { contractScenarios } from './openapi-scenarios';
import { DEV_AUTH_CONFIG } from '../../support/auth';

/** Documented answers this file does not produce, and why. */
const NOT_EXERCISED: Readonly<Record<string, string>> = {
  'GET /api/ticketpurchase/{sagaId}/status 503':
    'SagaUnavailable: a saga whose worker stops answering (10 s)',
  'POST /api/ticketpurchase/{sagaId}/cancel 503': 'SagaUnavailable: as above',
  'POST /api/reservations/{id}/cancel 503': 'ReservationUnavailable: a hold whose worker is gone (60 s)',
  'GET /api/showtimes/{id}/seats/stream 200':
    'an event stream, not JSON: test/e2e/web.e2e.test.ts watches it in a browser',
  'POST /api/payments/{id}/refund 202':
    "the stack's nodes wait 15 s, longer than a refund takes; seen in openapi-node.int.test.ts",
};

const config = loadConfig();
const contract = new Contract(JSON.parse(JSON.stringify(openApiDocument('gateway'))));
let stack: Stack;
let connection: Connection;
let temporal: Client;
let showtime: { id: string; movieId: string; auditoriumId: string };
let pastShowtimeId: string;

beforeAll(async () => {
  stack = await startStack('openapi');
  // With the project's payload codec, as the stack's processes have it (memos are encrypted).
  connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, plugins: [codecPlugin(config)] });
  temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  // A showtime that has already started, straight into the stack's write database.
  const db = openDatabase(stack.env.WRITE_DB_URL!);
  try {
    const past = await scheduleShowtime(
      new UnitOfWork(db),
      testContext(new Date(Date.now() - 72 * 3_600_000)),
      {
        startsInHours: 48,
      },
    );
    pastShowtimeId = past.showtime.id;
  } finally {
    await db.close();
  }

  await eventually(
    async () => ((await fetch(`${stack.gateway}/health`)).status === 200 ? true : undefined),
    500,
  );
  // A seeded showtime, once the read model has it (every seeded one starts tomorrow or later).
  // Not the first: the e2e test buys from that one, and stacks share a Redis database (stack.ts).
  const seeded = await eventually(async () => {
    const rows = (await (await fetch(`${stack.gateway}/api/showtimes`)).json()) as Array<typeof showtime>;
    return rows.length > 1 ? rows[rows.length - 1] : undefined;
  }, 500);
  showtime = { id: seeded.id, movieId: seeded.movieId, auditoriumId: seeded.auditoriumId };
}, 300_000);

afterAll(async () => {
  await connection?.close();
  await stack?.shutdown();
});

const gateway = () => new ContractClient(stack.gateway, contract);

describe('the document of the gateway', () => {
  it('is served at /openapi.json exactly as generated, and is a valid OpenAPI 3.1 document', async () => {
    const res = await fetch(`${stack.gateway}/openapi.json`);
    const served = (await res.json()) as Parameters<typeof validate>[0] & { openapi: string };

    expect(served).toEqual(contract.document);
    expect(served.openapi).toBe('3.1.0');
    expect(await validate(served)).toMatchObject({ valid: true, warnings: [] });
  });

  it('is shown by Swagger UI at /swagger, served from node_modules', async () => {
    await expectSwaggerUi(stack.gateway);
  });

  it("lists exactly the gateway's own routes plus the API nodes' (proxied)", () => {
    const read = new ReadClient(stack.env.READ_SERVICE_ADDRESS!);
    try {
      const own = expressRoutes(
        createGatewayApp({
          auth: DEV_AUTH_CONFIG,
          read,
          lbAddress: stack.env.LB_ADDRESS!,
          logger: pino({ level: 'silent' }),
        }),
      );
      // The API nodes' routes are checked against their own document in openapi-node.int.test.ts.
      const proxied = new Contract(JSON.parse(JSON.stringify(openApiDocument('api-node')))).operations();
      sameRoutes([...own, ...proxied], contract.operations());
    } finally {
      read.close();
    }
  });
});

contractScenarios(() => ({
  api: gateway(),
  showtime,
  pastShowtimeId,
  eventual: true,
  temporal,
}));

describe('dependencies down (documented as each route default answer)', () => {
  it('read service stopped: read-model GETs 503, /health 503 (mongo Unhealthy)', async () => {
    await stack.stop('read');
    const ticket = await gateway().get('/api/tickets/any-ticket');
    const health = await gateway().get('/health');

    expect([ticket.status, ticket.body.error]).toEqual([503, 'ServiceUnavailable']);
    expect([health.status, health.body.checks.mongo]).toEqual([503, 'Unhealthy']);
  });

  it('load balancer stopped: commands 502 BadGateway', async () => {
    await stack.stop('lb');
    const res = await gateway().post('/api/showtimes', { body: {} });

    expect([res.status, res.body.error]).toEqual([502, 'BadGateway']);
  });
});

describe('coverage', () => {
  it('saw every documented response (all but the listed exemptions)', () => {
    expect(contract.unexercised(NOT_EXERCISED)).toEqual({ missing: [], seenButExempt: [] });
  });
});
