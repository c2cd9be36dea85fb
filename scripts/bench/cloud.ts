import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DynamoCounter } from './dynamo-counter.js';

/** The benchmark's side of scripts/bench/cloud-process.ts: start it behind the counting proxy, stop it. */

export interface BenchCloud {
  urls: { web: string; mail: string; dynamodb: string; stepfunctions: string };
  signInLinks: { campaignId: string; role: string; url: string }[];
  clockOffsetMs: number;
  /** The Node process of the cloud (handlers, Step Functions, S3 gateway, mail) and DynamoDB Local's Java. */
  pid: number;
  javaPid: number;
  now(): Date;
  output(): string;
  stop(): Promise<void>;
}

type Message =
  | { type: 'started'; dynamodb: string }
  | {
      type: 'ready';
      urls: BenchCloud['urls'];
      signInLinks: BenchCloud['signInLinks'];
      clockOffsetMs: number;
      javaPid: number;
    }
  | { type: 'failed'; message: string };

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

async function startOnce(options: StartOptions): Promise<BenchCloud> {
  const entry = fileURLToPath(new URL('./cloud-process.ts', import.meta.url));
  const child = fork(entry, [], {
    execArgv: [
      '--import',
      import.meta.resolve('tsx'),
      // BENCH_CPU_PROF=<folder>: a V8 CPU profile of the cloud process, to see where its time goes.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LAUREL_BENCH_CLOUD: JSON.stringify({
        dataDir: options.dataDir,
        port: 0,
        clockStart: options.clockStart,
        lambdaTimeoutMs: options.lambdaTimeoutMs,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => lines.join('\n');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<Extract<Message, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the local cloud did not start within ${START_TIMEOUT_MS / 1000} s:\n${output()}`));
    }, START_TIMEOUT_MS);
    child.on('message', (message: Message) => {
      if (message.type === 'started') {
        options.counter.retarget(message.dynamodb);
        child.send({ type: 'proxy', endpoint: options.counter.endpoint });
        return;
      }
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`the local cloud could not start: ${message.message}\n${output()}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited (${signal ?? code}) while starting:\n${output()}`));
    });
  });

  return {
    urls: {
      web: ready.urls.web,
      mail: ready.urls.mail,
      dynamodb: ready.urls.dynamodb,
      stepfunctions: ready.urls.stepfunctions,
    },
    signInLinks: ready.signInLinks,
    clockOffsetMs: ready.clockOffsetMs,
    pid: child.pid ?? 0,
    javaPid: ready.javaPid,
    now: () => new Date(Date.now() + ready.clockOffsetMs),
    output,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'stop' });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
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
