/**
 * Exports a workflow's history with the real Temporal CLI (`temporal workflow show -o json`), the
 * way an operator would, and turns it into searchable text. Payloads (inputs, results, memo,
 * search attributes, query answers) are base64 in that JSON and encrypted (codec/), so each one
 * is decrypted and appended: a search of the raw export alone would never find a card number
 * inside a payload.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../config';
import { InfraPaths, loadInfraSettings } from '../../../scripts/infra/settings';
import { decryptedPayloadTexts } from '../../support/history-payloads';

const run = promisify(execFile);

/** The CLI `npm run infra:up` installed (INFRA_HOME/bin/temporal). */
export const temporalCliPath = (): string => join(new InfraPaths(loadInfraSettings().home).bin, 'temporal');

export async function exportHistoryText(workflowId: string): Promise<string> {
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
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return [stdout, ...(await decryptedPayloadTexts(stdout, config))].join('\n');
}
