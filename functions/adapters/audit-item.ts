import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../ports/nominations.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * An audit event as an item of a transaction (`nomination#<id>` / `audit#<at>#<action>#<actor>`),
 * written with the change it records.
 */
export function auditItem(tableName: string, event: AuditEvent): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: `nomination#${event.nominationId}`,
        sk: `audit#${event.at}#${event.action}#${event.actor.subjectId}`,
        data: event,
      },
      // The same action by the same actor at the same instant twice is the same event replayed:
      // refuse it. (Two experts' reviews in one millisecond are two events: hence the actor.)
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
