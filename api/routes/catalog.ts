/**
 * Reference data and operator views the web app needs that the read model does not hold:
 *
 *   GET /api/auditoriums/:id           public   200 layout | 400 | 404   (rows, seat numbers, gaps)
 *   GET /api/showtimes/:id/purchases   admin    200 list | 400 | 401 | 403   (Temporal visibility)
 *
 * A layout is reference data that never goes through the event stream (events carry no layout),
 * so it is read from the write database; the gateway caches it. A showtime's purchases are listed
 * from Temporal's visibility store by the saga's search attributes, each with its Web UI page.
 */
import { Router } from 'express';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/api-error';
import type { AuditoriumLayoutBody, ShowtimePurchasesBody } from '../openapi/bodies/web';
import { parseInput } from '../http/validate';
import { idParamsSchema } from '../schemas/common';
import {
  CurrentStep,
  CustomerId,
  SagaStatus,
  TicketNumberAttribute,
} from '../../workflows/search-attributes';

/** A showtime's purchases listed at most: an admin page, not an export. */
const MAX_PURCHASES = 200;

export function catalogRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/auditoriums/:id', async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    const auditorium = await deps.repos.showtimes.getAuditorium(id);
    if (!auditorium) throw notFound('AuditoriumNotFound', `No auditorium ${id}`);
    const rows = auditorium.layout.rows;
    // Every row is drawn on the same grid (1..widest number): a missing number is an aisle or gap.
    const width = Math.max(...rows.map((r) => r.seats[r.seats.length - 1] ?? 0));
    res.json({
      id: auditorium.id,
      name: auditorium.name,
      capacity: auditorium.capacity,
      seatsPerRowMax: width,
      rows: rows.map((r) => {
        const present = new Set(r.seats);
        const gaps = Array.from({ length: width }, (_, i) => i + 1).filter((n) => !present.has(n));
        return { row: r.row, seats: [...r.seats], gaps };
      }),
    } satisfies AuditoriumLayoutBody);
  });

  router.get('/api/showtimes/:id/purchases', requireRole('admin'), async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    // The task queue keeps apart stacks that share one Temporal namespace (seeded ids repeat).
    const query =
      `WorkflowType = "ticketPurchase" AND ShowtimeId = "${id}" ` +
      `AND TaskQueue = "${deps.config.SAGA_TASK_QUEUE}"`;
    const found: WorkflowExecutionInfo[] = [];
    for await (const wf of deps.temporal.workflow.list({ query })) {
      found.push(wf);
      if (found.length >= MAX_PURCHASES) break;
    }
    const ui = deps.config.TEMPORAL_UI_URL.replace(/\/+$/, '');
    const ns = encodeURIComponent(deps.config.TEMPORAL_NAMESPACE);
    res.json(
      found.map((wf) => ({
        sagaId: wf.workflowId,
        runId: wf.runId,
        executionStatus: wf.status.name,
        sagaStatus: wf.typedSearchAttributes.get(SagaStatus) ?? null,
        currentStep: wf.typedSearchAttributes.get(CurrentStep) ?? null,
        customerId: wf.typedSearchAttributes.get(CustomerId) ?? null,
        ticketNumber: wf.typedSearchAttributes.get(TicketNumberAttribute) ?? null,
        startedAt: wf.startTime.toISOString(),
        webUiUrl: `${ui}/namespaces/${ns}/workflows/${encodeURIComponent(wf.workflowId)}/${wf.runId}/history`,
      })) satisfies ShowtimePurchasesBody,
    );
  });

  return router;
}
