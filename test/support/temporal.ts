/**
 * Temporal for integration tests: a client + worker connection to the running dev server
 * (TEMPORAL_ADDRESS) and a unique task queue per test file.
 *
 * The SDK's native Runtime is process-wide, so each test file that runs a Worker must get its own
 * process: scripts/test-all.sh runs the int project with --workerIdleMemoryLimit=1KB, which makes
 * jest start a fresh worker process for every test file.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { codecPlugin } from '../../codec/data-converter';
import { loadConfig, type Config } from '../../config';
import { uniqueName } from './unique';

/** Installs a Runtime that logs only warnings (the default logs every worker state change). */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process (a second environment in the same file): keep it.
  }
}

export async function connectTestTemporal(config: Config = loadConfig()): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    // On both connections: env.client and every Worker created on env.nativeConnection encrypt
    // payloads the way the application's processes do.
    plugins: [codecPlugin(config)],
  });
}

export function uniqueTaskQueue(prefix: string): string {
  return uniqueName(`it-${prefix}`, 100).replace(/_/g, '-');
}
