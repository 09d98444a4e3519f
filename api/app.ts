/**
 * The HTTP app of an API node, built from injected dependencies (server.ts wires the real ones;
 * tests wire their own database and task queue). Order matters: request id first so every log
 * line and every error carries it, then logging, the public routes, authentication, body parsing,
 * the guarded routes, and the JSON 404 and error handlers last.
 *
 * A node answers commands, a purchase's status (from Temporal) and what the gateway itself needs
 * (catalog.ts); the public GETs of resources are the gateway's, from the read model
 * (api/gateway/read-routes.ts), so a node has no second read path from the write database.
 */
import express, { type Express } from 'express';
import { authenticate, createVerifier } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { httpLogger } from './http/http-logger';
import { requestIdMiddleware } from './http/request-id';
import { docsRoutes } from './openapi/docs-routes';
import { catalogRoutes } from './routes/catalog';
import { healthRoutes } from './routes/health';
import { paymentRoutes } from './routes/payments';
import { purchaseRoutes } from './routes/purchases';
import { reservationRoutes } from './routes/reservations';
import { showtimeRoutes } from './routes/showtimes';
import { ticketRoutes } from './routes/tickets';

/** Purchase bodies are a few hundred bytes; anything near this is not a real client. */
const JSON_BODY_LIMIT = '16kb';

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // answers describe live state; no conditional GETs
  // req.ip is the client behind the gateway and load balancer (per-address rate limits).
  app.set('trust proxy', deps.config.TRUST_PROXY ?? 'loopback');

  app.use(requestIdMiddleware);
  app.use(httpLogger(deps.logger));

  // Public, and never refused for a stale token.
  app.use(docsRoutes('api-node')); // GET /openapi.json, Swagger UI at /swagger
  app.use(healthRoutes(deps));

  // This node verifies every token itself (the gateway's check is not trusted), before any body
  // is parsed; each route then says who may call it (requireRole, ownership checks).
  app.use(authenticate(createVerifier(deps.config)));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(purchaseRoutes(deps));
  app.use(paymentRoutes(deps));
  app.use(ticketRoutes(deps));
  app.use(showtimeRoutes(deps));
  app.use(reservationRoutes(deps));
  app.use(catalogRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
