/**
 * The claims contract every token must meet, and the identity a verified token becomes.
 *
 * - `sub`: the customer id (for a customer, it owns purchases, tickets, payments and reservations)
 *   or the staff member's / administrator's id; an id as the domain accepts it.
 * - `role`: `customer`, `staff` or `admin`.
 * - `iss` and `aud`: AUTH_ISSUER and AUTH_AUDIENCE; `exp` is required.
 */
export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Who is calling, as a verified token says. Only the verifier makes one. */
export interface Identity {
  readonly subject: string;
  readonly role: Role;
}

/**
 * May this caller see (or act on) a resource that belongs to `ownerCustomerId`? An administrator
 * may see anything; a customer only what is theirs; staff nothing of a customer's. The routes
 * answer a refusal with 404, exactly as for a resource that does not exist.
 */
export function mayAccessCustomerData(identity: Identity, ownerCustomerId: string): boolean {
  if (identity.role === 'admin') return true;
  return identity.role === 'customer' && identity.subject === ownerCustomerId;
}
