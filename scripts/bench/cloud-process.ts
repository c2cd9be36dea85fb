import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCloud } from '../../infra/local/cloud.js';
import { serveLocalCloud } from '../local-cloud-process.js';

/**
 * The local cloud in a process of its own, for the benchmark (scripts/bench/cloud.ts starts it),
 * as the demo runs it (scripts/local-cloud-process.ts): handlers read the campaign clock at
 * their cold start, so the publicity week passes by starting the cloud again on the same data
 * with a later clock.
 *
 * One difference from the demo's: once the cloud is up, and before any handler is imported, the
 * parent answers with the address of its counting proxy and every handler's DynamoDB client is
 * pointed there (AWS_ENDPOINT_URL_DYNAMODB, read by the SDK when a handler builds its client).
 */

interface Options {
  dataDir: string;
  port: number;
  clockStart?: string;
  lambdaTimeoutMs?: number;
}

const options = JSON.parse(process.env.LAUREL_BENCH_CLOUD ?? '{}') as Options;

const proxied = new Promise<string>((resolve) => {
  process.on('message', (message: { type?: string; endpoint?: string }) => {
    if (message?.type === 'proxy' && message.endpoint) resolve(message.endpoint);
  });
});

await serveLocalCloud(
  () =>
    startLocalCloud({
      dataDir: options.dataDir,
      port: options.port,
      ...(options.clockStart ? { clockStart: options.clockStart } : {}),
      ...(options.lambdaTimeoutMs ? { lambdaTimeoutMs: options.lambdaTimeoutMs } : {}),
    }),
  async (cloud) => {
    process.send?.({ type: 'started', dynamodb: cloud.urls.dynamodb });
    process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxied;
    let javaPid = 0;
    try {
      javaPid = Number(readFileSync(join(options.dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    } catch {
      // No pid file: the report says n/a for Java.
    }
    return { javaPid };
  },
);
