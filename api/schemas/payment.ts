/** Request schema of `POST /api/payments/{id}/refund`: `{ "reason": "Customer request" }`. */
import { z } from 'zod';
import { reasonSchema } from './common';

export const refundBodySchema = z.strictObject({ reason: reasonSchema });
