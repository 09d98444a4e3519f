/**
 * The express handler of GET /health, shared by the API nodes and the gateway: probes are built
 * per request (so a probe can share one upstream call with another), run by checkHealth, and
 * answered 200 or 503 with checkHealth's body. Never cached: it describes this instant.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

import { checkHealth, CheckLog, httpStatusOf, type CheckName, type Probe } from './checks';

export interface HealthHandlerOptions {
  readonly probes: () => Record<CheckName, Probe>;
  readonly needs: readonly CheckName[];
  readonly logger: Logger;
  readonly timeoutMs?: number;
  /**
   * True once the process is shutting down: it still serves what reaches it, but answers 503 with
   * `draining: true` so the load balancer takes it out of rotation before it stops listening.
   */
  readonly draining?: () => boolean;
}

export function healthHandler(options: HealthHandlerOptions): RequestHandler {
  const log = new CheckLog(options.logger);
  return async (_req, res) => {
    const report = await checkHealth({
      probes: options.probes(),
      needs: options.needs,
      log,
      logger: options.logger.child({ requestId: res.locals.requestId as unknown }),
      timeoutMs: options.timeoutMs,
    });
    res.setHeader('Cache-Control', 'no-store');
    if (options.draining?.()) res.status(503).json({ ...report, status: 'Unhealthy', draining: true });
    else res.status(httpStatusOf(report)).json(report);
  };
}
