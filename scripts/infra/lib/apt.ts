/**
 * Debian packages (PostgreSQL, Redis, Maven/Java when absent). All services' missing packages are
 * installed by one `apt-get update` + one `apt-get install`: apt holds a global lock, so separate
 * concurrent installs would only queue or fail.
 */
import { childEnv } from '../settings';
import { runToLog } from './process';
import { lastLine, watchLog, type Progress } from './progress';

export async function installAptPackages(
  packages: readonly string[],
  logFile: string,
  progress: Progress,
  intervalMs: number,
): Promise<void> {
  const env = childEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  const watch = watchLog(progress, logFile, intervalMs, (text) => lastLine(text) || 'starting apt-get');
  try {
    await runToLog('apt-get', ['update'], { logFile, env });
    await runToLog('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { logFile, env });
  } finally {
    watch.stop();
  }
}
