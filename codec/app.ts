/**
 * The codec server's HTTP app: Temporal's remote codec protocol (POST /encode, POST /decode), so
 * operators see decrypted payloads in the Web UI and with `temporal --codec-endpoint`. Whoever
 * reaches it can decrypt customer data, so every call must carry the token, in one of two ways:
 *
 * - `Authorization: Bearer <token>` on `/encode` and `/decode`: what the CLI sends with
 *   `--codec-auth`, and what any production UI behind an auth proxy would forward.
 * - the token as the first path segment, `/<token>/encode` and `/<token>/decode`: the Web UI of the
 *   dev server is only given an endpoint URL and sends no credentials of its own (its
 *   "pass access token" option forwards a login token the dev server never has), so the secret
 *   has to travel in the URL it is configured with. The path form is never logged.
 *
 * Missing credentials answer 401, wrong ones 403, both as JSON. CORS admits only the configured
 * Web UI origins; preflights are answered before the token check because browsers send them
 * without credentials.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { codecRequest, fromJson, toJson } from './protocol';

export interface CodecAppDeps {
  readonly codec: PayloadCodec;
  readonly token: string;
  /** Browser origins allowed to call (the Web UI's). */
  readonly corsOrigins: readonly string[];
  readonly logger: Logger;
}

const OPERATIONS = new Set(['encode', 'decode']);

/** Constant-time comparison; hashing first makes the lengths equal. */
function sameToken(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

type AuthVia = 'header' | 'path';

export function createCodecApp(deps: CodecAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    cors({
      origin: [...deps.corsOrigins],
      methods: ['POST'],
      allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      maxAge: 600,
    }),
  );

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const deny = (status: 401 | 403, error: string): RequestHandler => {
    return (_req, res) => {
      if (status === 401) res.set('WWW-Authenticate', 'Bearer');
      res.status(status).json({ error });
    };
  };

  const bearer: RequestHandler = (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) return deny(401, 'missing Authorization: Bearer <token>')(req, res, next);
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined || !sameToken(token, deps.token)) {
      return deny(403, 'invalid token')(req, res, next);
    }
    res.locals.via = 'header' satisfies AuthVia;
    next();
  };

  const pathToken: RequestHandler<{ token: string; op: string }> = (req, res, next) => {
    if (!sameToken(req.params.token, deps.token)) return deny(403, 'invalid token')(req, res, next);
    res.locals.via = 'path' satisfies AuthVia;
    next();
  };

  const knownOperation: RequestHandler<{ op: string }> = (req, res, next) => {
    if (OPERATIONS.has(req.params.op)) return next();
    res.status(404).json({ error: 'not found: POST /encode or /decode' });
  };

  const run: RequestHandler<{ op: string }> = async (req, res) => {
    const op = req.params.op as 'encode' | 'decode';
    const namespace = req.get('x-namespace');
    const body = codecRequest.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'expected { payloads: [{ metadata, data }] } with base64 values' });
      return;
    }
    const log = {
      op,
      namespace: namespace || undefined,
      payloads: body.data.payloads.length,
      via: res.locals.via as AuthVia,
    };
    try {
      const payloads = body.data.payloads.map(fromJson);
      const result = op === 'encode' ? await deps.codec.encode(payloads) : await deps.codec.decode(payloads);
      // Debug: the CLI and the Web UI send one request per payload shown.
      deps.logger.debug(log, 'codec request');
      res.json({ payloads: result.map(toJson) });
    } catch (error) {
      // The codec's messages name key ids, never payload contents.
      deps.logger.warn({ ...log, err: (error as Error).message }, 'codec request failed');
      res.status(400).json({ error: (error as Error).message });
    }
  };

  const json = express.json({ limit: '8mb' });
  app.post('/:op', bearer, knownOperation, json, run);
  app.post('/:token/:op', pathToken, knownOperation, json, run);

  // Anything else: without the token, no clue whether the route exists.
  app.use(bearer, (_req, res) => {
    res.status(404).json({ error: 'not found: POST /encode or /decode' });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) deps.logger.error({ err: error }, 'codec server error');
    res.status(status).json({ error: status === 500 ? 'internal error' : (error.type ?? 'bad request') });
  };
  app.use(onError);
  return app;
}
