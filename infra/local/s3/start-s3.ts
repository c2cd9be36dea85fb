import { mkdir, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import type { CorsOrigins } from './cors.js';
import { createGateway } from './gateway.js';
import { versionsBucket } from './versions.js';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The dummy key pair the local S3 accepts unless told otherwise. */
export const LOCAL_S3_CREDENTIALS: S3Credentials = {
  accessKeyId: 'laurel-local',
  secretAccessKey: 'laurel-local-secret',
};

export interface StartS3Options {
  /** Objects live under here and survive a restart with the same folder. */
  dataDir: string;
  /** The gateway's port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Created when missing; existing ones keep their objects. */
  buckets?: string[];
  /** Origins a web page may call from (default: any). */
  corsOrigins?: CorsOrigins;
  credentials?: S3Credentials;
  /** More access keys with the same secret (each function's); checked by `authorize`. */
  accessKeys?: readonly string[];
  /** IAM: throws S3's AccessDenied when the key may not do the action on the ARN. */
  authorize?: (accessKeyId: string, action: string, resource: string) => void;
}

export interface RunningS3 {
  /** What S3Client's `endpoint` is set to (path style). */
  endpoint: string;
  stop(): Promise<void>;
}

const listen = (server: import('node:http').Server, port: number, host: string) =>
  new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

/** A URL host for the address a server listens on; a wildcard address is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts s3rver on a free loopback port and the gateway in front of it. Server code points its
 * S3Client at `endpoint` with `forcePathStyle: true` and `credentials`; browsers get presigned
 * POST forms and GET URLs made against the same endpoint.
 */
export async function startS3(options: StartS3Options): Promise<RunningS3> {
  const { dataDir, port = 0, host = '127.0.0.1', buckets = [], corsOrigins = '*' } = options;
  const credentials = options.credentials ?? LOCAL_S3_CREDENTIALS;
  const objectsDir = join(dataDir, 'objects');
  const spoolDir = join(dataDir, 'incoming');
  await mkdir(objectsDir, { recursive: true });
  // Uploads cut short by a crash leave their spooled files behind: they belong to no object.
  await rm(spoolDir, { recursive: true, force: true });
  await mkdir(spoolDir, { recursive: true });

  // s3rver refuses access keys it does not know (it checks no SigV4 signature, only the key).
  // Its registry is process-wide; adding the same pair twice is harmless.
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  for (const key of options.accessKeys ?? [])
    AWSAccount.DUMMY_ACCOUNT.createKeyPair(key, credentials.secretAccessKey);

  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: objectsDir,
    // Path style only: with virtual hosts on, any Host that is not an IP would be read as a bucket.
    vhostBuckets: false,
    // Every bucket is versioned, as Laurel's are in the stack; each has a hidden companion holding its versions.
    configureBuckets: buckets.flatMap((name) => [{ name }, { name: versionsBucket(name) }]),
  });
  const internal = await s3rver.run();

  const agent = new Agent({ keepAlive: true });
  const gateway = createGateway({
    upstream: { host: '127.0.0.1', port: internal.port, agent },
    credentials,
    ...(options.accessKeys ? { accessKeys: options.accessKeys } : {}),
    ...(options.authorize ? { authorize: options.authorize } : {}),
    corsOrigins,
    spoolDir,
  });
  let address: AddressInfo;
  try {
    address = await listen(gateway, port, host);
  } catch (error) {
    agent.destroy();
    await s3rver.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost(host)}:${address.port}`,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => gateway.close(() => resolve()));
        // Keep-alive connections from clients would hold the port open: stop means stop.
        gateway.closeAllConnections();
        await closed;
        agent.destroy();
        await s3rver.close();
        // 'close' fires before libuv has released the listening handles (its close phase comes
        // later in the same loop turn): wait one turn, so a resolved stop() leaves nothing open.
        await new Promise((resolve) => setTimeout(resolve, 0));
      })();
      return stopping;
    },
  };
}
