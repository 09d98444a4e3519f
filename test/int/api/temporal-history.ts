/**
 * Exports a workflow's history with the real Temporal CLI (`temporal workflow show -o json`), the
 * way an operator would, and turns it into searchable text. Payloads (inputs, results, memo,
 * search attributes, query answers) are base64 in that JSON and encrypted (codec/), so each one
 * is decrypted and appended: a search of the raw export alone would never find a card number
 * inside a payload.
 */
import { loadConfig } from '../../../config';
import { decryptedPayloadTexts } from '../../support/history-payloads';
import { showHistoryJson } from '../../support/temporal-cli';

export async function exportHistoryText(workflowId: string): Promise<string> {
  const stdout = await showHistoryJson(workflowId);
  return [stdout, ...(await decryptedPayloadTexts(stdout, loadConfig()))].join('\n');
}
