/**
 * One documented route and the servers that answer it. The gateway answers every route (its own
 * read routes over gRPC, the rest through the load balancer); an API node answers its own.
 */
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from 'zod-openapi';
import type { Role } from '../auth/identity';
import { errorBody, headers, requestIdParam } from './bodies/common';

export type Surface = 'gateway' | 'api-node';
export const SURFACES: readonly Surface[] = ['gateway', 'api-node'];

export interface ApiOperation {
  readonly method: 'get' | 'post';
  /** OpenAPI path template, e.g. `/api/tickets/{id}`. */
  readonly path: string;
  readonly servedBy: readonly Surface[];
  readonly spec: ZodOpenApiOperationObject;
}

type Spec = Omit<ZodOpenApiOperationObject, 'responses'> & {
  responses: Record<string, ZodOpenApiResponseObject>;
  /** Request headers of this route besides `X-Request-Id`. */
  headerParams?: z.ZodRawShape;
  /**
   * Who may call it: `public`, or the roles a bearer token must carry (the route's requireRole).
   * A customer's data is further limited to its owner (`ownData`).
   */
  roles: 'public' | readonly Role[];
  /** A customer sees or acts on only their own resource here; anyone else's is 404. */
  ownData?: boolean;
};

/** The security scheme every guarded operation names (document.ts registers it). */
export const BEARER_SCHEME = 'bearerAuth';

function rolesNote(roles: readonly Role[], ownData: boolean): string {
  const who = roles.map((r) => (r === 'customer' && ownData ? 'customer (own data only)' : r)).join(', ');
  return `**Roles:** ${who}.`;
}

/**
 * Adds what every route has: the optional `X-Request-Id` request header and a `default` answer
 * for the failures any route can give (body too large, unexpected error, dependency down).
 */
export function operation(
  method: ApiOperation['method'],
  path: string,
  servedBy: readonly Surface[],
  spec: Spec,
): ApiOperation {
  const { headerParams, roles, ownData = false, ...rest } = spec;
  const guarded = roles !== 'public';
  return {
    method,
    path,
    servedBy,
    spec: {
      ...rest,
      description: guarded
        ? [rolesNote(roles, ownData), rest.description].filter(Boolean).join(' ')
        : [rest.description, '**Public:** no token needed.'].filter(Boolean).join(' '),
      security: guarded ? [{ [BEARER_SCHEME]: [] }] : [],
      'x-roles': guarded ? [...roles] : [],
      requestParams: {
        ...rest.requestParams,
        header: z.object({ ...headerParams, 'X-Request-Id': requestIdParam }),
      },
      responses: {
        ...rest.responses,
        ...(guarded ? { 401: unauthenticated, 403: forbiddenRole } : {}),
        default: unexpectedError,
      },
    },
  };
}

/** A JSON answer with its headers (`X-Request-Id` always, `Location` when the route sets one). */
export const json = (
  description: string,
  schema: z.ZodType,
  options: { location?: boolean } = {},
): ZodOpenApiResponseObject => ({
  description,
  headers: headers(options),
  content: { 'application/json': { schema } },
});

/** An error answer: the common error body, described by the codes this route gives. */
export const failure = (description: string): ZodOpenApiResponseObject => json(description, errorBody);

/** Registered once as `#/components/responses/UnexpectedError`. */
const unexpectedError: ZodOpenApiResponseObject = {
  ...failure(
    'Any other failure, as the common error body: 413 PayloadTooLarge, 415 UnsupportedCharset, ' +
      '500 InternalError (no detail), 502 BadGateway (gateway: no API node reachable), ' +
      '503 ServiceUnavailable (Temporal or the read service unreachable).',
  ),
  id: 'UnexpectedError',
};

/** Every guarded operation answers these. */
const unauthenticated: ZodOpenApiResponseObject = failure(
  'Unauthenticated: no bearer token, or one that is expired, for another audience or issuer, ' +
    'signed by an unknown key, or tampered with (`WWW-Authenticate: Bearer ...` says which).',
);
const forbiddenRole: ZodOpenApiResponseObject = failure(
  'Forbidden (a role that may not do this) or CustomerMismatch (a customerId other than your own).',
);
