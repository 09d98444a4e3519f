/**
 * Payload encryption as an operator meets it. A purchase runs through the real API node and saga
 * worker (both on the project's data converter); its history is then exported with the real
 * `temporal` CLI three ways: plain, where every payload the application wrote is AES-GCM
 * ciphertext and the customer's data is nowhere in it; through the codec server with
 * `--codec-auth 'Bearer <token>'`; and through the path-token endpoint the Web UI is given.
 * The last two show the same payloads decrypted. A wrong token gets nothing decrypted.
 *
 * Search attributes are the one exception by design: the server must index them, so they stay
 * plain (CustomerId, TicketNumber... are opaque ids, never names or card data).
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../config';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../../codec/payload-codec';
import { startCodecServer, type RunningCodecServer } from '../../../codec/server';
import { scheduleShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { buy, purchaseBody } from '../api/purchase-flow';
import { showHistoryJson } from '../../support/temporal-cli';

const config = loadConfig();

interface FoundPayload {
  /** Where in the history JSON, e.g. `events.0.workflowExecutionStartedEventAttributes.input...` */
  readonly path: string;
  readonly encoding: string;
  readonly keyId: string | undefined;
  /** The data as the export shows it, base64-decoded (ciphertext for an encrypted payload). */
  readonly text: string;
}

const fromBase64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : '', 'base64').toString();

function payloadsIn(node: unknown, path = '', out: FoundPayload[] = []): FoundPayload[] {
  if (node === null || typeof node !== 'object') return out;
  const record = node as Record<string, unknown>;
  const metadata = record.metadata as Record<string, string> | undefined;
  if (metadata && typeof metadata === 'object' && 'encoding' in metadata) {
    out.push({
      path,
      encoding: fromBase64(metadata.encoding),
      keyId: metadata[KEY_ID_METADATA] === undefined ? undefined : fromBase64(metadata[KEY_ID_METADATA]),
      text: fromBase64(record.data),
    });
    return out;
  }
  for (const [key, value] of Object.entries(record)) payloadsIn(value, path ? `${path}.${key}` : key, out);
  return out;
}

const isSearchAttribute = (p: FoundPayload) => p.path.includes('searchAttributes');
/**
 * Core's own marker bookkeeping, written by the SDK core past the payload codec: a patch marker's
 * patch id and a local activity's type, sequence and attempt. It holds no customer data (the test
 * searches every payload for it below); a local activity's input and result are codec payloads.
 */
const isCoreMarkerData = (p: FoundPayload) =>
  /markerRecordedEventAttributes\.details\.(patch-data|data)\./.test(p.path);

let h: ApiHarness;
let codec: RunningCodecServer;
const token = `it-codec-${randomUUID()}`;
const holder = `Ada Cipher-${randomUUID().slice(0, 8)}`;
const customerId = `customer-codec-${randomUUID().slice(0, 8)}`;
let sagaId: string;
let ticketNumber: string;

/** `temporal workflow show -o json` of the purchase, with extra CLI flags. */
async function show(...flags: string[]): Promise<{ stdout: string; payloads: FoundPayload[] }> {
  const stdout = await showHistoryJson(sagaId, ...flags);
  return { stdout, payloads: payloadsIn(JSON.parse(stdout)) };
}

beforeAll(async () => {
  h = await startApiHarness({ name: 'codec', sagaWorker: true });
  codec = await startCodecServer({ ...config, CODEC_HOST: '127.0.0.1', CODEC_PORT: 0, CODEC_TOKEN: token });
  const { showtime } = await scheduleShowtime(h.uow, h.ctx, { rows: 2, seatsPerRow: 4 });
  const res = await buy(
    h.url,
    purchaseBody(showtime.id, [{ row: 1, number: 2 }], { customerId, cardHolderName: holder }),
  );
  expect(res.status).toBe(200);
  sagaId = res.body.sagaId;
  ticketNumber = res.body.ticketNumber;
}, 180_000);

afterAll(async () => {
  await codec?.close();
  await h?.close();
});

/** The decrypted history holds the purchase: the customer's data, the ticket, a readable result. */
function expectDecrypted(payloads: FoundPayload[]): void {
  const written = payloads.filter((p) => !isSearchAttribute(p) && !isCoreMarkerData(p));
  expect(written.length).toBeGreaterThan(5);
  for (const p of written) expect(['json/plain', 'binary/null']).toContain(p.encoding);
  const text = written.map((p) => p.text).join('\n');
  expect(text).toContain(holder);
  expect(text).toContain(`"customerId":"${customerId}"`);
  expect(text).toContain('"cardLast4":"1111"');
  const result = written.find((p) => p.path.includes('workflowExecutionCompletedEventAttributes.result'));
  expect(JSON.parse(result!.text)).toMatchObject({ success: true, sagaId, ticketNumber });
}

describe('a purchase history exported with the temporal CLI', () => {
  it('holds only ciphertext under the active key: no customer data in plain text', async () => {
    const { stdout, payloads } = await show();
    const written = payloads.filter((p) => !isSearchAttribute(p) && !isCoreMarkerData(p));

    // Input, memo, activity inputs and results, the workflow result: all of them encrypted.
    expect(written.length).toBeGreaterThan(5);
    expect(written.some((p) => p.path.includes('workflowExecutionStartedEventAttributes.input'))).toBe(true);
    expect(written.some((p) => p.path.includes('workflowExecutionCompletedEventAttributes.result'))).toBe(
      true,
    );
    for (const p of written) {
      expect({ path: p.path, encoding: p.encoding, keyId: p.keyId }).toEqual({
        path: p.path,
        encoding: ENCRYPTED_ENCODING,
        keyId: config.TEMPORAL_CODEC_ACTIVE_KEY_ID,
      });
    }

    const everything = [stdout, ...payloads.map((p) => p.text)].join('\n');
    for (const secret of [holder, 'tok_sim_', '"cardLast4"', '"seats"'])
      expect(everything).not.toContain(secret);
    // The customer id is a search attribute (indexed, so plain by design) and nowhere else.
    expect(payloads.filter(isSearchAttribute).some((p) => p.text.includes(customerId))).toBe(true);
    expect(written.some((p) => p.text.includes(customerId))).toBe(false);
  });

  it("is decrypted through the codec server with --codec-auth 'Bearer <token>'", async () => {
    const { payloads } = await show('--codec-endpoint', codec.base, '--codec-auth', `Bearer ${token}`);
    expectDecrypted(payloads);
  });

  it('is decrypted through the path-token endpoint the Web UI is given, without a header', async () => {
    expect(codec.withToken).toBe(`${codec.base}/${token}`);
    const { payloads } = await show('--codec-endpoint', codec.withToken);
    expectDecrypted(payloads);
  });

  it('is not decrypted with a wrong token: the CLI gives up with an error', async () => {
    await expect(
      show('--codec-endpoint', codec.base, '--codec-auth', 'Bearer not-the-token'),
    ).rejects.toThrow();
  });
});
