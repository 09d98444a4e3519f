/**
 * Database commands: `migrate`, `seed`, and the outbox operator's view (`outbox backlog`,
 * `outbox quarantined`, `outbox requeue`, `outbox purge`). Connection URLs come from config
 * (WRITE_DB_URL, REPORTING_DB_URL). Run with tsx: npm run db:migrate | db:seed | db:outbox.
 */
import { Command, InvalidArgumentError, Option } from 'commander';

import { loadConfig } from '../config';
import { openDatabase } from './connect';
import type { Database } from './database';
import { migrate, REPORTING_MIGRATIONS, WRITE_MIGRATIONS, type MigrationSet } from './migrate';
import { OutboxStore } from './outbox/outbox-store';
import { seedDemoData } from './seed/seed';

const config = loadConfig();

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Opens a database for one command and always closes it; failures set the exit code. */
async function withDatabase(url: string, action: (db: Database) => Promise<void>): Promise<void> {
  const db = openDatabase(url, { poolMax: 2 });
  try {
    await action(db);
  } catch (error) {
    console.error(`db: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function migrateOne(label: string, url: string, set: MigrationSet): Promise<void> {
  await withDatabase(url, async (db) => {
    const { applied, alreadyApplied } = await migrate(db, set);
    console.log(
      `${label} (${redact(url)}): applied ${applied.length} [${applied.join(', ')}], ${alreadyApplied.length} already applied`,
    );
  });
}

const program = new Command('db').description('write and reporting databases').showHelpAfterError();

program
  .command('migrate')
  .description('apply pending migrations (safe to run from several processes at once)')
  .addOption(
    new Option('--target <target>', 'which database').choices(['write', 'reporting', 'all']).default('all'),
  )
  .action(async (options: { target: 'write' | 'reporting' | 'all' }) => {
    if (options.target !== 'reporting') await migrateOne('write', config.WRITE_DB_URL, WRITE_MIGRATIONS);
    if (options.target !== 'write')
      await migrateOne('reporting', config.REPORTING_DB_URL, REPORTING_MIGRATIONS);
  });

program
  .command('seed')
  .description('load demo movies, auditoriums and showtimes for the next days (idempotent)')
  .option('--days <n>', 'days of programme, starting tomorrow (UTC)', positiveInt, 3)
  .action(async (options: { days: number }) => {
    await withDatabase(config.WRITE_DB_URL, async (db) => {
      const report = await seedDemoData(db, { days: options.days });
      console.log(
        `seeded ${report.movies} movies, ${report.auditoriums} auditoriums, ` +
          `${report.showtimesCreated} new showtimes (${report.showtimesExisting} already there)`,
      );
      for (const skipped of report.showtimesSkipped) console.log(`  skipped ${skipped}`);
    });
  });

const outbox = program.command('outbox').description('inspect and operate the transactional outbox');

outbox
  .command('backlog')
  .description('unprocessed and quarantined rows, age of the oldest pending row')
  .action(async () => {
    await withDatabase(config.WRITE_DB_URL, async (db) => {
      console.log(JSON.stringify(await new OutboxStore(db).backlog(), null, 2));
    });
  });

outbox
  .command('quarantined')
  .description('list quarantined rows with their last error')
  .option('--limit <n>', 'how many', positiveInt, 100)
  .action(async (options: { limit: number }) => {
    await withDatabase(config.WRITE_DB_URL, async (db) => {
      const rows = await new OutboxStore(db).listQuarantined(options.limit);
      for (const m of rows) {
        console.log(
          `${m.id}  #${m.sequence}  ${m.eventType} ${m.aggregateType}/${m.aggregateId} v${m.aggregateVersion}  ` +
            `attempts=${m.attempts}  quarantined=${m.quarantinedAt}\n    ${m.lastError ?? ''}`,
        );
      }
      console.log(`${rows.length} quarantined row(s)`);
    });
  });

outbox
  .command('requeue')
  .description('put quarantined rows (all, or the given event ids) back in line')
  .argument('[ids...]', 'event ids; none means every quarantined row')
  .action(async (ids: string[]) => {
    await withDatabase(config.WRITE_DB_URL, async (db) => {
      const n = await new OutboxStore(db).requeueQuarantined(ids.length > 0 ? ids : undefined);
      console.log(`requeued ${n} row(s)`);
    });
  });

outbox
  .command('purge')
  .description('delete rows processed longer ago than the retention')
  .option('--retention-hours <n>', 'keep processed rows this long', positiveInt, 168)
  .action(async (options: { retentionHours: number }) => {
    await withDatabase(config.WRITE_DB_URL, async (db) => {
      const cutoff = new Date(Date.now() - options.retentionHours * 3_600_000);
      console.log(
        `purged ${await new OutboxStore(db).purgeProcessed(cutoff)} row(s) processed before ${cutoff.toISOString()}`,
      );
    });
  });

program.parseAsync().catch((error: Error) => {
  console.error(`db: ${error.message}`);
  process.exitCode = 1;
});
