/**
 * A workflow history as the server stores it: `temporal workflow show -o json` with no codec
 * endpoint, so every payload stays as it was written (encrypted by codec/ when it is ours). The
 * opposite of test/support/history-payloads.ts, which decrypts: this shows what anyone reading
 * the history without the keys gets.
 */
import { KEY_ID_METADATA } from '../../../codec/payload-codec';
import { showHistoryJson } from '../../support/temporal-cli';

export interface StoredPayload {
  /** `metadata.encoding`, e.g. binary/encrypted or json/plain. */
  readonly encoding: string | undefined;
  readonly keyId: string | undefined;
  /** The data bytes read as UTF-8: ciphertext noise when encrypted. */
  readonly text: string;
}

export interface StoredHistory {
  /** The CLI's JSON output, untouched. */
  readonly raw: string;
  /** The workflow input and result payloads. */
  readonly input: StoredPayload[];
  readonly result: StoredPayload[];
  /** Every payload anywhere in the history (activity inputs, results, memo, search attributes...). */
  readonly all: StoredPayload[];
}

type Json = Record<string, unknown>;

const fromBase64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : '', 'base64');

function toStored(payload: Json): StoredPayload {
  const metadata = (payload.metadata ?? {}) as Json;
  const meta = (key: string) => (key in metadata ? fromBase64(metadata[key]).toString('utf8') : undefined);
  return {
    encoding: meta('encoding'),
    keyId: meta(KEY_ID_METADATA),
    text: fromBase64(payload.data).toString('utf8'),
  };
}

function collect(node: unknown, out: StoredPayload[]): void {
  if (Array.isArray(node)) {
    node.forEach((item) => collect(item, out));
  } else if (node !== null && typeof node === 'object') {
    const record = node as Json;
    if (typeof record.metadata === 'object' && record.metadata !== null) out.push(toStored(record));
    else Object.values(record).forEach((value) => collect(value, out));
  }
}

const payloadsAt = (events: Json[], attributes: string, field: string): StoredPayload[] =>
  events.flatMap((event) => {
    const payloads = ((event[attributes] as Json | undefined)?.[field] as Json | undefined)?.payloads;
    return Array.isArray(payloads) ? payloads.map((p) => toStored(p as Json)) : [];
  });

export async function storedHistory(workflowId: string): Promise<StoredHistory> {
  const stdout = await showHistoryJson(workflowId);
  const events = ((JSON.parse(stdout) as Json).events ?? []) as Json[];
  const all: StoredPayload[] = [];
  collect(events, all);
  return {
    raw: stdout,
    input: payloadsAt(events, 'workflowExecutionStartedEventAttributes', 'input'),
    result: payloadsAt(events, 'workflowExecutionCompletedEventAttributes', 'result'),
    all,
  };
}
