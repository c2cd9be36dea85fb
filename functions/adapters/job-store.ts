import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignJob, JobStore, PlannedMove } from '../ports/jobs.js';
import { batchWrite } from './table.js';
import { writtenIfCondition } from './transactions.js';

/**
 *   campaign#<c> / job#<id>                          the job: attempt, status, progress, its plan's id
 *   campaign#<c> / job#<id>#plan#<planId>#<00000>    one chunk of a plan
 */
export function dynamoJobStore(documents: DynamoDBDocumentClient, tableName: string): JobStore {
  const jobKey = (campaignId: string, id: string) => ({ pk: `campaign#${campaignId}`, sk: `job#${id}` });
  const chunkKey = (plan: Pick<CampaignJob, 'campaignId' | 'id' | 'planId'>, index: number) => ({
    pk: `campaign#${plan.campaignId}`,
    sk: `job#${plan.id}#plan#${plan.planId}#${String(index).padStart(5, '0')}`,
  });
  return {
    async job(campaignId, id) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: jobKey(campaignId, id), ConsistentRead: true }),
      );
      return Item?.data as CampaignJob | undefined;
    },
    async savePlan(job, chunks, first = 0) {
      await batchWrite(
        documents,
        tableName,
        chunks.map((moves, i) => ({ PutRequest: { Item: { ...chunkKey(job, first + i), data: moves } } })),
      );
    },
    async planChunk(job, index) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: chunkKey(job, index), ConsistentRead: true }),
      );
      return (Item?.data as PlannedMove[] | undefined) ?? [];
    },
    startJob(job, previousAttempt) {
      return writtenIfCondition(
        documents,
        new PutCommand({
          TableName: tableName,
          Item: { ...jobKey(job.campaignId, job.id), data: job },
          // Compare-and-set on the attempt: of two requests starting the same attempt, one wins.
          ...(previousAttempt === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#d.#a = :previous',
                ExpressionAttributeNames: { '#d': 'data', '#a': 'attempt' },
                ExpressionAttributeValues: { ':previous': previousAttempt },
              }),
        }),
      );
    },
    async updateJob(job) {
      // Not written when a later attempt has replaced this one: what this one would record no longer matters.
      await writtenIfCondition(
        documents,
        new PutCommand({
          TableName: tableName,
          Item: { ...jobKey(job.campaignId, job.id), data: job },
          ConditionExpression: '#d.#a = :attempt',
          ExpressionAttributeNames: { '#d': 'data', '#a': 'attempt' },
          ExpressionAttributeValues: { ':attempt': job.attempt },
        }),
      );
    },
  };
}
