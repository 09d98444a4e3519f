/** The read service's memory of accepted caller tokens (read-service/access.ts rememberVerified). */
import type { TokenVerifier } from '../../../api/auth/verifier';
import { rememberVerified } from '../../../read-service/access';
import { token } from '../../support/auth';

const NOW = 1_800_000_000_000;

function fakeVerifier(refuse: ReadonlySet<string> = new Set()) {
  const asked: string[] = [];
  const verifier: TokenVerifier = {
    keySource: 'development',
    verify: (t) => {
      asked.push(t);
      return refuse.has(t)
        ? Promise.reject(new Error('refused'))
        : Promise.resolve({ subject: 'customer-1', role: 'customer' });
    },
  };
  return { verifier, asked };
}

const clock = () => {
  let t = NOW;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

test('an accepted token is verified once, another token on its own', async () => {
  const { verifier, asked } = fakeVerifier();
  const c = clock();
  const remembering = rememberVerified(verifier, { now: c.now });
  const a = token('customer-1', 'customer', { now: NOW / 1000 });
  const b = token('customer-2', 'customer', { now: NOW / 1000 });
  await expect(remembering.verify(a)).resolves.toEqual({ subject: 'customer-1', role: 'customer' });
  await expect(remembering.verify(a)).resolves.toEqual({ subject: 'customer-1', role: 'customer' });
  await remembering.verify(b);
  expect(asked).toEqual([a, b]);
});

test('remembered for ttlMs at most, and never past the token expiry', async () => {
  const { verifier, asked } = fakeVerifier();
  const c = clock();
  const remembering = rememberVerified(verifier, { now: c.now, ttlMs: 60_000 });
  const long = token('customer-1', 'customer', { now: NOW / 1000, ttl: 3600 });
  const short = token('customer-1', 'customer', { now: NOW / 1000, ttl: 10 });
  await remembering.verify(long);
  await remembering.verify(short);
  c.advance(9_999);
  await remembering.verify(long);
  await remembering.verify(short);
  expect(asked).toEqual([long, short]);
  c.advance(1); // the short token's exp
  await remembering.verify(short);
  expect(asked).toEqual([long, short, short]);
  c.advance(50_000); // 60 s after the long token was accepted
  await remembering.verify(long);
  expect(asked).toEqual([long, short, short, long]);
});

test('a refused token is not remembered', async () => {
  const bad = token('customer-1', 'customer', { now: NOW / 1000 });
  const { verifier, asked } = fakeVerifier(new Set([bad]));
  const remembering = rememberVerified(verifier, { now: clock().now });
  await expect(remembering.verify(bad)).rejects.toThrow('refused');
  await expect(remembering.verify(bad)).rejects.toThrow('refused');
  expect(asked).toEqual([bad, bad]);
});

test('at most maxEntries tokens, the oldest forgotten first', async () => {
  const { verifier, asked } = fakeVerifier();
  const remembering = rememberVerified(verifier, { now: clock().now, maxEntries: 2 });
  const [a, b, c] = ['a', 'b', 'c'].map((s) => token(`customer-${s}`, 'customer', { now: NOW / 1000 }));
  for (const t of [a!, b!, c!, b!, c!, a!]) await remembering.verify(t);
  expect(asked).toEqual([a, b, c, a]);
});
