/**
 * The kafka, redis and mongo checks of a process that does not use them itself: the read service's
 * own view of them, asked over gRPC (grpc.health.v1, `dependency.<name>`; see
 * read-service/dependency-monitor.ts). When the read service cannot be asked, nothing vouches for
 * them, so they are Unhealthy.
 */
import { READ_DEPENDENCIES, type ReadDependency } from './read-dependencies';
import { HEALTH_CHECK_TIMEOUT_MS, type Probe } from './checks';

/** What ReadClient offers for this (read-service/client.ts). */
export interface ReadDependencyHealth {
  dependency(name: ReadDependency, deadlineMs?: number): Promise<void>;
}

export function readSideProbes(
  read: ReadDependencyHealth | undefined,
  deadlineMs = HEALTH_CHECK_TIMEOUT_MS,
): Record<ReadDependency, Probe> {
  const probe =
    (name: ReadDependency): Probe =>
    () =>
      read === undefined
        ? Promise.reject(new Error('no read service configured for this process'))
        : read.dependency(name, deadlineMs);
  return Object.fromEntries(READ_DEPENDENCIES.map((name) => [name, probe(name)])) as Record<
    ReadDependency,
    Probe
  >;
}
