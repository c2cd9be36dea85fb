import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CampaignCatalog, CampaignVersion } from '../ports/campaign-catalog.js';
import { queryPartition } from './table.js';
import { someConditionFailed, transactWrite } from './transactions.js';

/**
 *   catalog / current#<c>            the round's current version (the whole definition): one query
 *                                    of this partition lists every round
 *   campaign#<c> / version#<000001>  each version as saved, kept for ever
 * A few hundred rounds of a few KB each fit one partition and a few query pages.
 */
export function dynamoCampaignCatalog(documents: DynamoDBDocumentClient, tableName: string): CampaignCatalog {
  const versionKey = (version: number) => `version#${String(version).padStart(6, '0')}`;
  return {
    async current() {
      const items = await queryPartition(documents, tableName, 'catalog', 'current#');
      return items.map((item) => item.data as CampaignVersion);
    },
    async versions(campaignId) {
      const items = await queryPartition(documents, tableName, `campaign#${campaignId}`, 'version#');
      return items.map((item) => item.data as CampaignVersion);
    },
    async save(entry) {
      const id = entry.campaign.id;
      try {
        await transactWrite(documents, {
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { pk: `campaign#${id}`, sk: versionKey(entry.version), data: entry },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { pk: 'catalog', sk: `current#${id}`, data: entry },
                ...(entry.version === 1
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: '#d.version = :previous',
                      ExpressionAttributeNames: { '#d': 'data' },
                      ExpressionAttributeValues: { ':previous': entry.version - 1 },
                    }),
              },
            },
          ],
        });
        return true;
      } catch (error) {
        if (someConditionFailed(error)) return false;
        throw error;
      }
    },
  };
}
