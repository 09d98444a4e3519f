/** Health and this document itself. */
import { z } from 'zod';
import { signInBodySchema } from '../../gateway/dev-sign-in';
import { healthBody } from '../bodies/system';
import { failure, json, operation, SURFACES } from '../operation';

const tags = ['System'];

export const systemOperations = [
  operation('get', '/health', SURFACES, {
    roles: 'public',
    tags,
    operationId: 'health',
    summary: 'Health of this process: every dependency, Healthy or Unhealthy',
    description:
      'All five dependencies are reported; only those this process needs make it Unhealthy (503): ' +
      'an API node needs database and temporal, the gateway database, temporal and mongo. The ' +
      'load balancer probes the API nodes with it (503 takes a node out of rotation).',
    responses: {
      200: json('Every needed dependency is Healthy', healthBody),
      503: json('A needed dependency is Unhealthy', healthBody),
    },
  }),
  operation('get', '/openapi.json', SURFACES, {
    roles: 'public',
    tags,
    operationId: 'openApiDocument',
    summary: 'This OpenAPI document (Swagger UI at /swagger)',
    responses: {
      200: json(
        'The OpenAPI 3.1 document of the routes this server answers',
        z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      ),
    },
  }),
  operation('post', '/api/dev/sign-in', ['gateway'], {
    roles: 'public',
    tags,
    operationId: 'devSignIn',
    summary: 'Development sign-in: a token for any subject and role (development key only)',
    description:
      'Served only while the gateway verifies tokens with the committed development key (no ' +
      'AUTH_JWKS_URL or AUTH_PUBLIC_KEY): with a real identity provider this route does not exist (404). ' +
      'It asks for no password; the development key lets anyone mint any role anyway.',
    requestBody: {
      content: {
        'application/json': {
          schema: signInBodySchema.meta({
            example: { sub: 'customer-123', role: 'customer' },
          }),
        },
      },
    },
    responses: {
      200: json('A bearer token (12 hours)', z.strictObject({ token: z.string() })),
      400: failure('ValidationFailed: a subject that is not an id, or an unknown role'),
    },
  }),
];
