/**
 * docker-compose.yml cannot be started on the development machine (no Docker engine), so this
 * test keeps it honest by reading it: every variable an application service sets is one
 * config/index.ts reads, every service the code needs is there, the published ports match the
 * README's ports table and the configuration defaults, every application command is an npm
 * script of package.json, and every address an application is given names a compose service
 * listening on that port. Each check also runs against a broken copy, to show it can fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { CONFIG_VARIABLES, loadConfig } from '../../config';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../scripts/infra/services/temporal';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { published?: string | number; target?: number })[];
}
interface Compose {
  services: Record<string, Service>;
}

/** Merge keys (`<<: *app-env`) are YAML 1.1; docker compose resolves them, so the parser must too. */
const loadCompose = (text: string): Compose => parse(text, { merge: true }) as Compose;

/** The services the code needs: the infrastructure and every process of the production-like topology. */
const REQUIRED_SERVICES = [
  'mssql',
  'mssql-init',
  'kafka',
  'kafka-ui',
  'mongo1',
  'mongo2',
  'mongo3',
  'mongo-init',
  'redis',
  'temporal',
  'temporal-ui',
  'api-1',
  'api-2',
  'lb',
  'gateway',
  'saga-worker',
  'relay-worker',
  'read-service',
  'codec-server',
  'migrate',
];

/** Services built from the project's Dockerfile: they may set only variables config/index.ts reads. */
const APP_SERVICES = [
  'migrate',
  'api-1',
  'api-2',
  'lb',
  'gateway',
  'saga-worker',
  'relay-worker',
  'read-service',
  'codec-server',
];

/** Variables the third-party images read, allowed on those services only (never on app services). */
const INFRA_ENV: Record<string, readonly string[]> = {
  mssql: ['ACCEPT_EULA', 'MSSQL_PID', 'MSSQL_SA_PASSWORD'],
  'mssql-init': ['MSSQL_SA_PASSWORD'],
  kafka: [
    'KAFKA_NODE_ID',
    'KAFKA_PROCESS_ROLES',
    'CLUSTER_ID',
    'KAFKA_CONTROLLER_QUORUM_VOTERS',
    'KAFKA_LISTENERS',
    'KAFKA_ADVERTISED_LISTENERS',
    'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP',
    'KAFKA_CONTROLLER_LISTENER_NAMES',
    'KAFKA_INTER_BROKER_LISTENER_NAME',
    'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
    'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
    'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
    'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS',
    'KAFKA_AUTO_CREATE_TOPICS_ENABLE',
    'KAFKA_LOG_DIRS',
  ],
  'kafka-ui': ['KAFKA_CLUSTERS_0_NAME', 'KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS'],
  'temporal-postgresql': ['POSTGRES_USER', 'POSTGRES_PASSWORD'],
  temporal: [
    'DB',
    'DB_PORT',
    'POSTGRES_USER',
    'POSTGRES_PWD',
    'POSTGRES_SEEDS',
    'NUM_HISTORY_SHARDS',
    'DYNAMIC_CONFIG_FILE_PATH',
  ],
  'temporal-ui': ['TEMPORAL_ADDRESS', 'TEMPORAL_CORS_ORIGINS', 'TEMPORAL_CODEC_ENDPOINT'],
};

/** Published host ports the README's tables must list (and compose must publish). */
const README_PORTS = [5005, 5003, 5001, 5002, 50051, 8234, 7233, 8233, 9092, 6379, 27017, 8080, 1433];

/** The variable that sets the port each application service listens on. */
const LISTEN_PORT_VARIABLE: Record<string, string> = {
  'api-1': 'API_PORT',
  'api-2': 'API_PORT',
  lb: 'LB_PORT',
  gateway: 'GATEWAY_PORT',
  'read-service': 'READ_GRPC_PORT',
  'codec-server': 'CODEC_PORT',
};

/** Variables whose value is a comma-separated host:port list pointing at other services. */
const ADDRESS_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'KAFKA_BROKERS',
  'API_UPSTREAMS',
  'LB_ADDRESS',
  'READ_SERVICE_ADDRESS',
];

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** [host port, container port] of each published mapping (`"H:C"`, `"IP:H:C"`, long syntax). */
function portsOf(service: Service): [number, number][] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return [Number(p.published), Number(p.target)];
    const parts = String(p).split('/')[0]!.split(':');
    const container = Number(parts[parts.length - 1]);
    return [parts.length > 1 ? Number(parts[parts.length - 2]) : container, container];
  });
}

function commandText(service: Service): string {
  const c = service.command;
  return Array.isArray(c) ? c.join(' ') : (c ?? '');
}

/** The configuration's default value of a variable, when it has one. */
function configDefault(variable: string): unknown {
  return (loadConfig({}) as Record<string, unknown>)[variable];
}

// ------------------------------------------------------------------ the checks (each returns problems)

function checkEnvironment(compose: Compose): string[] {
  const known = new Set(CONFIG_VARIABLES);
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const isApp = service.build !== undefined;
    for (const variable of Object.keys(environmentOf(service))) {
      if (isApp && !known.has(variable)) {
        problems.push(`${name}: ${variable} is not read by config/index.ts`);
      }
      if (!isApp && !(INFRA_ENV[name] ?? []).includes(variable)) {
        problems.push(`${name}: ${variable} is not in the test's list of variables its image reads`);
      }
    }
  }
  for (const name of APP_SERVICES) {
    if (compose.services[name] && compose.services[name].build === undefined) {
      problems.push(`${name}: an application service must be built from the project's Dockerfile`);
    }
  }
  return problems;
}

function checkServices(compose: Compose): string[] {
  const present = new Set(Object.keys(compose.services));
  return REQUIRED_SERVICES.filter((s) => !present.has(s)).map((s) => `missing service ${s}`);
}

function checkPorts(compose: Compose, readme: string): string[] {
  const problems: string[] = [];
  const tableRows = readme.split('\n').filter((line) => line.trimStart().startsWith('|'));
  const published = new Map<number, string>();
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [host] of portsOf(service)) {
      if (published.has(host)) problems.push(`port ${host} published by ${published.get(host)} and ${name}`);
      published.set(host, name);
    }
  }
  for (const port of README_PORTS) {
    if (!tableRows.some((row) => new RegExp(`(^|[^0-9])${port}([^0-9]|$)`).test(row))) {
      problems.push(`port ${port} is not in a README table row`);
    }
    if (!published.has(port)) problems.push(`port ${port} (README) is not published by docker-compose.yml`);
  }
  for (const [name, variable] of Object.entries(LISTEN_PORT_VARIABLE)) {
    const service = compose.services[name];
    if (!service) continue;
    const listen = Number(environmentOf(service)[variable] ?? configDefault(variable));
    const ports = portsOf(service);
    if (!ports.some(([host, container]) => host === listen && container === listen)) {
      problems.push(`${name} listens on ${variable}=${listen} but publishes ${JSON.stringify(ports)}`);
    }
  }
  // The first API node and the read service run on the configuration's defaults.
  const expectDefault = (variable: string, value: number) => {
    if (configDefault(variable) !== value) problems.push(`config default ${variable} is not ${value}`);
  };
  expectDefault('API_PORT', 5001);
  expectDefault('READ_GRPC_PORT', 50051);
  return problems;
}

function checkCommands(compose: Compose, scripts: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const name of APP_SERVICES) {
    const service = compose.services[name];
    if (!service) continue;
    const text = commandText(service);
    const used = [...text.matchAll(/\bnpm run ([\w:.-]+)/g)].map((m) => m[1]!);
    const rest = text.replace(/\bnpm run [\w:.-]+/g, '').replace(/^sh -c|&&/g, '');
    if (used.length === 0 || rest.trim() !== '') {
      problems.push(`${name}: command "${text}" is not only npm scripts`);
    }
    for (const script of used) {
      if (!(script in scripts)) problems.push(`${name}: npm script "${script}" is not in package.json`);
    }
  }
  return problems;
}

function checkAddresses(compose: Compose): string[] {
  const problems: string[] = [];
  for (const name of APP_SERVICES) {
    const env = environmentOf(compose.services[name] ?? {});
    for (const variable of ADDRESS_VARIABLES) {
      if (!env[variable]) continue;
      for (const address of env[variable].split(',')) {
        const [host, port] = address.trim().split(':');
        const target = compose.services[host!];
        const targetPort = Number(port);
        const listens =
          target &&
          (portsOf(target).some(([, container]) => container === targetPort) ||
            Object.values(environmentOf(target)).some((v) => v.includes(`:${targetPort}`)));
        if (!listens) problems.push(`${name}: ${variable} names ${address}, no such service port`);
      }
    }
  }
  return problems;
}

// ------------------------------------------------------------------ tests

const composeText = read('docker-compose.yml');
const readme = read('README.md');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const fresh = () => loadCompose(composeText);

describe('docker-compose.yml', () => {
  it('parses, and builds every application service from the one Dockerfile', () => {
    const compose = fresh();
    expect(Object.keys(compose.services).length).toBeGreaterThan(0);
    for (const name of APP_SERVICES) {
      expect(compose.services[name]?.build).toMatchObject({ context: '.', dockerfile: 'Dockerfile' });
    }
  });

  it('sets only variables config/index.ts reads on application services (infra: their image variables)', () => {
    expect(checkEnvironment(fresh())).toEqual([]);
    const broken = fresh();
    (broken.services['api-1']!.environment as Record<string, string>).API_PROT = '5001';
    (broken.services.redis!.environment as unknown) = { WRITE_DB_URL: 'x' };
    expect(checkEnvironment(broken).sort()).toEqual([
      'api-1: API_PROT is not read by config/index.ts',
      "redis: WRITE_DB_URL is not in the test's list of variables its image reads",
    ]);
  });

  it('has every service the code needs', () => {
    expect(checkServices(fresh())).toEqual([]);
    const broken = fresh();
    delete broken.services.mongo3;
    delete broken.services.migrate;
    expect(checkServices(broken)).toEqual(['missing service mongo3', 'missing service migrate']);
  });

  it("publishes the README's ports, and each application port matches its variable (or the default)", () => {
    expect(checkPorts(fresh(), readme)).toEqual([]);
    const broken = fresh();
    broken.services['read-service']!.ports = ['50052:50051'];
    expect(checkPorts(broken, readme)).toEqual([
      'port 50051 (README) is not published by docker-compose.yml',
      'read-service listens on READ_GRPC_PORT=50051 but publishes [[50052,50051]]',
    ]);
    expect(checkPorts(fresh(), readme.replace(/8233/g, '8234'))).toEqual([
      'port 8233 is not in a README table row',
    ]);
  });

  it('runs only npm scripts that package.json has', () => {
    expect(checkCommands(fresh(), scripts)).toEqual([]);
    const broken = fresh();
    broken.services['saga-worker']!.command = ['npm', 'run', 'worker:sagas'];
    broken.services['api-2']!.command = ['node', 'api/server.ts'];
    expect(checkCommands(broken, scripts)).toEqual([
      'api-2: command "node api/server.ts" is not only npm scripts',
      'saga-worker: npm script "worker:sagas" is not in package.json',
    ]);
  });

  it('points every address variable at a compose service on the port it serves', () => {
    expect(checkAddresses(fresh())).toEqual([]);
    const broken = fresh();
    (broken.services.gateway!.environment as Record<string, string>).LB_ADDRESS = 'lb:5004';
    expect(checkAddresses(broken)).toEqual(['gateway: LB_ADDRESS names lb:5004, no such service port']);
  });
});

describe("docker-compose's Temporal server", () => {
  /** Problems between the mounted dynamic config file and the dev server's settings. */
  function dynamicConfigDrift(compose: Compose, fileText: string): string[] {
    const temporal = compose.services.temporal as Service & { volumes?: string[] };
    const env = temporal.environment as Record<string, unknown>;
    const problems: string[] = [];
    const mount = (temporal.volumes ?? []).find((v) => v.startsWith('./config/temporal/dynamicconfig.yaml:'));
    const target = mount?.split(':')[1];
    if (!target || target !== `/etc/temporal/${String(env.DYNAMIC_CONFIG_FILE_PATH)}`) {
      problems.push('the dynamic config file is not mounted where DYNAMIC_CONFIG_FILE_PATH points');
    }
    if (!(Number(env.NUM_HISTORY_SHARDS) > 1)) problems.push('NUM_HISTORY_SHARDS is not set above 1');
    const file = parse(fileText) as Record<string, { value: unknown }[]>;
    // The dev server takes each value as JSON (a duration is a quoted string there).
    const fromFile = Object.entries(file).map(([key, [entry]]) => `${key}=${JSON.stringify(entry?.value)}`);
    const fromDev = DEV_SERVER_DYNAMIC_CONFIG.map(([key, value]) => `${key}=${value}`);
    for (const setting of fromDev) if (!fromFile.includes(setting)) problems.push(`file lacks ${setting}`);
    for (const setting of fromFile)
      if (!fromDev.includes(setting)) problems.push(`dev server lacks ${setting}`);
    return problems;
  }

  it('mounts the same dynamic config the dev server runs with, and sets its shard count', () => {
    const file = read('config/temporal/dynamicconfig.yaml');
    expect(dynamicConfigDrift(fresh(), file)).toEqual([]);
    expect(dynamicConfigDrift(fresh(), file.replace('value: 10000', 'value: 20'))).toEqual([
      'file lacks history.transferProcessorMaxPollRPS=10000',
      'dev server lacks history.transferProcessorMaxPollRPS=20',
    ]);
    const broken = fresh();
    (broken.services.temporal as Service & { volumes?: string[] }).volumes = [];
    expect(dynamicConfigDrift(broken, file)).toEqual([
      'the dynamic config file is not mounted where DYNAMIC_CONFIG_FILE_PATH points',
    ]);
  });
});
