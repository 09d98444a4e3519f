/**
 * Exports a workflow's history with the real Temporal CLI (`temporal workflow show -o json`), the
 * way an operator would, and turns it into searchable text. Payloads (inputs, results, memo,
 * search attributes, query answers) are base64 in that JSON, so each one is decoded and appended:
 * a search of the raw export alone would never find a card number inside a payload.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../config';
import { InfraPaths, loadInfraSettings } from '../../../scripts/infra/settings';

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
  const decoded: string[] = [];
  collectPayloadData(JSON.parse(stdout), decoded);
  return [stdout, ...decoded].join('\n');
}

/** Depth-first: every `{ metadata, data }` payload contributes its decoded data. */
function collectPayloadData(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectPayloadData(item, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.data === 'string' && typeof record.metadata === 'object' && record.metadata !== null) {
    out.push(Buffer.from(record.data, 'base64').toString('utf8'));
  }
  for (const value of Object.values(record)) collectPayloadData(value, out);
}
