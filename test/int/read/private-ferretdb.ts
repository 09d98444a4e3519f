/**
 * A private FerretDB (the binary `npm run infra:up` built) on its own port and data directory, so
 * a test can kill MongoDB without touching the shared one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MongoClient } from 'mongodb';

import { binaryPath } from '../../../scripts/infra/lib/go-install';
import { FERRETDB } from '../../../scripts/infra/services/ferretdb';
import { waitUntil } from '../../../scripts/infra/lib/wait';
import { InfraPaths, loadInfraSettings } from '../../../scripts/infra/settings';
import { exitedReason, killAndWait } from '../../support/child-process';
import { freePort } from '../../support/ports';

export class PrivateFerretDb {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ferretdb-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateFerretDb> {
    const f = new PrivateFerretDb(await freePort());
    await f.start();
    return f;
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Starts (or restarts on the same data) and waits until it answers a ping. */
  async start(): Promise<void> {
    const bin = binaryPath(new InfraPaths(loadInfraSettings().home).bin, FERRETDB);
    this.child = spawn(
      bin,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--telemetry=disable',
        `--state-dir=${this.dir}`,
        '--debug-addr=-',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    await waitUntil(
      `private FerretDB on ${this.port}`,
      async () => {
        const probe = new MongoClient(this.url, { serverSelectionTimeoutMS: 500, directConnection: true });
        try {
          await probe.db('admin').command({ ping: 1 });
        } finally {
          await probe.close();
        }
      },
      { timeoutMs: 60_000, intervalMs: 100, giveUpIf: exitedReason(this.child) },
    );
  }

  /** SIGKILL: an outage, not a shutdown. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    await killAndWait(child);
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
