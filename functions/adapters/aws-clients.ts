import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../lib/config.js';

/**
 * The AWS SDK clients of one function, each built on first use and then kept for the container's
 * life: a function builds only the clients it calls (health reaches DynamoDB, S3, Step Functions
 * and SES through its probes; the review page never builds a Step Functions or SES client for a
 * read). The same code serves AWS and the local cloud: endpoints come from
 * AWS_ENDPOINT_URL_<SERVICE> (read by the SDK), credentials from the usual chain.
 */
export interface AwsClients {
  readonly dynamo: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly ses: SESv2Client;
  /** Only where mail goes over SMTP in AWS: the relay's secret. */
  readonly secretsManager: SecretsManagerClient;
}

export function awsClients(config: Config): AwsClients {
  const common = { region: config.region };
  const built = new Map<keyof AwsClients, unknown>();
  const once = <K extends keyof AwsClients>(key: K, build: () => AwsClients[K]): AwsClients[K] => {
    if (!built.has(key)) built.set(key, build());
    return built.get(key) as AwsClients[K];
  };
  const clients: AwsClients = {
    get dynamo() {
      return once('dynamo', () => new DynamoDBClient(common));
    },
    get documents() {
      return once('documents', () =>
        DynamoDBDocumentClient.from(clients.dynamo, {
          marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
        }),
      );
    },
    // The local S3 stand-in serves buckets as paths, not as host names.
    get s3() {
      return once('s3', () => new S3Client({ ...common, forcePathStyle: config.s3ForcePathStyle }));
    },
    get sfn() {
      return once('sfn', () => new SFNClient(common));
    },
    get ses() {
      return once('ses', () => new SESv2Client(common));
    },
    get secretsManager() {
      return once('secretsManager', () => new SecretsManagerClient(common));
    },
  };
  return clients;
}
