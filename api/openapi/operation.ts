/**
 * One documented route and the servers that answer it. The gateway answers every route (its own
 * read routes over gRPC, the rest through the load balancer); an API node answers its own.
 */
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from 'zod-openapi';
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
};

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
  const { headerParams, ...rest } = spec;
  return {
    method,
    path,
    servedBy,
    spec: {
      ...rest,
      requestParams: {
        ...rest.requestParams,
        header: z.object({ ...headerParams, 'X-Request-Id': requestIdParam }),
      },
      responses: { ...rest.responses, default: unexpectedError },
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
