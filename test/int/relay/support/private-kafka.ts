/**
 * A second, private Kafka broker for the outage test, so it can be stopped and started without
 * touching the shared broker every other test uses. Same jars `npm run infra:up` cached
 * (INFRA_HOME/kafka/lib), same way of launching and stopping (scripts/infra), on free ports with a
 * temporary log dir that survives its restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Kafka, logLevel } from 'kafkajs';

import { tailFile } from '../../../../scripts/infra/lib/logs';
import { libDir } from '../../../../scripts/infra/lib/maven';
import { LOOPBACK } from '../../../../scripts/infra/lib/ports';
import {
  runToLog,
  spawnDetached,
  terminate,
  type DetachedProcess,
} from '../../../../scripts/infra/lib/process';
import { waitUntil } from '../../../../scripts/infra/lib/wait';
import { InfraPaths, loadInfraSettings } from '../../../../scripts/infra/settings';
import { freePort } from '../../../support/ports';

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding, like StorageTool random-uuid;
 * and like Kafka's Uuid.randomUuid, never starting with '-', which the CLI would take for an option.
 */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export class PrivateKafka {
  private process: DetachedProcess | null = null;

  private constructor(
    private readonly dir: string,
    private readonly brokerPort: number,
    private readonly properties: string,
  ) {}

  get brokers(): string {
    return `${LOOPBACK}:${this.brokerPort}`;
  }

  private get logFile(): string {
    return join(this.dir, 'kafka.log');
  }

  private static get jars(): InfraPaths {
    return new InfraPaths(loadInfraSettings().home);
  }

  static async create(): Promise<PrivateKafka> {
    const dir = mkdtempSync(join(tmpdir(), 'relay-kafka-'));
    const [brokerPort, controllerPort] = [await freePort(), await freePort()];
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const properties = join(dir, 'server.properties');
    writeFileSync(
      properties,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@${LOOPBACK}:${controllerPort}`,
        `listeners=PLAINTEXT://${LOOPBACK}:${brokerPort},CONTROLLER://${LOOPBACK}:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://${LOOPBACK}:${brokerPort}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${dataDir}`,
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'default.replication.factor=1',
        'min.insync.replicas=1',
        'auto.create.topics.enable=false',
        'group.initial.rebalance.delay.ms=0',
        '',
      ].join('\n'),
    );
    const broker = new PrivateKafka(dir, brokerPort, properties);
    const format = broker.javaArgs('kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', properties);
    try {
      await runToLog('java', format, { logFile: broker.logFile });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return broker;
  }

  /**
   * Starts the broker (again, with the same data) and waits until it answers. A broker that exits
   * at once is started again, twice at most: on a restart its fixed ports were free while it was
   * down, and a busy machine has been seen to refuse the first attempt. The last failure quotes
   * the log, which goes away with the temporary directory.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        await this.stop();
        if (attempt >= 3) {
          throw new Error(`${(error as Error).message}\n${tailFile(this.logFile, 30)}`, { cause: error });
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  private async startOnce(): Promise<void> {
    const started = spawnDetached(
      'java',
      ['-Xms128m', '-Xmx256m', ...this.javaArgs('kafka.Kafka', this.properties)],
      {
        logFile: this.logFile,
        cwd: this.dir,
      },
    );
    this.process = started;
    const admin = new Kafka({
      clientId: 'private-kafka-probe',
      brokers: [this.brokers],
      connectionTimeout: 2000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    await waitUntil(
      `private Kafka on ${this.brokers} (log ${this.logFile})`,
      async () => {
        await admin.connect();
        try {
          const cluster = await admin.describeCluster();
          if (cluster.controller === null || cluster.controller < 0) throw new Error('no controller yet');
        } finally {
          await admin.disconnect();
        }
      },
      { timeoutMs: 120_000, intervalMs: 500, giveUpIf: () => started.exit() },
    );
  }

  /** Stops it the way `npm run infra:down` stops Kafka: SIGTERM, SIGKILL after a grace period. */
  async stop(): Promise<void> {
    const current = this.process;
    this.process = null;
    if (current) await terminate(current.pid, 'SIGTERM', 30_000);
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private javaArgs(mainClass: string, ...args: string[]): string[] {
    const kafkaHome = PrivateKafka.jars.kafka;
    return [
      `-Dlog4j.configuration=file:${join(kafkaHome, 'log4j.properties')}`,
      '-cp',
      join(libDir(kafkaHome), '*'),
      mainClass,
      ...args,
    ];
  }
}
