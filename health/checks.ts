/**
 * The health answer, shared by the API nodes, the gateway and the read service:
 * `{ status, checks: { database, kafka, redis, mongo, temporal } }`, each "Healthy" or
 * "Unhealthy". Every process reports all five; each says which of them it NEEDS, and only a
 * needed check that fails makes the answer Unhealthy (HTTP 503). A probe is bounded by a timeout,
 * all run in parallel, and nothing here throws: a probe that fails, hangs or throws is Unhealthy.
 */
import type { Logger } from 'pino';
import { withDeadline } from '../lib/deadline';

export const CHECK_NAMES = ['database', 'kafka', 'redis', 'mongo', 'temporal'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export type CheckStatus = 'Healthy' | 'Unhealthy';
export type Checks = Record<CheckName, CheckStatus>;

export interface HealthReport {
  readonly status: CheckStatus;
  readonly checks: Checks;
}

/**
 * Below the load balancer's own 2 s probe timeout (api/lb/pool.ts), so a node with a hanging
 * dependency still answers 503 in time instead of looking dead.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;

/** Resolves when the dependency answers; rejects (with why) when it does not. */
export type Probe = () => Promise<unknown>;

export interface ProbeOutcome {
  readonly status: CheckStatus;
  /** Why it is Unhealthy: the error message, or the timeout. */
  readonly reason?: string;
}

/** Runs one probe, giving up after timeoutMs. Never rejects. */
export async function runProbe(probe: Probe, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<ProbeOutcome> {
  try {
    // Passed as a function, so a probe that throws synchronously is a failure like any other.
    await withDeadline(probe, timeoutMs);
    return { status: 'Healthy' };
  } catch (error) {
    return { status: 'Unhealthy', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Logs what changes, not every answer: warn when a check fails (with the dependency and why),
 * info when it passes again. Health is polled (the load balancer asks every node once a second),
 * so logging every failing answer would repeat the same warning for as long as an outage lasts.
 * One per process and handler: it remembers what it already said.
 */
export class CheckLog {
  private readonly failing = new Set<string>();

  constructor(private readonly logger: Logger) {}

  record(
    dependency: string,
    outcome: ProbeOutcome,
    fields: Record<string, unknown> = {},
    logger: Logger = this.logger,
  ): void {
    if (outcome.status === 'Unhealthy') {
      if (this.failing.has(dependency)) return;
      this.failing.add(dependency);
      logger.warn({ dependency, ...fields, reason: outcome.reason }, 'health check failed');
    } else if (this.failing.delete(dependency)) {
      logger.info({ dependency, ...fields }, 'health check passes again');
    }
  }
}

export interface HealthCheckOptions {
  readonly probes: Record<CheckName, Probe>;
  /** The dependencies this process cannot serve without; the others are reported only. */
  readonly needs: readonly CheckName[];
  readonly log: CheckLog;
  /** This request's logger (its lines carry the request id); the CheckLog's own otherwise. */
  readonly logger?: Logger;
  readonly timeoutMs?: number;
}

/**
 * Runs the five probes in parallel and builds the answer; a check that starts failing is logged at
 * warn with the dependency, whether this process needs it, and why (CheckLog).
 */
export async function checkHealth(options: HealthCheckOptions): Promise<HealthReport> {
  const outcomes = await Promise.all(
    CHECK_NAMES.map(async (name) => [name, await runProbe(options.probes[name], options.timeoutMs)] as const),
  );
  const checks = {} as Record<CheckName, CheckStatus>;
  for (const [name, outcome] of outcomes) {
    checks[name] = outcome.status;
    options.log.record(name, outcome, { needed: options.needs.includes(name) }, options.logger);
  }
  const healthy = options.needs.every((name) => checks[name] === 'Healthy');
  return { status: healthy ? 'Healthy' : 'Unhealthy', checks };
}

/** HTTP status of a report: 503 tells a load balancer or orchestrator to stop sending traffic. */
export const httpStatusOf = (report: HealthReport): 200 | 503 => (report.status === 'Healthy' ? 200 : 503);
