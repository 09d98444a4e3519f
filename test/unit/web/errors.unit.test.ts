/**
 * The web app says every error in plain words: each code the domain defines and each code the HTTP
 * layer (API nodes and gateway) answers with has its own sentence in web/src/errors.ts. The HTTP
 * codes are read from the source, so a new code without a sentence fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ERROR_CODES } from '../../../domain/errors';
import { ERROR_MESSAGES, messageFor, purchaseFailureMessage } from '../../../web/src/errors';

const ROOT = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Codes the HTTP layer answers with: ApiError(status, 'Code'), notFound('Code'), conflict('Code'), byId('What'). */
function httpCodes(): string[] {
  const codes = new Set<string>();
  for (const file of sources(join(ROOT, 'api'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new ApiError\(\s*\d+,\s*'([A-Za-z]+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/\b(?:notFound|conflict)\(\s*'([A-Z][A-Za-z]+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/\bbyId\(\s*'([A-Za-z]+)'/g)) codes.add(`${m[1]!}NotFound`);
    for (const m of text.matchAll(/code:\s*'([A-Z][A-Za-z]+)',\s*message:/g)) codes.add(m[1]!);
  }
  return [...codes].sort();
}

describe('plain-language error messages', () => {
  it('finds the HTTP codes in the source (the scan itself works)', () => {
    expect(httpCodes()).toEqual(expect.arrayContaining(['ValidationFailed', 'BadGateway', 'TicketNotFound']));
  });

  it.each([...DOMAIN_ERROR_CODES, ...httpCodes()])('has a sentence for %s', (code) => {
    expect(ERROR_MESSAGES[code]).toMatch(/^[A-Z].+[.!]$/);
  });

  it('never shows a code, even an unknown one', () => {
    expect(messageFor('SomethingNew')).toBe('Something went wrong. Please try again.');
    expect(messageFor(undefined)).not.toMatch(/[A-Z][a-z]+[A-Z]/);
  });

  it("words a purchase's failure reason", () => {
    expect(purchaseFailureMessage('Compensated: Payment declined - card declined')).toBe(
      'Your card was declined: card declined.',
    );
    expect(purchaseFailureMessage('Payment declined - insufficient funds')).toBe(
      'Your card was declined: insufficient funds.',
    );
  });
});
