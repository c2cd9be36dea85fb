import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Connection } from './api.js';

/** The demo's side of scripts/demo/cloud-process.ts: start it, learn its addresses, stop it (or kill it). */

export interface RunningCloud {
  urls: { web: string; mail: string };
  /** The sign-in links `npm start` prints: each campaign's secretariat, and operations. */
  signInLinks: { campaignId: string; role: string; url: string }[];
  /** The campaign clock's offset from real time in that process. */
  clockOffsetMs: number;
  /** The campaign clock, as the handlers of this process read it. */
  now(): Date;
  /** The last lines the cloud printed (its logs), for a failure message. */
  output(): string;
  stop(): Promise<void>;
  /**
   * SIGKILL to the cloud's whole process group — Node and DynamoDB Local's Java — as a crash of
   * the machine would; `nodeOnly` kills the Node process alone and leaves Java running, as a
   * `kill -9` of `npm start` would (the next start kills that Java).
   */
  kill(options?: { nodeOnly?: boolean }): Promise<void>;
  /** How people reach this cloud when it may be killed under them (scripts/demo/crashes.ts). */
  connection?: Connection;
}

type Message =
  | {
      type: 'ready';
      urls: RunningCloud['urls'];
      signInLinks: RunningCloud['signInLinks'];
      clockOffsetMs: number;
    }
  | { type: 'failed'; message: string };

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const KEPT_LINES = 60;

export async function startCloud(options: {
  dataDir: string;
  port: number;
  clockStart?: string;
}): Promise<RunningCloud> {
  const entry = fileURLToPath(new URL('./cloud-process.ts', import.meta.url));
  const child = fork(entry, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, LAUREL_DEMO_CLOUD: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // A process group of its own (Java included), so kill() can take all of it and nothing else.
    detached: true,
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
    urls: ready.urls,
    signInLinks: ready.signInLinks,
    clockOffsetMs: ready.clockOffsetMs,
    now: () => new Date(Date.now() + ready.clockOffsetMs),
    output,
    stop: () => stopChild(child, exited),
    async kill({ nodeOnly = false } = {}) {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      if (nodeOnly) child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
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
