/**
 * grpc.health.v1.Health (the standard protocol load balancers and grpc_health_probe speak),
 * generated from proto/grpc/health/v1/health.proto. "" is the whole server; `dependency.kafka`,
 * `dependency.redis` and `dependency.mongo` are the read service's own view of what it depends on
 * (dependency-monitor.ts), which the gateway and the API nodes report in their GET /health.
 */
import { status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';

import {
  HealthCheckResponse_ServingStatus as Serving,
  type HealthCheckRequest,
  type HealthCheckResponse,
  type HealthServer,
} from '../proto/gen/grpc/health/v1/health';

export const READ_SERVICE_NAME = 'cinema.read.v1.ReadService';

export { READ_DEPENDENCIES, dependencyServiceName, type ReadDependency } from '../health/read-dependencies';

export class HealthState {
  private readonly statuses = new Map<string, Serving>();
  private readonly watchers = new Set<{
    service: string;
    call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>;
  }>();

  /** Watchers hear a change only, as the protocol says (the dependency monitor re-sets every round). */
  set(service: string, status: Serving): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    for (const w of this.watchers) if (w.service === service) w.call.write({ status });
  }

  /** Marks every service NOT_SERVING and ends the watches (graceful shutdown). */
  shutdown(): void {
    for (const service of this.statuses.keys()) this.set(service, Serving.NOT_SERVING);
    for (const w of this.watchers) w.call.end();
    this.watchers.clear();
  }

  implementation(): HealthServer {
    return {
      check: (call, callback) => {
        const status = this.statuses.get(call.request.service);
        if (status === undefined) callback({ code: GrpcStatus.NOT_FOUND, details: 'unknown service' });
        else callback(null, { status });
      },
      watch: (call) => {
        const service = call.request.service;
        call.write({ status: this.statuses.get(service) ?? Serving.SERVICE_UNKNOWN });
        const watcher = { service, call };
        this.watchers.add(watcher);
        call.on('cancelled', () => this.watchers.delete(watcher));
      },
    };
  }
}

export { Serving };
