import { fileURLToPath } from 'node:url';
import type { LocalCloud } from '../../infra/local/cloud.js';
import type { HeapFigures } from '../../infra/local/heap-watch.js';
import { type CloudReady, forkLocalCloud } from '../local-cloud-process.js';

/**
 * The parent's side of scripts/driver/cloud-process.ts: start the local cloud in a child process,
 * learn its addresses and sign-in links, stop it — or kill it, as a crash would. The demo and the
 * benchmark each start it with their own patience and options.
 */

/** What the child is told (LAUREL_CLOUD_PROCESS). */
export interface CloudProcessOptions {
  dataDir: string;
  /** Port of the API and web UI; 0 picks a free one. */
  port: number;
  clockStart?: string;
  /** How long a handler may run (the local cloud's default is API Gateway's 30 s). */
  lambdaTimeoutMs?: number;
  /** Task Lambdas fail at this rate, as `LAUREL_FAULT_RATE=… npm start` makes them. */
  faults?: { rate: number; seed: number; dynamoRate?: number };
  /** Every handler's DynamoDB calls go through a proxy the parent names once the cloud is up. */
  dynamoProxy?: boolean;
}

export interface StartCloudProcess extends Omit<CloudProcessOptions, 'dynamoProxy'> {
  /**
   * A proxy for every handler's DynamoDB calls: told where DynamoDB Local listens once the cloud
   * is up, before any handler is imported; the handlers then call `endpoint`.
   */
  dynamoProxy?: { endpoint: string; retarget(upstream: string): void };
  /** A process group of its own, so kill() can take DynamoDB Local's Java along (and nothing else). */
  detached?: boolean;
  /** Node flags for the child (a CPU profile). */
  execArgv?: string[];
  /** Added to the child's environment. */
  env?: Record<string, string>;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** How many of the cloud's last lines output() keeps. */
  keptLines: number;
}

export interface CloudProcess {
  urls: LocalCloud['urls'];
  /** The sign-in links `npm start` prints: each campaign's secretariat, and operations. */
  signInLinks: { campaignId: string; role: string; url: string }[];
  /** The campaign clock's offset from real time in that process. */
  clockOffsetMs: number;
  /** The campaign clock, as the handlers of this process read it. */
  now(): Date;
  /** The Node process of the cloud (handlers, Step Functions, S3 gateway, mail); 0 if unknown. */
  pid: number;
  /** DynamoDB Local's Java; 0 if unknown. */
  javaPid: number;
  /** The last lines the cloud printed (its logs), for a failure message. */
  output(): string;
  /** The Node process's JavaScript heap so far: its live peak after full collections, and its limit. */
  heap(): Promise<HeapFigures>;
  stop(): Promise<void>;
  /**
   * SIGKILL to the cloud's whole process group — Node, then DynamoDB Local's Java 300 ms later —
   * as a crash of the machine would; `nodeOnly` kills the Node process alone and leaves Java
   * running, as a `kill -9` of `npm start` would (the next start kills that Java). Java goes along
   * only when the cloud was started `detached`.
   */
  kill(options?: { nodeOnly?: boolean }): Promise<void>;
}

/** The child adds the pid of DynamoDB Local's Java to what every cloud child sends. */
type Ready = CloudReady & { javaPid: number };
/** With a DynamoDB proxy, the child asks where to send DynamoDB calls once its cloud is up. */
type Started = { type: 'started'; dynamodb: string };

/** How long a whole-cloud kill leaves Java after Node: see kill(). */
const JAVA_KILL_DELAY_MS = 300;

export async function startCloudProcess(options: StartCloudProcess): Promise<CloudProcess> {
  const { dynamoProxy, detached, execArgv, env, startTimeoutMs, stopTimeoutMs, keptLines, ...cloud } =
    options;
  const told: CloudProcessOptions = { ...cloud, ...(dynamoProxy ? { dynamoProxy: true } : {}) };
  const { ready, child, exited, output, heap, stop } = await forkLocalCloud<Ready, Started>({
    entry: fileURLToPath(new URL('./cloud-process.ts', import.meta.url)),
    env: { ...env, LAUREL_CLOUD_PROCESS: JSON.stringify(told) },
    ...(execArgv ? { execArgv } : {}),
    detached: detached ?? false,
    startTimeoutMs,
    stopTimeoutMs,
    keptLines,
    onEarlyMessage: (started, childProcess) => {
      if (!dynamoProxy) return;
      dynamoProxy.retarget(started.dynamodb);
      childProcess.send({ type: 'proxy', endpoint: dynamoProxy.endpoint });
    },
  });

  return {
    urls: ready.urls,
    signInLinks: ready.signInLinks,
    clockOffsetMs: ready.clockOffsetMs,
    now: () => new Date(Date.now() + ready.clockOffsetMs),
    pid: child.pid ?? 0,
    javaPid: ready.javaPid,
    output,
    heap,
    stop,
    async kill({ nodeOnly = false } = {}) {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      child.kill('SIGKILL');
      await exited;
      if (nodeOnly || !detached) return;
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
