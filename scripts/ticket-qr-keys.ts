/**
 * `npm run ticket-qr:keys`: the public key set (JWKS) a door scanner verifies ticket QR codes
 * with, for the key configured in TICKET_QR_SIGNING_KEY (or the development key).
 * `npm run ticket-qr:keys -- --new`: a fresh Ed25519 private key as a JWK, for TICKET_QR_SIGNING_KEY.
 */
import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../config';
import { TicketQrSigner } from '../providers/ticket-qr';

if (process.argv.includes('--new')) {
  const { privateKey } = generateKeyPairSync('ed25519');
  console.log(JSON.stringify(privateKey.export({ format: 'jwk' })));
} else {
  console.log(JSON.stringify(TicketQrSigner.fromConfig(loadConfig()).jwks(), null, 2));
}
