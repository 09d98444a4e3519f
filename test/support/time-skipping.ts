/**
 * Temporal's time-skipping test server for workflow tests with stub activities
 * (test/workflows/*.workflow.test.ts): a private in-memory server per test file. While a client
 * awaits a workflow's result (or calls env.sleep), its clock jumps to the next timer whenever no
 * workflow task and no activity is pending, so a 10-minute seat hold or 4 minutes of retry backoff
 * pass in milliseconds; while an activity runs, the clock runs at wall-clock speed.
 * `npm run infra:up` provisions the server (scripts/infra/temporal-test-server.ts); the SDK starts
 * it as `<launcher> <port>` and kills it on teardown.
 */
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { InfraPaths, loadInfraSettings } from '../../scripts/infra/settings';
import { temporalTestServer } from '../../scripts/infra/temporal-test-server';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * Stub activities fail on purpose (declined cards, outages): their "Activity failed" warnings and
 * the core's remark that the test server keeps no heartbeat details on failure are noise here.
 */
const EXPECTED_NOISE = ['Activity failed'];

function installRuntime(): void {
  const print = new DefaultLogger('WARN');
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry: LogEntry) => {
        if (!EXPECTED_NOISE.includes(entry.message)) print.log(entry.level, entry.message, entry.meta);
      }),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  } catch {
    // Already installed in this process (a second environment in the same file): keep it.
  }
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const server = temporalTestServer(new InfraPaths(loadInfraSettings().home));
  if (!server.isInstalled()) {
    throw new Error(
      `${server.name} is missing or out of date at ${server.path}: \`npm run infra:up\` provisions it (log: ${server.buildLog})`,
    );
  }
  installRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: server.path } },
  });
  try {
    // The saga upserts these; like the dev server (scripts/infra), the test server refuses
    // attributes nobody registered.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        ALL_SEARCH_ATTRIBUTES.map((key) => [
          key.name,
          temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
        ]),
      ),
    });
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}
