/** Request schema of `POST /api/showtimes`. */
import { z } from 'zod';
import { toInstant } from '../../domain/shared/time';
import { idSchema, safeText } from './common';

export const createShowtimeBodySchema = z.strictObject({
  movieId: idSchema,
  auditoriumId: idSchema,
  /** ISO-8601 with an explicit offset, e.g. "2025-12-12T20:00:00Z". */
  startsAt: safeText(64, 'an ISO-8601 instant').transform((value, ctx) => {
    const instant = toInstant(value, 'startsAt');
    if (instant.ok) return instant.value;
    ctx.addIssue({ code: 'custom', message: instant.error.message });
    return z.NEVER;
  }),
  /** Price per seat as the public JSON writes money: a decimal number (12.50) or string ("12.50"). */
  price: z.union([z.number(), safeText(32)], { error: 'expected a decimal amount such as 12.50' }),
  currency: safeText(8)
    .regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO 4217 code')
    .default('USD'),
});

export type CreateShowtimeRequest = z.output<typeof createShowtimeBodySchema>;
