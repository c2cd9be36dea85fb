import { startLocalCloud } from '../../infra/local/cloud.js';
import { serveLocalCloud } from '../local-cloud-process.js';

/**
 * The local cloud in a process of its own, for the demo (scripts/demo/cloud.ts starts it; see
 * scripts/local-cloud-process.ts for why a process). Options come in LAUREL_DEMO_CLOUD (JSON);
 * LAUREL_FAULT_RATE makes task Lambdas fail, as `npm start` would with it.
 */

interface Options {
  dataDir: string;
  port: number;
  clockStart?: string;
}

const options = JSON.parse(process.env.LAUREL_DEMO_CLOUD ?? '{}') as Options;

await serveLocalCloud(() =>
  startLocalCloud({
    dataDir: options.dataDir,
    port: options.port,
    ...(options.clockStart ? { clockStart: options.clockStart } : {}),
    ...(process.env.LAUREL_FAULT_RATE
      ? {
          faultRate: Number(process.env.LAUREL_FAULT_RATE),
          faultSeed: Number(process.env.LAUREL_FAULT_SEED ?? 1),
        }
      : {}),
  }),
);
