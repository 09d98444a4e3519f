/**
 * Go binaries built from the Go module proxy into INFRA_HOME/bin. The cached binary is reused only
 * if its `--version` output names the wanted version, so a version bump rebuilds.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../settings';
import { StepError } from './errors';
import { capture, runToLog } from './process';
import { lastLine, watchLog, type Progress } from './progress';
import { findOnPath } from './which';

export interface GoBinary {
  /** Module path and version, e.g. github.com/temporalio/cli v1.5.1. */
  module: string;
  version: string;
  /** Package to build inside the module, e.g. cmd/temporal; the binary is its last segment. */
  command: string;
  ldflags?: string;
  /**
   * 'install': plain `go install pkg@version`. 'source': `go mod download` the exact version, copy
   * it to INFRA_HOME/build/<binary>, let `prepareSource` add generated files the module zip lacks,
   * and `go build` there (for modules that `go install pkg@version` cannot build as published).
   */
  method: 'install' | 'source';
  prepareSource?: (dir: string) => void;
  /** What `--version` names when the build is ours (patched); `version` otherwise. */
  builtVersion?: string;
  /** Said in the status line, e.g. "first build compiles the Temporal server: 5-25 min". */
  expectation: string;
}

const binaryName = (binary: GoBinary) => binary.command.split('/').pop() as string;
const packagePath = (binary: GoBinary) => `${binary.module}/${binary.command}`;

export function binaryPath(binDir: string, binary: GoBinary): string {
  return join(binDir, binaryName(binary));
}

export async function isInstalled(binDir: string, binary: GoBinary): Promise<boolean> {
  const path = binaryPath(binDir, binary);
  if (!existsSync(path)) return false;
  try {
    const out = await capture(path, ['--version']);
    return out.includes((binary.builtVersion ?? binary.version).replace(/^v/, ''));
  } catch {
    return false;
  }
}

export async function buildGoBinary(
  binDir: string,
  buildRoot: string,
  binary: GoBinary,
  logFile: string,
  progress: Progress,
  intervalMs: number,
): Promise<void> {
  if (!findOnPath('go')) {
    throw new StepError(`Go >= 1.25 is needed to build ${binary.module} and is not in PATH`, logFile);
  }
  mkdirSync(binDir, { recursive: true });
  mkdirSync(buildRoot, { recursive: true });
  const env = childEnv({ CGO_ENABLED: '0', GOBIN: binDir });
  const ldflags = binary.ldflags ? ['-ldflags', binary.ldflags] : [];
  // -v prints each package as it is compiled: the count is the visible progress of a long build.
  const watch = watchLog(progress, logFile, intervalMs, (text) => {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const compiled = lines.filter((line) => !/^(go: |=== |\s)/.test(line)).length;
    const phase = compiled > 0 ? `${compiled} packages compiled` : lastLine(text, 60) || 'resolving modules';
    return `building ${binaryName(binary)} ${binary.version} (${binary.expectation}): ${phase}`;
  });
  try {
    if (binary.method === 'install') {
      await runToLog('go', ['install', '-v', ...ldflags, `${packagePath(binary)}@${binary.version}`], {
        logFile,
        env,
      });
      return;
    }
    const downloaded = await capture('go', [
      'mod',
      'download',
      '-json',
      `${binary.module}@${binary.version}`,
    ]);
    const sourceDir = join(buildRoot, binaryName(binary));
    rmSync(sourceDir, { recursive: true, force: true });
    cpSync((JSON.parse(downloaded) as { Dir: string }).Dir, sourceDir, { recursive: true });
    await capture('chmod', ['-R', 'u+w', sourceDir]); // the module cache is read-only
    binary.prepareSource?.(sourceDir);
    await runToLog(
      'go',
      ['build', '-v', '-buildvcs=false', ...ldflags, '-o', binaryPath(binDir, binary), `./${binary.command}`],
      {
        logFile,
        env,
        cwd: sourceDir,
      },
    );
  } catch (error) {
    // Point at the build log whatever failed (a download, the copy, the compiler).
    throw error instanceof StepError ? error : new StepError((error as Error).message, logFile);
  } finally {
    watch.stop();
  }
}
