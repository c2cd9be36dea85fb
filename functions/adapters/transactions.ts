import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { StoreBusyError } from '../rules/errors.js';

/**
 * DynamoDB transactions as AWS runs them. A `TransactionCanceledException` lists one
 * `CancellationReasons` entry per item, and only some of them mean "the data says no":
 * - `ConditionalCheckFailed`: a condition was false — an answer about the data (it exists, the
 *   version moved on, the quota is full), never worth repeating;
 * - `TransactionConflict`: another transaction or write touched one of the items at that moment;
 *   `ThrottlingError` / `ProvisionedThroughputExceeded`: capacity. Nothing was written, and the
 *   same transaction sent again a moment later normally goes through. The SDK does not retry
 *   these (the exception is a 400), so this module does, with jittered exponential backoff.
 * Reading the reasons is the only way to tell the two apart; every transaction of Laurel's
 * adapters goes through `transactWrite` and asks `conditionFailedAt` about the refusal.
 */

const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** The reason codes of a cancelled transaction, one per item ('None' for the items that were fine). */
export function cancellationCodes(error: unknown): readonly string[] | undefined {
  if ((error as { name?: string } | undefined)?.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

/**
 * True when the transaction was refused because the condition on item `index` was false. A
 * transaction of one item is sent as a single write (see `transactWrite`): its refusal is a
 * ConditionalCheckFailedException, about item 0.
 */
export const conditionFailedAt = (error: unknown, index: number): boolean =>
  cancellationCodes(error)?.[index] === 'ConditionalCheckFailed' ||
  (index === 0 && error instanceof ConditionalCheckFailedException);

/**
 * The item as it stood when the condition on item `index` was false, for a write sent with
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` (a transaction's reason carries it, a single
 * write's exception too); undefined when that condition held or the item was not there. Its
 * attributes are DynamoDB's own (`{ S: '…' }`): the errors are not translated by the document
 * client, so ask only which attributes it has.
 */
export function itemWhereConditionFailed(error: unknown, index: number): Record<string, unknown> | undefined {
  if (!conditionFailedAt(error, index)) return undefined;
  if (error instanceof ConditionalCheckFailedException) return error.Item;
  const reasons = (error as { CancellationReasons?: { Item?: Record<string, unknown> }[] })
    .CancellationReasons;
  return reasons?.[index]?.Item;
}

/** True when some item's condition was false. */
export const someConditionFailed = (error: unknown): boolean =>
  (cancellationCodes(error)?.includes('ConditionalCheckFailed') ?? false) ||
  error instanceof ConditionalCheckFailedException;

/** A refusal that says nothing about the data: sent again, the transaction may well succeed. */
export function isTransientCancellation(error: unknown): boolean {
  const codes = cancellationCodes(error);
  if (!codes || codes.includes('ConditionalCheckFailed')) return false;
  return codes.some((code) => TRANSIENT_REASONS.has(code));
}

/** What a task or request sees once the conflicts outlast every attempt here: never "already exists". */
const conflictsOutlasted = (cause: unknown) =>
  new StoreBusyError('The table stayed busy: the transaction kept conflicting with other writes', { cause });

export interface TransactRetry {
  attempts: number;
  /** First pause; each next one doubles, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const TRANSACTION_RETRY: TransactRetry = { attempts: 8, baseDelayMs: 20, maxDelayMs: 1000 };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pause before attempt `attempt + 1` (AWS's advice for throttled and partial answers):
 * exponential, capped, with full jitter so clients refused together do not come back together.
 */
export const backoff = (attempt: number, retry: TransactRetry = TRANSACTION_RETRY) =>
  pause(Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));

/**
 * The one write a transaction of one item stands for: a Put, Update or Delete is atomic on its own
 * and takes the same condition, at half the write units (AWS charges a transactional write twice).
 */
function singleWrite(
  input: TransactWriteCommandInput,
): PutCommand | UpdateCommand | DeleteCommand | undefined {
  const items = input.TransactItems ?? [];
  const only = items.length === 1 ? items[0] : undefined;
  if (only?.Put) return new PutCommand(only.Put);
  if (only?.Update) return new UpdateCommand(only.Update);
  if (only?.Delete) return new DeleteCommand(only.Delete);
  return undefined;
}

/**
 * TransactWriteItems, sent again after a conflict or throttle; a failed condition is thrown at
 * once (ask `conditionFailedAt`). A transaction of one item is sent as that single write.
 */
export async function transactWrite(
  documents: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  retry: TransactRetry = TRANSACTION_RETRY,
): Promise<void> {
  const single = singleWrite(input);
  if (single) {
    await documents.send(single as UpdateCommand);
    return;
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      await documents.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!isTransientCancellation(error)) throw error;
      if (attempt >= retry.attempts) throw conflictsOutlasted(error);
      await backoff(attempt, retry);
    }
  }
}

/**
 * A single conditional write whose failed condition is an answer, not an error: true when it was
 * written, false when its condition was false (set before, closed, another attempt won). Every
 * set-once write of the adapters goes through it.
 */
export async function writtenIfCondition(
  documents: DynamoDBDocumentClient,
  command: PutCommand | UpdateCommand | DeleteCommand,
): Promise<boolean> {
  try {
    await documents.send(command as UpdateCommand);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * A conditional UpdateItem whose failed condition is an answer: the item's attributes as its
 * ReturnValues asks, or undefined when the condition was false.
 */
export async function updatedIfCondition(
  documents: DynamoDBDocumentClient,
  command: UpdateCommand,
): Promise<Record<string, unknown> | undefined> {
  try {
    return (await documents.send(command)).Attributes ?? {};
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
