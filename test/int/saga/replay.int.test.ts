/**
 * Replay: every golden history in test/histories/ still replays against the workers' current
 * workflow code (a change that would break running sagas fails the build), and replay does catch
 * a non-deterministic change: the purchase saga with a new first step, in a test-only module,
 * fails on the recorded runs unless the step is behind patched(). Same functions as
 * `npm run replay`, and the CLI itself for its exit code and report.
 */
import { execFile } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

import { DeterminismViolationError } from '@temporalio/workflow';

import { createDataConverter } from '../../../codec/data-converter';
import { loadConfig } from '../../../config';
import { WORKER_BUNDLES, workflowTypesOf } from '../../../replay/bundles';
import { historyFiles, loadHistoryFile, type LoadedHistory } from '../../../replay/histories';
import { replayHistories } from '../../../replay/replay';
import { formatReport } from '../../../replay/report';
import { installReplayRuntime } from '../../../replay/runtime';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../../..');
const HISTORIES = join(ROOT, 'test/histories');
const changed = (name: string) => ({
  worker: name,
  workflowsPath: require.resolve(`./replay-workflows/${name}`),
});

let goldens: LoadedHistory[];
const golden = (file: string) => goldens.find((h) => h.source === join(HISTORIES, `${file}.json`))!;

beforeAll(async () => {
  try {
    installReplayRuntime();
  } catch {
    // already installed in this process
  }
  goldens = await Promise.all((await historyFiles([HISTORIES])).map(loadHistoryFile));
});

describe('the golden histories', () => {
  it('cover every workflow type the workers register', () => {
    const registered = WORKER_BUNDLES.flatMap(workflowTypesOf);
    const recorded = new Set(goldens.map((h) => h.workflowType));

    expect(registered.length).toBeGreaterThanOrEqual(4);
    expect(registered.filter((type) => !recorded.has(type))).toEqual([]);
  });

  it("all replay against the workers' current workflow code", async () => {
    // With the workers' data converter (the codec): the stored plain payloads pass through it.
    const outcomes = await replayHistories(goldens, { dataConverter: createDataConverter(loadConfig()) });

    const report = formatReport(outcomes);
    expect(outcomes.filter((o) => o.error !== null).map((o) => o.history.source)).toEqual([]);
    expect(report).toMatch(new RegExp(`${goldens.length} replayed, all deterministic$`));
  });
});

describe('a non-deterministic change', () => {
  // Runs from before the lean-saga patch: there the new activity meets a recorded upsert, which
  // Core names by event id. (In the patched shape the first event is the patch marker, and Core
  // reports that mismatch without an event id; replay still fails, see test/histories/README.md.)
  const preLean = (file: string) => golden(`before-lean-saga/${file}`);
  const recorded = () => [preLean('purchase-success'), preLean('purchase-payment-declined')];

  it('fails replay of the recorded runs, naming the mismatch', async () => {
    const outcomes = await replayHistories(recorded(), { bundles: [changed('unpatched-change')] });

    const report = formatReport(outcomes);
    for (const { error, history } of outcomes) {
      expect(error).toBeInstanceOf(DeterminismViolationError);
      // Core names the recorded event the new activity command collided with; the report shows it.
      const [, id, type] = /Activity machine .*HistoryEvent\(id: (\d+), (\w+)\)/.exec(error!.message) ?? [];
      expect({ id, type }).toEqual({ id: expect.stringMatching(/^\d+$/), type: expect.any(String) });
      expect(report).toContain(`FAIL  ticketPurchase ${history.workflowId} (${history.source})`);
      expect(report).toMatch(new RegExp(`>\\s+${id} ${type}`));
    }
    expect(report).toMatch(/DeterminismViolationError: \[TMPRL1100\] Nondeterminism error: Activity machine/);
    expect(report).toContain("patched('<change-id>')");
    expect(report).toMatch(/2 replayed, 2 failed$/);
  });

  it('replays once the change is behind patched()', async () => {
    const outcomes = await replayHistories(recorded(), { bundles: [changed('patched-change')] });

    expect(outcomes.map((o) => o.error)).toEqual([null, null]);
  });

  it('makes `npm run replay` exit 1 with the report', async () => {
    const file = relative(ROOT, preLean('purchase-success').source);
    const cli = promisify(execFile)(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['replay/cli.ts', '--workflows', 'test/int/saga/replay-workflows/unpatched-change.ts', file],
      { cwd: ROOT },
    );

    await expect(cli).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(
        /FAIL {2}ticketPurchase [\s\S]*Nondeterminism error[\s\S]*1 replayed, 1 failed/,
      ),
    });
  });

  it('makes `npm run replay` exit 2, not 1, on a usage error', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), ['replay/cli.ts', ...args], { cwd: ROOT });

    await expect(run('--no-such-flag', 'test/histories')).rejects.toMatchObject({ code: 2 });
    await expect(run('--run-id', 'r-1', 'test/histories')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--run-id needs --workflow-id'),
    });
  });
});
