/**
 * `GET /health`: the seed's shape, with the dependencies an API node has (the write database and
 * Temporal; Kafka and Redis belong to other processes). 503 when one is down, so a load balancer
 * takes the node out of rotation.
 */
import { Router } from 'express';
import { sql } from '../../db/sql';
import type { ApiDeps } from '../deps';

type Check = 'Healthy' | 'Unhealthy';

/** A check that takes longer than this counts as down: a load balancer can't wait for it. */
const CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/health', async (req, res) => {
    const [database, temporal] = await Promise.all([
      check(() => deps.db.query(sql`SELECT 1 AS ok`)),
      check(() =>
        deps.temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
          deps.temporal.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    const healthy = database === 'Healthy' && temporal === 'Healthy';
    if (!healthy) req.log.warn({ database, temporal }, 'health check failed');
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'Healthy' : 'Unhealthy',
      checks: { database, temporal },
    });
  });

  return router;
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('health check timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'Healthy';
  } catch {
    return 'Unhealthy';
  } finally {
    clearTimeout(timer);
  }
}
