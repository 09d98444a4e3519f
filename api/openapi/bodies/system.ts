/** `GET /health` of the gateway and of every API node (health/checks.ts: one entry per dependency). */
import { z } from 'zod';
import { CHECK_NAMES, type CheckName } from '../../../health/checks';

const check = z.enum(['Healthy', 'Unhealthy']);

export const healthBody = z
  .strictObject({
    status: check,
    checks: z.strictObject(
      Object.fromEntries(CHECK_NAMES.map((name) => [name, check])) as Record<CheckName, typeof check>,
    ),
    draining: z
      .literal(true)
      .optional()
      .describe('Present on an API node that is shutting down: Unhealthy whatever its checks say'),
  })
  .meta({
    id: 'Health',
    example: {
      status: 'Healthy',
      checks: Object.fromEntries(CHECK_NAMES.map((name) => [name, 'Healthy'])),
    },
  });
