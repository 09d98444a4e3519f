/**
 * The one error type route handlers throw. The error middleware turns it into the JSON every
 * failure of this API has: `{ success: false, error: <Code>, message, ...details }`.
 */
import type { DomainError } from '../../domain/shared/result';
import { errorCategory, type DomainErrorCategory } from '../../domain/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level fields of the body (e.g. `fields` of a validation failure, `sagaId`). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): Record<string, unknown> {
    return { success: false, error: this.code, message: this.message, ...this.details };
  }
}

/** Field path (`seats.1.row`, `Idempotency-Key`) -> what is wrong with it. */
export type FieldErrors = Readonly<Record<string, string>>;

export const validationFailed = (fields: FieldErrors, message = 'The request is invalid'): ApiError =>
  new ApiError(400, 'ValidationFailed', message, { fields });

export const notFound = (code: string, message: string): ApiError => new ApiError(404, code, message);

/** A resource that does not exist, or that the caller may not see: one code and message per kind. */
export const resourceNotFound = (
  what: 'Ticket' | 'Payment' | 'Reservation' | 'Showtime' | 'Customer',
  id: string,
): ApiError => notFound(`${what}NotFound`, `No ${what.toLowerCase()} ${id}`);

export const conflict = (code: string, message: string, details?: Record<string, unknown>): ApiError =>
  new ApiError(409, code, message, details);

const STATUS_OF_CATEGORY: Readonly<Record<DomainErrorCategory, number>> = {
  validation: 400,
  'not-found': 404,
  conflict: 409,
  rule: 422,
};

/**
 * A domain refusal as an HTTP error, by the category the domain gives its code. `rule` violations
 * are 422 by default; the purchase routes pass 400 because the public API answers business
 * failures of a purchase with a plain 400 (`Compensated: <reason>`).
 */
export function fromDomainError(error: DomainError, options: { ruleStatus?: 400 | 422 } = {}): ApiError {
  const category = errorCategory(error.code);
  const status = category === 'rule' ? (options.ruleStatus ?? 422) : STATUS_OF_CATEGORY[category];
  return new ApiError(status, error.code, error.message);
}
