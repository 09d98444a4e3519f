/**
 * Express side of authentication, shared by the gateway and the API nodes:
 *
 * - `authenticate(verifier)` runs before every route: a request without `Authorization` goes on
 *   anonymous (public routes serve it; guarded ones answer 401); one with a token that does not
 *   verify is answered 401 right here, whatever the route. The identity lives in
 *   `res.locals.identity` and nowhere else: no header from an earlier hop is read.
 * - `requireRole(...roles)` guards a route: 401 without an identity, 403 for another role.
 * - `identityOf(res)` gives a guarded handler the caller.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../http/api-error';
import type { Identity, Role } from './identity';
import { KeysUnavailableError, type TokenVerifier } from './verifier';

const REALM = 'cinema-booking';

export class UnauthenticatedError extends ApiError {
  constructor(reason?: string) {
    super(401, 'Unauthenticated', reason ? `Invalid bearer token: ${reason}` : 'A bearer token is required');
    this.challenge =
      reason === undefined
        ? `Bearer realm="${REALM}"`
        : `Bearer realm="${REALM}", error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`;
  }
  /** The `WWW-Authenticate` header of the answer (RFC 6750). */
  readonly challenge: string;
}

export const forbidden = (roles: readonly Role[]): ApiError =>
  new ApiError(403, 'Forbidden', `This needs the role ${roles.join(' or ')}`);

/** Answers an auth refusal directly, with its challenge header, whatever error handler follows. */
export function sendAuthError(res: Response, error: ApiError): void {
  if (error instanceof UnauthenticatedError) res.setHeader('WWW-Authenticate', error.challenge);
  res.status(error.status).json(error.toBody());
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/i;

export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.identity = undefined;
    const header = req.get('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      sendAuthError(res, new UnauthenticatedError('expected "Authorization: Bearer <token>"'));
      return;
    }
    try {
      res.locals.identity = await verifier.verify(token);
    } catch (error) {
      if (error instanceof KeysUnavailableError) {
        req.log?.error({ err: error }, 'token keys unavailable');
        sendAuthError(res, new ApiError(503, 'ServiceUnavailable', 'Tokens cannot be verified right now'));
        return;
      }
      const reason = error instanceof Error ? error.message : 'the token is not valid';
      req.log?.info({ reason }, 'bearer token refused');
      sendAuthError(res, new UnauthenticatedError(reason));
      return;
    }
    next();
  };
}

/** The verified caller, if the request carried a valid token. */
export function optionalIdentityOf(res: Response): Identity | undefined {
  return res.locals.identity as Identity | undefined;
}

/** The verified caller of a guarded route; 401 if none (a route without a guard calling this). */
export function identityOf(res: Response): Identity {
  const identity = optionalIdentityOf(res);
  if (identity === undefined) throw new UnauthenticatedError();
  return identity;
}

/** Only these roles may call the route: 401 without a token, 403 for any other role. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const identity = optionalIdentityOf(res);
    if (identity === undefined) sendAuthError(res, new UnauthenticatedError());
    else if (!roles.includes(identity.role)) sendAuthError(res, forbidden(roles));
    else next();
  };
}
