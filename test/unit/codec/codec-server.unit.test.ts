/**
 * The codec server's HTTP contract (Temporal's remote codec protocol) on the real express app:
 * the token is required (401 without, 403 when wrong, JSON either way), by header or as the path
 * segment the Web UI uses; CORS admits the Web UI's origin, preflight included; payloads the
 * workers encrypted come back decrypted, and /encode produces what the workers can read.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../../config';
import { createCodecApp } from '../../../codec/app';
import { createPayloadCodec } from '../../../codec/data-converter';
import { fromJson, toJson } from '../../../codec/protocol';

const TOKEN = 'unit-test-codec-token-0123456789';
const UI = 'http://127.0.0.1:8233';
const config = loadConfig({
  TEMPORAL_CODEC_KEYS: `t1:${randomBytes(32).toString('base64')}`,
  TEMPORAL_CODEC_ACTIVE_KEY_ID: 't1',
});
const codec = createPayloadCodec(config);
const app = createCodecApp({ codec, token: TOKEN, corsOrigins: [UI], logger: pino({ level: 'silent' }) });

const purchase = { customerId: 'customer-7', payment: { cardHolderName: 'Grace Hopper' } };
const encrypted = async (value: unknown) =>
  (await codec.encode([defaultPayloadConverter.toPayload(value)]))[0]!;
const body = (payloads: Payload[]) => ({ payloads: payloads.map(toJson) });
const valueOf = (json: unknown) => defaultPayloadConverter.fromPayload(fromJson(json as never));

describe('codec server', () => {
  it('answers 401 JSON (with WWW-Authenticate) to a call without a token', async () => {
    const res = await request(app)
      .post('/decode')
      .send(body([await encrypted(purchase)]));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({ error: 'missing Authorization: Bearer <token>' });
    expect(JSON.stringify(res.body)).not.toContain('Grace');
  });

  it('answers 403 JSON to a wrong token, in the header or in the path', async () => {
    const payloads = body([await encrypted(purchase)]);
    const header = await request(app).post('/decode').set('Authorization', 'Bearer wrong').send(payloads);
    const basic = await request(app).post('/decode').set('Authorization', `Basic ${TOKEN}`).send(payloads);
    const path = await request(app).post('/not-the-token/decode').send(payloads);
    for (const res of [header, basic, path]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'invalid token' });
    }
  });

  it('decodes through the path-token URL the Web UI is given, with CORS for its origin', async () => {
    const res = await request(app)
      .post(`/${TOKEN}/decode`)
      .set('Origin', UI)
      .set('X-Namespace', 'default')
      .send(body([await encrypted(purchase), defaultPayloadConverter.toPayload('plain')]));
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.body.payloads).toHaveLength(2);
    expect(valueOf(res.body.payloads[0])).toEqual(purchase);
    expect(Buffer.from(res.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(valueOf(res.body.payloads[1])).toBe('plain');
  });

  it('decodes with the bearer token the CLI sends (--codec-auth)', async () => {
    const res = await request(app)
      .post('/decode')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(body([await encrypted(purchase)]));
    expect(res.status).toBe(200);
    expect(valueOf(res.body.payloads[0])).toEqual(purchase);
  });

  it("answers an empty list to the CLI's argument-less body `{}` (proto3 JSON drops empty lists)", async () => {
    for (const path of ['/encode', '/decode']) {
      const res = await request(app).post(path).set('Authorization', `Bearer ${TOKEN}`).send({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ payloads: [] });
    }
  });

  it('encodes what the workers can decrypt', async () => {
    const res = await request(app)
      .post(`/${TOKEN}/encode`)
      .send(body([defaultPayloadConverter.toPayload(purchase)]));
    expect(res.status).toBe(200);
    const [out] = res.body.payloads.map(fromJson) as Payload[];
    expect(Buffer.from(out!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const [decoded] = await codec.decode([out!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(purchase);
  });

  it("answers the Web UI's CORS preflight without a token, and no other origin", async () => {
    const preflight = (origin: string) =>
      request(app)
        .options(`/${TOKEN}/decode`)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-namespace');
    const ui = await preflight(UI);
    expect(ui.status).toBe(204);
    expect(ui.headers['access-control-allow-origin']).toBe(UI);
    expect(ui.headers['access-control-allow-methods']).toContain('POST');
    expect(ui.headers['access-control-allow-headers']?.toLowerCase()).toContain('x-namespace');

    const stranger = await preflight('http://evil.example');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports a payload it cannot decrypt as 400 JSON naming the key id', async () => {
    const foreign = createPayloadCodec(
      loadConfig({
        TEMPORAL_CODEC_KEYS: `other:${randomBytes(32).toString('base64')}`,
        TEMPORAL_CODEC_ACTIVE_KEY_ID: 'other',
      }),
    );
    const [payload] = await foreign.encode([defaultPayloadConverter.toPayload(purchase)]);
    const res = await request(app)
      .post('/decode')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(body([payload!]));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/key other, which is not configured/);
  });

  it('rejects a malformed body with 400 and unknown routes with 401 (no token) or 404', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await request(app).post('/decode').set(auth).send({ payload: [] })).status).toBe(400);
    expect(
      (
        await request(app)
          .post(`/${TOKEN}/decode`)
          .send({ payloads: [{ data: '%%' }] })
      ).status,
    ).toBe(400);
    expect((await request(app).get('/decode')).status).toBe(401);
    expect((await request(app).post(`/${TOKEN}/rotate`).send({})).status).toBe(404);
    expect((await request(app).get('/whatever').set(auth)).status).toBe(404);
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok' });
  });
});
