/**
 * `npm run replay -- <history.json | folder>...` or `npm run replay -- --workflow-id <id> [--run-id <id>]`:
 * replays histories against the current workflow code. Exits 0 when every one replays, 1 when one
 * does not (with a report naming the history and the mismatch), 2 when the histories can't be loaded.
 */
import { resolve } from 'node:path';

import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';

import { createDataConverter } from '../codec/data-converter';
import { loadConfig, type Config } from '../config';
import type { WorkflowBundle } from './bundles';
import { fetchHistory, historyFiles, loadHistoryFile, type LoadedHistory } from './histories';
import { replayHistories } from './replay';
import { formatReport } from './report';
import { installReplayRuntime } from './runtime';

interface Options {
  workflowId?: string;
  runId?: string;
  workflows?: string;
}

const program = new Command()
  .name('npm run replay --')
  .description('Replay workflow histories against the current workflow code (exit 1 on non-determinism).')
  .argument('[paths...]', 'history JSON files (`temporal workflow show -o json`) or folders of them')
  .option('--workflow-id <id>', 'fetch the history of this workflow from the Temporal server')
  .option('--run-id <id>', 'with --workflow-id: this run instead of the latest')
  .option('--workflows <module>', "replay against this workflows module instead of the workers' own")
  .addHelpText(
    'after',
    '\nExamples:\n  npm run replay -- test/histories\n  npm run replay -- --workflow-id purchase-demo-1',
  )
  .action(async (paths: string[], options: Options) => {
    process.exitCode = await run(paths, options);
  });

async function run(paths: string[], options: Options): Promise<number> {
  if (paths.length > 0 === (options.workflowId !== undefined)) {
    program.error('give history files or folders, or --workflow-id (not both)');
  }
  if (options.runId !== undefined && options.workflowId === undefined) {
    program.error('--run-id needs --workflow-id');
  }
  const config = loadConfig();
  installReplayRuntime();
  let histories: LoadedHistory[];
  try {
    histories = options.workflowId
      ? [await fromServer(config, options.workflowId, options.runId)]
      : await Promise.all((await historyFiles(paths)).map(loadHistoryFile));
  } catch (error) {
    console.error(`replay: ${(error as Error).message}`);
    return 2;
  }
  if (histories.length === 0) {
    console.error(`replay: no *.json history in ${paths.join(', ')}`);
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

async function fromServer(config: Config, workflowId: string, runId?: string): Promise<LoadedHistory> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    return await fetchHistory(client, workflowId, runId);
  } finally {
    await connection.close();
  }
}

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
