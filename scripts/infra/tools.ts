/**
 * Programs the tests need that are not services: nothing to start or stop, only a Debian package
 * to have. `up` (all services) and `install` put them in with the same single apt-get run as the
 * services' packages; `status` says whether each is there.
 */
import { accessSync, constants } from 'node:fs';

export interface Tool {
  readonly name: string;
  /** The executable the tests run. */
  readonly path: string;
  /** Who needs it, shown by `status`. */
  readonly neededBy: string;
  /** Debian packages still to install (none once `path` is an executable). */
  missingAptPackages(): string[];
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
});

/** Debian's Chromium, driven headless by playwright-core (which never downloads a browser). */
export const CHROMIUM = debianTool(
  'chromium',
  '/usr/bin/chromium',
  'chromium',
  'Temporal Web UI browser test (test/int/web-ui)',
);

export const TOOLS: readonly Tool[] = [CHROMIUM];

export const isToolInstalled = (tool: Tool): boolean => tool.missingAptPackages().length === 0;
