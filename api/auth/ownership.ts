/**
 * Ownership rules of the routes, in one place:
 *
 * - a customer acts for themselves only: a body `customerId` that names someone else is 403, and
 *   one that is absent is the token's subject;
 * - a resource of another customer is answered exactly like one that does not exist (404), so its
 *   existence is not confirmed and none of its data is shown.
 */
import type { Response } from 'express';
import { ApiError } from '../http/api-error';
import { mayAccessCustomerData, type Identity } from './identity';
import { identityOf } from './middleware';

/** The customer a customer's command is for: the token's subject, which a body may only repeat. */
export function actingCustomer(identity: Identity, bodyCustomerId: string | undefined): string {
  if (bodyCustomerId !== undefined && bodyCustomerId !== identity.subject) {
    throw new ApiError(403, 'CustomerMismatch', 'customerId must be your own (or be left out)');
  }
  return identity.subject;
}

/**
 * Hands the resource back when the caller may see it; otherwise throws `notFound` (the same error
 * the route gives for a resource that does not exist).
 */
export function ownedOrNotFound<T extends { readonly customerId: string }>(
  res: Response,
  resource: T | null | undefined,
  notFound: () => ApiError,
): T {
  if (resource === null || resource === undefined) throw notFound();
  if (!mayAccessCustomerData(identityOf(res), resource.customerId)) throw notFound();
  return resource;
}
