import { fileURLToPath } from 'node:url';
import { forkLocalCloud } from '../local-cloud-process.js';
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
   * SIGKILL to the cloud's whole process group — Node, then DynamoDB Local's Java 300 ms later —
   * as a crash of the machine would; `nodeOnly` kills the Node process alone and leaves Java
   * running, as a `kill -9` of `npm start` would (the next start kills that Java).
   */
  kill(options?: { nodeOnly?: boolean }): Promise<void>;
  /** How people reach this cloud when it may be killed under them (scripts/demo/crashes.ts). */
  connection?: Connection;
}

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const KEPT_LINES = 60;
/** How long a whole-cloud kill leaves Java after Node: see kill(). */
const JAVA_KILL_DELAY_MS = 300;

export async function startCloud(options: {
  dataDir: string;
  port: number;
  clockStart?: string;
}): Promise<RunningCloud> {
  const { ready, child, exited, output, stop } = await forkLocalCloud({
    entry: fileURLToPath(new URL('./cloud-process.ts', import.meta.url)),
    env: { LAUREL_DEMO_CLOUD: JSON.stringify(options) },
    // A process group of its own (Java included), so kill() can take all of it and nothing else.
    detached: true,
    startTimeoutMs: START_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    keptLines: KEPT_LINES,
  });

  return {
    urls: ready.urls,
    signInLinks: ready.signInLinks,
    clockOffsetMs: ready.clockOffsetMs,
    now: () => new Date(Date.now() + ready.clockOffsetMs),
    output,
    stop,
    async kill({ nodeOnly = false } = {}) {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      child.kill('SIGKILL');
      await exited;
      if (nodeOnly) return;
      // Then Java, once it has written what it acknowledged: DynamoDB Local answers a
      // TransactWriteItems before the write is durable, and a SIGKILL within milliseconds loses
      // it (measured: 1 of 200–284 acknowledged transactions lost at once, none 300 ms later).
      // AWS's DynamoDB has no such window; with it the test would measure the stand-in.
      await new Promise((resolve) => setTimeout(resolve, JAVA_KILL_DELAY_MS));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
}
