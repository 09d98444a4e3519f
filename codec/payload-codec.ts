/**
 * AES-256-GCM payload encryption for everything the application hands to Temporal (workflow and
 * activity inputs and results, signals, queries, updates, memos, failure details), so that the
 * history the server stores holds ciphertext only.
 *
 * Each payload is serialized whole (metadata included, so its original encoding comes back) and
 * encrypted with the active key under a fresh 96-bit IV; the result is a payload with
 * `encoding: binary/encrypted`, the key's id in `encryption-key-id`, and `iv | ciphertext | tag`
 * as data. Decoding picks the key by that id, so a payload written under any configured key stays
 * readable after the active key changes (rotation). A payload without that encoding is passed
 * through untouched: histories written before encryption was switched on still replay.
 *
 * Runs outside the workflow sandbox (codecs are applied by the worker and client, never inside
 * workflow code), so node:crypto is fine here; workflow code must never import this module.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ProtoPayload = temporal.api.common.v1.Payload;

export interface CodecKeyring {
  /** The key every new payload is encrypted with. */
  readonly activeKeyId: string;
  /** Every key a stored payload may have been encrypted with, the active one included. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** A payload that cannot be decrypted: unknown key, tampered with, or not ours at all. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: CodecKeyring) {
    for (const [id, key] of keyring.keys) {
      if (key.length !== KEY_BYTES)
        throw new Error(`codec key ${id} is ${key.length} bytes, not ${KEY_BYTES}`);
    }
    if (!keyring.keys.has(keyring.activeKeyId)) {
      throw new Error(`the active codec key ${keyring.activeKeyId} is not among the configured keys`);
    }
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyring.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.keyring.keys.get(keyId)!, iv);
    const plain = ProtoPayload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(keyId),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (keyId === undefined) {
      throw new PayloadDecryptionError(`an encrypted payload has no ${KEY_ID_METADATA} in its metadata`);
    }
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload was encrypted with key ${keyId}, which is not configured ` +
          `(known: ${[...this.keyring.keys.keys()].join(', ')}); add it to TEMPORAL_CODEC_KEYS`,
      );
    }
    const sealed = Buffer.from(payload.data ?? []);
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`an encrypted payload (key ${keyId}) is too short to be one`);
    }
    const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      // GCM's tag check: the ciphertext was altered, or another key was stored under this id.
      throw new PayloadDecryptionError(`an encrypted payload (key ${keyId}) failed authentication`);
    }
    return ProtoPayload.decode(plain);
  }
}
