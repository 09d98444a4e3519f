/** What every local service module provides; lifecycle.ts drives them all the same way. */
import type { ConnectionVariable } from '../../config';
import type { InfraPaths } from './settings';
import type { Progress } from './lib/progress';

export const SERVICE_NAMES = ['temporal', 'kafka', 'postgres', 'redis', 'ferretdb'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceContext {
  readonly paths: InfraPaths;
  readonly progress: Progress;
  /** How often long steps refresh their status line (seconds on a terminal, longer on CI). */
  readonly progressIntervalMs: number;
  /** This service's log file: logs/<name>.log. */
  readonly logFile: string;
}

/** A started server: its pid, and why it stopped if it already did. */
export interface Started {
  readonly pid: number;
  exit(): string | undefined;
}

export interface Service {
  readonly name: ServiceName;
  /** Shown by `status`, e.g. "127.0.0.1:7233 (UI http://127.0.0.1:8233)". */
  readonly address: string;
  /** Provisioning skips the service when every one of these is set in the environment. */
  readonly connectionVariables: readonly ConnectionVariable[];
  /** Every TCP port it listens on, main one first (used by `down` when a pid file is lost). */
  readonly ports: readonly number[];
  /** A string in the server's command line; guards against signalling a reused pid. */
  readonly processMarker: string;
  readonly readyTimeoutMs: number;
  /** Signal for a clean, quick shutdown (PostgreSQL wants SIGINT: "fast" rather than "smart"). */
  readonly stopSignal: NodeJS.Signals;
  readonly stopGraceMs: number;

  /** Debian packages this service still lacks (installed once, together, before any start). */
  missingAptPackages(): string[];
  /** Resolves when the server answers its own protocol on 127.0.0.1; rejects otherwise. */
  probe(): Promise<void>;
  /** Builds or downloads what is missing; cached under INFRA_HOME, so a no-op when warm. */
  install(ctx: ServiceContext): Promise<void>;
  /** Starts the server in the background (detached, output to ctx.logFile). */
  start(ctx: ServiceContext): Promise<Started>;
  /**
   * A digest of the command line start() would use (lib/fingerprint.ts). When it differs from the
   * one recorded when `up` started the running server, `up` restarts that server.
   */
  commandFingerprint?(ctx: ServiceContext): string;
  /** Idempotent set-up on a running server, whether started now or reused. */
  afterReady?(ctx: ServiceContext): Promise<void>;
}
