import { startLocalCloud } from '../../infra/local/cloud.js';

/**
 * The local cloud in a process of its own, for the demo (scripts/demo/cloud.ts starts it). A
 * process, not a call: handlers read the campaign clock once, at their cold start, so letting a
 * week of publicity pass means starting Laurel again on the same data with a later clock — as
 * `LAUREL_CLOCK=… npm start` would. Options come in LAUREL_DEMO_CLOUD (JSON); the addresses go
 * back over IPC; a "stop" message, a lost parent, SIGINT or SIGTERM stop everything it started.
 */

interface Options {
  dataDir: string;
  port: number;
  clockStart?: string;
}

const options = JSON.parse(process.env.LAUREL_DEMO_CLOUD ?? '{}') as Options;
const send = (message: unknown) => process.send?.(message);

try {
  const cloud = await startLocalCloud({
    dataDir: options.dataDir,
    port: options.port,
    ...(options.clockStart ? { clockStart: options.clockStart } : {}),
    ...(process.env.LAUREL_FAULT_RATE
      ? {
          faultRate: Number(process.env.LAUREL_FAULT_RATE),
          faultSeed: Number(process.env.LAUREL_FAULT_SEED ?? 1),
        }
      : {}),
  });
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
  send({
    type: 'ready',
    urls: cloud.urls,
    signInLinks: cloud.signInLinks.map((l) => ({ campaignId: l.campaignId, role: l.role, url: l.url })),
    clockOffsetMs: Number(process.env.LAUREL_CLOCK_OFFSET_MS ?? 0),
  });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
