/**
 * FerretDB v1 with its SQLite backend: the MongoDB wire protocol locally (production uses a real
 * MongoDB replica set). Read-model code keeps to the subset both support: no transactions, change
 * streams or TTL indexes, and reads by `_id` alone (read-service/README.md).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { LOCAL_DEFAULTS } from '../../../config';
import { commandFingerprint } from '../lib/fingerprint';
import { binaryPath, buildGoBinary, isInstalled, type GoBinary } from '../lib/go-install';
import { LOOPBACK, portOf } from '../lib/ports';
import { spawnDetached } from '../lib/process';
import type { Service, ServiceContext } from '../service';

const PORT = portOf(LOCAL_DEFAULTS.MONGO_URL);

/** What the local build calls itself (`--version`): a changed build is rebuilt by `infra:up`. */
const FERRETDB_BUILD = 'v1.24.2-id-index';

// v1.24.2 is the last v1 release, the line with the pure-Go SQLite backend (no PostgreSQL needed).
export const FERRETDB: GoBinary = {
  module: 'github.com/FerretDB/FerretDB',
  version: 'v1.24.2',
  command: 'cmd/ferretdb',
  // Not `go install`: the Go proxy here refuses FerretDB's version list (HTTP 403), which go
  // install reads, and the published module lacks the generated build/version/version.txt that
  // the binary panics without at start.
  method: 'source',
  prepareSource: (dir) => {
    writeFileSync(join(dir, 'build', 'version', 'version.txt'), `${FERRETDB_BUILD}\n`);
    useIdIndex(dir);
  },
  builtVersion: FERRETDB_BUILD,
  expectation: 'first build ~2-5 min',
};

/**
 * The SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but filters (find, update, delete
 * by `_id`) on `_ferretdb_sjson->'$._id'`: the same value, yet SQLite uses an expression index
 * only for the very expression it was built on, so every lookup by `_id` scanned the collection
 * and the read model slowed down as it grew (test/int/read/ferretdb-id-index.int.test.ts). The
 * filter is rewritten to the index's expression.
 */
function useIdIndex(dir: string): void {
  const file = join(dir, 'internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
  const before = `IDColumn = DefaultColumn + "->'$._id'"`;
  const after = 'IDColumn = DefaultColumn + `->"_id"`';
  const source = readFileSync(file, 'utf8');
  if (source.includes(after)) return; // a build directory patched before
  if (!source.includes(before)) throw new Error(`${file}: expected ${before} (FerretDB changed?)`);
  writeFileSync(file, source.replace(before, after));
}

export const ferretdb: Service = {
  name: 'ferretdb',
  address: `${LOOPBACK}:${PORT} (MongoDB wire protocol)`,
  connectionVariables: ['MONGO_URL'],
  ports: [PORT],
  processMarker: 'ferretdb',
  readyTimeoutMs: 30_000,
  stopSignal: 'SIGTERM',
  stopGraceMs: 10_000,

  missingAptPackages: () => [],

  async probe() {
    const client = new MongoClient(`mongodb://${LOOPBACK}:${PORT}/`, {
      serverSelectionTimeoutMS: 2000,
      connectTimeoutMS: 2000,
      socketTimeoutMS: 3000,
      directConnection: true,
    });
    try {
      await client.db('admin').command({ ping: 1 });
    } finally {
      await client.close();
    }
  },

  async install(ctx: ServiceContext) {
    if (await isInstalled(ctx.paths.bin, FERRETDB)) return;
    await buildGoBinary(
      ctx.paths.bin,
      ctx.paths.build,
      FERRETDB,
      ctx.paths.log('build-ferretdb'),
      ctx.progress,
      ctx.progressIntervalMs,
    );
  },

  // The build's name is part of it: a server running an older build is stopped, rebuilt, started.
  commandFingerprint(ctx: ServiceContext) {
    const { command, args } = serverCommand(ctx);
    return commandFingerprint(command, [...args, `build=${FERRETDB_BUILD}`]);
  },

  async start(ctx: ServiceContext) {
    const { command, args, dataDir } = serverCommand(ctx);
    mkdirSync(dataDir, { recursive: true });
    return spawnDetached(command, args, { logFile: ctx.logFile, cwd: dataDir });
  },
};

function serverCommand(ctx: ServiceContext) {
  const dataDir = ctx.paths.data('ferretdb');
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=${LOOPBACK}:${PORT}`,
    '--telemetry=disable',
    `--state-dir=${dataDir}`,
    '--debug-addr=-',
    '--log-level=warn',
  ];
  return { command: binaryPath(ctx.paths.bin, FERRETDB), args, dataDir };
}
