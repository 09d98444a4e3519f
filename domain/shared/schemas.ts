/**
 * The pieces event payload schemas are built from: each states a rule the domain already enforces
 * where the value is made (ids.ts, seat.ts, money.ts, time.ts), so a payload that breaks one is a bug
 * caught at the outbox, not a poison event downstream. zod is the domain's one outside import: the
 * schema is the contract, and the TypeScript types are inferred from it.
 */
import { z } from 'zod';

import { ID_PATTERN } from './ids';
import { MAX_SEAT_COORDINATE } from './seat';

export const idSchema = z.string().regex(ID_PATTERN, 'malformed id');

const coordinate = z.number().int().min(1).max(MAX_SEAT_COORDINATE);
export const seatSchema = z.object({ row: coordinate, number: coordinate }).readonly();
/** At least one seat: every event that carries seats is about some. */
export const seatsSchema = z.array(seatSchema).min(1).readonly();

/** Money normalises the code to upper case. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code');
export const amountMinorSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const countSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An ISO-8601 instant with its offset (the domain writes `toISOString()`). */
export const instantSchema = z.iso.datetime({ offset: true });

/** A reason, message, title or other text a reader shows; never empty. */
export const textSchema = z.string().min(1);
