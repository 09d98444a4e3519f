/**
 * The load balancer: an HTTP server proxying to the API nodes with http-proxy-3. A request goes to
 * the next healthy node (round robin); when that node refuses the connection the request has not
 * reached it, so it is safe to send it to the next node, and stopping a node loses no request.
 * A connection reset before any answer is retried on the next node only when repeating the request
 * is harmless: a read (GET, HEAD) or a command carrying an Idempotency-Key, which the API dedupes.
 * Any other failure (a reset of a command without a key, a timeout after sending) is answered 502:
 * we must not send such a command twice; the client decides.
 */
import { createServer, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import { ApiError } from '../http/api-error';
import { admitDeclaredBody, inFlightLimit, payloadTooLarge } from '../http/edge-limits';
import { answerClientErrorsWithJson, slowClientOptions, type SlowClientConfig } from '../http/slow-clients';
import { UpstreamPool } from './pool';

export interface BalancerOptions {
  readonly upstreams: readonly string[];
  readonly healthIntervalMs: number;
  readonly logger: Logger;
  /** Request bodies are small JSON commands; a cap keeps buffering them harmless (413 beyond). */
  readonly maxBodyBytes?: number;
  /** Requests in flight beyond this are answered 503 with Retry-After. */
  readonly maxConcurrentRequests?: number;
  /** Slow-client timeouts (api/http/slow-clients.ts); Node's defaults without. */
  readonly timeouts?: SlowClientConfig;
}

/** Errors that mean the connection to the node was never made, so nothing was sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The node dropped the connection before answering (e.g. it closed its listener with our request
 * still in its accept queue): the request may or may not have run there.
 */
const DROPPED = new Set(['ECONNRESET', 'EPIPE']);

/** A request whose repetition the API makes harmless: a read, or a command with an Idempotency-Key. */
function safeToRepeat(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD' || req.headers['idempotency-key'] !== undefined;
}

export function createBalancer(options: BalancerOptions): { server: Server; pool: UpstreamPool } {
  const { logger } = options;
  const pool = new UpstreamPool(options.upstreams, {
    intervalMs: options.healthIntervalMs,
    onChange: (u) => logger.warn({ upstream: u.address, healthy: u.healthy }, 'upstream health changed'),
  });
  // No keep-alive to the nodes: a reused socket that a stopping node closes fails with ECONNRESET
  // after the request was written, which we could not retry safely. A new connection per request
  // fails with ECONNREFUSED instead, before anything is sent.
  const agent = new Agent({ keepAlive: false });
  const proxy = createProxyServer({ xfwd: true, agent, proxyTimeout: 60_000 });

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<string>): void => {
    const upstream = pool.next(tried);
    if (upstream === undefined) {
      sendError(res, new ApiError(503, 'NoHealthyUpstream', 'No API node is available; try again shortly'));
      return;
    }
    tried.add(upstream.address);
    proxy.web(
      req,
      res,
      { target: `http://${upstream.address}`, buffer: Readable.from([body]) },
      (error: NodeJS.ErrnoException) => {
        const code = error.code ?? '';
        if (!res.headersSent && (NOT_CONNECTED.has(code) || (DROPPED.has(code) && safeToRepeat(req)))) {
          logger.warn(
            { upstream: upstream.address, code },
            'upstream failed before answering; trying the next node',
          );
          pool.markDown(upstream.address);
          forward(req, res, body, tried);
          return;
        }
        logger.error({ upstream: upstream.address, err: error }, 'proxy error');
        if (!res.headersSent) sendError(res, new ApiError(502, 'BadGateway', 'The API node failed'));
        else res.destroy();
      },
    );
  };

  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const inFlight = inFlightLimit(options.maxConcurrentRequests ?? 1024);
  const server = createServer(options.timeouts ? slowClientOptions(options.timeouts) : {}, (req, res) => {
    if (req.url === '/health' && req.method === 'GET') {
      const up = pool.upstreams.filter((u) => u.healthy).length;
      sendJson(res, up > 0 ? 200 : 503, {
        status: up > 0 ? 'Healthy' : 'Unhealthy',
        checks: Object.fromEntries(
          pool.upstreams.map((u) => [u.address, u.healthy ? 'Healthy' : 'Unhealthy']),
        ),
        // Each node's own last answer, so the gateway can tell which dependency took them out.
        nodes: Object.fromEntries(pool.upstreams.map((u) => [u.address, u.lastHealth])),
      });
      return;
    }
    if (!inFlight.admit(res) || !admitDeclaredBody(req, res, maxBodyBytes)) return;
    readBody(req, maxBodyBytes)
      .then((body) => forward(req, res, body, new Set()))
      .catch(() => sendError(res, payloadTooLarge(maxBodyBytes)));
  });
  answerClientErrorsWithJson(server);
  server.on('listening', () => pool.start());
  server.on('close', () => pool.stop());
  return { server, pool };
}

/** The whole body in memory, so it can be replayed to the next node after a refusal. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering but drain the rest, so the 413 can still be written on this socket.
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The API's common error body, so a client (and the OpenAPI document) sees one error shape. */
function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.toBody());
}
