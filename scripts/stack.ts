/**
 * `npm run stack`: the whole topology on one machine with one command. Provisions the local
 * infrastructure, migrates and seeds the write database, builds the web app (web/dist, served by
 * the gateway at /), then runs every process under one
 * supervisor (concurrently): prefixed output; Ctrl-C or a process failing stops them all. A process
 * that exits cleanly (e.g. one API node stopped with SIGTERM) leaves the others running: the load
 * balancer takes it out of rotation. Log lines are shown by pino-pretty (scripts/stack-logs.ts);
 * `npm run stack -- --json` keeps the processes' JSON as it is, e.g. for jq.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import concurrently from 'concurrently';
import { codecEndpoints } from '../codec/endpoint';
import { DEV_ONLY_CODEC_SECRETS, loadConfig } from '../config';
import { prettyLogStream, stackPrettifier } from './stack-logs';

const config = loadConfig();

for (const step of ['infra:up', 'db:migrate', 'db:seed', 'web:build']) {
  console.log(`── npm run ${step}`);
  execSync(`npm run --silent ${step}`, { stdio: 'inherit' });
}

const [api1 = '127.0.0.1:5001', api2 = '127.0.0.1:5002'] = config.API_UPSTREAMS;
// The gateway authenticates to the read service, as in production: a fresh secret per run.
const readServiceToken = {
  READ_SERVICE_TOKEN: config.READ_SERVICE_TOKEN ?? randomBytes(32).toString('base64url'),
};
const port = (hostPort: string) => hostPort.split(':')[1]!;

const output = process.argv.includes('--json')
  ? process.stdout
  : prettyLogStream(stackPrettifier(process.stdout.isTTY === true));
if (output !== process.stdout) output.pipe(process.stdout);

const { result } = concurrently(
  [
    { name: 'saga', command: 'npm run --silent worker:saga' },
    { name: 'relay', command: 'npm run --silent worker:relay' },
    { name: 'read', command: 'npm run --silent read-service', env: readServiceToken },
    { name: 'api1', command: 'npm run --silent api', env: { API_PORT: port(api1) } },
    { name: 'api2', command: 'npm run --silent api', env: { API_PORT: port(api2) } },
    { name: 'lb', command: 'npm run --silent lb' },
    { name: 'gateway', command: 'npm run --silent gateway', env: readServiceToken },
    // Decrypts payloads for the Web UI (the dev server points its UI here) and the CLI.
    { name: 'codec', command: 'npm run --silent codec-server' },
  ],
  { prefix: 'name', killOthersOn: ['failure'], handleInput: false, outputStream: output },
);

const codec = codecEndpoints(config);
// A real token stays off the screen; the public development one is printed ready to paste.
const token =
  config.CODEC_TOKEN === DEV_ONLY_CODEC_SECRETS.CODEC_TOKEN ? config.CODEC_TOKEN : '<CODEC_TOKEN>';

console.log(`
  Web app          http://127.0.0.1:${config.GATEWAY_PORT}/   (development sign-in: /sign-in)
  Gateway          http://127.0.0.1:${config.GATEWAY_PORT}   (health: /health)
  Swagger UI       http://127.0.0.1:${config.GATEWAY_PORT}/swagger   (OpenAPI document: /openapi.json)
  Load balancer    http://127.0.0.1:${config.LB_PORT}  ->  ${config.API_UPSTREAMS.join(', ')}
  Temporal Web UI  ${config.TEMPORAL_UI_URL}   (payloads decrypted through the codec server)
  Codec server     ${codec.base}   (Web UI endpoint ${codec.base}/${token})
  Decrypted CLI:   temporal workflow show -w <id> --codec-endpoint ${codec.base} --codec-auth 'Bearer ${token}'
  Sign in:         TOKEN=$(npm run -s token -- --sub customer-123 --role customer)   (roles: customer, staff, admin)
                   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:${config.GATEWAY_PORT}/api/customers/customer-123/tickets
                   Swagger UI: Authorize, paste the token; the web app: POST /api/dev/sign-in
  Buy a ticket:    npm run demo:purchase      Stop everything: Ctrl-C
`);

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
