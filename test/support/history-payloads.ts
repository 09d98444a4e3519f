/**
 * The plaintext of every payload in a workflow history, for tests that search a history for what
 * must (or must not) be in it. Payloads are encrypted (codec/), so a search of the raw export
 * alone proves little: this decrypts each one with the configured keys, the way an operator's
 * codec server would. Accepts the SDK's `fetchHistory()` serialized with JSON.stringify and the
 * JSON `temporal workflow show -o json` prints (both carry payload bytes as base64).
 */
import type { Payload } from '@temporalio/common';
import { createPayloadCodec } from '../../codec/data-converter';
import { loadConfig, type Config } from '../../config';

function collectPayloads(node: unknown, out: Payload[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectPayloads(item, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.metadata === 'object' && record.metadata !== null && 'encoding' in record.metadata) {
    const metadata = Object.entries(record.metadata as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64'),
    ]);
    out.push({
      metadata: Object.fromEntries(metadata),
      data: Buffer.from(typeof record.data === 'string' ? record.data : '', 'base64'),
    });
    return;
  }
  for (const value of Object.values(record)) collectPayloads(value, out);
}

/** The decrypted data of each payload in `historyJson`, as UTF-8 text. */
export async function decryptedPayloadTexts(
  historyJson: string,
  config: Config = loadConfig(),
): Promise<string[]> {
  const payloads: Payload[] = [];
  collectPayloads(JSON.parse(historyJson), payloads);
  const plain = await createPayloadCodec(config).decode(payloads);
  return plain.map((p) => Buffer.from(p.data ?? []).toString('utf8'));
}
