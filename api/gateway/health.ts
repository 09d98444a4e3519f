/**
 * `GET /health` of the gateway: the whole system as seen from its entry point, in the shared shape
 * (health/checks.ts).
 *
 * - `database`, `temporal`: the API nodes' own checks, from the load balancer's /health (which
 *   carries each node's last answer). The nodes in rotation decide; when none is, every node that
 *   answered does (so a database outage reads as `database`, not as both). Healthy only when all of
 *   them say so; no answer at all (load balancer or every node unreachable) is Unhealthy.
 * - `kafka`, `redis`, `mongo`: the read service's own view, over gRPC (health/read-side.ts);
 *   Unhealthy when the read service cannot be asked.
 *
 * Needed (503): `database` and `temporal` (no command can run without an API node, and a node
 * needs both) and `mongo` (every read-model GET is answered from its views).
 * Reported, not needed: `redis` (only a cache: queries fall through to MongoDB) and `kafka` (it
 * only carries events to the read model: purchases still commit with their events in the outbox,
 * and the views catch up once it is back).
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

import { HEALTH_CHECK_TIMEOUT_MS, type CheckName, type Probe } from '../../health/checks';
import { healthHandler } from '../../health/http';
import { readSideProbes, type ReadDependencyHealth } from '../../health/read-side';

export const GATEWAY_NEEDS: readonly CheckName[] = ['database', 'temporal', 'mongo'];

const checkStatus = z.enum(['Healthy', 'Unhealthy']);
/** api/lb/balancer.ts: node address -> in rotation, and node address -> its last /health body. */
const lbHealthSchema = z.object({
  checks: z.record(z.string(), checkStatus),
  nodes: z.record(z.string(), z.unknown()),
});
const nodeChecksSchema = z.object({ checks: z.object({ database: checkStatus, temporal: checkStatus }) });
type NodeChecks = z.infer<typeof nodeChecksSchema>['checks'];

export interface GatewayHealthDeps {
  readonly read: ReadDependencyHealth;
  readonly lbAddress: string;
  readonly logger: Logger;
}

export function gatewayHealth(deps: GatewayHealthDeps): RequestHandler {
  return healthHandler({
    needs: GATEWAY_NEEDS,
    logger: deps.logger,
    probes: () => {
      // One call to the load balancer per request, shared by both checks.
      const nodes = apiNodeChecks(deps.lbAddress);
      nodes.catch(() => undefined); // each probe below handles the rejection
      return {
        database: apiNodeProbe(nodes, 'database'),
        temporal: apiNodeProbe(nodes, 'temporal'),
        ...readSideProbes(deps.read),
      };
    },
  });
}

/** The checks of the nodes that decide (see the module comment), by node address. */
async function apiNodeChecks(lbAddress: string): Promise<Map<string, NodeChecks>> {
  let body: unknown;
  try {
    const res = await fetch(`http://${lbAddress}/health`, {
      signal: AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS),
    });
    body = await res.json();
  } catch (error) {
    throw new Error(`load balancer ${lbAddress} did not answer: ${describe(error)}`, { cause: error });
  }
  const lb = lbHealthSchema.safeParse(body);
  if (!lb.success) throw new Error(`load balancer ${lbAddress} answered an unexpected body`);
  const answered = new Map<string, NodeChecks>();
  for (const [address, nodeBody] of Object.entries(lb.data.nodes)) {
    const node = nodeChecksSchema.safeParse(nodeBody);
    if (node.success) answered.set(address, node.data.checks);
  }
  const inRotation = [...answered].filter(([address]) => lb.data.checks[address] === 'Healthy');
  return inRotation.length > 0 ? new Map(inRotation) : answered;
}

function apiNodeProbe(nodes: Promise<Map<string, NodeChecks>>, check: keyof NodeChecks): Probe {
  return async () => {
    const deciding = await nodes;
    if (deciding.size === 0) throw new Error('no API node answered its health check');
    const down = [...deciding].filter(([, checks]) => checks[check] !== 'Healthy').map(([a]) => a);
    if (down.length > 0) throw new Error(`API node(s) ${down.join(', ')} report ${check} Unhealthy`);
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
