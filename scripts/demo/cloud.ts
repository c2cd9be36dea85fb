import type { Connection } from '../driver/client.js';
import { type CloudProcess, startCloudProcess } from '../driver/cloud.js';

/**
 * The demo's local cloud (scripts/driver/cloud.ts): a process group of its own, so that the
 * crash-recovery test can kill all of it. LAUREL_FAULT_RATE (and LAUREL_FAULT_SEED) make task
 * Lambdas fail and LAUREL_DYNAMODB_FAULT_RATE makes DynamoDB writes meet conflicts and throttles,
 * as `npm start` would with them.
 */

export interface RunningCloud extends CloudProcess {
  /** How people reach this cloud when it may be killed under them (scripts/demo/crashes.ts). */
  connection?: Connection;
}

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const KEPT_LINES = 60;

export function startCloud(options: {
  dataDir: string;
  port: number;
  clockStart?: string;
}): Promise<RunningCloud> {
  return startCloudProcess({
    ...options,
    ...(process.env.LAUREL_FAULT_RATE || process.env.LAUREL_DYNAMODB_FAULT_RATE
      ? {
          faults: {
            rate: Number(process.env.LAUREL_FAULT_RATE ?? 0),
            seed: Number(process.env.LAUREL_FAULT_SEED ?? 1),
            dynamoRate: Number(process.env.LAUREL_DYNAMODB_FAULT_RATE ?? 0),
          },
        }
      : {}),
    // Its errors are kept (the test runner silences logs; this child inherits that) so that a
    // failed run shows what the cloud said last: a 500's cause, a task's failure.
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    detached: true,
    startTimeoutMs: START_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    keptLines: KEPT_LINES,
  });
}
