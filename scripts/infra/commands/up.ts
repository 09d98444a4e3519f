/**
 * `up [service...]`: install what is missing and start what is not running, all services
 * concurrently. `install [service...]` does only the installing and building (warms the caches).
 * Both also install the tools the tests need (tools.ts) when given any.
 */
import { Listr, type ListrTask } from 'listr2';
import { installAptPackages } from '../lib/apt';
import { ServiceError, StepError } from '../lib/errors';
import { withLock } from '../lib/lock';
import type { Progress } from '../lib/progress';
import { bringUp, installOnly, isExternal, type UpOutcome } from '../lifecycle';
import type { Service, ServiceContext } from '../service';
import { InfraPaths, type InfraSettings } from '../settings';
import type { Tool } from '../tools';

export type UpMode = 'start' | 'install-only';

/** A promise started on first use and shared by every caller (the one apt-get run). */
function once(run: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined;
  return () => (promise ??= run());
}

function describe(outcome: UpOutcome): string {
  switch (outcome.kind) {
    case 'external':
      return `external (${outcome.variables.join(', ')} set): not provisioned`;
    case 'reused':
      return `already running${outcome.pid ? ` (pid ${outcome.pid})` : ''}: reused`;
    case 'started':
      return `started (pid ${outcome.pid}) in ${outcome.seconds.toFixed(1)} s`;
  }
}

/** A service or a tool: something that may lack Debian packages. */
type NeedsApt = Pick<Service | Tool, 'name' | 'missingAptPackages'>;

/** The single apt-get run all services and tools share, its progress shown under each waiting one. */
function sharedApt(needers: readonly NeedsApt[], paths: InfraPaths, intervalMs: number) {
  const packages = [...new Set(needers.flatMap((n) => n.missingAptPackages()))];
  const watchers = new Set<Progress>();
  const run = once(() =>
    installAptPackages(
      packages,
      paths.log('apt'),
      { say: (t) => watchers.forEach((w) => w.say(t)) },
      intervalMs,
    ),
  );
  /** What a service awaits before installing: nothing unless it lacks packages. */
  return (service: NeedsApt, progress: Progress) => async () => {
    if (service.missingAptPackages().length === 0) return;
    watchers.add({ say: (text) => progress.say(`apt-get install ${packages.join(' ')}: ${text}`) });
    await run().catch((error: Error) => {
      throw new ServiceError(service.name, paths.log('apt'), `installing Debian packages: ${error.message}`);
    });
  };
}

export async function up(
  services: readonly Service[],
  settings: InfraSettings,
  mode: UpMode = 'start',
  tools: readonly Tool[] = [],
) {
  const paths = new InfraPaths(settings.home);
  const progressIntervalMs = settings.nonInteractive ? 30_000 : 1000;
  const onWait = (holder: number) =>
    console.error(`waiting for another infra command (pid ${holder}) to finish…`);

  return withLock(paths.lock, onWait, async () => {
    const aptFor = sharedApt(
      [...services.filter((s) => !isExternal(s)), ...tools],
      paths,
      progressIntervalMs,
    );
    const failures: ServiceError[] = [];
    const showProgress = (name: string, task: { output?: string }): Progress => ({
      // Without a terminal the lines of all tasks interleave: say whose each one is.
      say: (text) => (task.output = settings.nonInteractive ? `${name}: ${text}` : text),
    });

    const tasks: ListrTask[] = services.map((service) => ({
      title: service.name,
      task: async (_ctx, task) => {
        const ctx: ServiceContext = {
          paths,
          progressIntervalMs,
          logFile: paths.log(service.name),
          progress: showProgress(service.name, task),
        };
        const installed = aptFor(service, ctx.progress);
        try {
          if (mode === 'install-only') {
            if (!isExternal(service)) await installOnly(service, ctx, installed);
            task.title = `${service.name}: ${isExternal(service) ? 'external, nothing to install' : 'installed'}`;
          } else {
            task.title = `${service.name}: ${describe(await bringUp(service, ctx, settings, installed))}`;
          }
        } catch (error) {
          const failure =
            error instanceof ServiceError
              ? error
              : new ServiceError(service.name, ctx.logFile, String(error));
          failures.push(failure);
          throw failure;
        }
      },
    }));

    // A tool is installed whether or not any service has to start (a warm machine may lack it).
    const toolTasks: ListrTask[] = tools.map((tool) => ({
      title: tool.name,
      task: async (_ctx, task) => {
        if (tool.isInstalled()) {
          task.title = `${tool.name}: already installed (${tool.path})`;
          return;
        }
        const progress = showProgress(tool.name, task);
        try {
          await aptFor(tool, progress)();
          await tool.build?.(progress, progressIntervalMs);
          if (!tool.isInstalled()) throw new Error(`installing left ${tool.path} missing or out of date`);
        } catch (error) {
          const failure =
            error instanceof ServiceError
              ? error
              : new ServiceError(
                  tool.name,
                  error instanceof StepError ? error.logFile : (tool.buildLog ?? paths.log('apt')),
                  (error as Error).message,
                );
          failures.push(failure);
          throw failure;
        }
        task.title = `${tool.name}: installed (${tool.path}) for the ${tool.neededBy}`;
      },
    }));

    await new Listr([...tasks, ...toolTasks], {
      concurrent: true,
      exitOnError: false,
      rendererOptions: { collapseErrors: false },
      fallbackRendererCondition: settings.nonInteractive,
    }).run();

    for (const failure of failures) console.error(`\n✖ ${failure.report()}`);
    return failures.length === 0;
  });
}
