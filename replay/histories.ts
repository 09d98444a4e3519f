/**
 * Where replayed histories come from: JSON files in the format `temporal workflow show -o json`
 * prints (one file, several, or a folder of them), or the server itself.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

import type { Client } from '@temporalio/client';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';

export interface LoadedHistory {
  /** Where it came from: a file path, or `server` for a fetched one. */
  readonly source: string;
  readonly workflowId: string;
  /** The run, when known (histories fetched from the server). */
  readonly runId: string | null;
  readonly workflowType: string;
  readonly history: History;
}

/** The files behind the arguments: files as given, folders expanded to their `*.json` (sorted, recursive). */
export async function historyFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      files.push(
        ...entries
          .filter((e) => e.isFile() && extname(e.name) === '.json')
          .map((e) => join(e.parentPath, e.name))
          .sort(),
      );
    } else {
      files.push(path);
    }
  }
  return files;
}

/**
 * Reads one history file. Histories do not say which workflow id they belong to, so it comes
 * from the started event's `workflowId` (filled by newer servers, and by `npm run histories:record`),
 * else from the file name (`temporal workflow show -w purchase-demo-1 -o json > purchase-demo-1.json`).
 */
export async function loadHistoryFile(path: string): Promise<LoadedHistory> {
  let history: History;
  try {
    history = historyFromJSON(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    throw new Error(`${path} is not a workflow history in JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const started = startedAttributes(history, path);
  return {
    source: path,
    workflowId: started.workflowId || basename(path, extname(path)),
    runId: null,
    workflowType: started.workflowType?.name ?? '(unknown)',
    history,
  };
}

/** The history of one run (the latest run when `runId` is not given), as the server has it. */
export async function fetchHistory(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<LoadedHistory> {
  // Pin the run first, so a relay that continues as new meanwhile can't mix two runs up.
  const description = await client.workflow.getHandle(workflowId, runId).describe();
  const history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
  return {
    source: 'server',
    workflowId,
    runId: description.runId,
    workflowType: startedAttributes(history, workflowId).workflowType?.name ?? description.type,
    history,
  };
}

/** The histories of the runs a visibility query lists (e.g. every running purchase), up to `limit`. */
export async function fetchHistories(client: Client, query: string, limit: number): Promise<LoadedHistory[]> {
  const histories: LoadedHistory[] = [];
  for await (const run of client.workflow.list({ query })) {
    if (histories.length >= limit) break;
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    histories.push({
      source: 'server',
      workflowId: run.workflowId,
      runId: run.runId,
      workflowType: run.type,
      history,
    });
  }
  return histories;
}

function startedAttributes(history: History, where: string) {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`${where}: the history does not begin with WorkflowExecutionStarted`);
  return started;
}
