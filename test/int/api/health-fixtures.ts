/**
 * Pieces for the /health tests: API nodes on real services built with chosen dependencies, and
 * broken dependencies that are real sockets: a port nobody listens on, and a server that accepts
 * connections and never answers.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

import { Client, Connection } from '@temporalio/client';

import { createApp } from '../../../api/app';
import type { ApiDeps } from '../../../api/deps';
import { loadConfig } from '../../../config';
import type { Database } from '../../../db/database';
import { readRepositories, UnitOfWork } from '../../../db/unit-of-work';
import { tokenizeCard } from '../../../providers/payment';
import { freePort } from '../../support/ports';
import type { LogCapture } from './log-capture';
import { DEV_AUTH_CONFIG } from '../../support/auth';

export interface Listening {
  readonly address: string; // host:port
  readonly url: string;
  close(): Promise<void>;
}

export async function listen(handler: RequestListener | Server): Promise<Listening> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    url: `http://${address}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** host:port where nothing listens: connections are refused. */
export async function deadAddress(): Promise<string> {
  return `127.0.0.1:${await freePort()}`;
}

/** A TCP server that accepts connections and never says a word: a dependency that hangs. */
export async function silentServer(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A Temporal client (of the running dev server by default), connected before the first health check. */
export async function temporalClient(
  address = loadConfig().TEMPORAL_ADDRESS,
): Promise<{ client: Client; close(): Promise<void> }> {
  const config = loadConfig();
  const connection = await Connection.connect({ address });
  return {
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    close: () => connection.close(),
  };
}

/**
 * A TCP link to a shared service that a test can cut and restore, on a port of its own: the
 * service itself keeps running for everyone else, only what goes through the link loses it.
 * cut() refuses new connections and drops open ones (an outage as a client sees it).
 */
export class TcpLink {
  private server: TcpServer | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  static async open(targetAddress: string): Promise<TcpLink> {
    const [host, port] = targetAddress.split(':');
    const link = new TcpLink({ host: host!, port: Number(port) }, await freePort());
    await link.restore();
    return link;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async restore(): Promise<void> {
    const server = createTcpServer((client) => {
      const upstream = connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

export type NodeDeps = Pick<ApiDeps, 'db' | 'temporal' | 'readService' | 'shutdown'>;

/** An API node (the real app) on the given dependencies, listening on an ephemeral port. */
export function startNode(deps: NodeDeps, logs: LogCapture, nodeId: string): Promise<Listening> {
  const config = loadConfig();
  const db: Database = deps.db;
  return listen(
    createApp({
      ...deps,
      config: {
        SAGA_TASK_QUEUE: 'unused-by-health',
        TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
        TEMPORAL_UI_URL: config.TEMPORAL_UI_URL,
        PURCHASE_RESPONSE_WAIT_MS: 0,
        SEAT_HOLD_SECONDS: 60,
        REFUND_CUTOFF_MINUTES: 60,
        nodeId,
        ...DEV_AUTH_CONFIG,
      },
      uow: new UnitOfWork(db),
      repos: readRepositories(db),
      tokenizer: { tokenizeCard },
      logger: logs.pino({ service: 'api', node: nodeId }),
    }),
  );
}

interface LogLine {
  level: number;
  msg: string;
  dependency?: string;
  needed?: boolean;
  reason?: string;
}

/** The warn lines 'health check failed' a LogCapture holds, as objects. */
export function healthWarnings(logs: LogCapture): LogLine[] {
  return logs.lines
    .map((line) => JSON.parse(line) as LogLine)
    .filter((l) => l.level === 40 && l.msg === 'health check failed');
}

export const ALL_HEALTHY = {
  database: 'Healthy',
  kafka: 'Healthy',
  redis: 'Healthy',
  mongo: 'Healthy',
  temporal: 'Healthy',
} as const;
