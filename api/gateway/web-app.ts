/**
 * The web app (web/, built by `npm run web:build` into web/dist) as static files at `/`, with the
 * single-page fallback: a browser GET of any other path that asks for HTML gets index.html, so a
 * deep link (/showtimes/x) works on reload. The API's own paths are never answered here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import type { Logger } from 'pino';

export const WEB_DIST = join(__dirname, '../../web/dist');

const API_PATHS = /^\/(api|health|swagger|openapi\.json)(\/|$)/;

export function webAppRoutes(logger: Logger, dist: string = WEB_DIST): Router {
  const router = Router();
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dist }, 'web app not built (npm run web:build): / is not served');
    return router;
  }
  const files = express.static(dist, { index: false, maxAge: '1h', fallthrough: true });
  router.use((req, res, next) => {
    if (API_PATHS.test(req.path) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    files(req, res, () => {
      if (!req.accepts('html')) {
        next();
        return;
      }
      // index.html names hashed assets: never cached, so a new build is picked up on reload.
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(index);
    });
  });
  return router;
}
