/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate requests
 * with (api/schemas) plus the response schemas in bodies/. Each server publishes the operations
 * it answers: the gateway all of them, an API node its own (no resource GETs: those are the
 * gateway's, from the read model).
 */
import { createDocument } from 'zod-openapi';
import { BEARER_SCHEME, type ApiOperation, type Surface } from './operation';
import { paymentOperations } from './paths/payments';
import { purchaseOperations } from './paths/purchases';
import { reservationOperations } from './paths/reservations';
import { showtimeOperations } from './paths/showtimes';
import { systemOperations } from './paths/system';
import { ticketOperations } from './paths/tickets';
import { webOperations } from './paths/web';

export type { Surface } from './operation';
export type OpenApiDocument = ReturnType<typeof createDocument>;

export const API_OPERATIONS: readonly ApiOperation[] = [
  ...purchaseOperations,
  ...paymentOperations,
  ...ticketOperations,
  ...showtimeOperations,
  ...reservationOperations,
  ...systemOperations,
  ...webOperations,
];

const DESCRIPTIONS: Readonly<Record<Surface, string>> = {
  gateway:
    'The entry point of the cinema booking service. Commands go through the load balancer to an ' +
    'API node (the purchase is a Temporal saga); resource GETs are answered by the read service ' +
    'over gRPC. Every answer carries `X-Request-Id`; every failure is `{ success: false, error, ' +
    'message }`.',
  'api-node':
    'One API node behind the load balancer (clients normally use the gateway on port 5005): ' +
    "commands, a purchase's status and the catalog; GETs of tickets, payments, reservations and " +
    'showtimes are the gateway\'s (read model). Every answer carries `X-Request-Id`; every failure is `{ success: false, error, message }`.',
};

const cache = new Map<Surface, OpenApiDocument>();

export function openApiDocument(surface: Surface): OpenApiDocument {
  const cached = cache.get(surface);
  if (cached) return cached;
  const paths: Record<string, Record<string, ApiOperation['spec']>> = {};
  for (const op of API_OPERATIONS) {
    if (!op.servedBy.includes(surface)) continue;
    (paths[op.path] ??= {})[op.method] = op.spec;
  }
  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: surface === 'gateway' ? 'Cinema booking API' : 'Cinema booking API (API node)',
      version: '1.0.0',
      description: DESCRIPTIONS[surface],
    },
    tags: [
      { name: 'Purchases', description: 'The ticket purchase saga' },
      { name: 'Payments' },
      { name: 'Tickets' },
      { name: 'Showtimes' },
      { name: 'Reservations', description: 'Seats held without buying' },
      { name: 'System' },
    ],
    paths,
    components: {
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT with `sub` (the customer, staff or admin id) and `role` (customer, staff or admin), ' +
            "for this API's issuer and audience. Locally: `npm run token -- --sub customer-123 --role " +
            'customer`, then Authorize and paste it.',
        },
      },
    },
  });
  cache.set(surface, document);
  return document;
}
