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
import { InfraPaths, loadInfraSettings } from '../../../scripts/infra/settings';
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
    for (;;) {
      const probe = new MongoClient(this.url, { serverSelectionTimeoutMS: 500, directConnection: true });
      try {
        await probe.db('admin').command({ ping: 1 });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await probe.close();
      }
    }
  }

  /** SIGKILL: an outage, not a shutdown. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
