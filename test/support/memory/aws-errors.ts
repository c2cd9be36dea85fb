import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { InvalidToken } from '@aws-sdk/client-sfn';

/**
 * The errors the AWS services answer where the adapters let them through (a duplicate id on
 * create, a duplicate audit key inside a status change, a conditional put on an invitation…).
 * The in-memory ports throw the same SDK classes, so a use case sees exactly what it would see
 * over DynamoDB or Step Functions, `instanceof` and `name` alike.
 */

const metadata = { httpStatusCode: 400 };

/** One conditional write refused (PutItem / UpdateItem with a ConditionExpression). */
export const conditionalCheckFailed = (): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: metadata });

/**
 * A TransactWriteItems refused: `failed` holds, per item in the order sent, whether its condition
 * failed — the CancellationReasons DynamoDB lists, 'None' for the items that were fine.
 */
export function transactionCanceled(failed: readonly boolean[]): TransactionCanceledException {
  const codes = failed.map((f) => (f ? 'ConditionalCheckFailed' : 'None'));
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: metadata,
    CancellationReasons: codes.map((Code) =>
      Code === 'None' ? { Code } : { Code, Message: 'The conditional request failed' },
    ),
  });
}

/** SendTaskSuccess / SendTaskFailure with a token Step Functions never issued. */
export const invalidToken = (token: string): InvalidToken =>
  new InvalidToken({ message: `Invalid token: ${token.slice(0, 40)}`, $metadata: metadata });

/** A deep copy, as any store hands out: what a use case changes afterwards is its own. */
export const copy = <T>(value: T): T => structuredClone(value);
