/** Request schemas of the plain reservation routes (hold seats without buying). */
import { z } from 'zod';
import { idSchema, reasonSchema, seatsSchema } from './common';

export const createReservationBodySchema = z.strictObject({
  showtimeId: idSchema,
  /** Optional: the caller's token says whose hold it is; a body may only repeat it. */
  customerId: idSchema.optional(),
  seats: seatsSchema,
});

export type CreateReservationRequest = z.output<typeof createReservationBodySchema>;

export const cancelReservationBodySchema = z
  .strictObject({ reason: reasonSchema.optional() })
  .optional()
  .transform((body) => ({ reason: body?.reason ?? 'Cancelled by the customer' }));
