import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCloud } from '../../infra/local/cloud.js';
import { serveLocalCloud } from '../local-cloud-process.js';
import type { CloudProcessOptions } from './cloud.js';

/**
 * The local cloud in a process of its own, for the demo and the benchmark (scripts/driver/cloud.ts
 * starts it; see scripts/local-cloud-process.ts for why a process). Options come in
 * LAUREL_CLOUD_PROCESS (JSON).
 *
 * With `dynamoProxy`, once the cloud is up and before any handler is imported, the parent answers
 * with the address of its proxy and every handler's DynamoDB client is pointed there
 * (AWS_ENDPOINT_URL_DYNAMODB, read by the SDK when a handler builds its client): the benchmark
 * counts DynamoDB calls so.
 */

const options = JSON.parse(process.env.LAUREL_CLOUD_PROCESS ?? '{}') as CloudProcessOptions;

const proxied = options.dynamoProxy
  ? new Promise<string>((resolve) => {
      process.on('message', (message: { type?: string; endpoint?: string }) => {
        if (message?.type === 'proxy' && message.endpoint) resolve(message.endpoint);
      });
    })
  : undefined;

await serveLocalCloud(
  () =>
    startLocalCloud({
      dataDir: options.dataDir,
      port: options.port,
      ...(options.clockStart ? { clockStart: options.clockStart } : {}),
      ...(options.lambdaTimeoutMs ? { lambdaTimeoutMs: options.lambdaTimeoutMs } : {}),
      ...(options.faults
        ? {
            faultRate: options.faults.rate,
            faultSeed: options.faults.seed,
            ...(options.faults.dynamoRate ? { dynamoFaultRate: options.faults.dynamoRate } : {}),
          }
        : {}),
    }),
  async (cloud) => {
    if (proxied) {
      process.send?.({ type: 'started', dynamodb: cloud.urls.dynamodb });
      process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxied;
    }
    let javaPid = 0;
    try {
      javaPid = Number(readFileSync(join(options.dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    } catch {
      // No pid file: whoever asks gets 0 (the benchmark's report says n/a for Java).
    }
    return { javaPid };
  },
);
