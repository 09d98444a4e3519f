/**
 * Local infrastructure for development and tests: `up`, `down`, `status`, `logs`.
 * Run with tsx (npm run infra:up|infra:down|infra:status); see README "Infrastructure".
 */
import { Command, InvalidArgumentError } from 'commander';
import { down } from './commands/down';
import { logs } from './commands/logs';
import { status } from './commands/status';
import { up } from './commands/up';
import { readStarted } from './lib/started-file';
import { selectServices } from './registry';
import { SERVICE_NAMES } from './service';
import { InfraPaths, loadInfraSettings } from './settings';
import { toolsUnder } from './tools';

const settings = loadInfraSettings();
const serviceList = `services: ${SERVICE_NAMES.join(', ')} (default: all, and the tools the tests need)`;

/** The tools (tools.ts) go with the whole infrastructure, not with a few services picked by name. */
const toolsFor = (names: readonly string[]) =>
  names.length === 0 ? toolsUnder(new InfraPaths(settings.home)) : [];

function positiveInt(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/**
 * Runs a command and turns its verdict into the exit code. The process normally ends by itself
 * (output flushed); should a driver leak a socket (a probe that timed out), an unref'd timer ends
 * it shortly after, so `status` or `up` can never hang a caller.
 */
function run(action: () => Promise<boolean> | boolean): Promise<void> {
  return Promise.resolve()
    .then(action)
    .then(
      (ok) => {
        if (!ok) process.exitCode = 1;
      },
      (error: Error) => {
        console.error(`infra: ${error.message}`);
        process.exitCode = 1;
      },
    )
    .finally(() => setTimeout(() => process.exit(), 3000).unref());
}

const program = new Command('infra')
  .description(`local infrastructure under ${settings.home}`)
  .showHelpAfterError();

program
  .command('up')
  .argument('[service...]', serviceList)
  .description('install what is missing and start every service not already answering')
  .action((names: string[]) => run(() => up(selectServices(names), settings, 'start', toolsFor(names))));

program
  .command('install')
  .argument('[service...]', serviceList)
  .description('only install and build what is missing (no start): warms the caches')
  .action((names: string[]) =>
    run(() => up(selectServices(names), settings, 'install-only', toolsFor(names))),
  );

program
  .command('down')
  .argument('[service...]', serviceList)
  .option('--from-file <file>', 'stop only the services listed in this file (written via INFRA_STARTED_FILE)')
  .option('-q, --quiet', 'print only errors')
  .description('stop services (by pid file, then by port)')
  .action((names: string[], options: { fromFile?: string; quiet?: boolean }) =>
    run(() => {
      const chosen = options.fromFile ? readStarted(options.fromFile) : names;
      if (options.fromFile && chosen.length === 0) return true; // it started nothing
      return down(selectServices(chosen), settings, Boolean(options.quiet));
    }),
  );

program
  .command('status')
  .argument('[service...]', serviceList)
  .description('show each service: running only if its pid is alive and it answers its protocol')
  .action((names: string[]) => run(() => status(selectServices(names), settings, toolsFor(names))));

program
  .command('logs')
  .argument('[service...]', serviceList)
  .option('-n, --lines <n>', 'lines per log', positiveInt, 40)
  .description('print the end of each service log')
  .action((names: string[], options: { lines: number }) =>
    run(() => {
      logs(selectServices(names), settings, options.lines);
      return true;
    }),
  );

void program.parseAsync();
