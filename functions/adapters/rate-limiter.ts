import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../ports/rate-limits.js';

/**
 * A fixed-window counter per key in the table: one conditional ADD per request, so concurrent
 * requests never both take the last place; the item expires (TTL) a minute after its window.
 * The same code counts in AWS and in the local cloud, so the numbers are the same in both homes.
 */
export function dynamoRateLimiter(
  documents: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date,
): RateLimiter {
  return {
    async take(key, limit) {
      const at = now().getTime();
      const windowMs = limit.windowSeconds * 1000;
      const start = Math.floor(at / windowMs) * windowMs;
      const retryAfterSeconds = Math.max(1, Math.ceil((start + windowMs - at) / 1000));
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `RATE#${key}`, sk: new Date(start).toISOString() },
            UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit.requests,
              ':expires': Math.ceil((start + windowMs) / 1000) + 60,
            },
          }),
        );
        return { allowed: true, retryAfterSeconds };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { allowed: false, retryAfterSeconds };
        throw error;
      }
    },
  };
}
