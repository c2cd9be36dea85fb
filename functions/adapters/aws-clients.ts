import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../lib/config.js';

/**
 * The AWS SDK clients, one factory each, each client built on first use and then kept for the
 * container's life (per configuration). One factory per client rather than one object of all
 * five so that a function's bundle holds only the clients it calls: the SDK is bundled
 * (infra/bundling.ts) and esbuild leaves out a factory nobody imports, and with it that client's
 * modules — the review page bundles no Step Functions or SES client, and a cold start parses none.
 * The same code serves AWS and the local cloud: endpoints come from AWS_ENDPOINT_URL_<SERVICE>
 * (read by the SDK), credentials from the usual chain. Each factory is marked pure (`@__PURE__`)
 * so that esbuild may drop the ones a function never calls: a top-level call is otherwise kept.
 */
export function perConfig<T>(build: (config: Config) => T): (config: Config) => T {
  const built = new WeakMap<Config, T>();
  return (config) => {
    if (!built.has(config)) built.set(config, build(config));
    return built.get(config) as T;
  };
}

export const dynamoClient = /* @__PURE__ */ perConfig(
  (config) => new DynamoDBClient({ region: config.region }),
);

export const documentClient = /* @__PURE__ */ perConfig((config) =>
  DynamoDBDocumentClient.from(dynamoClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

/** The local S3 stand-in serves buckets as paths, not as host names. */
export const s3Client = /* @__PURE__ */ perConfig(
  (config) => new S3Client({ region: config.region, forcePathStyle: config.s3ForcePathStyle }),
);

export const sfnClient = /* @__PURE__ */ perConfig((config) => new SFNClient({ region: config.region }));

export const sesClient = /* @__PURE__ */ perConfig(
  (config) =>
    // Bounded, so a send ends well within a notice's claim (NOTICE_CLAIM_LEASE_MS).
    new SESv2Client({
      region: config.region,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    }),
);

/** Only where mail goes over SMTP in AWS: the relay's secret. */
export const secretsManagerClient = /* @__PURE__ */ perConfig(
  (config) => new SecretsManagerClient({ region: config.region }),
);
