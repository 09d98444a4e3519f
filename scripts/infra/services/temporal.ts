/** Temporal dev server (frontend + Web UI in one process), persisted to a SQLite file. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { codecEndpoints } from '../../../codec/endpoint';
import { LOCAL_DEFAULTS, loadConfig } from '../../../config';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeFlags } from '../../../workflows/search-attributes';
import { commandFingerprint } from '../lib/fingerprint';
import { binaryPath, buildGoBinary, isInstalled, type GoBinary } from '../lib/go-install';
import { LOOPBACK, portOf } from '../lib/ports';
import { spawnDetached } from '../lib/process';
import type { Service, ServiceContext } from '../service';

const FRONTEND_PORT = portOf(LOCAL_DEFAULTS.TEMPORAL_ADDRESS);
const UI_PORT = portOf(LOCAL_DEFAULTS.TEMPORAL_UI_URL);
const NAMESPACE = LOCAL_DEFAULTS.TEMPORAL_NAMESPACE;

// v1.5.1 is the newest CLI tag whose go.mod has no `replace`, so `go install pkg@version` works.
export const TEMPORAL_CLI: GoBinary = {
  module: 'github.com/temporalio/cli',
  version: 'v1.5.1',
  command: 'cmd/temporal',
  ldflags: '-s -w -X github.com/temporalio/cli/temporalcli.Version=1.5.1',
  method: 'install',
  expectation: 'the first build compiles the whole Temporal server, ~5-15 min on 2 cores',
};

async function withConnection<T>(body: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({
    address: `${LOOPBACK}:${FRONTEND_PORT}`,
    connectTimeout: 2000,
  });
  try {
    return await body(connection);
  } finally {
    await connection.close();
  }
}

/**
 * Engine settings of the local dev server, each for a measured reason (README, "Engine settings").
 * docker-compose's server reads the same keys from temporal/dynamicconfig/production.yaml.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: ReadonlyArray<readonly [key: string, value: string, why: string]> = [
  // One history shard here: at the default 20 loads/s per shard every transfer task (an activity
  // to schedule, the workflow task after it) waited up to 50 ms, ~100 ms per saga step.
  ['history.transferProcessorMaxPollRPS', '10000', 'transfer queue read at once, not every 50 ms'],
  ['history.transferProcessorMaxPollHostRPS', '10000', 'the host-wide cap of the same reader'],
  // The worker that completes a workflow task takes the next activity in the same response,
  // saving a matching round trip per step.
  ['system.enableActivityEagerExecution', 'true', 'next activity handed back with the workflow task'],
  // With the default 1 s, a timer fired up to a second late: a workflow sleeping 1 ms took
  // 1,040-1,090 ms end to end, and 80-130 ms with 1ms (same machine, same run).
  ['history.timerProcessorMaxTimeShift', '"1ms"', 'a timer fires when due, not up to 1 s late'],
  // POST /api/reservations starts a hold and asks for its placement in one call
  // (api/reservation-hold/reservation-holds.ts); off by default on older servers.
  ['frontend.enableExecuteMultiOperation', 'true', 'update-with-start for seat holds'],
];

/** SQLite pragmas: a write-ahead log with normal syncs (crash-safe, not power-loss-safe: dev only). */
export const DEV_SERVER_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

/**
 * The dev server's command line. The Web UI gets the codec server's path-token endpoint
 * (codec/endpoint.ts) so it shows payloads decrypted while `npm run codec-server` (or the stack)
 * runs; without it the UI shows them as encrypted.
 */
function devServerCommand(ctx: ServiceContext): { command: string; args: string[] } {
  const args = [
    'server',
    'start-dev',
    '--ip',
    LOOPBACK,
    '--port',
    String(FRONTEND_PORT),
    '--ui-port',
    String(UI_PORT),
    '--ui-codec-endpoint',
    codecEndpoints(loadConfig()).withToken,
    '--db-filename',
    join(ctx.paths.data('temporal'), 'temporal.db'),
    '--namespace',
    NAMESPACE,
    '--log-level',
    'warn',
    ...searchAttributeFlags().flatMap((flag) => ['--search-attribute', flag]),
    ...DEV_SERVER_DYNAMIC_CONFIG.flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]),
    ...DEV_SERVER_SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
  ];
  return { command: binaryPath(ctx.paths.bin, TEMPORAL_CLI), args };
}

export const temporal: Service = {
  name: 'temporal',
  address: `${LOOPBACK}:${FRONTEND_PORT} (Web UI http://${LOOPBACK}:${UI_PORT})`,
  connectionVariables: ['TEMPORAL_ADDRESS'],
  ports: [FRONTEND_PORT, UI_PORT],
  processMarker: 'start-dev',
  readyTimeoutMs: 90_000,
  stopSignal: 'SIGTERM',
  stopGraceMs: 20_000,

  missingAptPackages: () => [],

  async probe() {
    // The frontend answering for the namespace means the server is up, not just listening.
    await withConnection((c) =>
      c.withDeadline(Date.now() + 3000, () => c.workflowService.describeNamespace({ namespace: NAMESPACE })),
    );
    const ui = await fetch(`http://${LOOPBACK}:${UI_PORT}/`, { signal: AbortSignal.timeout(2000) });
    if (!ui.ok) throw new Error(`Web UI answered HTTP ${ui.status}`);
  },

  async install(ctx: ServiceContext) {
    if (await isInstalled(ctx.paths.bin, TEMPORAL_CLI)) return;
    await buildGoBinary(
      ctx.paths.bin,
      ctx.paths.build,
      TEMPORAL_CLI,
      ctx.paths.log('build-temporal'),
      ctx.progress,
      ctx.progressIntervalMs,
    );
  },

  async start(ctx: ServiceContext) {
    const dataDir = ctx.paths.data('temporal');
    mkdirSync(dataDir, { recursive: true });
    const { command, args } = devServerCommand(ctx);
    return spawnDetached(command, args, {
      logFile: ctx.logFile,
      cwd: dataDir,
      secrets: [loadConfig().CODEC_TOKEN],
    });
  },

  commandFingerprint(ctx: ServiceContext) {
    const { command, args } = devServerCommand(ctx);
    return commandFingerprint(command, args);
  },

  async afterReady() {
    // A reused server (not started here) may lack the saga's attributes: say so instead of
    // letting workflows fail later with an opaque "search attribute not defined".
    const registered = await withConnection((c) =>
      c.operatorService.listSearchAttributes({ namespace: NAMESPACE }),
    );
    const known = new Set(Object.keys(registered.customAttributes ?? {}));
    const missing = ALL_SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !known.has(name));
    if (missing.length > 0) {
      throw new Error(
        `the server on ${FRONTEND_PORT} lacks search attributes ${missing.join(', ')}; ` +
          'it was not started by infra:up: stop it (npm run infra:down -- temporal) and run infra:up',
      );
    }
  },
};
