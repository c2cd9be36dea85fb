import { DeleteObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ErasureStore, FileEraser, PersonalRecord } from '../ports/erasure.js';
import type { PersonalRecordKind } from '../rules/retention.js';
import { rankingKey } from './review-store.js';

/** Versions deleted at once: each is one DeleteObject request naming its VersionId. */
const DELETES_AT_ONCE = 8;

/**
 * Every version and delete marker under a prefix, a ListObjectVersions page (at most 1,000) at a
 * time, each removed with DeleteObject and its VersionId — which deletes that version for good
 * (a DeleteObject without one would only add a delete marker on a versioned bucket).
 */
export function s3FileEraser(s3: S3Client, bucket: string): FileEraser {
  return {
    async eraseEveryVersion(prefix) {
      let erased = 0;
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker, VersionIdMarker }),
        );
        const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
          v.Key && v.VersionId ? [{ Key: v.Key, VersionId: v.VersionId }] : [],
        );
        for (let i = 0; i < versions.length; i += DELETES_AT_ONCE) {
          await Promise.all(
            versions
              .slice(i, i + DELETES_AT_ONCE)
              .map((v) => s3.send(new DeleteObjectCommand({ Bucket: bucket, ...v }))),
          );
        }
        erased += versions.length;
        // Deleted versions leave the listing, but the markers S3 gave stay valid positions in it.
        KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (KeyMarker);
      return erased;
    },
  };
}

/**
 * The records about one nomination that the erasure rewrites (the key layouts are the stores'):
 *   nomination#<id> / audit#…, read#…      items whose `data` is the event or the read
 *   nomination#<id> / review#<expert>      the assignment, its fields at the top level
 *   review-link#<hash> / item              the link an assignment names
 *   ranking#<c> / <category>#<id>          the stored ranking's row (`data`; `status` is the nomination store's)
 *   awaiting-experts#<c> / <id>            the waiting-for-experts entry
 *   campaign#<c> / objection#<id>          objections to it (`data.nominationId`)
 */
export function dynamoErasureStore(documents: DynamoDBDocumentClient, tableName: string): ErasureStore {
  /** Keys and index keys an item keeps whatever its data becomes. */
  const KEY_ATTRIBUTES = [
    'pk',
    'sk',
    'gsi1pk',
    'gsi1sk',
    'gsi2pk',
    'gsi2sk',
    'gsi3pk',
    'gsi3sk',
    'expiresAt',
  ];
  /** Kinds whose item holds its fields at the top level rather than under `data`. */
  const TOP_LEVEL: readonly PersonalRecordKind[] = ['review', 'review-link'];

  const recordOf = (kind: PersonalRecordKind, item: Record<string, unknown>): PersonalRecord => ({
    kind,
    key: { pk: String(item.pk), sk: String(item.sk) },
    data: TOP_LEVEL.includes(kind)
      ? Object.fromEntries(Object.entries(item).filter(([key]) => !KEY_ATTRIBUTES.includes(key)))
      : ((item.data as Record<string, unknown> | undefined) ?? {}),
  });

  /** The pages of one query, each as records of `kind` (or of the kind its sort key names). */
  async function* pages(
    input: Omit<QueryCommandInput, 'TableName'>,
    kindOf: (item: Record<string, unknown>) => PersonalRecordKind | undefined,
  ): AsyncGenerator<Record<string, unknown>[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({ TableName: tableName, ConsistentRead: true, ...input, ExclusiveStartKey }),
      );
      yield (page.Items ?? []).filter((item) => kindOf(item) !== undefined);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  const kindBySortKey = (item: Record<string, unknown>): PersonalRecordKind | undefined => {
    const sk = String(item.sk);
    if (sk.startsWith('audit#')) return 'audit';
    if (sk.startsWith('read#')) return 'read';
    if (sk.startsWith('review#')) return 'review';
    return undefined;
  };

  const single = async (key: { pk: string; sk: string }) =>
    (await documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  return {
    async *records(nomination) {
      for await (const items of pages(
        {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `nomination#${nomination.id}` },
        },
        kindBySortKey,
      )) {
        const records = items.map((item) => recordOf(kindBySortKey(item) as PersonalRecordKind, item));
        // An assignment's current link goes with it.
        const links = records.flatMap((r) =>
          r.kind === 'review' && typeof r.data.linkHash === 'string'
            ? [
                {
                  kind: 'review-link' as const,
                  key: { pk: `review-link#${r.data.linkHash}`, sk: 'item' },
                  data: {},
                },
              ]
            : [],
        );
        yield [...links, ...records];
      }
      const ranking = await single(rankingKey(nomination.campaignId, nomination.category, nomination.id));
      const awaiting = await single({ pk: `awaiting-experts#${nomination.campaignId}`, sk: nomination.id });
      yield [
        ...(ranking ? [recordOf('ranking', ranking)] : []),
        ...(awaiting ? [recordOf('awaiting-experts', awaiting)] : []),
      ];
      for await (const items of pages(
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :objection)',
          FilterExpression: '#d.#n = :id',
          ExpressionAttributeNames: { '#d': 'data', '#n': 'nominationId' },
          ExpressionAttributeValues: {
            ':pk': `campaign#${nomination.campaignId}`,
            ':objection': 'objection#',
            ':id': nomination.id,
          },
        },
        () => 'objection',
      )) {
        yield items.map((item) => recordOf('objection', item));
      }
    },

    async rewrite(record, data, expiresAt) {
      if (TOP_LEVEL.includes(record.kind)) {
        const { Item } = await documents.send(
          new GetCommand({ TableName: tableName, Key: record.key, ConsistentRead: true }),
        );
        if (!Item) return;
        const keys = Object.fromEntries(Object.entries(Item).filter(([key]) => KEY_ATTRIBUTES.includes(key)));
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...data, ...keys, ...(expiresAt ? { expiresAt } : {}) },
          }),
        );
        return;
      }
      // An update of `data` alone: other attributes (the ranking row's status) stay the other stores'.
      await documents
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: record.key,
            UpdateExpression: expiresAt ? 'SET #d = :d, expiresAt = :e' : 'SET #d = :d',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#d': 'data' },
            ExpressionAttributeValues: { ':d': data, ...(expiresAt ? { ':e': expiresAt } : {}) },
          }),
        )
        .catch((error: unknown) => {
          // Removed since it was read (a link superseded, an entry taken): nothing left to erase.
          if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        });
    },

    async remove(record) {
      await documents.send(new DeleteCommand({ TableName: tableName, Key: record.key }));
    },
  };
}
