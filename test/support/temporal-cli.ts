/**
 * The real `temporal` CLI, as an operator runs it: `npm run infra:up` installed it in
 * INFRA_HOME/bin. Tests that look at a history the way an operator would go through here.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../config';
import { InfraPaths, loadInfraSettings } from '../../scripts/infra/settings';

const run = promisify(execFile);

export const temporalCliPath = (): string => join(new InfraPaths(loadInfraSettings().home).bin, 'temporal');

/** `temporal workflow show -o json` of the latest run, against the configured server; extra flags appended. */
export async function showHistoryJson(workflowId: string, ...flags: string[]): Promise<string> {
  const config = loadConfig();
  const { stdout } = await run(
    temporalCliPath(),
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      '--address',
      config.TEMPORAL_ADDRESS,
      '--namespace',
      config.TEMPORAL_NAMESPACE,
      ...flags,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
