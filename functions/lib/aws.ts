import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config.js';

/**
 * Every AWS SDK client Laurel uses is built here, once per cold start, and nowhere else. The
 * same code serves AWS and the local cloud: endpoints come from AWS_ENDPOINT_URL_<SERVICE>
 * (read by the SDK), credentials from the usual chain (dummy ones locally).
 */
export interface AwsClients {
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  sfn: SFNClient;
  ses: SESv2Client;
}

export function createAwsClients(config: Config): AwsClients {
  const common = { region: config.region };
  const dynamo = new DynamoDBClient(common);
  return {
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
    // The local S3 stand-in serves buckets as paths, not as host names.
    s3: new S3Client({ ...common, forcePathStyle: config.s3ForcePathStyle }),
    sfn: new SFNClient(common),
    ses: new SESv2Client(common),
  };
}
