import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLE_SHAPE } from '../../functions/adapters/table.js';
import { MAX_RETENTION_DAYS } from '../../functions/rules/consent.js';
import type { Settings } from './settings.js';

/** A round runs at most a year from its first upload to its release, then keeps its files at most MAX_RETENTION_DAYS. */
export const UPLOAD_BACKSTOP_DAYS = 365 + MAX_RETENTION_DAYS;

const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** Secure defaults every bucket shares: private, TLS only, encrypted, no ACLs. */
const privateBucket = (prod: boolean): s3.BucketProps => ({
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  // Only dev is torn down with its data; prod buckets outlive the stack.
  autoDeleteObjects: !prod,
});

/**
 * Laurel's state: the single DynamoDB table (built from TABLE_SHAPE, the description the local
 * cloud uses too), the uploads bucket (stamped PDFs, photos, generated packages) and the bucket
 * that receives the access logs of the others and of CloudFront.
 */
export class Storage extends Construct {
  readonly table: dynamodb.Table;
  readonly uploads: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const prod = props.settings.stage === 'prod';

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: str(TABLE_SHAPE.partitionKey),
      sortKey: str(TABLE_SHAPE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_SHAPE.timeToLiveAttribute,
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of TABLE_SHAPE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: str(index.partitionKey),
        sortKey: str(index.sortKey),
        ...(index.projection.type === 'INCLUDE'
          ? {
              projectionType: dynamodb.ProjectionType.INCLUDE,
              nonKeyAttributes: [...index.projection.attributes],
            }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      });
    }

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket(prod),
      // CloudFront standard logging writes with an ACL, so this one bucket keeps ACLs enabled.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(prod ? 365 : 30) }],
    });

    this.uploads = new s3.Bucket(this, 'Uploads', {
      ...privateBucket(prod),
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          // Replaced or removed attachments (and objects of deleted drafts) stay recoverable for a while.
          id: 'expire-noncurrent',
          noncurrentVersionExpiration: Duration.days(props.settings.noncurrentVersionDays),
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'expire-packages',
          prefix: 'packages/',
          expiration: Duration.days(props.settings.packageRetentionDays),
        },
        {
          // The deletion job erases every version once a round's retention is over; should one ever
          // miss a file, this removes it after the longest a round may run and keep it.
          id: 'expire-uploads-backstop',
          prefix: 'nominations/',
          expiration: Duration.days(UPLOAD_BACKSTOP_DAYS),
        },
      ],
    });
  }

  /** Browsers POST files straight to S3 with the presigned policy and GET downloads, from the site only. */
  allowBrowserOrigin(origin: string): void {
    this.uploads.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
      allowedOrigins: [origin],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 3000,
    });
  }
}
