import { readFileSync } from 'node:fs';
import { type CloudProcess, startCloudProcess } from '../driver/cloud.js';
import type { DynamoCounter } from './dynamo-counter.js';

/**
 * The benchmark's local cloud (scripts/driver/cloud.ts), as the demo runs it but behind the
 * counting proxy: every handler's DynamoDB client is pointed at it before any handler is imported.
 */

export type BenchCloud = CloudProcess;

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;
const KEPT_LINES = 80;

interface StartOptions {
  dataDir: string;
  clockStart?: string;
  counter: DynamoCounter;
  /** How long a handler may run (the local cloud's default is API Gateway's 30 s). */
  lambdaTimeoutMs?: number;
}

/**
 * Starts the cloud, once more if the first start fails: on a busy machine DynamoDB Local's Java
 * can take longer than the 30 s the local cloud gives it to answer.
 */
export async function startBenchCloud(options: StartOptions): Promise<BenchCloud> {
  try {
    return await startOnce(options);
  } catch (error) {
    console.error(`the local cloud did not start (${String(error).split('\n')[0]}); trying once more`);
    return startOnce(options);
  }
}

function startOnce(options: StartOptions): Promise<BenchCloud> {
  return startCloudProcess({
    dataDir: options.dataDir,
    port: 0,
    ...(options.clockStart ? { clockStart: options.clockStart } : {}),
    ...(options.lambdaTimeoutMs ? { lambdaTimeoutMs: options.lambdaTimeoutMs } : {}),
    dynamoProxy: options.counter,
    // BENCH_CPU_PROF=<folder>: a V8 CPU profile of the cloud process, to see where its time goes.
    execArgv: process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    startTimeoutMs: START_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    keptLines: KEPT_LINES,
  });
}

// ── What a process used, from /proc (Linux; elsewhere the figures are absent) ─────────────────

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; undefined when it cannot be read. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}
