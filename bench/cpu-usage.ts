/**
 * CPU time spent by each part of the stack while a phase of a benchmark runs, read from /proc
 * (user + system time of every process, all its threads). On two cores the purchase rate is
 * bounded by CPU, so this says which process a purchase's CPU goes to. Processes are told apart by
 * their command line: the engines `infra:up` starts and the tsx entry files of the stack
 * (test/e2e/stack.ts, scripts/stack.ts). Outside Linux there is no /proc, and it reports nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Which part of the stack a process is, by its command line; the first match wins. */
const PARTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Temporal server', /\btemporal\b.*\bserver\b/],
  ['PostgreSQL', /(^|\/)postgres(:|\s|$)/],
  ['Kafka', /kafka\.Kafka/],
  ['FerretDB', /ferretdb/],
  ['Redis', /redis-server/],
  ['saga worker', /workers\/saga-worker/],
  ['relay worker', /workers\/relay-worker/],
  ['read service', /read-service\/server/],
  ['API nodes', /api\/server\.ts/],
  ['load balancer', /api\/lb\/server/],
  ['gateway', /api\/gateway\/server/],
];
const SELF = 'this benchmark (buyers, trivial worker)';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export type CpuSample = ReadonlyMap<number, { readonly part: string; readonly ticks: number }>;

/** The CPU ticks so far of every process that belongs to a part of the stack (or is this one). */
export function sampleCpu(): CpuSample {
  const sample = new Map<number, { part: string; ticks: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return sample;
  }
  for (const name of pids) {
    const pid = Number(name);
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const part = pid === process.pid ? SELF : PARTS.find(([, pattern]) => pattern.test(cmdline))?.[0];
      if (part === undefined) continue;
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sample.set(pid, { part, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return sample;
}

/** CPU milliseconds per part between two samples (a process started in between counts in full). */
export function cpuBetween(before: CpuSample, after: CpuSample): Map<string, number> {
  const ms = new Map<string, number>();
  for (const [pid, { part, ticks }] of after) {
    const spent = ((ticks - (before.get(pid)?.ticks ?? 0)) * 1000) / ticksPerSecond;
    ms.set(part, (ms.get(part) ?? 0) + spent);
  }
  return ms;
}

/** Runs `phase` and answers the CPU milliseconds each part spent meanwhile. */
export async function measureCpu(phase: () => Promise<void>): Promise<Map<string, number>> {
  const before = sampleCpu();
  await phase();
  return cpuBetween(before, sampleCpu());
}
