/**
 * Child processes. Services are spawned detached with their output going straight to a log file
 * descriptor (never a pipe to us): a daemon that inherited the caller's stdout would keep CI's
 * output pipe open and hang the run. Install steps run the same way, in the foreground.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { childEnv } from '../settings';
import { StepError } from './errors';
import { closeLog, openLog } from './logs';

export interface CommandOptions {
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Secrets in the arguments (a codec token in a URL) shown as `***` in the logged command line. */
  secrets?: readonly string[];
}

export interface DetachedProcess {
  pid: number;
  /** Set once the process has exited (only observed while this CLI is still running). */
  exit(): string | undefined;
}

/** Starts a long-running service that outlives this CLI; returns at once. */
export function spawnDetached(command: string, args: string[], options: CommandOptions): DetachedProcess {
  const shown = (options.secrets ?? []).reduce(
    (line, secret) => (secret === '' ? line : line.split(secret).join('***')),
    `${command} ${args.join(' ')}`,
  );
  const fd = openLog(options.logFile, `start: ${shown}`);
  let exitDescription: string | undefined;
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeLog(fd);
  }
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.on('error', (error) => (exitDescription = `could not run ${command}: ${error.message}`));
  child.on('exit', (code, signal) => (exitDescription = `exited with ${signal ?? `code ${code}`}`));
  child.unref();
  return { pid: child.pid, exit: () => exitDescription };
}

/** Runs a command to completion with its output appended to a log; rejects on a non-zero exit. */
export function runToLog(command: string, args: string[], options: CommandOptions): Promise<void> {
  const fd = openLog(options.logFile, `run: ${command} ${args.join(' ')}`);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      stdio: ['ignore', fd, fd],
    });
    closeLog(fd);
    const logFile = options.logFile;
    child.on('error', (error) =>
      reject(new StepError(`could not run ${command}: ${error.message}`, logFile)),
    );
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new StepError(
              `\`${command} ${args.join(' ')}\` exited with ${signal ?? `code ${code}`}`,
              logFile,
            ),
          ),
    );
  });
}

/** Runs a short command and returns its stdout (for probes such as `ss` or `go version -m`). */
export function capture(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited with code ${code}: ${err.trim()}`)),
    );
  });
}

/** True while the process exists and is not a zombie (kill(pid, 0) alone succeeds on zombies). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The process's command line ('' if it is gone); used to make sure a pid still is our service. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `signal`, waits up to `graceMs` for the process to go, then kills it outright. */
export async function terminate(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!sendSignal(pid, signal)) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  sendSignal(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
}

function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
