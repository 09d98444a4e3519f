/**
 * `POST /api/dev/sign-in {"sub":"customer-123","role":"customer"}` -> `{ "token": "..." }`: the
 * web app's sign-in while the development key is in use (the gateway mounts it only then; with a
 * real identity provider the route does not exist and answers 404). It asks for no password: the
 * development key lets anyone mint any role anyway (`npm run token`).
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { ROLES, signToken, type AuthConfig } from '../auth';
import { idSchema } from '../schemas/common';
import { parseInput } from '../http/validate';

export const DEV_SIGN_IN_PATH = '/api/dev/sign-in';

export const signInBodySchema = z.object({ sub: idSchema, role: z.enum(ROLES) }).strict();

/** Development tokens last a working day, so a browser tab does not sign out mid-demo. */
const DEV_TOKEN_TTL = '12h';

export function devSignInRoutes(auth: Pick<AuthConfig, 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>): Router {
  const router = Router();
  router.post(DEV_SIGN_IN_PATH, express.json({ limit: '1kb' }), (req, res) => {
    const { sub, role } = parseInput(signInBodySchema, req.body, 'body');
    const token = signToken({
      subject: sub,
      role,
      ttl: DEV_TOKEN_TTL,
      issuer: auth.AUTH_ISSUER,
      audience: auth.AUTH_AUDIENCE,
    });
    res.json({ token });
  });
  return router;
}
