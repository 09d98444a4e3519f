/**
 * `npm run histories:record [-- --out <dir>]`: records the golden histories (test/histories/) by
 * running every scenario of record-histories-scenarios.ts on the dev server with the real
 * workflows and activities, then stores each run's history decoded (plain JSON payloads, no key
 * needed to read or replay it). Re-record after a deliberate, patched() change of the workflows,
 * or when the workflows' inputs change shape.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'commander';

import { createPayloadCodec } from '../codec/data-converter';
import { TEST_CARDS } from '../providers/payment';
import { historyFileText, payloadTexts } from '../replay/history-file';
import { openRecordingEnv } from './record-histories-env';
import { SCENARIOS, type Recorded } from './record-histories-scenarios';

const program = new Command()
  .name('npm run histories:record --')
  .description('Record the golden workflow histories that test/int/saga/replay.int.test.ts replays.')
  .option('--out <dir>', 'where to write the <scenario>.json files', 'test/histories')
  .action(async ({ out }: { out: string }) => record(out));

async function record(out: string): Promise<void> {
  // Quiet: the refusals the scenarios provoke are logged as activity failures; each scenario checks its outcome.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const env = await openRecordingEnv();
  // The server holds the payloads encrypted; the files get them decrypted.
  const codec = createPayloadCodec(env.config);
  const recorded: Recorded[] = [];
  try {
    const earlier = {};
    for (const scenario of SCENARIOS) {
      const started = Date.now();
      const runs = await scenario.run(env, earlier);
      recorded.push(...runs);
      console.log(
        `recorded ${runs.map((r) => r.file).join(', ')} (${scenario.about}) in ${Date.now() - started} ms`,
      );
    }
    // Every history is checked before any file is written: a refused one leaves the set as it was.
    const files: { file: string; text: string }[] = [];
    for (const run of recorded) {
      const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const text = await historyFileText(history, run.workflowId, [codec]);
      await assertNoCardNumber(run.file, text);
      files.push({ file: run.file, text });
    }
    await mkdir(out, { recursive: true });
    for (const { file, text } of files) await writeFile(join(out, `${file}.json`), text);
  } finally {
    await env.close();
  }
  const written = new Set(recorded.map((r) => `${r.file}.json`));
  const stale = (await readdir(out)).filter((f) => f.endsWith('.json') && !written.has(f));
  console.log(`wrote ${recorded.length} histories to ${out}`);
  if (stale.length > 0) console.log(`not recorded this time (delete them if obsolete): ${stale.join(', ')}`);
}

/** The card numbers must stay at the API edge; a history that holds one is never written. */
async function assertNoCardNumber(file: string, text: string): Promise<void> {
  const searched = [text, ...(await payloadTexts(JSON.parse(text)))].join('\n');
  const found = Object.keys(TEST_CARDS).filter((card) => searched.includes(card));
  if (found.length > 0) throw new Error(`${file}: the history holds a card number (${found.length} found)`);
}

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
