/**
 * The load balancer against real HTTP servers standing in for API nodes: round robin, active
 * health checks (a node answering 503 leaves and comes back), and no request lost when a node is
 * stopped (refused connections are retried on the next node, body included).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createBalancer } from './balancer';

interface FakeNode {
  server: Server;
  address: string;
  healthy: boolean;
  /** Drops every API request's connection without answering, as a node closing under load can. */
  resets: boolean;
  /** API requests that reached this node (reset or answered). */
  received: string[];
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startNode(name: string): Promise<FakeNode> {
  const node = { healthy: true, resets: false, received: [] as string[] } as FakeNode;
  node.server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(node.healthy ? 200 : 503).end();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      node.received.push(body);
      if (node.resets) {
        req.socket.resetAndDestroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ node: name, body, requestId: req.headers['x-request-id'] ?? null }));
    });
  });
  node.address = await listen(node.server);
  return node;
}

const close = (s: Server) =>
  new Promise<void>((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

describe('load balancer', () => {
  let a: FakeNode;
  let b: FakeNode;
  let lb: ReturnType<typeof createBalancer>;
  let url: string;

  beforeEach(async () => {
    a = await startNode('a');
    b = await startNode('b');
    lb = createBalancer({
      upstreams: [a.address, b.address],
      healthIntervalMs: 50,
      logger: pino({ level: 'silent' }),
    });
    url = `http://${await listen(lb.server)}`;
  });

  afterEach(async () => {
    await close(lb.server);
    await Promise.all([a, b].map((n) => (n.server.listening ? close(n.server) : undefined)));
  });

  const post = async (body: string) => {
    const res = await fetch(`${url}/api/x`, { method: 'POST', body, headers: { 'x-request-id': 'r-1' } });
    return {
      status: res.status,
      json: (await res.json()) as { node: string; body: string; requestId: string },
    };
  };

  it('alternates between healthy nodes and forwards body and headers', async () => {
    const seen = [(await post('1')).json, (await post('2')).json, (await post('3')).json];
    expect(seen.map((s) => s.node)).toEqual(['a', 'b', 'a']);
    expect(seen.map((s) => s.body)).toEqual(['1', '2', '3']);
    expect(seen[0]!.requestId).toBe('r-1');
  });

  it('takes a node failing its health check out of rotation and back', async () => {
    b.healthy = false;
    await until(() => !lb.pool.upstreams[1]!.healthy);
    const nodes = [];
    for (let i = 0; i < 4; i++) nodes.push((await post(String(i))).json.node);
    expect(nodes).toEqual(['a', 'a', 'a', 'a']);
    b.healthy = true;
    await until(() => lb.pool.upstreams[1]!.healthy);
    const again = new Set([(await post('x')).json.node, (await post('y')).json.node]);
    expect(again).toEqual(new Set(['a', 'b']));
  });

  it('loses no request while a node is stopped mid-stream', async () => {
    const results: { status: number; body: string }[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 10) await close(b.server); // before the health check notices
      const r = await post(`req-${i}`);
      results.push({ status: r.status, body: r.json.body });
    }
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body)).toEqual(Array.from({ length: 40 }, (_, i) => `req-${i}`));
  });

  it('repeats a dropped request on the next node only when it is a read or carries an Idempotency-Key', async () => {
    b.resets = true;
    const send = async (method: string, headers: Record<string, string> = {}) => {
      // Twice, so one of the two lands on b whatever the round robin's position.
      const out = [];
      for (const body of ['one', 'two']) {
        const res = await fetch(`${url}/api/x`, {
          method,
          headers,
          body: method === 'GET' ? undefined : body,
        });
        out.push({ status: res.status, body: (await res.json()) as { node?: string; error?: string } });
      }
      lb.pool.upstreams[1]!.healthy = true; // back in rotation for the next case (the check is slow)
      return out;
    };
    const keyed = await send('POST', { 'idempotency-key': 'k-1' });
    expect(keyed.map((r) => [r.status, r.body.node])).toEqual([
      [200, 'a'],
      [200, 'a'],
    ]);
    const read = await send('GET');
    expect(read.map((r) => [r.status, r.body.node])).toEqual([
      [200, 'a'],
      [200, 'a'],
    ]);
    // Without a key the command may have run on b: not sent again, the client gets a 502.
    const unkeyed = await send('POST');
    expect(unkeyed.map((r) => r.status).sort()).toEqual([200, 502]);
    expect(unkeyed.find((r) => r.status === 502)!.body.error).toBe('BadGateway');
    expect(b.received.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 503 in the API error shape with no node in rotation and reports it on /health', async () => {
    await Promise.all([close(a.server), close(b.server)]);
    await until(() => lb.pool.upstreams.every((u) => !u.healthy));
    const refused = await fetch(`${url}/api/x`, { method: 'POST', body: 'z' });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      success: false,
      error: 'NoHealthyUpstream',
      message: expect.any(String),
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('Unhealthy');
  });
});
