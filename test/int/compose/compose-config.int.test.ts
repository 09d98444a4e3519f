/**
 * docker-compose.yml read by compose-go, the parser Docker Compose itself runs (scripts/compose-check):
 * the file passes the compose schema, interpolation, merge keys and depends_on checks that
 * `docker compose config` applies, which reading the YAML alone (test/unit/compose.unit.test.ts)
 * cannot. Each check also runs on a broken copy, to show the parser refuses it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
let work: string;
let checker: string;

interface Project {
  services: Record<
    string,
    { depends_on?: Record<string, unknown>; volumes?: { source: string; target: string }[] }
  >;
}

/** The resolved project, or the parser's refusal as `{ error }`. */
function load(text: string): Project | { error: string } {
  const file = join(work, `compose-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  try {
    return JSON.parse(execFileSync(checker, [file], { encoding: 'utf8', stdio: 'pipe' })) as Project;
  } catch (error) {
    return { error: String((error as { stderr?: string }).stderr ?? error).trim() };
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'compose-check-'));
  checker = join(work, 'compose-check');
  // Built once per run; Go's build cache makes a rebuild take about a second.
  execFileSync('go', ['build', '-o', checker, '.'], {
    cwd: join(root, 'scripts/compose-check'),
    stdio: 'pipe',
  });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('docker-compose.yml, parsed by compose-go', () => {
  it('loads, with every dependency a service of the file and the Temporal dynamic config mounted', () => {
    const project = load(composeText);
    expect(project).not.toHaveProperty('error');
    const { services } = project as Project;
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['gateway', 'lb', 'api-1', 'api-2', 'temporal']),
    );
    for (const service of Object.values(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(services).toHaveProperty([dependency]);
    }
    expect(services.temporal!.volumes).toEqual(
      expect.arrayContaining([expect.objectContaining({ source: './config/temporal/dynamicconfig.yaml' })]),
    );
  });

  it('refuses a dependency on a service the file lacks', () => {
    const broken = composeText.replace(
      /(\n {2}gateway:\n(?:.*\n)*? {4}depends_on:\n)/,
      '$1      no-such-service:\n        condition: service_started\n',
    );
    expect(broken).not.toEqual(composeText);
    expect(load(broken)).toEqual({ error: expect.stringContaining('no-such-service') });
  });

  it('refuses a key the compose schema does not know', () => {
    const broken = composeText.replace('\n  gateway:\n', '\n  gateway:\n    restartt: always\n');
    expect(load(broken)).toEqual({ error: expect.stringContaining('restartt') });
  });
});
