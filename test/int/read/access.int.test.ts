/**
 * The read service's own access checks (read-service/access.ts), without the gateway: the service
 * token on every ReadService call, the caller's token on per-customer queries, another
 * customer's ticket answered NOT_FOUND whether the answer comes from MongoDB or from the cache,
 * and the diagnostic Echo served only when asked for, behind the same checks.
 */
import { credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

import { createVerifier } from '../../../api/auth/verifier';
import { ReadDiagnosticsClient } from '../../../proto/gen/cinema/read/v1/diagnostics';
import { CALLER_AUTH_METADATA, SERVICE_AUTH_METADATA } from '../../../read-service/access';
import { ReadClient } from '../../../read-service/client';
import type { ReadService } from '../../../read-service/service';
import { bearer, DEV_AUTH_CONFIG, expiredBearer, otherKeyBearer, tamperedBearer } from '../../support/auth';
import { createHarness, eventually, purchaseStory, type Harness } from './harness';

const SERVICE_TOKEN = 'access-test-service-token-0123456789abcdef';

let h: Harness;
let service: ReadService;
let address: string;
const clients: { close(): void }[] = [];

const readClient = (options: { serviceToken?: string } = { serviceToken: SERVICE_TOKEN }) => {
  const c = new ReadClient(address, { deadlineMs: 5000, ...options });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  h = await createHarness('access');
  ({ service } = await h.start({
    access: { serviceToken: SERVICE_TOKEN, callers: createVerifier(DEV_AUTH_CONFIG) },
    grpcDiagnostics: true,
  }));
  address = `127.0.0.1:${service.grpc.port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await h?.close();
});

test('every ReadService call needs the service token', async () => {
  const s = purchaseStory();
  for (const c of [readClient({}), readClient({ serviceToken: 'another-service-token-0123456789abcdef' })]) {
    await expect(c.getShowtime({ showtimeId: s.ids.showtimeId })).rejects.toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
    });
  }
  await expect(readClient().getShowtime({ showtimeId: s.ids.showtimeId })).rejects.toMatchObject({
    code: GrpcStatus.NOT_FOUND,
  });
});

test('a ticket is shown to its customer and an administrator only, from MongoDB as from the cache', async () => {
  const s = purchaseStory();
  await h.publish(s.ticketIssued);
  const owner = readClient().forCaller(bearer(s.ids.customerId, 'customer'));
  const other = readClient().forCaller(bearer(`${s.ids.customerId}-other`, 'customer'));
  const staff = readClient().forCaller(bearer('door-1', 'staff'));
  const admin = readClient().forCaller(bearer('admin-1', 'admin'));
  const notFound = { code: GrpcStatus.NOT_FOUND, details: `ticket ${s.ids.ticketId} not found` };
  const ask = (c: ReadClient) => c.getTicket({ ticketId: s.ids.ticketId });
  await eventually(async () => {
    if ((await h.redis.get(`g1:tag:ticket:${s.ids.ticketId}`)) !== '1') throw new Error('not projected yet');
  });

  // From MongoDB (a miss, which stores the answer): refused as if there were no such ticket.
  const missesBefore = service.cache.stats.misses;
  await expect(ask(other)).rejects.toMatchObject(notFound);
  expect(service.cache.stats.misses).toBe(missesBefore + 1);

  // From the cache: the owner and an administrator see it, nobody else does; every one a hit.
  const hitsBefore = service.cache.stats.hits;
  await expect(ask(owner)).resolves.toMatchObject({ id: s.ids.ticketId, customerId: s.ids.customerId });
  await expect(ask(admin)).resolves.toMatchObject({ id: s.ids.ticketId });
  await expect(ask(other)).rejects.toMatchObject(notFound);
  await expect(ask(staff)).rejects.toMatchObject(notFound);
  expect(service.cache.stats.hits).toBe(hitsBefore + 4);

  // A caller token that may not be trusted is refused, asked again too (nothing is remembered).
  for (const token of [
    expiredBearer(s.ids.customerId, 'customer'),
    otherKeyBearer(s.ids.customerId, 'customer'),
    tamperedBearer(`${s.ids.customerId}-other`, 'admin'),
    'Bearer not-a-token',
  ]) {
    for (let i = 0; i < 2; i++) {
      await expect(ask(readClient().forCaller(token))).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
      });
    }
  }
  await expect(ask(readClient())).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
});

function echo(at: string, metadata: Metadata): Promise<Buffer> {
  const c = new ReadDiagnosticsClient(at, credentials.createInsecure());
  clients.push(c);
  return new Promise((resolve, reject) =>
    c.echo(
      { payload: Buffer.from('ping') },
      metadata,
      { deadline: new Date(Date.now() + 5000) },
      (e: ServiceError | null, res) => (e ? reject(e) : resolve(res.payload)),
    ),
  );
}

const metadata = (entries: Record<string, string>) => {
  const m = new Metadata();
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  return m;
};

test('the diagnostic Echo answers behind the same checks, and only when turned on', async () => {
  const caller = bearer('customer-echo', 'customer');
  await expect(
    echo(
      address,
      metadata({ [SERVICE_AUTH_METADATA]: `Bearer ${SERVICE_TOKEN}`, [CALLER_AUTH_METADATA]: caller }),
    ),
  ).resolves.toEqual(Buffer.from('ping'));
  await expect(echo(address, metadata({ [CALLER_AUTH_METADATA]: caller }))).rejects.toMatchObject({
    code: GrpcStatus.UNAUTHENTICATED,
  });
  await expect(
    echo(address, metadata({ [SERVICE_AUTH_METADATA]: `Bearer ${SERVICE_TOKEN}` })),
  ).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });

  // Off by default (READ_GRPC_DIAGNOSTICS): not served at all.
  const { service: plain } = await h.start({ access: { serviceToken: SERVICE_TOKEN } });
  await expect(
    echo(`127.0.0.1:${plain.grpc.port}`, metadata({ [SERVICE_AUTH_METADATA]: `Bearer ${SERVICE_TOKEN}` })),
  ).rejects.toMatchObject({ code: GrpcStatus.UNIMPLEMENTED });
});
