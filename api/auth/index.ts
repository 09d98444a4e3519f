/** Authentication and authorization shared by the gateway and the API nodes. */
export { ROLES, isRole, mayAccessCustomerData, type Identity, type Role } from './identity';
export {
  authenticate,
  forbidden,
  identityOf,
  optionalIdentityOf,
  requireRole,
  sendAuthError,
  UnauthenticatedError,
} from './middleware';
export { signToken, devSigningKey, parseTtl, type TokenOptions } from './signer';
export {
  createVerifier,
  InvalidTokenError,
  KeysUnavailableError,
  keySourceOf,
  parsePublicKey,
  type AuthConfig,
  type KeySource,
  type TokenVerifier,
} from './verifier';
export { actingCustomer, ownedOrNotFound } from './ownership';
