/**
 * The gateway, the one entry point: every request gets an X-Request-Id (kept when the caller sent
 * a sane one) that follows it to the API node and into the saga; GETs of the read model go to the
 * read service over gRPC; everything else (commands, and a purchase's status, which comes from
 * Temporal through an API node) goes to the load balancer.
 */
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createProxyServer } from 'http-proxy-3';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Queryable } from '../../db/database';
import type { ReadClient } from '../../read-service/client';
import { authenticate, createVerifier, type AuthConfig } from '../auth';
import { ApiError } from '../http/api-error';
import { malformedUrlError } from '../http/error-handler';
import { admitDeclaredBody, inFlightLimit } from '../http/edge-limits';
import { httpLogger } from '../http/http-logger';
import { requestIdMiddleware, REQUEST_ID_HEADER } from '../http/request-id';
import { docsRoutes } from '../openapi/docs-routes';
import { devSignInRoutes } from './dev-sign-in';
import { gatewayHealth } from './health';
import { readRoutes } from './read-routes';
import { salesRoutes } from './sales-routes';
import { SeatLayouts, seatLayoutRoutes } from './seat-layout';
import { isSeatStream, SeatStreams } from './seat-stream';
import { webAppRoutes } from './web-app';

export interface GatewayDeps {
  readonly read: ReadClient;
  /** host:port of the load balancer in front of the API nodes. */
  readonly lbAddress: string;
  readonly logger: Logger;
  /** Redis pub/sub of the read side's seat changes (read-service/seat-feed.ts), for live seat maps. */
  readonly seatFeed?: { readonly subscriber: Redis; readonly channelPrefix: string };
  /** The reporting database, for the sales report. */
  readonly reporting?: Queryable;
  /** Where the built web app is (default web/dist). */
  readonly webDist?: string;
  /** Token verification (the gateway verifies every request; each API node does it again). */
  readonly auth: AuthConfig;
  /** Body size (413), requests and live seat streams in flight (503); defaults: the config defaults. */
  readonly limits?: {
    readonly maxBodyBytes: number;
    readonly maxConcurrentRequests: number;
    readonly maxSeatStreams?: number;
  };
}

const DEFAULT_LIMITS = { maxBodyBytes: 65_536, maxConcurrentRequests: 1024, maxSeatStreams: 10_000 };

export function createGatewayApp(deps: GatewayDeps): Express {
  return createGateway(deps).app;
}

/** The app and what must be stopped with it (open event streams). */
export function createGateway(deps: GatewayDeps): { app: Express; close(): void } {
  const app = express();
  app.disable('x-powered-by');
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const inFlight = inFlightLimit(limits.maxConcurrentRequests);
  // Counted apart: a full house watching its seat maps must not use up the cap of purchases.
  const streamsInFlight = inFlightLimit(limits.maxSeatStreams ?? DEFAULT_LIMITS.maxSeatStreams);
  app.use((req, res, next) => {
    const limit = isSeatStream(req) ? streamsInFlight : inFlight;
    if (limit.admit(res) && admitDeclaredBody(req, res, limits.maxBodyBytes)) next();
  });
  app.use(requestIdMiddleware);
  // The same JSON access log as the API nodes: one line per request, with its requestId.
  app.use(httpLogger(deps.logger));
  // Forward the id we settled on (a new one when the caller sent none or a bad one).
  app.use((req, res, next) => {
    req.headers[REQUEST_ID_HEADER.toLowerCase()] = String(res.locals.requestId);
    next();
  });

  // Public, and never refused for a stale token.
  app.get('/health', gatewayHealth(deps));
  app.use(docsRoutes('gateway')); // GET /openapi.json (every route), Swagger UI at /swagger

  const verifier = createVerifier(deps.auth);
  // Only while the development key is in use: anyone may mint any role with it.
  if (verifier.keySource === 'development') app.use(devSignInRoutes(deps.auth));

  // A bad token stops here (401); a good one is still verified again by the API node it reaches.
  app.use(authenticate(verifier));

  const layouts = new SeatLayouts(deps.read, deps.lbAddress);
  const streams = new SeatStreams(
    layouts,
    deps.seatFeed?.subscriber ?? null,
    deps.seatFeed?.channelPrefix ?? '',
    deps.logger,
  );
  app.use(streams.routes());
  app.use(seatLayoutRoutes(layouts));
  app.use(salesRoutes(deps.read, deps.reporting));
  app.use(readRoutes(deps.read));
  app.use(webAppRoutes(deps.logger, deps.webDist));

  const proxy = createProxyServer({
    target: `http://${deps.lbAddress}`,
    agent: new Agent({ keepAlive: true }),
    proxyTimeout: 60_000,
    // X-Forwarded-For: the API nodes' per-address limits need the client's address.
    xfwd: true,
  });
  app.use((req: IncomingMessage, res: ServerResponse) => {
    proxy.web(req, res, {}, (error: Error) => {
      deps.logger.error({ err: error, requestId: req.headers['x-request-id'] }, 'load balancer unreachable');
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(new ApiError(502, 'BadGateway', 'The API is unreachable').toBody()));
      }
    });
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const refusal = error instanceof ApiError ? error : malformedUrlError(error);
    if (refusal) {
      res.status(refusal.status).json(refusal.toBody());
      return;
    }
    deps.logger.error({ err: error, requestId: res.locals.requestId }, 'gateway error');
    res.status(500).json(new ApiError(500, 'InternalError', 'Something went wrong').toBody());
  });
  return { app, close: () => streams.close() };
}
