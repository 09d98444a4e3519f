/**
 * The OpenAPI documents themselves (no server): valid OpenAPI 3.1, what each server publishes,
 * the examples a Swagger UI user starts from are accepted by the routes' own zod schemas, and the
 * contract checker the integration tests rely on does reject answers that drift from them.
 */
import { validate } from '@readme/openapi-parser';
import type { z } from 'zod';
import { API_OPERATIONS, openApiDocument } from '../../../api/openapi/document';
import { Contract } from '../../int/api/openapi-contract';

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const gateway = json(openApiDocument('gateway'));
const node = json(openApiDocument('api-node'));

describe('the generated documents', () => {
  it.each([
    ['gateway', gateway],
    ['api-node', node],
  ])('%s: a valid OpenAPI 3.1 document', async (_name, document) => {
    expect(document.openapi).toBe('3.1.0');
    expect(await validate(json(document) as Parameters<typeof validate>[0])).toMatchObject({
      valid: true,
      warnings: [],
    });
  });

  it('the gateway publishes every operation; an API node all but the read-model and sign-in ones', () => {
    const gatewayOps = new Contract(gateway).operations();
    const nodeOps = new Contract(node).operations();

    expect(gatewayOps).toHaveLength(API_OPERATIONS.length);
    // Every public GET of a resource is the gateway's alone: one read path, the read model.
    expect(gatewayOps.filter((op) => !nodeOps.includes(op))).toEqual([
      'GET /api/customers/{id}/tickets',
      'GET /api/payments/{id}',
      'GET /api/reports/sales',
      'GET /api/reservations/{id}',
      'GET /api/showtimes',
      'GET /api/showtimes/{id}',
      'GET /api/showtimes/{id}/seat-layout',
      'GET /api/showtimes/{id}/seats',
      'GET /api/showtimes/{id}/seats/stream',
      'GET /api/tickets/by-number/{ticketNumber}',
      'GET /api/tickets/{id}',
      'POST /api/dev/sign-in',
    ]);
    // What an API node still answers by GET: a purchase's status (Temporal), the catalog the
    // gateway fetches (auditorium layouts), an admin's Temporal view, and its own health and docs.
    expect(nodeOps.filter((op) => op.startsWith('GET '))).toEqual([
      'GET /api/auditoriums/{id}',
      'GET /api/showtimes/{id}/purchases',
      'GET /api/ticketpurchase/{sagaId}/status',
      'GET /health',
      'GET /openapi.json',
    ]);
    expect(nodeOps.every((op) => gatewayOps.includes(op))).toBe(true);
  });

  it('documents X-Request-Id on every request and answer, and a default error answer', () => {
    for (const item of Object.values(gateway.paths ?? {})) {
      for (const operation of [item.get, item.post].filter((op) => op !== undefined)) {
        expect(operation.parameters).toContainEqual({ $ref: '#/components/parameters/XRequestIdParam' });
        expect(operation.responses?.default).toEqual({ $ref: '#/components/responses/UnexpectedError' });
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (status === 'default') continue;
          expect((response as { headers?: object }).headers).toHaveProperty('X-Request-Id');
        }
      }
    }
  });

  it("has request examples the routes' own zod schemas accept", () => {
    const examples = API_OPERATIONS.flatMap((op) => {
      const media = op.spec.requestBody?.content['application/json'];
      return media?.example === undefined
        ? []
        : [[op.path, media.schema as z.ZodType, media.example] as const];
    });

    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const [path, schema, example] of examples) {
      expect([path, schema.safeParse(example).success]).toEqual([path, true]);
    }
  });
});

describe('the contract checker of the integration tests', () => {
  const contract = new Contract(gateway);
  const headers = (extra: Record<string, string> = {}) =>
    new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1', ...extra });
  const seat = { row: 1, number: 2 };
  const used = { id: 't-1', status: 'Used', usedAt: '2026-11-22T10:00:00.000Z' };
  const check =
    (method: string, path: string, status: number, body: unknown, h = headers()) =>
    () =>
      contract.check(method, path, { status, headers: h, body });

  it('accepts answers as documented, the default answer included', () => {
    expect(check('POST', '/api/tickets/t-1/use', 200, used)()).toBe('POST /api/tickets/{id}/use');
    expect(
      check('GET', '/api/tickets/by-number/TKT-1', 404, { success: false, error: 'E', message: 'm' })(),
    ).toBe('GET /api/tickets/by-number/{ticketNumber}');
    expect(check('GET', '/api/payments/p-1', 503, { success: false, error: 'E', message: 'm' })()).toBe(
      'GET /api/payments/{id}',
    );
    expect(
      check('GET', '/api/showtimes/s-1/seats', 200, {
        showtimeId: 's-1',
        capacity: 10,
        seatsAvailable: 9,
        taken: [{ ...seat, state: 'Sold' }],
      })(),
    ).toBe('GET /api/showtimes/{id}/seats');
  });

  it('rejects what drifts from the document', () => {
    expect(check('GET', '/api/nothing-here', 200, {})).toThrow(/not in the document/);
    expect(check('DELETE', '/api/tickets/t-1', 200, {})).toThrow(/not in the document/);
    expect(check('POST', '/api/tickets/t-1/use', 200, { ...used, extra: 1 })).toThrow(
      /additional properties/,
    );
    expect(check('POST', '/api/tickets/t-1/use', 200, { ...used, usedAt: 'yesterday' })).toThrow(/date-time/);
    expect(check('POST', '/api/tickets/t-1/use', 200, { id: 't-1', status: 'Used' })).toThrow(/usedAt/);
    expect(
      check('POST', '/api/tickets/t-1/use', 200, used, new Headers({ 'content-type': 'application/json' })),
    ).toThrow(/X-Request-Id is missing/);
    expect(check('POST', '/api/showtimes', 201, {}, headers())).toThrow(/Location is missing/);
    expect(
      check('POST', '/api/tickets/t-1/use', 200, used, headers({ 'content-type': 'text/html' })),
    ).toThrow(/not JSON/);
    expect(check('GET', '/api/payments/p-1', 503, { success: false, error: 'E' })).toThrow(/message/);
  });

  it('lists the documented responses no answer exercised, and exemptions that are stale', () => {
    const fresh = new Contract(node);
    const healthy = Object.fromEntries(
      ['database', 'kafka', 'redis', 'mongo', 'temporal'].map((c) => [c, 'Healthy']),
    );
    fresh.check('GET', '/health', {
      status: 200,
      headers: headers(),
      body: { status: 'Healthy', checks: healthy },
    });

    const { missing, seenButExempt } = fresh.unexercised({
      'GET /health 200': 'seen after all',
      'GET /nowhere 200': 'not documented',
    });

    expect(missing).toContain('GET /health 503');
    expect(missing).not.toContain('GET /health 200');
    expect(seenButExempt).toEqual(['GET /health 200', 'GET /nowhere 200']);
  });
});
