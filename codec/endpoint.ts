/**
 * Where the codec server is reached from this machine: the base URL (the CLI adds
 * `--codec-auth 'Bearer <token>'`) and the URL with the token as its first path segment, which is
 * what the Web UI is given (it cannot add an Authorization header of its own). Kept free of
 * server code: the infra scripts import it to start the dev server with `--ui-codec-endpoint`.
 */
import type { Config } from '../config';

export type CodecEndpointConfig = Pick<Config, 'CODEC_HOST' | 'CODEC_PORT' | 'CODEC_TOKEN'>;

export interface CodecEndpoints {
  /** For `temporal --codec-endpoint <base> --codec-auth 'Bearer <token>'`. */
  readonly base: string;
  /** For the Web UI (`--ui-codec-endpoint`, TEMPORAL_CODEC_ENDPOINT) or the CLI without a header. */
  readonly withToken: string;
}

/** A wildcard bind address is not something to browse to: use loopback for it. */
const reachableHost = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

export function codecEndpoints(config: CodecEndpointConfig, port = config.CODEC_PORT): CodecEndpoints {
  const host = reachableHost(config.CODEC_HOST);
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { base, withToken: `${base}/${config.CODEC_TOKEN}` };
}
