/**
 * `up [service...]`: install what is missing and start what is not running, all services
 * concurrently. `install [service...]` does only the installing and building (warms the caches).
 */
import { Listr, type ListrTask } from 'listr2';
import { installAptPackages } from '../lib/apt';
import { ServiceError } from '../lib/errors';
import { withLock } from '../lib/lock';
import type { Progress } from '../lib/progress';
import { bringUp, installOnly, isExternal, type UpOutcome } from '../lifecycle';
import type { Service, ServiceContext } from '../service';
import { InfraPaths, type InfraSettings } from '../settings';

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

/** The single apt-get run all services share, with its progress shown under each waiting one. */
function sharedApt(services: readonly Service[], paths: InfraPaths, intervalMs: number) {
  const packages = [
    ...new Set(services.filter((s) => !isExternal(s)).flatMap((s) => s.missingAptPackages())),
  ];
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
  return (service: Service, progress: Progress) => async () => {
    if (service.missingAptPackages().length === 0) return;
    watchers.add({ say: (text) => progress.say(`apt-get install ${packages.join(' ')}: ${text}`) });
    await run().catch((error: Error) => {
      throw new ServiceError(service.name, paths.log('apt'), `installing Debian packages: ${error.message}`);
    });
  };
}

export async function up(services: readonly Service[], settings: InfraSettings, mode: UpMode = 'start') {
  const paths = new InfraPaths(settings.home);
  const progressIntervalMs = settings.nonInteractive ? 30_000 : 1000;
  const onWait = (holder: number) =>
    console.error(`waiting for another infra command (pid ${holder}) to finish…`);

  return withLock(paths.lock, onWait, async () => {
    const aptFor = sharedApt(services, paths, progressIntervalMs);
    const failures: ServiceError[] = [];

    const tasks: ListrTask[] = services.map((service) => ({
      title: service.name,
      task: async (_ctx, task) => {
        const ctx: ServiceContext = {
          paths,
          progressIntervalMs,
          logFile: paths.log(service.name),
          // Without a terminal the lines of all services interleave: say whose each one is.
          progress: {
            say: (text) => (task.output = settings.nonInteractive ? `${service.name}: ${text}` : text),
          },
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

    await new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      rendererOptions: { collapseErrors: false },
      fallbackRendererCondition: settings.nonInteractive,
    }).run();

    for (const failure of failures) console.error(`\n✖ ${failure.report()}`);
    return failures.length === 0;
  });
}
