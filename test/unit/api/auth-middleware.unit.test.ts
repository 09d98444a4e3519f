import express from 'express';
import request from 'supertest';
import { authenticate, createVerifier, identityOf, requireRole } from '../../../api/auth';
import { devSignInRoutes } from '../../../api/gateway/dev-sign-in';
import { errorHandler } from '../../../api/http/error-handler';
import { algNoneBearer, bearer, DEV_AUTH_CONFIG, expiredBearer } from '../../support/auth';

function app() {
  const a = express();
  a.get('/public', (_req, res) => {
    res.json({ ok: true });
  });
  a.use(devSignInRoutes(DEV_AUTH_CONFIG));
  a.use(authenticate(createVerifier(DEV_AUTH_CONFIG)));
  a.get('/open', (_req, res) => {
    res.json({ anonymous: res.locals.identity === undefined });
  });
  a.get('/admin', requireRole('admin'), (_req, res) => {
    res.json(identityOf(res));
  });
  a.get('/door', requireRole('staff', 'admin'), (_req, res) => {
    res.json(identityOf(res));
  });
  a.use(errorHandler);
  return a;
}

describe('authenticate + requireRole', () => {
  it('lets a public route through without a token', async () => {
    await request(app()).get('/public').expect(200);
    await request(app()).get('/open').expect(200, { anonymous: true });
  });

  it('answers 401 with a Bearer challenge when a guarded route gets no token', async () => {
    const res = await request(app()).get('/admin').expect(401);
    expect(res.body).toMatchObject({ success: false, error: 'Unauthenticated' });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="cinema-booking"');
  });

  it('answers 401 for a bad token on any route behind authenticate', async () => {
    const res = await request(app())
      .get('/open')
      .set('Authorization', expiredBearer('c-1', 'admin'))
      .expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.message).toContain('expired');
    await request(app()).get('/admin').set('Authorization', algNoneBearer('c-1', 'admin')).expect(401);
    await request(app()).get('/admin').set('Authorization', 'Basic YWRtaW46YWRtaW4=').expect(401);
  });

  it('answers 403 for a role that may not, and hands the identity to the handler', async () => {
    const res = await request(app())
      .get('/admin')
      .set('Authorization', bearer('c-1', 'customer'))
      .expect(403);
    expect(res.body).toMatchObject({ success: false, error: 'Forbidden' });
    await request(app())
      .get('/door')
      .set('Authorization', bearer('s-1', 'staff'))
      .expect(200, { subject: 's-1', role: 'staff' });
  });
});

describe('development sign-in', () => {
  it('mints a token the verifier accepts', async () => {
    const res = await request(app())
      .post('/api/dev/sign-in')
      .send({ sub: 'customer-7', role: 'customer' })
      .expect(200);
    await request(app())
      .get('/door')
      .set('Authorization', `Bearer ${res.body.token as string}`)
      .expect(403);
    await expect(createVerifier(DEV_AUTH_CONFIG).verify(res.body.token as string)).resolves.toEqual({
      subject: 'customer-7',
      role: 'customer',
    });
  });

  it('refuses an unknown role or a bad subject with 400', async () => {
    await request(app()).post('/api/dev/sign-in').send({ sub: 'x', role: 'root' }).expect(400);
    await request(app()).post('/api/dev/sign-in').send({ sub: 'a b', role: 'admin' }).expect(400);
  });
});
