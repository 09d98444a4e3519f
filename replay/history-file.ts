/**
 * Writing a history as a file: the JSON `temporal workflow show -o json` prints, with every
 * payload decoded by the given codecs (so encrypted payloads are stored in plain JSON and the file
 * replays without any key), and the workflow id filled into the started event so replay and its
 * report know which workflow it was.
 */
import type { PayloadCodec } from '@temporalio/common';
import {
  historyToJSON,
  JSONToPayload,
  payloadToJSON,
  type History,
  type JSONPayload,
} from '@temporalio/common/lib/proto-utils';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export async function historyFileText(
  history: History,
  workflowId: string,
  codecs: readonly PayloadCodec[] = [],
): Promise<string> {
  const json = JSON.parse(historyToJSON(history)) as { events: { [key: string]: Json }[] };
  const started = json.events[0]?.workflowExecutionStartedEventAttributes;
  if (typeof started !== 'object' || started === null || Array.isArray(started)) {
    throw new Error(`history of ${workflowId} does not begin with WorkflowExecutionStarted`);
  }
  started.workflowId = workflowId;
  // Codecs decode in the reverse of the order they encode in (as a DataConverter applies them).
  const decoding = [...codecs].reverse();
  const decoded = await mapPayloads(json, async (payload) => {
    let payloads = [JSONToPayload(payload)];
    for (const codec of decoding) payloads = await codec.decode(payloads);
    return payloadToJSON(payloads[0]!);
  });
  return `${JSON.stringify(decoded, null, 2)}\n`;
}

/** The payloads' data as text (JSON, mostly): what a search of a history file must look at. */
export async function payloadTexts(json: unknown): Promise<string[]> {
  const texts: string[] = [];
  await mapPayloads(json as Json, async (payload) => {
    if (payload.data) texts.push(Buffer.from(payload.data, 'base64').toString('utf8'));
    return payload;
  });
  return texts;
}

/** A payload in proto JSON: `{ metadata: { encoding: <base64>, ... }, data?: <base64> }`. */
function isPayload(node: { [key: string]: Json }): boolean {
  const { metadata } = node;
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    typeof metadata.encoding === 'string' &&
    (node.data === undefined || typeof node.data === 'string')
  );
}

/** The tree with every payload replaced, wherever it sits (inputs, results, failures, memo, headers). */
async function mapPayloads(node: Json, map: (payload: JSONPayload) => Promise<JSONPayload>): Promise<Json> {
  if (Array.isArray(node)) return Promise.all(node.map((item) => mapPayloads(item, map)));
  if (node === null || typeof node !== 'object') return node;
  if (isPayload(node)) return (await map(node as JSONPayload)) as Json;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = await mapPayloads(value, map);
  return out;
}
