/**
 * Bringing one service up, stopping it, and telling its state: the same steps for every service,
 * whatever it is. A server already answering on its port is reused, never started twice.
 */
import { externallyProvided } from '../../config';
import { withDeadline } from '../../lib/deadline';
import { ServiceError, StepError } from './lib/errors';
import { mustRestart, readFingerprint, writeFingerprint } from './lib/fingerprint';
import { isOurs, livePid, removePid, writePid } from './lib/pidfile';
import { isPortOpen, listeningPids } from './lib/ports';
import { terminate } from './lib/process';
import { recordStarted } from './lib/started-file';
import { waitUntil } from './lib/wait';
import type { Service, ServiceContext } from './service';
import type { InfraSettings } from './settings';

/** Longer than any driver's own timeouts in the probes, so those normally speak first. */
const PROBE_DEADLINE_MS = 8000;

export type UpOutcome =
  | { kind: 'external'; variables: string[] }
  | { kind: 'reused'; pid: number | undefined }
  | { kind: 'started'; pid: number; seconds: number };

/** True when every connection variable of the service is set: it lives elsewhere. */
export function isExternal(service: Service): boolean {
  const provided = externallyProvided();
  return service.connectionVariables.every((v) => provided.has(v));
}

/** One probe, bounded in time whatever the driver does. */
function probe(service: Service): Promise<void> {
  return withDeadline(service.probe(), PROBE_DEADLINE_MS, `${service.name} probe`);
}

export async function answers(service: Service): Promise<boolean> {
  // A closed port is the common "down" case: skip the driver and its connect timeout.
  if (!(await isPortOpen(service.ports[0] as number))) return false;
  try {
    await probe(service);
    return true;
  } catch {
    return false;
  }
}

async function anyPortOpen(service: Service): Promise<boolean> {
  const open = await Promise.all(service.ports.map((port) => isPortOpen(port)));
  return open.some(Boolean);
}

/** The pid of the server holding its main port, if it is that service's program. */
async function pidByPort(service: Service): Promise<number | undefined> {
  const pids = await listeningPids(service.ports[0] as number);
  return pids.find((pid) => isOurs(pid, service.processMarker));
}

/**
 * Stops a running server `up` started with another command line than the one it would use now
 * (e.g. a flag added since), so that it is started again with the new one. Servers keep their
 * data on disk, so nothing but a few seconds of availability is lost. True if it stopped it.
 */
async function stopIfCommandChanged(service: Service, ctx: ServiceContext): Promise<boolean> {
  const pidFile = ctx.paths.pid(service.name);
  const ownPid = livePid(pidFile, service.processMarker);
  const wanted = service.commandFingerprint?.(ctx);
  if (!mustRestart(wanted, readFingerprint(ctx.paths.fingerprint(service.name)), ownPid)) return false;
  ctx.progress.say(`started with another command line than it needs now: restarting pid ${ownPid}`);
  await terminate(ownPid!, service.stopSignal, service.stopGraceMs);
  removePid(pidFile);
  // A multi-threaded server can look gone (its main thread a zombie) a moment before its sockets
  // are released: starting the new one before that would find the port held.
  await waitUntil(
    `${service.name} to release its ports`,
    async () => {
      if (await anyPortOpen(service)) throw new Error('still listening');
    },
    { timeoutMs: service.stopGraceMs, intervalMs: 100 },
  );
  return true;
}

/** Runs a step so that any failure becomes a ServiceError naming the service and the right log. */
async function guardStep<T>(
  service: Service,
  ctx: ServiceContext,
  what: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    const log = error instanceof StepError ? error.logFile : ctx.logFile;
    throw new ServiceError(service.name, log, `${what} failed: ${(error as Error).message}`);
  }
}

/** Wait for readiness; `giveUpIf` ends the wait early (e.g. the process exited). */
function waitReady(
  service: Service,
  ctx: ServiceContext,
  giveUpIf?: () => string | undefined,
): Promise<void> {
  return waitUntil(`${service.name} readiness`, () => probe(service), {
    timeoutMs: service.readyTimeoutMs,
    intervalMs: 500,
    giveUpIf,
  }).catch((error: Error) => {
    throw new ServiceError(service.name, ctx.logFile, error.message);
  });
}

/**
 * Make the service answer. `installed` resolves when its Debian packages are in (a shared
 * apt-get run); it is awaited only if the service really has to be started.
 */
export async function bringUp(
  service: Service,
  ctx: ServiceContext,
  settings: InfraSettings,
  installed: () => Promise<void>,
): Promise<UpOutcome> {
  if (isExternal(service)) return { kind: 'external', variables: [...service.connectionVariables] };
  const pidFile = ctx.paths.pid(service.name);
  const guard = <T>(what: string, step: () => Promise<T>) => guardStep(service, ctx, what, step);

  const reuse = async (): Promise<UpOutcome> => {
    await guard('set-up on the running server', async () => service.afterReady?.(ctx));
    return { kind: 'reused', pid: livePid(pidFile, service.processMarker) ?? (await pidByPort(service)) };
  };

  if ((await answers(service)) && !(await stopIfCommandChanged(service, ctx))) return reuse();

  // Something holds the port but does not answer yet: ours still starting, or a stranger.
  const ownPid = livePid(pidFile, service.processMarker);
  if (ownPid !== undefined || (await anyPortOpen(service))) {
    ctx.progress.say('port is held but the server does not answer yet; waiting');
    try {
      await waitReady(service, ctx);
      return reuse();
    } catch {
      if (ownPid === undefined) {
        const holders = (await Promise.all(service.ports.map(listeningPids))).flat();
        throw new ServiceError(
          service.name,
          ctx.logFile,
          `port ${service.ports.join('/')} is held by pid ${holders.join(', ') || '?'} which does not answer as ` +
            `${service.name}; stop it, or point ${service.connectionVariables.join('/')} at a running one`,
        );
      }
      ctx.progress.say(`pid ${ownPid} does not answer: restarting it`);
      await terminate(ownPid, 'SIGKILL', 5000);
    }
  }

  const startedAt = Date.now();
  await guard('installing Debian packages', installed);
  await guard('install', () => service.install(ctx));
  ctx.progress.say('starting');
  const started = await guard('start', () => service.start(ctx));
  recordStarted(settings.startedFile, service.name);
  writePid(pidFile, started.pid);
  const fingerprint = service.commandFingerprint?.(ctx);
  if (fingerprint !== undefined) writeFingerprint(ctx.paths.fingerprint(service.name), fingerprint);
  ctx.progress.say(`waiting until it answers (pid ${started.pid})`);
  try {
    await waitReady(service, ctx, started.exit);
  } catch (error) {
    // Leave nothing half-started behind: the next `up` then starts from a clean slate.
    await terminate(started.pid, 'SIGKILL', 5000);
    removePid(pidFile);
    throw error;
  }
  await guard('set-up after start', async () => service.afterReady?.(ctx));
  return { kind: 'started', pid: started.pid, seconds: (Date.now() - startedAt) / 1000 };
}

/** Only what `up` would install or build, without starting anything (warms caches). */
export async function installOnly(
  service: Service,
  ctx: ServiceContext,
  installed: () => Promise<void>,
): Promise<void> {
  await guardStep(service, ctx, 'installing Debian packages', installed);
  await guardStep(service, ctx, 'install', () => service.install(ctx));
}

export type DownOutcome = 'external' | 'stopped' | 'not running';

/** Stops the service: by its pid file, then whatever of its program still holds its ports. */
export async function stop(service: Service, ctx: Pick<ServiceContext, 'paths'>): Promise<DownOutcome> {
  if (isExternal(service)) return 'external';
  const pidFile = ctx.paths.pid(service.name);
  const victims = new Set<number>();
  const own = livePid(pidFile, service.processMarker);
  if (own !== undefined) victims.add(own);
  for (const port of service.ports) {
    for (const pid of await listeningPids(port)) {
      if (isOurs(pid, service.processMarker)) victims.add(pid);
    }
  }
  await Promise.all([...victims].map((pid) => terminate(pid, service.stopSignal, service.stopGraceMs)));
  removePid(pidFile);
  return victims.size > 0 ? 'stopped' : 'not running';
}

export type State = 'running' | 'running (not started by infra:up)' | 'unhealthy' | 'down' | 'external';

export interface ServiceStatus {
  state: State;
  pid: number | undefined;
}

/** The truth about one service: its pid alive, and its own protocol answering on its port. */
export async function inspect(service: Service, ctx: Pick<ServiceContext, 'paths'>): Promise<ServiceStatus> {
  if (isExternal(service)) return { state: 'external', pid: undefined };
  const pid = livePid(ctx.paths.pid(service.name), service.processMarker);
  const answering = await answers(service);
  if (pid !== undefined) return { state: answering ? 'running' : 'unhealthy', pid };
  if (answering) return { state: 'running (not started by infra:up)', pid: await pidByPort(service) };
  const stranger = await pidByPort(service);
  return stranger !== undefined ? { state: 'unhealthy', pid: stranger } : { state: 'down', pid: undefined };
}
