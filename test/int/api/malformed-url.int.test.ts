/**
 * A path with a broken percent escape (`%E0%A4%A`) is the client's mistake: 400 JSON on an API
 * node, on the load balancer in front of it and on the gateway in front of that, never a 500
 * logged as our error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createGatewayApp } from '../../../api/gateway/app';
import { createBalancer } from '../../../api/lb/balancer';
import { ReadClient } from '../../../read-service/client';
import { bearer, DEV_AUTH_CONFIG } from '../../support/auth';
import { freePort } from '../../support/ports';
import { startApiHarness, type ApiHarness } from './harness';

let h: ApiHarness;
let lb: ReturnType<typeof createBalancer>;
let gateway: Server;
let read: ReadClient;
const urls: Record<'api node' | 'load balancer' | 'gateway', string> = {
  'api node': '',
  'load balancer': '',
  gateway: '',
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  h = await startApiHarness({ name: 'malformed_url' });
  urls['api node'] = h.url;
  lb = createBalancer({
    upstreams: [new URL(h.url).host],
    healthIntervalMs: 100,
    logger: pino({ level: 'silent' }),
  });
  urls['load balancer'] = await listen(lb.server);
  // No read service behind it: the path is refused before any query would be sent.
  read = new ReadClient(`127.0.0.1:${await freePort()}`);
  gateway = createServer(
    createGatewayApp({
      auth: DEV_AUTH_CONFIG,
      read,
      lbAddress: new URL(urls['load balancer']).host,
      logger: pino({ level: 'silent' }),
    }),
  );
  urls.gateway = await listen(gateway);
  // The load balancer sends nothing until its first health check found the node.
  for (let i = 0; i < 50 && !lb.pool.upstreams.some((u) => u.healthy); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  read?.close();
  for (const server of [gateway, lb?.server]) {
    if (server?.listening) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
  await h?.close();
});

/** GETs of routes each server has: the gateway's own reads; an API node's (and so its balancer's). */
const GETS: Record<keyof typeof urls, string[]> = {
  'api node': ['/api/auditoriums/%E0%A4%A', '/api/ticketpurchase/purchase-%E0%A4%A/status'],
  'load balancer': ['/api/auditoriums/%E0%A4%A', '/api/ticketpurchase/purchase-%E0%A4%A/status'],
  gateway: ['/api/tickets/%E0%A4%A', '/api/payments/%E0%A4%A'],
};

describe.each(Object.keys(urls) as (keyof typeof urls)[])('a malformed URL escape on the %s', (where) => {
  it.each([
    ...GETS[where].map((path) => ['GET', path, bearer('customer-1', 'customer')] as const),
    ['POST', '/api/tickets/%E0%A4%A/use', bearer('door-1', 'staff')] as const,
  ])('%s %s answers 400 JSON', async (method, path, authorization) => {
    const agent = request(urls[where]);
    const res = await (method === 'GET' ? agent.get(path) : agent.post(path)).set(
      'Authorization',
      authorization,
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ success: false, error: 'MalformedUrl' });
  });
});
