import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CampaignJob, JobStore, PlannedMove } from '../ports/jobs.js';
import { chunked } from '../use-cases/campaign-jobs.js';

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
    async savePlan(job, chunks) {
      // 25 items a request is BatchWriteItem's limit; what DynamoDB leaves unprocessed is sent again.
      for (const batch of chunked(
        chunks.map((moves, i) => ({ PutRequest: { Item: { ...chunkKey(job, i), data: moves } } })),
        25,
      )) {
        let pending: typeof batch | undefined = batch;
        for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
          const { UnprocessedItems } = await documents.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
          );
          pending = UnprocessedItems?.[tableName] as typeof batch | undefined;
        }
      }
    },
    async planChunk(job, index) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: chunkKey(job, index), ConsistentRead: true }),
      );
      return (Item?.data as PlannedMove[] | undefined) ?? [];
    },
    async startJob(job, previousAttempt) {
      try {
        await documents.send(
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
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async updateJob(job) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...jobKey(job.campaignId, job.id), data: job },
            ConditionExpression: '#d.#a = :attempt',
            ExpressionAttributeNames: { '#d': 'data', '#a': 'attempt' },
            ExpressionAttributeValues: { ':attempt': job.attempt },
          }),
        );
      } catch (error) {
        // A later attempt has replaced this one: what this one would record no longer matters.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
