/**
 * The gateway's own limits, on a real gateway in front of an upstream that holds every request
 * until told to answer (standing in for a busy load balancer): a body over its limit is refused
 * with 413 before a byte reaches the upstream, requests beyond its in-flight cap get 503 with
 * Retry-After, and a live seat-map stream is counted apart from them, so a full house watching
 * its maps can't use up the cap that purchases need.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../../config';
import { createGateway } from '../../../api/gateway/app';
import { createGuardedServer } from '../../../api/http/slow-clients';
import { ReadClient } from '../../../read-service/client';

const config = loadConfig();
let upstream: Server;
let gateway: Server;
let url: string;
let read: ReadClient;
const held: ServerResponse[] = [];
let reachedUpstream = 0;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  upstream = createServer((_req: IncomingMessage, res: ServerResponse) => {
    reachedUpstream += 1;
    held.push(res);
  });
  const upstreamPort = await listen(upstream);
  read = new ReadClient('127.0.0.1:1', { deadlineMs: 200 }); // no read service: streams fail, not hang
  const app = createGateway({
    read,
    lbAddress: `127.0.0.1:${upstreamPort}`,
    logger: pino({ level: 'silent' }),
    auth: config,
    limits: { maxBodyBytes: 1024, maxConcurrentRequests: 2, maxSeatStreams: 5 },
  });
  gateway = createGuardedServer(app.app, config);
  url = `http://127.0.0.1:${await listen(gateway)}`;
});

afterAll(async () => {
  for (const res of held.splice(0)) res.end();
  read.close();
  await new Promise((r) => gateway.close(r));
  await new Promise((r) => upstream.close(r));
});

const releaseHeld = () => {
  for (const res of held.splice(0)) res.writeHead(204).end();
};

describe('gateway limits', () => {
  it('refuses a body over its limit with 413 JSON, before it reaches the upstream', async () => {
    const before = reachedUpstream;
    const res = await request(url)
      .post('/api/ticketpurchase')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(2048) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, error: 'PayloadTooLarge' });
    expect(reachedUpstream).toBe(before);
  });

  it('answers 503 with Retry-After beyond its in-flight cap, and admits again once requests finish', async () => {
    const first = request(url)
      .post('/api/showtimes')
      .send({})
      .then((r) => r.status);
    const second = request(url)
      .post('/api/showtimes')
      .send({})
      .then((r) => r.status);
    await waitFor(() => held.length === 2);

    const refused = await request(url).post('/api/showtimes').send({});
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ success: false, error: 'Overloaded' });

    // A seat stream is not counted with them: it gets past the cap (and fails here only for want
    // of a read service).
    const stream = await request(url).get('/api/showtimes/00000000-0000-4000-8000-000000000001/seats/stream');
    expect(stream.status).not.toBe(200);
    expect(stream.body.error).not.toBe('Overloaded');

    releaseHeld();
    expect(await Promise.all([first, second])).toEqual([204, 204]);
    const again = request(url)
      .post('/api/showtimes')
      .send({})
      .then((r) => r.status);
    await waitFor(() => held.length === 1);
    releaseHeld();
    expect(await again).toBe(204);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
