import { acceptableRequestId } from '../../../api/http/request-id';

describe('acceptableRequestId', () => {
  it.each([
    'trace-demo-1',
    '8f14e45f-ceea-467a-9f0b-1c8e2a3b4d5e',
    'a',
    '00-4bf92f3577b34da6-01',
    '1234567890123456',
  ])('keeps %s', (id) => expect(acceptableRequestId(id)).toBe(true));

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['with spaces', 'two words'],
    ['too long', 'x'.repeat(101)],
    ['a Visa test card', '4111111111111111'],
    ['a 19-digit card', '4000000000000000006'],
    ['an Amex card', '378282246310005'],
  ])('refuses %s', (_what, id) => expect(acceptableRequestId(id)).toBe(false));
});
