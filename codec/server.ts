/**
 * Starts the codec server on CODEC_HOST:CODEC_PORT (port 0: any free port, for tests) and tells
 * where it is. Used by the `npm run codec-server` entry (codec/main.ts) and by tests that need a
 * real codec endpoint for the CLI or the Web UI.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { Config } from '../config';
import { createCodecApp } from './app';
import { createPayloadCodec } from './data-converter';
import { codecEndpoints, type CodecEndpoints } from './endpoint';

export type CodecServerConfig = Pick<
  Config,
  | 'TEMPORAL_CODEC_KEYS'
  | 'TEMPORAL_CODEC_ACTIVE_KEY_ID'
  | 'CODEC_HOST'
  | 'CODEC_PORT'
  | 'CODEC_TOKEN'
  | 'CODEC_CORS_ORIGINS'
>;

export interface RunningCodecServer extends CodecEndpoints {
  readonly port: number;
  close(): Promise<void>;
}

export async function startCodecServer(
  config: CodecServerConfig,
  logger: Logger = pino({ level: 'silent' }),
): Promise<RunningCodecServer> {
  const app = createCodecApp({
    codec: createPayloadCodec(config),
    token: config.CODEC_TOKEN,
    corsOrigins: config.CODEC_CORS_ORIGINS,
    logger,
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.CODEC_PORT, config.CODEC_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    ...codecEndpoints(config, port),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
