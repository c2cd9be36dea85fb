import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { batchGetItems, batchWrite } from '../../functions/adapters/table.js';

/**
 * The batch reads and writes of functions/adapters/table.ts against a fake client that answers as
 * DynamoDB may: part of a batch left unprocessed (throttling, 16 MB), again and again when the
 * table stays busy, and a request naming the same key twice refused as AWS refuses it.
 */

const TABLE = 'laurel-test';
const NO_PAUSE = { attempts: 4, baseDelayMs: 0, maxDelayMs: 0 };
type Key = { pk: string; sk: string };
const keyOf = (i: number): Key => ({ pk: `nomination#n${i}`, sk: 'item' });

/**
 * A fake BatchGetItem: answers the items of the keys asked, but leaves the last `leave(round)`
 * of them unprocessed; refuses duplicates with DynamoDB's ValidationException.
 */
function fakeTable(leave: (round: number) => number) {
  const requests: Key[][] = [];
  const client = {
    async send(command: unknown) {
      if (!(command instanceof BatchGetCommand)) throw new Error('only BatchGetItem here');
      const asked = (command.input.RequestItems?.[TABLE]?.Keys ?? []) as Key[];
      requests.push(asked);
      const addresses = asked.map((k) => `${k.pk}/${k.sk}`);
      if (new Set(addresses).size !== addresses.length) {
        throw Object.assign(new Error('Provided list of item keys contains duplicates'), {
          name: 'ValidationException',
        });
      }
      const left = Math.min(asked.length, leave(requests.length));
      const answered = asked.slice(0, asked.length - left);
      return {
        Responses: { [TABLE]: answered.map((k) => ({ ...k, data: k.pk })) },
        UnprocessedKeys: left > 0 ? { [TABLE]: { Keys: asked.slice(asked.length - left) } } : {},
      };
    },
  };
  return { documents: client as unknown as DynamoDBDocumentClient, requests };
}

describe('batchGetItems', () => {
  it('asks again for what DynamoDB left unprocessed until every item is read', async () => {
    const table = fakeTable((round) => (round === 1 ? 30 : round === 2 ? 5 : 0));
    const keys = Array.from({ length: 100 }, (_, i) => keyOf(i));
    const found = await batchGetItems(table.documents, TABLE, keys, undefined, NO_PAUSE);
    expect(found.size).toBe(100);
    expect(table.requests.map((r) => r.length)).toEqual([100, 30, 5]);
  });

  it('gives up with Laurel.StoreBusy, naming the operation, once the table stays busy for its rounds', async () => {
    const table = fakeTable(() => 1);
    const failure = await batchGetItems(
      table.documents,
      TABLE,
      [keyOf(1), keyOf(2)],
      undefined,
      NO_PAUSE,
    ).catch((e: Error) => e);
    expect(failure).toMatchObject({ name: 'Laurel.StoreBusy' });
    expect((failure as Error).message).toContain('BatchGetItem');
    // The first request and three more: never an endless loop.
    expect(table.requests).toHaveLength(NO_PAUSE.attempts);
  });

  it('pauses between rounds, each pause drawn at random under a ceiling that doubles up to its cap', async () => {
    const pauses: number[] = [];
    const timer = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((run: () => void, ms?: number) => {
      pauses.push(ms ?? 0);
      run();
      return 0;
    }) as unknown as typeof setTimeout);
    const draws = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      const table = fakeTable((round) => (round < 5 ? 1 : 0));
      await batchGetItems(table.documents, TABLE, [keyOf(1)], undefined, {
        attempts: 6,
        baseDelayMs: 40,
        maxDelayMs: 100,
      });
      expect(table.requests).toHaveLength(5);
    } finally {
      timer.mockRestore();
      draws.mockRestore();
    }
    // Half of 40, 80, 100 (capped), 100: full jitter draws between 0 and the ceiling.
    expect(pauses).toEqual([20, 40, 50, 50]);
  });

  it('asks for a key given twice once, and answers it', async () => {
    const table = fakeTable(() => 0);
    const keys = [keyOf(1), keyOf(2), keyOf(1), { ...keyOf(2) }, keyOf(3)];
    const found = await batchGetItems(table.documents, TABLE, keys, undefined, NO_PAUSE);
    expect([...found.keys()].sort()).toEqual([
      'nomination#n1/item',
      'nomination#n2/item',
      'nomination#n3/item',
    ]);
    expect(table.requests).toEqual([[keyOf(1), keyOf(2), keyOf(3)]]);
  });

  it('sends at most 100 keys a request, counting each key once', async () => {
    const table = fakeTable(() => 0);
    const keys = Array.from({ length: 250 }, (_, i) => keyOf(i % 150));
    const found = await batchGetItems(table.documents, TABLE, keys, undefined, NO_PAUSE);
    expect(found.size).toBe(150);
    expect(table.requests.map((r) => r.length)).toEqual([100, 50]);
  });
});

describe('batchWrite', () => {
  it('gives up with Laurel.StoreBusy when the writes stay unprocessed, after its rounds', async () => {
    let requests = 0;
    const documents = {
      async send(command: unknown) {
        if (!(command instanceof BatchWriteCommand)) throw new Error('only BatchWriteItem here');
        requests += 1;
        return { UnprocessedItems: command.input.RequestItems };
      },
    } as unknown as DynamoDBDocumentClient;
    const puts = [{ PutRequest: { Item: { pk: 'p', sk: 's' } } }];
    await expect(batchWrite(documents, TABLE, puts, NO_PAUSE)).rejects.toMatchObject({
      name: 'Laurel.StoreBusy',
    });
    expect(requests).toBe(NO_PAUSE.attempts);
  });
});

describe('listByStatus', () => {
  it('reads a nomination the status index gave twice (met at two places while it paged) once, and lists it once', async () => {
    const asked: Key[][] = [];
    const nomination = (id: string) => ({
      pk: `nomination#${id}`,
      sk: 'item',
      data: { id, campaignId: 'c', status: 'in-publicity', version: 1 },
    });
    const documents = {
      async send(command: unknown) {
        if (command instanceof QueryCommand) {
          // Two pages of the index: n1 met on both.
          return command.input.ExclusiveStartKey
            ? {
                Items: [
                  { pk: 'nomination#n1', sk: 'item' },
                  { pk: 'nomination#n2', sk: 'item' },
                ],
              }
            : { Items: [{ pk: 'nomination#n1', sk: 'item' }], LastEvaluatedKey: { pk: 'nomination#n1' } };
        }
        if (command instanceof BatchGetCommand) {
          const keys = (command.input.RequestItems?.[TABLE]?.Keys ?? []) as Key[];
          asked.push(keys);
          if (new Set(keys.map((k) => k.pk)).size !== keys.length)
            throw Object.assign(new Error('Provided list of item keys contains duplicates'), {
              name: 'ValidationException',
            });
          return { Responses: { [TABLE]: keys.map((k) => nomination(k.pk.slice('nomination#'.length))) } };
        }
        throw new Error(`unexpected ${String(command)}`);
      },
    } as unknown as DynamoDBDocumentClient;
    const listed = await dynamoNominationStore(documents, TABLE).listByStatus('c', 'in-publicity');
    expect(listed.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(asked).toEqual([
      [
        { pk: 'nomination#n1', sk: 'item' },
        { pk: 'nomination#n2', sk: 'item' },
      ],
    ]);
  });
});
