/**
 * `GET /health` of an API node, in the shared shape (health/checks.ts).
 *
 * Needed (503 when down, so the load balancer takes the node out of rotation): `database` (the
 * write database every command and GET of a node uses) and `temporal` (purchases, refunds and
 * status queries are workflows).
 *
 * Reported, not needed (never a 503): `kafka`, `redis`, `mongo`. A node uses none of them: its
 * events leave through the outbox in the write database, and the read model is the read
 * service's. They are the read service's own view, asked over gRPC, so the node shows the state
 * of the whole system; Unhealthy when the read service cannot be asked.
 *
 * A node shutting down answers 503 with `draining: true` while it still serves (api/server.ts).
 */
import { Router } from 'express';

import { sql } from '../../db/sql';
import { HEALTH_CHECK_TIMEOUT_MS, type CheckName } from '../../health/checks';
import { healthHandler } from '../../health/http';
import { readSideProbes } from '../../health/read-side';
import type { ApiDeps } from '../deps';

export const API_NODE_NEEDS: readonly CheckName[] = ['database', 'temporal'];

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get(
    '/health',
    healthHandler({
      needs: API_NODE_NEEDS,
      logger: deps.logger,
      draining: () => deps.shutdown?.aborted === true,
      probes: () => ({
        database: () => deps.db.query(sql`SELECT 1 AS ok`),
        temporal: () =>
          deps.temporal.withDeadline(Date.now() + HEALTH_CHECK_TIMEOUT_MS, () =>
            deps.temporal.workflowService.getSystemInfo({}),
          ),
        ...readSideProbes(deps.readService),
      }),
    }),
  );
  return router;
}
