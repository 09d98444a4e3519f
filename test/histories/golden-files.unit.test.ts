/**
 * The golden histories as files: each one a history in the CLI's JSON format, naming its
 * workflow, stored decoded (no payload needs a key, so they replay with or without the codec),
 * and free of card numbers (they are committed, and the numbers must stay at the API edge).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { historyFromJSON } from '@temporalio/common/lib/proto-utils';

import { CardNumber } from '../../domain';
import { TEST_CARDS } from '../../providers/payment';
import { payloadTexts } from '../../replay/history-file';

interface JsonPayload {
  metadata: { encoding: string } & Record<string, string>;
  data?: string;
}

// Recursive: histories kept from before a patched change may sit in a sub-folder.
const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
const read = (file: string) => readFileSync(join(__dirname, file), 'utf8');

function payloadsIn(node: unknown, out: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(node)) node.forEach((item) => payloadsIn(item, out));
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const metadata = record.metadata as Record<string, unknown> | undefined;
    if (typeof metadata?.encoding === 'string') out.push(record as unknown as JsonPayload);
    Object.values(record).forEach((value) => payloadsIn(value, out));
  }
  return out;
}

/** 15-19 digits, or groups of four split by spaces or dashes, standing alone (not inside an id). */
const CARD_LIKE = /(?<![\w-])(?:\d{15,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{3,7})(?![\w-])/g;

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

it('there are golden histories', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

describe.each(files)('%s', (file) => {
  const text = read(file);
  const json: unknown = JSON.parse(text);

  it('is a history that names its workflow', () => {
    const history = historyFromJSON(json);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.workflowType?.name).toEqual(expect.any(String));
    expect(started?.workflowId).toMatch(/\S/);
  });

  it('holds plain payloads only (readable, and replayable without a key)', () => {
    const encodings = new Set(payloadsIn(json).map((p) => decode(p.metadata.encoding)));
    const keyed = payloadsIn(json).filter((p) => Object.keys(p.metadata).some((key) => /encrypt/i.test(key)));

    expect([...encodings].filter((e) => !['json/plain', 'binary/null'].includes(e))).toEqual([]);
    expect(keyed).toEqual([]);
  });

  it('holds no card number, not even inside a payload', async () => {
    const searched = [text, ...(await payloadTexts(json))].join('\n');

    expect(Object.keys(TEST_CARDS).filter((card) => searched.includes(card))).toEqual([]);
    // Anything else shaped like a card that passes the checksum. (13-digit runs are epoch ms.)
    const cardLike = (searched.match(CARD_LIKE) ?? []).filter((run) => CardNumber.parse(run).ok);
    expect(cardLike).toEqual([]);
  });
});
