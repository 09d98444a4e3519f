/**
 * Programs the tests need that are not services: nothing to start or stop, only something to
 * have. `up` (all services) and `install` put them in: their Debian packages with the same single
 * apt-get run as the services' packages, then whatever else a tool builds (jars, a launcher);
 * `status` says whether each is there.
 */
import { accessSync, constants } from 'node:fs';
import type { Progress } from './lib/progress';
import type { InfraPaths } from './settings';
import { temporalTestServer } from './temporal-test-server';

export interface Tool {
  readonly name: string;
  /** The executable the tests run. */
  readonly path: string;
  /** Who needs it, shown by `status`. */
  readonly neededBy: string;
  /** Debian packages still to install (none once they are in). */
  missingAptPackages(): string[];
  /** True once `path` is ready for the tests. */
  isInstalled(): boolean;
  /** What is left to do once the Debian packages are in; absent when the package is the tool. Idempotent. */
  build?(progress: Progress, intervalMs: number): Promise<void>;
  /** Where `build` writes its output (named when it fails). */
  readonly buildLog?: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const debianTool = (name: string, path: string, aptPackage: string, neededBy: string): Tool => ({
  name,
  path,
  neededBy,
  missingAptPackages: () => (isExecutable(path) ? [] : [aptPackage]),
  isInstalled: () => isExecutable(path),
});

/** Debian's Chromium, driven headless by playwright-core (which never downloads a browser). */
export const CHROMIUM = debianTool(
  'chromium',
  '/usr/bin/chromium',
  'chromium',
  'Temporal Web UI browser test (test/int/web-ui)',
);

/** Every tool, the ones kept in the cache located by `paths`. */
export const toolsUnder = (paths: InfraPaths): readonly Tool[] => [CHROMIUM, temporalTestServer(paths)];
