/**
 * Signed ticket QR codes: a compact JWS (EdDSA, Ed25519) over the ticket's QR claims
 * (domain/ticket/qr-claims.ts), so a door scanner holding only the public key can tell a ticket
 * the box office issued from a forged one, offline. Ed25519 signatures are deterministic: signing
 * the same claims with the same key always gives the same string, so the saga (which puts the code
 * into the TicketIssued event) and an API node (which shows a ticket from the write database)
 * present one and the same QR code without storing it twice.
 *
 * A scanner verifies with `verifyTicketQr(code, jwks)`, or any JOSE library: check the signature
 * against the key set (`npm run ticket-qr:keys` prints it), `typ` = `ticket-qr+jws`, then read
 * the JSON payload `{ ticketId, ticketNumber, showtimeId, seats }`. Whether the ticket is still
 * unused is the online question of POST /api/tickets/{id}/validate.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import type { TicketQrClaims } from '../../domain/ticket/qr-claims';

export const TICKET_QR_TYPE = 'ticket-qr+jws';

/**
 * DEVELOPMENT ONLY, public in git: signs QR codes when TICKET_QR_SIGNING_KEY is unset. Anyone can
 * forge tickets with it; a real box office sets its own (`npm run ticket-qr:keys -- --new`).
 */
export const DEV_ONLY_TICKET_QR_KEY = {
  kid: 'ticket-qr-dev-1',
  privateJwk: {
    kty: 'OKP',
    crv: 'Ed25519',
    x: 'yhxqKynXzXuJ-UyXMM3l-7UQOXX1QteO40NDuGYoX9Y',
    d: 'H-GW8me8zrNp2Q5Ma3So3GqviNTM5K0zSe79Vnr_wv4',
  },
} as const;

export interface TicketQrConfig {
  /** Ed25519 private key as a JWK (JSON text); unset: the development key. */
  readonly TICKET_QR_SIGNING_KEY?: string | undefined;
  readonly TICKET_QR_KEY_ID: string;
}

export class TicketQrSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly kid: string,
    /** The public half, as scanners need it. */
    readonly publicJwk: JWK,
  ) {}

  static fromConfig(config: TicketQrConfig): TicketQrSigner {
    const jwk = config.TICKET_QR_SIGNING_KEY
      ? (JSON.parse(config.TICKET_QR_SIGNING_KEY) as JWK)
      : DEV_ONLY_TICKET_QR_KEY.privateJwk;
    const kid = config.TICKET_QR_SIGNING_KEY ? config.TICKET_QR_KEY_ID : DEV_ONLY_TICKET_QR_KEY.kid;
    const privateKey = createPrivateKey({
      key: { ...jwk } as import('node:crypto').JsonWebKey,
      format: 'jwk',
    });
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('TICKET_QR_SIGNING_KEY must be an Ed25519 key');
    const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
    return new TicketQrSigner(privateKey, kid, { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' });
  }

  /** The QR code's content: `<header>.<claims>.<signature>`. */
  async sign(claims: TicketQrClaims): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: TICKET_QR_TYPE })
      .sign(this.privateKey);
  }

  /** The key set a scanner verifies with. */
  jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }
}

/** Checks a QR code against a key set and returns its claims; throws when it is not genuine. */
export async function verifyTicketQr(code: string, jwks: JSONWebKeySet): Promise<TicketQrClaims> {
  const { payload, protectedHeader } = await compactVerify(code, createLocalJWKSet(jwks), {
    algorithms: ['EdDSA'],
  });
  if (protectedHeader.typ !== TICKET_QR_TYPE)
    throw new Error(`not a ticket QR code (typ ${protectedHeader.typ})`);
  return JSON.parse(new TextDecoder().decode(payload)) as TicketQrClaims;
}
