/**
 * Replays histories against the current workflow code:
 *
 *   npm run replay -- <history.json | folder>...
 *   npm run replay -- --workflow-id <id> [--run-id <id>]
 *   npm run replay -- --query '<visibility query>' [--limit <n>]
 *
 * Exits 0 when every history replays (or a --query finds no run), 1 when one does not (the report
 * names the history and the mismatch), 2 on a usage error or when the histories can't be loaded,
 * so a deploy gate can tell a typo from a workflow change that would break running sagas.
 */
import { resolve } from 'node:path';

import { Client, Connection } from '@temporalio/client';
import { Command, CommanderError, InvalidArgumentError } from 'commander';

import { createDataConverter } from '../codec/data-converter';
import { loadConfig, type Config } from '../config';
import type { WorkflowBundle } from './bundles';
import { fetchHistories, fetchHistory, historyFiles, loadHistoryFile, type LoadedHistory } from './histories';
import { replayHistories } from './replay';
import { formatReport } from './report';
import { installReplayRuntime } from './runtime';

interface Options {
  workflowId?: string;
  runId?: string;
  query?: string;
  limit: number;
  workflows?: string;
}

const USAGE_ERROR = 2;

const program = new Command()
  .name('npm run replay --')
  // Commander exits 1 on its own errors; 1 is reserved for non-determinism here.
  .exitOverride()
  .description('Replay workflow histories against the current workflow code (exit 1 on non-determinism).')
  .argument('[paths...]', 'history JSON files (`temporal workflow show -o json`) or folders of them')
  .option('--workflow-id <id>', 'fetch the history of this workflow from the Temporal server')
  .option('--run-id <id>', 'with --workflow-id: this run instead of the latest')
  .option('--query <visibility query>', 'fetch the histories of the runs this list query finds')
  .option('--limit <n>', 'with --query: at most this many runs', (v) => positiveInt(v), 100)
  .option('--workflows <module>', "replay against this workflows module instead of the workers' own")
  .addHelpText(
    'after',
    [
      '\nExamples:',
      '  npm run replay -- test/histories',
      '  npm run replay -- --workflow-id purchase-demo-1',
      `  npm run replay -- --query 'WorkflowType="ticketPurchase" AND ExecutionStatus="Running"'`,
    ].join('\n'),
  )
  .action(async (paths: string[], options: Options) => {
    process.exitCode = await run(paths, options);
  });

async function run(paths: string[], options: Options): Promise<number> {
  const sources = [paths.length > 0, options.workflowId !== undefined, options.query !== undefined];
  if (sources.filter(Boolean).length !== 1) {
    program.error('give history files or folders, --workflow-id, or --query (one of them)', {
      exitCode: USAGE_ERROR,
    });
  }
  if (options.runId !== undefined && options.workflowId === undefined) {
    program.error('--run-id needs --workflow-id', { exitCode: USAGE_ERROR });
  }
  const config = loadConfig();
  installReplayRuntime();
  let histories: LoadedHistory[];
  try {
    if (options.query !== undefined) {
      const found = await withClient(config, (client) =>
        fetchHistories(client, options.query!, options.limit + 1),
      );
      if (found.length === 0) {
        // Nothing running is nothing at risk: a pre-deploy check must pass.
        console.log(`replay: no run matches ${options.query}`);
        return 0;
      }
      if (found.length > options.limit) {
        console.error(
          `replay: more than ${options.limit} runs match; checking the first ${options.limit} (raise --limit)`,
        );
      }
      histories = found.slice(0, options.limit);
    } else {
      histories =
        paths.length > 0
          ? await Promise.all((await historyFiles(paths)).map(loadHistoryFile))
          : [await withClient(config, (client) => fetchHistory(client, options.workflowId!, options.runId))];
    }
  } catch (error) {
    console.error(`replay: ${(error as Error).message}`);
    return USAGE_ERROR;
  }
  if (histories.length === 0) {
    console.error(`replay: no history found in ${paths.join(', ')}`);
    return USAGE_ERROR;
  }
  const bundles: WorkflowBundle[] | undefined = options.workflows
    ? [{ worker: options.workflows, workflowsPath: require.resolve(resolve(options.workflows)) }]
    : undefined;
  // Payloads encrypted on the server are decrypted as the workers do; plain ones pass through.
  const outcomes = await replayHistories(histories, { bundles, dataConverter: createDataConverter(config) });
  console.log(formatReport(outcomes));
  return outcomes.every((o) => o.error === null) ? 0 : 1;
}

async function withClient<T>(config: Config, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    return await use(new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }));
  } finally {
    await connection.close();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

program.parseAsync().catch((error: unknown) => {
  // Commander has already printed its message (or the help, which exits 0).
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR);
  console.error(error);
  process.exit(USAGE_ERROR);
});
