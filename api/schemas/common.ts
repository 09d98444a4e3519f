/** Building blocks shared by the request schemas of every resource. */
import { z } from 'zod';
import { validateId } from '../../domain/shared/ids';
import { MAX_SEAT_COORDINATE, seatKey } from '../../domain/shared/seat';
import { DEFAULT_MAX_SEATS_PER_RESERVATION } from '../../domain/reservation/reservation';

/** An id as the domain accepts it (letters, digits, `._:-`, at most 100). */
export const idSchema = z
  .string({ error: 'expected a string id' })
  .refine((value) => validateId(value, 'id').ok, {
    message: "expected 1-100 characters of letters, digits, '.', '_', ':' or '-'",
  });

export const seatSchema = z.object({
  row: z.number().int().min(1).max(MAX_SEAT_COORDINATE),
  number: z.number().int().min(1).max(MAX_SEAT_COORDINATE),
});

/** 1-10 distinct seats, as the seed's `seats: [{ row, number }]`. */
export const seatsSchema = z
  .array(seatSchema)
  .min(1, 'choose at least one seat')
  .max(DEFAULT_MAX_SEATS_PER_RESERVATION, `at most ${DEFAULT_MAX_SEATS_PER_RESERVATION} seats`)
  .superRefine((seats, ctx) => {
    const seen = new Set<string>();
    seats.forEach((seat, index) => {
      const key = seatKey(seat);
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [index], message: 'this seat is listed twice' });
      }
      seen.add(key);
    });
  });

/** A free-text reason (refunds, cancels): trimmed, 1-500 characters. */
export const reasonSchema = z.string().trim().min(1, 'must not be empty').max(500);

/** Route parameters `:id`. */
export const idParamsSchema = z.object({ id: idSchema });
