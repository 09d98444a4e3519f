/**
 * Replays histories against the current workflow code:
 *
 *   npm run replay -- <history.json | folder>...
 *   npm run replay -- --workflow-id <id> [--run-id <id>]
 *   npm run replay -- --query '<visibility query>' [--limit <n>]
 *
 * Exits 0 when every history replays, 1 when one does not (the report names the history and the
 * mismatch), 2 when the histories can't be loaded.
 */
import { resolve } from 'node:path';

import { Client, Connection } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';

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

const program = new Command()
  .name('npm run replay --')
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
    program.error('give history files or folders, --workflow-id, or --query (one of them)');
  }
  if (options.runId !== undefined && options.workflowId === undefined) {
    program.error('--run-id needs --workflow-id');
  }
  const config = loadConfig();
  installReplayRuntime();
  let histories: LoadedHistory[];
  try {
    histories =
      paths.length > 0
        ? await Promise.all((await historyFiles(paths)).map(loadHistoryFile))
        : await withClient(config, async (client) =>
            options.query !== undefined
              ? fetchHistories(client, options.query, options.limit)
              : [await fetchHistory(client, options.workflowId!, options.runId)],
          );
  } catch (error) {
    console.error(`replay: ${(error as Error).message}`);
    return 2;
  }
  if (histories.length === 0) {
    console.error(`replay: no history found (${options.query ?? paths.join(', ')})`);
    return 2;
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
  console.error(error);
  process.exit(2);
});
