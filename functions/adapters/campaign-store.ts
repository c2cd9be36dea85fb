import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CampaignState, CampaignStore, Objection, UnitEntry } from '../ports/campaigns.js';
import type { ForwardLimit, NominationDecision } from '../rules/discretion.js';
import type { Honouree } from '../rules/honourees.js';
import { queryPartition } from './table.js';

/**
 *   campaign#<c> / state               publicity window, release
 *   campaign#<c> / objection#<id>      one objection and its resolution
 *   campaign#<c> / discretion#nomination#<id>   the secretariat's decision on one nomination
 *   campaign#<c> / discretion#category#<id>     forwarding fewer than the quota in one category
 *   campaign#<c> / unit#<id>           one invited unit: its name and type
 *   campaign#<c> / package             the forwarding package last built
 *   campaign#<c> / package-progress    how far the package being built has got
 */
export function dynamoCampaignStore(documents: DynamoDBDocumentClient, tableName: string): CampaignStore {
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
  return {
    async honourees(campaignId) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: { pk: `campaign#${campaignId}`, sk: 'honourees' } }),
      );
      return (Item?.data as Honouree[] | undefined) ?? [];
    },
    // One item holds the whole 2019–2023 list: a few thousand rows fit DynamoDB's 400 KB item limit.
    saveHonourees: (campaignId, honourees) => put(`campaign#${campaignId}`, 'honourees', honourees),
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
    async saveState(state) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `campaign#${state.campaignId}`, sk: 'state', data: state },
        }),
      );
    },
    async openPublicity(state) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `campaign#${state.campaignId}`, sk: 'state', data: state },
            ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(#d.publicity)',
            ExpressionAttributeNames: { '#d': 'data' },
          }),
        );
        return state;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return readState(state.campaignId);
      }
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
    async objections(campaignId) {
      const { Items } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
          ExpressionAttributeValues: { ':pk': `campaign#${campaignId}`, ':o': 'objection#' },
          ConsistentRead: true,
        }),
      );
      return (Items ?? []).map((i) => i.data as Objection);
    },
    async resolveObjection(campaignId, id, resolution) {
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `campaign#${campaignId}`, sk: `objection#${id}` },
            UpdateExpression: 'SET #d.resolution = :r',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#d.resolution)',
            ExpressionAttributeNames: { '#d': 'data' },
            ExpressionAttributeValues: { ':r': resolution },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
