/**
 * PostgreSQL (Debian's package) with its own cluster in data/postgres, trust auth on 127.0.0.1,
 * holding the write database and the reporting database. initdb and pg_ctl refuse to run as root,
 * so they run as the `postgres` user through runuser.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { externallyProvided, LOCAL_DEFAULTS, type ConnectionVariable } from '../../../config';
import { capture, isAlive, runToLog } from '../lib/process';
import { LOOPBACK, portOf } from '../lib/ports';
import type { Service, ServiceContext } from '../service';

const PORT = portOf(LOCAL_DEFAULTS.WRITE_DB_URL);
const SUPERUSER = 'postgres';
const OS_USER = 'postgres';

/** The databases the app expects, by the variable that would point elsewhere instead. */
const DATABASES: ReadonlyArray<[ConnectionVariable, string]> = [
  ['WRITE_DB_URL', databaseName(LOCAL_DEFAULTS.WRITE_DB_URL)],
  ['REPORTING_DB_URL', databaseName(LOCAL_DEFAULTS.REPORTING_DB_URL)],
];

function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}

/** Newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin. */
function serverBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

async function withAdminClient<T>(body: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    host: LOOPBACK,
    port: PORT,
    user: SUPERUSER,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
    query_timeout: 5000,
  });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

async function idsOf(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([capture('id', ['-u', user]), capture('id', ['-g', user])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * The postgres user must be able to reach its data dir under INFRA_HOME (by default under /root,
 * mode 0700): grant search (x, not read) to others on each ancestor that lacks it.
 */
function makeReachable(dir: string, say: (text: string) => void): void {
  for (let current = dirname(dir); ; current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(current, (mode & 0o7777) | 0o001);
      say(`granted o+x on ${current} so the postgres user can reach ${dir}`);
    }
    if (current === dirname(current)) break;
  }
}

async function ownedByPostgres(path: string, mode: number): Promise<void> {
  const { uid, gid } = await idsOf(OS_USER);
  chownSync(path, uid, gid);
  chmodSync(path, mode);
}

export const postgres: Service = {
  name: 'postgres',
  address: `${LOOPBACK}:${PORT} (databases ${DATABASES.map(([, name]) => name).join(', ')})`,
  connectionVariables: DATABASES.map(([variable]) => variable),
  ports: [PORT],
  processMarker: 'postgres',
  readyTimeoutMs: 60_000,
  stopSignal: 'SIGINT', // "fast" shutdown: SIGTERM would wait for every client to disconnect
  stopGraceMs: 30_000,

  missingAptPackages: () => (serverBinDir() ? [] : ['postgresql']),

  async probe() {
    await withAdminClient((client) => client.query('SELECT 1'));
  },

  async install() {
    // Debian's package is the installation (see missingAptPackages).
  },

  async start(ctx: ServiceContext) {
    const bin = serverBinDir();
    if (!bin) throw new Error('no PostgreSQL server under /usr/lib/postgresql');
    const dataDir = ctx.paths.data('postgres');
    mkdirSync(dataDir, { recursive: true });
    makeReachable(dataDir, (text) => ctx.progress.say(text));
    await ownedByPostgres(dataDir, 0o700);

    const asPostgres = (command: string, ...args: string[]) =>
      runToLog('runuser', ['-u', OS_USER, '--', join(bin, command), ...args], { logFile: ctx.logFile });

    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      ctx.progress.say('initdb');
      await asPostgres('initdb', '-D', dataDir, '--auth=trust', '-U', SUPERUSER, '-E', 'UTF8', '--no-locale');
    }
    ctx.progress.say('pg_ctl start');
    const serverOptions = `-p ${PORT} -k /tmp -c listen_addresses=${LOOPBACK} -c max_connections=200`;
    // No -l: the postmaster inherits pg_ctl's output, our already open log file descriptor, so
    // the postgres user never has to open a file under INFRA_HOME/logs itself.
    await asPostgres('pg_ctl', '-D', dataDir, '-o', serverOptions, '-w', '-t', '60', 'start');
    // pg_ctl daemonizes the postmaster; its pid is the first line of postmaster.pid.
    const pid = Number.parseInt(
      readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '',
      10,
    );
    return { pid, exit: () => (isAlive(pid) ? undefined : 'the postmaster exited') };
  },

  async afterReady() {
    const wanted = DATABASES.filter(([variable]) => !externallyProvided().has(variable)).map(
      ([, name]) => name,
    );
    await withAdminClient(async (client) => {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
      const existing = new Set(rows.map((row) => row.datname));
      for (const name of wanted.filter((n) => !existing.has(n))) {
        // Identifiers cannot be bound as parameters; the names come from config's LOCAL_DEFAULTS.
        await client.query(`CREATE DATABASE "${name}"`);
      }
    });
  },
};
