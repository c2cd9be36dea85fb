import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessLog } from '../ports/access-log.js';
import type { AccessRecord } from '../rules/personal-information.js';

/**
 * The put of a read's item: sent alone, or in the transaction of the step that showed what was
 * read (an expert's declaration of no conflict answers with the materials).
 */
export const accessRecordPut = (tableName: string, read: AccessRecord) => ({
  TableName: tableName,
  Item: {
    pk: `nomination#${read.nominationId}`,
    sk: `read#${read.at}#${read.reader.role}#${read.reader.subjectId}`,
    data: read,
  },
});

/**
 * Reads of personal information in the single table, beside the nomination and apart from its
 * audit trail (a read changes nothing, and a retried read is not a second decision):
 *
 *   nomination#<id> / read#<at>#<role>#<subject>   one item per read
 */
export function dynamoAccessLog(documents: DynamoDBDocumentClient, tableName: string): AccessLog {
  return {
    async record(read) {
      await documents.send(new PutCommand(accessRecordPut(tableName, read)));
    },
    async reads(nominationId) {
      const records: AccessRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :read)',
            ExpressionAttributeValues: { ':pk': `nomination#${nominationId}`, ':read': 'read#' },
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) records.push(item.data as AccessRecord);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return records;
    },
  };
}
