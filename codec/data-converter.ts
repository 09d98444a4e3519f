/**
 * The one data converter of every Temporal client and worker of the project: the SDK's default
 * payload converter (JSON) followed by the AES-GCM codec keyed from the configuration.
 *
 * `createDataConverter` is for places that take a converter directly (e.g. a replay worker).
 * `codecPlugin` carries the same converter on a connection: every Client and Worker created on
 * a Connection / NativeConnection that has it uses the codec without being told, so a new worker
 * or client cannot forget it. An explicit `dataConverter` option wins over the plugin (no double
 * encryption when both are given).
 */
import type { ClientPlugin, ConnectionPlugin } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnectionPlugin, WorkerPlugin } from '@temporalio/worker';
import type { Config } from '../config';
import { AesGcmPayloadCodec } from './payload-codec';

export type CodecConfig = Pick<Config, 'TEMPORAL_CODEC_KEYS' | 'TEMPORAL_CODEC_ACTIVE_KEY_ID'>;

export function createPayloadCodec(config: CodecConfig): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec({
    activeKeyId: config.TEMPORAL_CODEC_ACTIVE_KEY_ID,
    keys: config.TEMPORAL_CODEC_KEYS,
  });
}

export function createDataConverter(config: CodecConfig): DataConverter {
  return { payloadCodecs: [createPayloadCodec(config)] };
}

export type CodecPlugin = ClientPlugin & ConnectionPlugin & NativeConnectionPlugin & WorkerPlugin;

/** Pass in `plugins` of Connection.connect / NativeConnection.connect (or a test environment). */
export function codecPlugin(config: CodecConfig): CodecPlugin {
  const dataConverter = createDataConverter(config);
  return {
    name: 'cinema-booking.payload-encryption',
    configureClient: (options) => ({ ...options, dataConverter: options.dataConverter ?? dataConverter }),
    configureWorker: (options) => ({ ...options, dataConverter: options.dataConverter ?? dataConverter }),
    configureReplayWorker: (options) => ({
      ...options,
      dataConverter: options.dataConverter ?? dataConverter,
    }),
  };
}
