import { type ChildProcess, fork } from 'node:child_process';
import type { LocalCloud } from '../infra/local/cloud.js';
import { type HeapFigures, watchHeap } from '../infra/local/heap-watch.js';

/**
 * The local cloud in a child process of its own, as `npm run demo` and `npm run bench` run it.
 * A process, not a call: handlers read the campaign clock once, at their cold start, so letting
 * a week of publicity pass means starting the cloud again on the same data with a later clock —
 * as `LAUREL_CLOCK=… npm start` would. Both halves are here: `forkLocalCloud` for the parent
 * (scripts/demo/cloud.ts, scripts/bench/cloud.ts) and `serveLocalCloud` for the child
 * (their cloud-process.ts). The child sends its addresses over IPC once ready; a "stop"
 * message, a lost parent, SIGINT or SIGTERM stop everything it started.
 */

/** What the child sends once the cloud answers; a script's child may add fields of its own. */
export interface CloudReady {
  type: 'ready';
  urls: LocalCloud['urls'];
  signInLinks: { campaignId: string; role: string; url: string }[];
  /** The campaign clock's offset from real time in the child. */
  clockOffsetMs: number;
}

type CloudFailed = { type: 'failed'; message: string };
/** The child's answer to `{ type: 'heap' }`: its heap figures so far (infra/local/heap-watch.ts). */
type HeapAnswer = { type: 'heap' } & HeapFigures;

export interface ForkedCloud<Ready extends CloudReady> {
  ready: Ready;
  child: ChildProcess;
  /** Settles when the child has exited, however it ended. */
  exited: Promise<void>;
  /** The last lines the cloud printed (its logs), for a failure message. */
  output(): string;
  /** The child's JavaScript heap so far: its live peak after full collections, and its limit. */
  heap(): Promise<HeapFigures>;
  /** Asks the child to stop its cloud; SIGKILL if it has not exited within the stop timeout. */
  stop(): Promise<void>;
}

export interface ForkOptions<Early extends { type: string }> {
  /** The child's script, which calls serveLocalCloud. */
  entry: string;
  /** Added to this process's environment: how the child learns its options. */
  env: Record<string, string>;
  /** Node flags after tsx's loader. */
  execArgv?: string[];
  /** A process group of its own, so that a kill can take the cloud's Java along with it. */
  detached?: boolean;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  keptLines: number;
  /** Messages the child sends before it is ready, answered through `child` (the timer keeps running). */
  onEarlyMessage?: (message: Early, child: ChildProcess) => void;
}

/**
 * Node flags of the cloud's process, chosen by measurement (CPU-s per nomination and peak RSS of
 * the bench's cloud process, each way; docs/local-cloud.md, "Its own overheads"). The process
 * hosts every function, so AsyncLocalStorage (each function's own environment,
 * infra/local/lambda.ts) sits on every promise: `--experimental-async-context-frame` carries it
 * without async_hooks' promise hooks. `--max-semi-space-size` gives the young generation room for
 * the many short-lived request objects, fewer scavenges. `--max-old-space-size` caps the heap:
 * left to itself V8 lets a busy process's heap grow to several times what is live (1,481 MiB of
 * RSS at 3,000 nominations for a few hundred MiB in use), and a cap makes a round that outgrows
 * it stop with "JavaScript heap out of memory" — after the heap watch's warning — instead of
 * growing into swap. LAUREL_CLOUD_NODE_FLAGS (space-separated) replaces them, to measure others.
 */
export const CLOUD_NODE_FLAGS: readonly string[] = [
  '--experimental-async-context-frame',
  '--max-semi-space-size=32',
  '--max-old-space-size=768',
];

/** The flags the cloud's process gets: LAUREL_CLOUD_NODE_FLAGS, or the measured ones. */
export const cloudNodeFlags = (): readonly string[] =>
  process.env.LAUREL_CLOUD_NODE_FLAGS === undefined
    ? CLOUD_NODE_FLAGS
    : process.env.LAUREL_CLOUD_NODE_FLAGS.split(' ').filter(Boolean);

/** Forks the child and waits until its cloud is ready; rejects with the cloud's last lines if it is not. */
export async function forkLocalCloud<Ready extends CloudReady, Early extends { type: string } = never>(
  options: ForkOptions<Early>,
): Promise<ForkedCloud<Ready>> {
  const child = fork(options.entry, [], {
    execArgv: ['--import', import.meta.resolve('tsx'), ...cloudNodeFlags(), ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: options.detached ?? false,
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > options.keptLines) lines.splice(0, lines.length - options.keptLines);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => lines.join('\n');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let starting: ((message: Ready | CloudFailed | Early) => void) | undefined;
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new Error(`the local cloud did not start within ${options.startTimeoutMs / 1000} s:\n${output()}`),
      );
    }, options.startTimeoutMs);
    starting = (message) => {
      if (message.type !== 'ready' && message.type !== 'failed') {
        options.onEarlyMessage?.(message as Early, child);
        return;
      }
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message as Ready);
      else
        reject(
          new Error(`the local cloud could not start: ${(message as CloudFailed).message}\n${output()}`),
        );
    };
    child.on('message', starting);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited (${signal ?? code}) while starting:\n${output()}`));
    });
  }).finally(() => starting && child.off('message', starting));

  const heap = () =>
    new Promise<HeapFigures>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        child.off('message', answered);
      };
      const answered = (message: HeapAnswer | { type?: string }) => {
        if (message?.type !== 'heap') return;
        done();
        const { type: _type, ...figures } = message as HeapAnswer;
        resolve(figures);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error('the local cloud did not tell its heap within 10 s'));
      }, 10_000);
      child.on('message', answered);
      if (!child.connected) {
        done();
        reject(new Error('the local cloud has exited'));
        return;
      }
      child.send({ type: 'heap' });
    });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { ready, child, exited, output, heap, stop };
}

/**
 * In the child: starts the cloud, stops it when asked (or when the parent is gone), and sends
 * its addresses with whatever `beforeReady` adds — or the error, then exits.
 */
export async function serveLocalCloud<Extra extends object>(
  start: () => Promise<LocalCloud>,
  beforeReady: (cloud: LocalCloud) => Promise<Extra> = async () => ({}) as Extra,
): Promise<void> {
  const send = (message: unknown) => process.send?.(message);
  const heap = watchHeap();
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'heap') send({ type: 'heap', ...heap.figures() } satisfies HeapAnswer);
  });
  try {
    const cloud = await start();
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await cloud.stop();
      process.exit(0);
    };
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'stop') void stop();
    });
    process.on('disconnect', () => void stop());
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    const extra = await beforeReady(cloud);
    send({
      type: 'ready',
      urls: cloud.urls,
      signInLinks: cloud.signInLinks.map((l) => ({ campaignId: l.campaignId, role: l.role, url: l.url })),
      clockOffsetMs: Number(process.env.LAUREL_CLOCK_OFFSET_MS ?? 0),
      ...extra,
    });
  } catch (error) {
    send({
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  }
}
