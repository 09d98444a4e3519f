import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { executableSearchPath } from '../settings';

/** The full path of an executable found on PATH, or undefined. */
export function findOnPath(command: string, path = executableSearchPath()): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
