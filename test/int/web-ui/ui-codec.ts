/**
 * The codec server the dev server's Web UI decrypts payloads with. infra:up starts the UI with
 * `--ui-codec-endpoint` set from codec/endpoint.ts; the browser then calls that URL itself, so a
 * codec server must listen on exactly the configured CODEC_HOST:CODEC_PORT. One already running
 * there (`npm run codec-server`, `npm run stack`) is used; otherwise the test starts one.
 */
import { codecEndpoints } from '../../../codec/endpoint';
import { startCodecServer } from '../../../codec/server';
import type { Config } from '../../../config';
import { waitUntil } from '../../../scripts/infra/lib/wait';

/** The codec endpoint the running Web UI was started with ('' when none). */
export async function configuredUiCodecEndpoint(uiUrl: string): Promise<string> {
  const res = await fetch(`${uiUrl}/api/v1/settings`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${uiUrl}/api/v1/settings answered HTTP ${res.status}`);
  const settings = (await res.json()) as { Codec?: { Endpoint?: string } };
  return settings.Codec?.Endpoint ?? '';
}

async function answers(base: string): Promise<void> {
  const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/** Makes sure a codec server answers on the configured address; `close` stops it if started here. */
export async function ensureCodecServer(config: Config): Promise<{ close(): Promise<void> }> {
  const { base } = codecEndpoints(config);
  const running = await answers(base).then(
    () => true,
    () => false,
  );
  if (running) return { close: async () => undefined };
  try {
    return await startCodecServer(config);
  } catch (error) {
    // Someone else started one between the check and the listen: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await waitUntil(`codec server at ${base}`, () => answers(base), { timeoutMs: 15_000 });
    return { close: async () => undefined };
  }
}
