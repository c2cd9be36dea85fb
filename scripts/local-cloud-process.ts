import { type ChildProcess, fork } from 'node:child_process';
import type { LocalCloud } from '../infra/local/cloud.js';

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

export interface ForkedCloud<Ready extends CloudReady> {
  ready: Ready;
  child: ChildProcess;
  /** Settles when the child has exited, however it ended. */
  exited: Promise<void>;
  /** The last lines the cloud printed (its logs), for a failure message. */
  output(): string;
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
 * Node flags of the cloud's process, chosen by measurement (CPU-s per nomination of the bench's
 * cloud process, each way; docs/local-cloud.md, "Its own overheads"). The process hosts every
 * function, so AsyncLocalStorage (each function's own environment, infra/local/lambda.ts) sits on
 * every promise: `--experimental-async-context-frame` carries it without async_hooks' promise
 * hooks. `--max-semi-space-size` gives the young generation room for the many short-lived request
 * objects, fewer scavenges. LAUREL_CLOUD_NODE_FLAGS (space-separated) replaces them, to measure others.
 */
export const CLOUD_NODE_FLAGS: readonly string[] = [
  '--experimental-async-context-frame',
  '--max-semi-space-size=32',
];

const cloudNodeFlags = (): readonly string[] =>
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

  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new Error(`the local cloud did not start within ${options.startTimeoutMs / 1000} s:\n${output()}`),
      );
    }, options.startTimeoutMs);
    child.on('message', (message: Ready | CloudFailed | Early) => {
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
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited (${signal ?? code}) while starting:\n${output()}`));
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { ready, child, exited, output, stop };
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
