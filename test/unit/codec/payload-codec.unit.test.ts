/**
 * The AES-GCM payload codec through the SDK's own data converter path: values become encrypted
 * payloads and come back equal; tampering, an unknown key id and a missing key id fail loudly;
 * payloads without encryption metadata pass through; after a rotation old payloads still decrypt.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../../config';
import { createDataConverter, createPayloadCodec } from '../../../codec/data-converter';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../../codec/payload-codec';

const customer = {
  customerId: 'customer-42',
  payment: { cardHolderName: 'Ada Lovelace', cardLast4: '1111', token: 'tok_sim_ok_abc' },
  seats: [{ row: 5, number: 10 }],
};

const key = () => randomBytes(32);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const codecWith = (activeKeyId: string, keys: Record<string, Buffer>) =>
  new AesGcmPayloadCodec({ activeKeyId, keys: new Map(Object.entries(keys)) });

async function encrypt(codec: AesGcmPayloadCodec, value: unknown): Promise<Payload> {
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return payload!;
}

async function decrypt(codec: AesGcmPayloadCodec, payload: Payload): Promise<unknown> {
  const [plain] = await codec.decode([payload]);
  return defaultPayloadConverter.fromPayload(plain!);
}

describe('AesGcmPayloadCodec', () => {
  const k1 = key();
  const codec = codecWith('k1', { k1 });

  it('encrypts a payload (metadata included) and decrypts it back to the same value', async () => {
    const encrypted = await encrypt(codec, customer);

    expect(text(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(Object.keys(encrypted.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    const stored = Buffer.from(encrypted.data ?? []).toString('latin1');
    for (const secret of ['Ada Lovelace', 'customer-42', 'tok_sim_ok_abc', 'json/plain']) {
      expect(stored).not.toContain(secret);
    }
    expect(await decrypt(codec, encrypted)).toEqual(customer);
  });

  it('uses a fresh IV each time: the same value never encrypts to the same bytes', async () => {
    const [a, b] = await Promise.all([encrypt(codec, customer), encrypt(codec, customer)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('round-trips binary, null and undefined payloads', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(await decrypt(codec, await encrypt(codec, bytes))).toEqual(bytes);
    expect(await decrypt(codec, await encrypt(codec, null))).toBeNull();
    expect(await decrypt(codec, await encrypt(codec, undefined))).toBeUndefined();
  });

  it('rejects a tampered ciphertext, IV or tag', async () => {
    const encrypted = await encrypt(codec, customer);
    const length = encrypted.data!.length;
    for (const index of [0, 12, length - 20, length - 1]) {
      const data = Buffer.from(encrypted.data!);
      data[index] = data[index]! ^ 0x01;
      await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(
        new PayloadDecryptionError('an encrypted payload (key k1) failed authentication'),
      );
    }
    await expect(codec.decode([{ ...encrypted, data: encrypted.data!.subarray(0, 20) }])).rejects.toThrow(
      /too short/,
    );
  });

  it('rejects a payload encrypted with another key stored under the same id', async () => {
    const impostor = codecWith('k1', { k1: key() });
    await expect(codec.decode([await encrypt(impostor, customer)])).rejects.toThrow(/failed authentication/);
  });

  it('fails loudly on an unknown key id, naming it and the known ones', async () => {
    const other = codecWith('k9', { k9: key() });
    await expect(codec.decode([await encrypt(other, customer)])).rejects.toThrow(
      'a payload was encrypted with key k9, which is not configured (known: k1); add it to TEMPORAL_CODEC_KEYS',
    );
  });

  it('fails loudly on an encrypted payload without a key id', async () => {
    const encrypted = await encrypt(codec, customer);
    const metadata = { encoding: encrypted.metadata!.encoding! };
    await expect(codec.decode([{ ...encrypted, metadata }])).rejects.toThrow(/no encryption-key-id/);
  });

  it('passes payloads without encryption metadata through unchanged (histories from before encryption)', async () => {
    const plain = [
      defaultPayloadConverter.toPayload(customer),
      defaultPayloadConverter.toPayload(null),
      defaultPayloadConverter.toPayload(new Uint8Array([7])),
    ];
    const decoded = await codec.decode(plain);
    decoded.forEach((payload, i) => expect(payload).toBe(plain[i]));
    expect(defaultPayloadConverter.fromPayload(decoded[0]!)).toEqual(customer);
  });

  it('after a rotation encrypts with the new active key and still decrypts the old key', async () => {
    const before = codecWith('k1', { k1 });
    const old = await encrypt(before, customer);
    const k2 = key();
    const rotated = codecWith('k2', { k1, k2 });

    const fresh = await encrypt(rotated, { ...customer, customerId: 'customer-43' });
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('k2');
    expect(await decrypt(rotated, old)).toEqual(customer);
    expect(await decrypt(rotated, fresh)).toEqual({ ...customer, customerId: 'customer-43' });
    // A process that was not given the new key cannot read the new payloads: it says so.
    await expect(before.decode([fresh])).rejects.toThrow(/key k2, which is not configured/);
  });

  it('refuses a keyring whose active key is missing or not 32 bytes', () => {
    expect(() => codecWith('k2', { k1 })).toThrow(/active codec key k2/);
    expect(() => codecWith('k1', { k1: randomBytes(16) })).toThrow(/16 bytes/);
  });
});

describe('createDataConverter (configuration keys)', () => {
  const keyA = key().toString('base64');
  const keyB = key().toString('base64');

  it('builds the codec from TEMPORAL_CODEC_KEYS and TEMPORAL_CODEC_ACTIVE_KEY_ID', async () => {
    const config = loadConfig({
      TEMPORAL_CODEC_KEYS: `a:${keyA}, b:${keyB}`,
      TEMPORAL_CODEC_ACTIVE_KEY_ID: 'b',
    });
    const [codec] = createDataConverter(config).payloadCodecs ?? [];
    const [encrypted] = await codec!.encode([defaultPayloadConverter.toPayload(customer)]);
    expect(text(encrypted!.metadata?.[KEY_ID_METADATA])).toBe('b');

    const onlyA = createPayloadCodec(
      loadConfig({ TEMPORAL_CODEC_KEYS: `a:${keyA}`, TEMPORAL_CODEC_ACTIVE_KEY_ID: 'a' }),
    );
    await expect(onlyA.decode([encrypted!])).rejects.toThrow(/key b, which is not configured/);
  });

  it('defaults to the labelled development key', () => {
    const config = loadConfig({});
    expect(config.TEMPORAL_CODEC_ACTIVE_KEY_ID).toBe('local-dev-1');
    expect([...config.TEMPORAL_CODEC_KEYS.keys()]).toEqual(['local-dev-1']);
  });

  it('rejects malformed keys and an active id that is not configured, without echoing key material', () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const short = randomBytes(16).toString('base64');
    const message = attempt({ TEMPORAL_CODEC_KEYS: `a:${short},a:${keyA},b:not*base64,c` });
    expect(message).toContain('entry 1: key a is 16 bytes; AES-256 needs 32');
    expect(message).toContain('entry 3: key b is not base64');
    expect(message).toContain('entry 4: expected id:base64key');
    expect(message).not.toContain(short);
    expect(
      attempt({ TEMPORAL_CODEC_KEYS: `a:${keyA},a:${keyB}`, TEMPORAL_CODEC_ACTIVE_KEY_ID: 'a' }),
    ).toContain('key id a is listed twice');
    expect(attempt({ TEMPORAL_CODEC_KEYS: `a:${keyA}` })).toContain(
      'TEMPORAL_CODEC_ACTIVE_KEY_ID: local-dev-1 is not one of TEMPORAL_CODEC_KEYS (a)',
    );
    expect(JSON.stringify(loadConfig({}))).not.toContain('Q0He366u');
  });

  it('reads CODEC_CORS_ORIGINS as browser origins (no path, no trailing slash)', () => {
    expect(
      loadConfig({ CODEC_CORS_ORIGINS: 'http://localhost:8233/, https://ops.example.com/ui' })
        .CODEC_CORS_ORIGINS,
    ).toEqual(['http://localhost:8233', 'https://ops.example.com']);
  });
});
