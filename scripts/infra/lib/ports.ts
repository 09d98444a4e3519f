/** Port checks: is something listening, and which process holds a listening port. */
import { connect, createServer } from 'node:net';
import { capture } from './process';

export const LOOPBACK = '127.0.0.1';

/** True when a TCP connection to host:port is accepted within `timeoutMs`. */
export function isPortOpen(port: number, host = LOOPBACK, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it), for a short-lived server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('the probe socket has no port')),
      );
    });
  });
}

/** Pids of processes listening on a local TCP port, read from iproute2's `ss` (root sees all). */
export async function listeningPids(port: number): Promise<number[]> {
  let out: string;
  try {
    out = await capture('ss', ['-Hltnp', `sport = :${port}`]);
  } catch {
    return [];
  }
  const pids = [...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
  return [...new Set(pids)];
}

/** The port of a `host:port` pair or URL (used to derive ports from config's LOCAL_DEFAULTS). */
export function portOf(address: string): number {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  if (!url.port) throw new Error(`no port in ${address}`);
  return Number(url.port);
}
