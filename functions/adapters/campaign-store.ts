import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CampaignState, CampaignStore, Objection, UnitEntry } from '../ports/campaigns.js';
import type { DeadlineExtension } from '../rules/deadline.js';
import type { ForwardLimit, NominationDecision } from '../rules/discretion.js';
import type { Honouree } from '../rules/honourees.js';
import type { Nomination } from '../rules/nomination.js';
import { decodeCursor, encodeCursor, invalidCursor, MAX_PAGE } from '../rules/paging.js';
import { nominationFrom, nominationKeys, type SeenNominations, seenNominations } from './nomination-store.js';
import { batchGetItems, batchWrite, queryPartition } from './table.js';
import { writtenIfCondition } from './transactions.js';

/**
 * Past honourees are stored in chunks of at most this many bytes of JSON (a generous measure of
 * DynamoDB's item size): far under its 400 KB item limit, however long the list.
 */
export const HONOUREE_CHUNK_BYTES = 200_000;

/** The list cut into chunks of at most `maxBytes` of JSON each, in order. */
export function honoureeChunks(list: readonly Honouree[], maxBytes = HONOUREE_CHUNK_BYTES): Honouree[][] {
  const chunks: Honouree[][] = [];
  let current: Honouree[] = [];
  let bytes = 0;
  for (const honouree of list) {
    const size = Buffer.byteLength(JSON.stringify(honouree)) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(honouree);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Which stored list is current: its chunks are `honourees#<generation>#<00000>`. */
interface HonoureeListRef {
  generation: string;
  chunks: number;
  count: number;
}

/**
 *   campaign#<c> / state               publicity window, release
 *   campaign#<c> / objection#<id>      one objection and its resolution
 *   campaign#<c> / discretion#nomination#<id>   the secretariat's decision on one nomination
 *   campaign#<c> / discretion#category#<id>     forwarding fewer than the quota in one category
 *   campaign#<c> / unit#<id>           one invited unit: its name and type
 *   campaign#<c> / honourees           which past-honouree list is current (generation, chunks)
 *   campaign#<c> / honourees#<generation>#<00000>   one chunk of that list
 *   campaign#<c> / package             the forwarding package last built
 *   campaign#<c> / package-progress    how far the package being built has got
 */
/** The campaign store with the submission's one read of its context and its nomination. */
export type CampaignStoreWithSubmissionRead = CampaignStore & {
  submissionContextWith(
    campaignId: string,
    unitId: string,
    nominationId: string,
  ): Promise<
    Awaited<ReturnType<CampaignStore['submissionContext']>> & { nomination: Nomination | undefined }
  >;
};

export function dynamoCampaignStore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  /** What the container knows of the nominations it read (nomination-store.ts): a nomination read here is remembered. */
  seen: SeenNominations = seenNominations(),
): CampaignStoreWithSubmissionRead {
  const put = (pk: string, sk: string, data: unknown) =>
    documents.send(new PutCommand({ TableName: tableName, Item: { pk, sk, data } })).then(() => undefined);
  const readState = async (campaignId: string): Promise<CampaignState> => {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: `campaign#${campaignId}`, sk: 'state' },
        ConsistentRead: true,
      }),
    );
    return (Item?.data as CampaignState | undefined) ?? { campaignId };
  };
  const honoureeChunkKey = (generation: string, index: number) =>
    `honourees#${generation}#${String(index).padStart(5, '0')}`;
  // A list stored before chunking is the item's data itself (an array): still read, replaced by the next import.
  const honoureeListRef = async (pk: string): Promise<HonoureeListRef | Honouree[] | undefined> => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk, sk: 'honourees' }, ConsistentRead: true }),
    );
    return Item?.data as HonoureeListRef | Honouree[] | undefined;
  };
  /** The list a reference names: its chunks by one query (none when there is no list). */
  const honoureeList = async (pk: string, ref: HonoureeListRef | Honouree[] | undefined) => {
    if (!ref) return [];
    if (Array.isArray(ref)) return ref;
    const items = await queryPartition(documents, tableName, pk, `honourees#${ref.generation}#`);
    // Sort keys are zero-padded, so the query answers the chunks in the list's order.
    return items.flatMap((item) => item.data as Honouree[]);
  };
  /**
   * The round's state and the unit's extension by one consistent batch read, and `more` items of
   * the round's partition with them, and the items of `beside` (other partitions' keys) too.
   */
  const windowItems = async (
    campaignId: string,
    unitId: string,
    more: readonly string[] = [],
    beside: readonly Record<string, string>[] = [],
  ) => {
    const pk = `campaign#${campaignId}`;
    const found = await batchGetItems(
      documents,
      tableName,
      [...['state', `extension#${unitId}`, ...more].map((sk) => ({ pk, sk })), ...beside],
      { ConsistentRead: true },
    );
    const data = (sk: string) => found.get(`${pk}/${sk}`)?.data;
    return {
      pk,
      data,
      found,
      state: (data('state') as CampaignState | undefined) ?? { campaignId },
      extension: data(`extension#${unitId}`) as DeadlineExtension | undefined,
    };
  };
  const submissionContext = async (campaignId: string, unitId: string, nominationId?: string) => {
    // The list's reference is an item of the round's partition: read with the window's two.
    const { pk, data, found, state, extension } = await windowItems(
      campaignId,
      unitId,
      ['honourees'],
      nominationId ? nominationKeys(nominationId) : [],
    );
    const ref = data('honourees') as HonoureeListRef | Honouree[] | undefined;
    return {
      state,
      extension,
      honourees: await honoureeList(pk, ref),
      nomination: nominationId ? nominationFrom(found, nominationId, seen) : undefined,
    };
  };
  return {
    /**
     * A submission's reads by one request: its context (`submissionContext`) and the nomination it
     * submits, its item and parts read by key beside the round's items — consistently, and
     * remembered (`seen`) so that the submission's write reads nothing more first. The route
     * check of a submit makes this read, and the use case's two reads take its answer
     * (wiring/scope-read.ts): one request where there were two.
     */
    submissionContextWith: (campaignId: string, unitId: string, nominationId: string) =>
      submissionContext(campaignId, unitId, nominationId),
    async honourees(campaignId) {
      const pk = `campaign#${campaignId}`;
      return honoureeList(pk, await honoureeListRef(pk));
    },
    /**
     * A new list is written whole under a new generation, then made current by one put, then the
     * old generation's chunks are deleted: a reader sees the old list or the new one, never a mix,
     * and a failed import leaves the old list current (its stray chunks are never read). Of two
     * imports at once the later put wins.
     */
    async saveHonourees(campaignId, honourees) {
      const pk = `campaign#${campaignId}`;
      const previous = await honoureeListRef(pk);
      const generation = randomUUID();
      const chunks = honoureeChunks(honourees);
      await batchWrite(
        documents,
        tableName,
        chunks.map((data, i) => ({
          PutRequest: { Item: { pk, sk: honoureeChunkKey(generation, i), data } },
        })),
      );
      const ref: HonoureeListRef = { generation, chunks: chunks.length, count: honourees.length };
      await put(pk, 'honourees', ref);
      if (previous && !Array.isArray(previous))
        await batchWrite(
          documents,
          tableName,
          Array.from({ length: previous.chunks }, (_, i) => ({
            DeleteRequest: { Key: { pk, sk: honoureeChunkKey(previous.generation, i) } },
          })),
        );
    },
    saveUnit: (campaignId, unit) => put(`campaign#${campaignId}`, `unit#${unit.id}`, unit),
    async units(campaignId) {
      const units: UnitEntry[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :u)',
            ExpressionAttributeValues: { ':pk': `campaign#${campaignId}`, ':u': 'unit#' },
            ExclusiveStartKey,
          }),
        );
        units.push(...(page.Items ?? []).map((item) => item.data as UnitEntry));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return units.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    },
    saveExtension: (campaignId, extension) =>
      put(`campaign#${campaignId}`, `extension#${extension.unitId}`, extension),
    state: readState,
    async submissionWindow(campaignId, unitId) {
      const { state, extension } = await windowItems(campaignId, unitId);
      return { state, extension };
    },
    async submissionContext(campaignId, unitId) {
      const { state, extension, honourees } = await submissionContext(campaignId, unitId);
      return { state, extension, honourees };
    },
    async saveState(state) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `campaign#${state.campaignId}`, sk: 'state', data: state },
        }),
      );
    },
    async openPublicity(state) {
      const written = await writtenIfCondition(
        documents,
        new PutCommand({
          TableName: tableName,
          Item: { pk: `campaign#${state.campaignId}`, sk: 'state', data: state },
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(#d.publicity)',
          ExpressionAttributeNames: { '#d': 'data' },
        }),
      );
      return written ? state : readState(state.campaignId);
    },
    async selectionDiscretion(campaignId) {
      const items = await queryPartition(documents, tableName, `campaign#${campaignId}`, 'discretion#');
      const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix)).map((i) => i.data);
      return {
        decisions: of('discretion#nomination#') as NominationDecision[],
        limits: of('discretion#category#') as ForwardLimit[],
      };
    },
    saveSelectionDecision: (campaignId, decision) =>
      put(`campaign#${campaignId}`, `discretion#nomination#${decision.nominationId}`, decision),
    saveForwardLimit: (campaignId, limit) =>
      put(`campaign#${campaignId}`, `discretion#category#${limit.category}`, limit),
    async addObjection(objection) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `campaign#${objection.campaignId}`, sk: `objection#${objection.id}`, data: objection },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async objection(campaignId, id) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `campaign#${campaignId}`, sk: `objection#${id}` },
          ConsistentRead: true,
        }),
      );
      return Item?.data as Objection | undefined;
    },
    async objections(campaignId) {
      // Every page: a query answers at most 1 MB, a few hundred objections of 2,000 characters.
      const items = await queryPartition(documents, tableName, `campaign#${campaignId}`, 'objection#');
      return items.map((i) => i.data as Objection);
    },
    async objectionsPage(campaignId, request) {
      const pk = `campaign#${campaignId}`;
      const list = `objections#${campaignId}`;
      const key = decodeCursor(request.cursor, list)?.key;
      // A cursor names a key of this campaign's objections, never another partition's.
      if (key && (key.pk !== pk || !key.sk?.startsWith('objection#') || Object.keys(key).length !== 2))
        throw invalidCursor();
      const answer = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
          ExpressionAttributeValues: { ':pk': pk, ':o': 'objection#' },
          ConsistentRead: true,
          Limit: request.limit ?? MAX_PAGE,
          ...(key ? { ExclusiveStartKey: key } : {}),
        }),
      );
      return {
        items: (answer.Items ?? []).map((i) => i.data as Objection),
        cursor: answer.LastEvaluatedKey
          ? encodeCursor({ list, key: answer.LastEvaluatedKey as Record<string, string> })
          : null,
      };
    },
    resolveObjection(campaignId, id, resolution) {
      return writtenIfCondition(
        documents,
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: `campaign#${campaignId}`, sk: `objection#${id}` },
          UpdateExpression: 'SET #d.resolution = :r',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#d.resolution)',
          ExpressionAttributeNames: { '#d': 'data' },
          ExpressionAttributeValues: { ':r': resolution },
        }),
      );
    },
  };
}
