/** Building blocks shared by the request schemas of every resource. */
import { z } from 'zod';
import { validateId } from '../../domain/shared/ids';
import { MAX_SEAT_COORDINATE, seatKey } from '../../domain/shared/seat';
import { DEFAULT_MAX_SEATS_PER_RESERVATION } from '../../domain/reservation/reservation';

/**
 * Control characters (C0, DEL, C1) and unpaired UTF-16 surrogates: PostgreSQL stores neither (a
 * NUL fails every text write, a lone surrogate every jsonb write), so a value holding one would be
 * accepted here and then fail deep inside a saga, after money or seats have moved.
 */
const CONTROL_CHARACTER = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `text` can't be stored or logged as it is, or null when it can. */
export function unsafeTextProblem(text: string): string | null {
  if (CONTROL_CHARACTER.test(text)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired surrogates';
  return null;
}

/**
 * Every string a client sends goes through this first: at most `max` characters, no control
 * characters, no unpaired surrogates. The length is checked first, so a 10 kB string is refused
 * before anything scans it; messages never quote the value.
 */
export const safeText = (max: number, what = 'a string') =>
  z
    .string({ error: `expected ${what}` })
    .max(max, `at most ${max} characters`)
    .superRefine((text, ctx) => {
      const problem = unsafeTextProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
    });

/** An id as the domain accepts it (letters, digits, `._:-`, at most 100). */
export const idSchema = safeText(100, 'a string id').refine((value) => validateId(value, 'id').ok, {
  message: "expected 1-100 characters of letters, digits, '.', '_', ':' or '-'",
});

export const seatSchema = z.strictObject({
  row: z.number().int().min(1).max(MAX_SEAT_COORDINATE),
  number: z.number().int().min(1).max(MAX_SEAT_COORDINATE),
});

/** 1-10 distinct seats, as the public JSON's `seats: [{ row, number }]`. */
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
export const reasonSchema = safeText(500).trim().min(1, 'must not be empty');

/** Route parameters `:id`. */
export const idParamsSchema = z.object({ id: idSchema });
