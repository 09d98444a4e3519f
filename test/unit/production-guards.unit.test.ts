import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config';
import { assertProductionReady, productionProblems, type Guarded } from '../../config/production-guards';

const ALL: Guarded[] = ['signing-key', 'codec-keys', 'codec-token', 'payments', 'read-service-token'];
const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
/** Production settings with every development default replaced. */
const READY = {
  NODE_ENV: 'production',
  AUTH_PUBLIC_KEY: publicKey,
  TEMPORAL_CODEC_KEYS: 'prod-1:Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg=',
  TEMPORAL_CODEC_ACTIVE_KEY_ID: 'prod-1',
  CODEC_TOKEN: 'a-real-codec-token-of-some-length',
  READ_SERVICE_TOKEN: 'r'.repeat(40),
  ALLOW_SIMULATED_PAYMENTS_IN_PRODUCTION: 'true',
};

describe('production guards', () => {
  it('let development run on the development defaults', () => {
    expect(productionProblems(loadConfig({}), ALL)).toEqual([]);
  });

  it('refuse every development default in production, naming the variable that allows it', () => {
    const problems = productionProblems(loadConfig({ NODE_ENV: 'production' }), ALL);
    expect(problems).toHaveLength(5);
    for (const allow of [
      'ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION',
      'ALLOW_DEV_CODEC_KEY_IN_PRODUCTION',
      'ALLOW_DEV_CODEC_TOKEN_IN_PRODUCTION',
      'ALLOW_SIMULATED_PAYMENTS_IN_PRODUCTION',
      'ALLOW_UNAUTHENTICATED_READ_SERVICE_IN_PRODUCTION',
    ]) {
      expect(problems.some((p) => p.includes(allow))).toBe(true);
    }
    expect(() => assertProductionReady(loadConfig({ NODE_ENV: 'production' }), ['signing-key'])).toThrow(
      ConfigError,
    );
  });

  it('check only what the process uses', () => {
    const problems = productionProblems(loadConfig({ NODE_ENV: 'production' }), ['codec-token']);
    expect(problems).toEqual([expect.stringContaining('CODEC_TOKEN is the public development token')]);
  });

  it('pass production settings, and each allow variable lifts exactly its own guard', () => {
    expect(productionProblems(loadConfig(READY), ALL)).toEqual([]);
    const { AUTH_PUBLIC_KEY: _unused, ...devKey } = READY;
    expect(productionProblems(loadConfig(devKey), ALL)).toEqual([expect.stringContaining('development key')]);
    expect(
      productionProblems(loadConfig({ ...devKey, ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION: 'true' }), ALL),
    ).toEqual([]);
    expect(
      productionProblems(loadConfig({ ...devKey, ALLOW_DEV_CODEC_KEY_IN_PRODUCTION: 'true' }), ALL),
    ).toHaveLength(1);
  });

  it('see the development codec key under another id too', () => {
    const renamed = {
      ...READY,
      TEMPORAL_CODEC_KEYS: 'mine:Q0He366uBJIphQkZGQG+K+kL8MgeUkAuXbNWXL8qIwc=',
      TEMPORAL_CODEC_ACTIVE_KEY_ID: 'mine',
    };
    expect(productionProblems(loadConfig(renamed), ['codec-keys'])).toEqual([
      expect.stringContaining('TEMPORAL_CODEC_KEYS holds the public development key'),
    ]);
  });
});
