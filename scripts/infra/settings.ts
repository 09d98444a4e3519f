/**
 * The infra CLI's own settings. INFRA_HOME, INFRA_STARTED_FILE and CI belong to local provisioning,
 * not to the application, so they are read here rather than in config/index.ts; this is also the
 * one place the CLI touches process.env (PATH lookups, environments handed to child processes).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface InfraSettings {
  /** Cache and state root, outside the git tree: binaries, jars, data, logs, pid files. */
  readonly home: string;
  /** When set, `up` appends the services it started there, so CI stops only those. */
  readonly startedFile: string | undefined;
  /** True on CI or when stdout is not a terminal: progress is printed sparingly, line by line. */
  readonly nonInteractive: boolean;
}

export function loadInfraSettings(env: NodeJS.ProcessEnv = process.env): InfraSettings {
  const home = env.INFRA_HOME ? resolve(env.INFRA_HOME) : join(homedir(), '.cache', 'cinema-booking');
  return Object.freeze({
    home,
    startedFile: env.INFRA_STARTED_FILE || undefined,
    nonInteractive: Boolean(env.CI && env.CI !== 'false') || !process.stdout.isTTY,
  });
}

/** Environment for a child process: ours plus `extra` (children see what we were given). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** The folders searched for executables (PATH). */
export function executableSearchPath(): string {
  return process.env.PATH ?? '';
}

/** Where everything of one INFRA_HOME lives; the layout is documented in the README. */
export class InfraPaths {
  constructor(readonly home: string) {}

  get bin(): string {
    return join(this.home, 'bin');
  }
  /** Scratch modules for Go builds that cannot use `go install pkg@version`. */
  get build(): string {
    return join(this.home, 'build');
  }
  get kafka(): string {
    return join(this.home, 'kafka');
  }
  /** Temporal's Java test server for the workflow tests: pom, `lib/` jars, class-data archive. */
  get temporalTestServer(): string {
    return join(this.home, 'temporal-test-server');
  }
  get logs(): string {
    return join(this.home, 'logs');
  }
  get run(): string {
    return join(this.home, 'run');
  }
  /** Held by one `up` or `down` at a time (lib/lock.ts). */
  get lock(): string {
    return join(this.run, 'infra.lock');
  }
  data(service: string): string {
    return join(this.home, 'data', service);
  }
  log(name: string): string {
    return join(this.logs, `${name}.log`);
  }
  pid(service: string): string {
    return join(this.run, `${service}.pid`);
  }
  fingerprint(service: string): string {
    return join(this.run, `${service}.fingerprint`);
  }
}
