import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoAccessStore } from '../../functions/adapters/access-store.js';
import { dynamoCampaignStore } from '../../functions/adapters/campaign-store.js';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { batchGetItems, tableDefinition } from '../../functions/adapters/table.js';
import type { AuditEvent } from '../../functions/ports/nominations.js';
import { mailListsOnce } from '../../functions/use-cases/nominations.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';
import { memoryOutbox } from '../support/memory/mail.js';
import { memoryClock } from '../support/memory/system.js';

describe('DynamoDB Local through the AWS SDK', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laurel-ddb-'));
  const table = 'laurel-test';
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynamoDb({ dataDir });
    client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    documents = DynamoDBDocumentClient.from(client);
    await ensureTables(client, [tableDefinition(table)]);
    await ensureTables(client, [tableDefinition(table)]); // a second start finds the table and carries on
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('changes nothing when one condition of a TransactWriteItems fails', async () => {
    await documents.send(
      new PutCommand({ TableName: table, Item: { pk: 'unit#u1', sk: 'quota#volunteer', used: 2 } }),
    );
    const attempt = documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: 'nomination#n3', sk: 'meta', status: 'submitted' } } },
          {
            Update: {
              TableName: table,
              Key: { pk: 'unit#u1', sk: 'quota#volunteer' },
              UpdateExpression: 'SET used = used + :one',
              ConditionExpression: 'used < :limit',
              ExpressionAttributeValues: { ':one': 1, ':limit': 2 },
            },
          },
        ],
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(TransactionCanceledException);
    const nomination = await documents.send(
      new GetCommand({ TableName: table, Key: { pk: 'nomination#n3', sk: 'meta' } }),
    );
    expect(nomination.Item).toBeUndefined();
    const ledger = await documents.send(
      new GetCommand({ TableName: table, Key: { pk: 'unit#u1', sk: 'quota#volunteer' } }),
    );
    expect(ledger.Item?.used).toBe(2);
  });

  it('refuses a TransactWriteItems of more than 100 actions, or naming one item twice, as AWS does — the limits which the batched status changes of the store keep below', async () => {
    const put = (i: number) => ({ Put: { TableName: table, Item: { pk: `limits#${i}`, sk: 'item' } } });
    await documents.send(
      new TransactWriteCommand({ TransactItems: Array.from({ length: 100 }, (_, i) => put(i)) }),
    );
    await expect(
      documents.send(
        new TransactWriteCommand({ TransactItems: Array.from({ length: 101 }, (_, i) => put(i)) }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      documents.send(new TransactWriteCommand({ TransactItems: [put(1), put(2), put(1)] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers a Query on a global secondary index', async () => {
    for (const [id, status] of [
      ['n1', 'submitted'],
      ['n2', 'returned'],
      ['n4', 'submitted'],
    ] as const) {
      await documents.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: `nomination#${id}`,
            sk: 'meta',
            gsi1pk: `campaign#cast-2024#status#${status}`,
            gsi1sk: id,
          },
        }),
      );
    }
    const submitted = await documents.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'campaign#cast-2024#status#submitted' },
      }),
    );
    expect(submitted.Items?.map((i) => i.gsi1sk)).toEqual(['n1', 'n4']);
  });

  it('adds to a table kept from an earlier version the indexes added since, and answers on them', async () => {
    const current = tableDefinition('older');
    const [first, ...added] = current.GlobalSecondaryIndexes ?? [];
    expect(added.length).toBeGreaterThan(0);
    const used = new Set(['pk', 'sk', ...(first?.KeySchema ?? []).map((k) => k.AttributeName)]);
    await ensureTables(client, [
      {
        ...current,
        AttributeDefinitions: current.AttributeDefinitions?.filter((a) => used.has(a.AttributeName)),
        GlobalSecondaryIndexes: first ? [first] : [],
      },
    ]);
    await ensureTables(client, [current]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'older' }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      current.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort(),
    );
    await documents.send(
      new PutCommand({
        TableName: 'older',
        Item: { pk: 'nomination#n1', sk: 'item', gsi3pk: 'names#c#volunteer', gsi3sk: '张伟#n1' },
      }),
    );
    const found = await documents.send(
      new QueryCommand({
        TableName: 'older',
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'names#c#volunteer', ':prefix': '张' },
      }),
    );
    expect(found.Items?.map((i) => i.pk)).toEqual(['nomination#n1']);
  });

  it('builds again an index whose projection changed (ALL before), filled from the items already there', async () => {
    const current = tableDefinition('projected');
    const everything = {
      ...current,
      GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.map((i) => ({
        ...i,
        Projection: { ProjectionType: 'ALL' as const },
      })),
    };
    await ensureTables(client, [everything]);
    await documents.send(
      new PutCommand({
        TableName: 'projected',
        Item: {
          pk: 'nomination#n1',
          sk: 'item',
          gsi2pk: 'unit#c#u1',
          gsi2sk: '2026#n1',
          facets: { status: 'submitted' },
          data: { form: 'x'.repeat(2000) },
        },
      }),
    );
    await ensureTables(client, [current]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'projected' }));
    const projections = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection]),
    );
    expect(projections).toEqual(
      Object.fromEntries((current.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection])),
    );
    const unit = await documents.send(
      new QueryCommand({
        TableName: 'projected',
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': 'unit#c#u1' },
      }),
    );
    // The index holds the keys and the facets only: the item written before the change is there, without its data.
    expect(unit.Items).toEqual([
      {
        pk: 'nomination#n1',
        sk: 'item',
        gsi2pk: 'unit#c#u1',
        gsi2sk: '2026#n1',
        facets: { status: 'submitted' },
      },
    ]);
  });

  it('refuses a BatchGetItem naming the same key twice, as AWS does, and batchGetItems asks for it once', async () => {
    await documents.send(
      new PutCommand({ TableName: table, Item: { pk: 'nomination#dup', sk: 'item', n: 1 } }),
    );
    const key = { pk: 'nomination#dup', sk: 'item' };
    const twice = documents.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: [key, { ...key }] } } }),
    );
    await expect(twice).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('duplicates'),
    });
    const found = await batchGetItems(documents, table, [
      key,
      { ...key },
      { pk: 'nomination#none', sk: 'item' },
    ]);
    expect([...found.values()]).toEqual([{ pk: 'nomination#dup', sk: 'item', n: 1 }]);
  });

  const noticeOf = (nominationId: string, action = 'release-notice') => ({
    nominationId,
    at: '2025-03-01T01:00:00.001Z',
    actor: { role: 'system' as const, subjectId: 'system', name: 'Laurel' },
    action,
  });

  it("claims a notice's key before its send: one claimant at a time, a stale claim taken over, the trail showing only what was settled", async () => {
    const store = dynamoNominationStore(documents, table);
    const claim = async (event: AuditEvent, at: string, stale: string) => {
      const { claimed, recorded, held } = await store.claimNotices([event], at, stale);
      return claimed.length ? 'claimed' : recorded.length ? 'recorded' : held.length ? 'held' : 'none';
    };
    const sent = noticeOf('n-notice');
    const lease = { at: '2025-03-01T01:00:01.000Z', stale: '2025-03-01T00:55:01.000Z' };
    expect(await claim(sent, lease.at, lease.stale)).toBe('claimed');
    expect(await claim(sent, lease.at, lease.stale)).toBe('held');
    expect(await store.auditTrail('n-notice')).toEqual([]);
    // A send that failed lets the claim go: the next claims it at once.
    await store.settleNotices([{ event: sent, outcome: { released: { claimedAt: lease.at } } }]);
    expect(await claim(sent, lease.at, lease.stale)).toBe('claimed');
    // A claimant that died: its claim is taken over once older than the lease.
    const takenOver = '2025-03-01T01:06:00.000Z';
    expect(await claim(sent, takenOver, '2025-03-01T01:01:00.000Z')).toBe('claimed');
    // The first claimant, late, lets its own claim go: the live claim that took it over stays.
    await store.settleNotices([{ event: sent, outcome: { released: { claimedAt: lease.at } } }]);
    expect(await claim(sent, '2025-03-01T01:06:01.000Z', '2025-03-01T01:01:01.000Z')).toBe('held');
    await store.settleNotices([{ event: sent, outcome: { sent: true } }]);
    expect(await claim(sent, '2025-03-01T02:00:00.000Z', '2025-03-01T01:55:00.000Z')).toBe('recorded');
    // A late release of a claim another sender took over and settled leaves its record.
    await store.settleNotices([{ event: sent, outcome: { released: { claimedAt: takenOver } } }]);
    const refused = noticeOf('n-notice', 'select-notice');
    expect(await claim(refused, lease.at, lease.stale)).toBe('claimed');
    await store.settleNotices([
      {
        event: refused,
        outcome: { refused: { ...refused, action: 'select-notice-refused', reason: 'unit@example.cn' } },
      },
    ]);
    expect(await claim(refused, '2025-03-01T02:00:00.000Z', '2025-03-01T01:55:00.000Z')).toBe('recorded');
    expect((await store.auditTrail('n-notice')).map((e) => [e.action, e.reason])).toEqual([
      ['release-notice', undefined],
      ['select-notice-refused', 'unit@example.cn'],
    ]);
  });

  /** A store on its own client, counting the requests it sends by operation. */
  const countingStore = () => {
    const counted = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'cn-north-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const requests: string[] = [];
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        requests.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize' },
    );
    return { store: dynamoNominationStore(counted, table), requests, destroy: () => counted.destroy() };
  };

  it("tells a campaign job's chunk of 100 nominations in 40 lists by one claiming request and four settling ones (a mail refused for good recorded as not delivered); run again, it sends nothing and writes nothing", async () => {
    const { store, requests, destroy } = countingStore();
    const outbox = memoryOutbox();
    outbox.refuse('unit-7@units.cn');
    const clock = memoryClock('2025-03-01T01:00:01.000Z');
    // 40 units, two or three nominations each, as chunkedByUnit packs them.
    const lists = Array.from({ length: 40 }, (_, unit) => ({
      events: Array.from({ length: unit < 20 ? 3 : 2 }, (_, i) => noticeOf(`n-chunk-${unit}-${i}`)),
      compose: (claimed: readonly AuditEvent[]) => ({
        to: `unit-${unit}@units.cn`,
        subject: `Released (${claimed.length} nominations)`,
        text: claimed.map((e) => e.nominationId).join(', '),
        key: `job/release/unit-${unit}/${claimed.map((e) => e.nominationId).join(',')}`,
      }),
    }));
    try {
      const told = await mailListsOnce({ store, send: outbox.send, clock }, lists);
      expect(told.flat()).toHaveLength(97);
      expect(outbox.sent).toHaveLength(39);
      expect(requests).toEqual([
        'TransactWriteItems',
        'BatchWriteItem',
        'BatchWriteItem',
        'BatchWriteItem',
        'BatchWriteItem',
      ]);
      expect((await store.auditTrail('n-chunk-0-2')).map((e) => e.action)).toEqual(['release-notice']);
      expect((await store.auditTrail('n-chunk-7-1')).map((e) => [e.action, e.reason])).toEqual([
        ['release-notice-refused', 'unit-7@units.cn'],
      ]);
      // The chunk again (a retried task, a repeated job): one refused transaction, nothing written.
      requests.length = 0;
      clock.advance(60_000);
      expect((await mailListsOnce({ store, send: outbox.send, clock }, lists)).flat()).toEqual([]);
      expect(outbox.sent).toHaveLength(39);
      expect(requests).toEqual(['TransactWriteItems']);
      expect((await store.auditTrail('n-chunk-0-2')).map((e) => e.action)).toEqual(['release-notice']);
    } finally {
      destroy();
    }
  });

  it("claims a chunk's notices all or none: one held by a live claim fails the chunk holding nothing, a stale one is taken over, settled ones are left out, and past 100 notices the claims made before the held one are let go", async () => {
    const store = dynamoNominationStore(documents, table);
    const other = dynamoNominationStore(documents, table);
    const at = '2025-03-01T01:00:01.000Z';
    const stale = '2025-03-01T01:00:00.000Z';
    const events = Array.from({ length: 5 }, (_, i) => noticeOf(`n-held-${i}`));
    const [first, second, third] = events as [AuditEvent, AuditEvent, AuditEvent];
    // Another sender's live claim on one, a settled notice on another.
    expect((await other.claimNotices([second], at, stale)).claimed).toEqual([second]);
    await other.claimNotices([third], at, stale);
    await other.settleNotices([{ event: third, outcome: { sent: true } }]);
    const met = await store.claimNotices(events, at, stale);
    expect(met.claimed).toEqual([]);
    expect(met.held).toEqual([second]);
    // Nothing of this call's stands: the other sender claims the rest at once.
    expect((await other.claimNotices([first], at, stale)).claimed).toEqual([first]);
    await other.settleNotices([{ event: first, outcome: { released: { claimedAt: at } } }]);
    // The live claim's holder died: past its lease it is taken over, the settled one left out.
    const later = await store.claimNotices(events, '2025-03-01T01:01:00.000Z', '2025-03-01T01:00:30.000Z');
    expect(later.held).toEqual([]);
    expect(later.recorded).toEqual([third]);
    expect(new Set(later.claimed)).toEqual(new Set(events.filter((e) => e !== third)));

    // 150 notices (a chunk with its secretariats'): two transactions; the held one in the second.
    const many = Array.from({ length: 150 }, (_, i) => noticeOf(`n-many-${String(i).padStart(3, '0')}`));
    const last = many[149] as AuditEvent;
    await other.claimNotices([last], at, stale);
    const refused = await store.claimNotices(many, at, stale);
    expect(refused).toMatchObject({ claimed: [], held: [last] });
    const free = await other.claimNotices(many.slice(0, 149), at, stale);
    expect(free.claimed).toHaveLength(149);
  });

  it('refuses a BatchWriteItem naming one key twice, as AWS does: the notices settled are each written once', async () => {
    const item = { pk: 'nomination#twice', sk: 'audit#x' };
    await expect(
      documents.send(
        new BatchWriteCommand({
          RequestItems: { [table]: [{ PutRequest: { Item: item } }, { PutRequest: { Item: { ...item } } }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const store = dynamoNominationStore(documents, table);
    const event = noticeOf('n-twice');
    await store.claimNotices([event, { ...event }], '2025-03-01T01:00:01.000Z', '2025-03-01T01:00:00.000Z');
    await store.settleNotices([
      { event, outcome: { sent: true } },
      { event: { ...event }, outcome: { sent: true } },
    ]);
    expect(await store.auditTrail('n-twice')).toEqual([event]);
  });

  it('keeps every objection within reach past the 1 MB a query answers: all of them for the release, 100 a page for the list, one by its id; a cursor of another list is a 400', async () => {
    const store = dynamoCampaignStore(documents, table);
    // 180 objections of 2,000 Chinese characters (about 6 KB each): more than one query's 1 MB.
    const objections = Array.from({ length: 180 }, (_, i) => ({
      id: `o-${String(i).padStart(4, '0')}`,
      campaignId: 'objected',
      nominationId: `n-${i % 7}`,
      reason: '异'.repeat(2000),
      name: '张三',
      contact: 'zhang@example.cn',
      submittedAt: '2025-05-01T00:00:00.000Z',
    }));
    await Promise.all(objections.map((o) => store.addObjection(o)));
    await store.addObjection({ ...objections[0], id: 'o-elsewhere', campaignId: 'another' } as never);
    const one = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
        ExpressionAttributeValues: { ':pk': 'campaign#objected', ':o': 'objection#' },
      }),
    );
    expect(one.LastEvaluatedKey).toBeDefined(); // one query does not hold them all
    expect((await store.objections('objected')).map((o) => o.id)).toEqual(objections.map((o) => o.id));
    const last = objections.at(-1)?.id ?? '';
    expect(await store.objection('objected', last)).toMatchObject({ id: last, reason: '异'.repeat(2000) });
    expect(await store.objection('another', last)).toBeUndefined();
    const listed: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.objectionsPage('objected', cursor ? { cursor } : {});
      expect(page.items.length).toBeLessThanOrEqual(100);
      listed.push(...page.items.map((o) => o.id));
      cursor = page.cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(listed).toEqual(objections.map((o) => o.id));
    expect(pages).toBeGreaterThanOrEqual(2);
    const firstPage = await store.objectionsPage('objected', { limit: 5 });
    expect(firstPage.items).toHaveLength(5);
    // The cursor of one campaign's objections does not read another's, nor does a forged one.
    await expect(store.objectionsPage('another', { cursor: firstPage.cursor ?? '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const forged = Buffer.from(
      JSON.stringify({
        list: 'objections#objected',
        key: { pk: 'campaign#another', sk: 'objection#o-0000' },
      }),
    ).toString('base64url');
    await expect(store.objectionsPage('objected', { cursor: forged })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('revokes by the address: its links marked revoked and its sessions deleted, read by a consistent query of the address; a revoked link starts no session', async () => {
    const access = dynamoAccessStore(documents, table);
    const person = { role: 'unit' as const, campaignId: 'revoking', subjectId: 'unit-1', name: '某学会' };
    const invitation = (hash: string, email: string) => ({
      ...person,
      email,
      tokenHash: hash,
      createdAt: '2025-01-20T00:00:00.000Z',
      createdBy: 'secretariat:sec',
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    await access.putInvitation(invitation('h-first', 'Contact@Unit.cn'));
    await access.putInvitation(invitation('h-second', 'contact@unit.cn'));
    await access.putInvitation(invitation('h-colleague', 'office@unit.cn'));
    const session = (hash: string, email: string) => ({
      ...person,
      email,
      sessionHash: hash,
      createdAt: '2025-01-20T00:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect(
      await access.startSession('h-first', '2025-01-20T01:00:00.000Z', session('s-1', 'Contact@Unit.cn')),
    ).toBe(true);
    expect(
      await access.startSession('h-colleague', '2025-01-20T01:00:00.000Z', session('s-2', 'office@unit.cn')),
    ).toBe(true);
    expect(
      await access.revokeAccess('revoking', 'contact@UNIT.cn', ['expert'], '2025-01-21T00:00:00.000Z'),
    ).toEqual({
      people: [],
      links: 0,
      sessions: 0,
    });
    expect(
      await access.revokeAccess('revoking', 'contact@UNIT.cn', ['unit'], '2025-01-21T00:00:00.000Z'),
    ).toEqual({
      people: [{ role: 'unit', subjectId: 'unit-1', name: '某学会' }],
      links: 2,
      sessions: 1,
    });
    expect(await access.getSession('s-1')).toBeUndefined();
    expect((await access.getInvitation('h-second'))?.revokedAt).toBe('2025-01-21T00:00:00.000Z');
    expect(
      await access.startSession('h-second', '2025-01-21T01:00:00.000Z', session('s-3', 'contact@unit.cn')),
    ).toBe(false);
    expect(await access.getSession('s-3')).toBeUndefined();
    // The colleague's link and session stand; a repeat ends nothing more.
    expect(await access.getSession('s-2')).toMatchObject({ email: 'office@unit.cn' });
    expect(
      await access.revokeAccess('revoking', 'contact@unit.cn', ['unit'], '2025-01-22T00:00:00.000Z'),
    ).toMatchObject({
      links: 0,
      sessions: 0,
    });
  });

  it('ends what a sign-in and a fresh link made between the revocation’s first read and its marks: links read again until none is left unmarked', async () => {
    const access = dynamoAccessStore(documents, table);
    const person = {
      role: 'unit' as const,
      campaignId: 'racing',
      subjectId: 'unit-r',
      name: '竞速学会',
      email: 'r@unit.cn',
    };
    const invitation = (hash: string, renewedFrom?: string) => ({
      ...person,
      tokenHash: hash,
      createdAt: '2025-01-20T00:00:00.000Z',
      createdBy: 'secretariat:sec',
      expiresAt: '2099-01-01T00:00:00.000Z',
      ...(renewedFrom ? { renewedFrom } : {}),
    });
    const session = (hash: string) => ({
      ...person,
      sessionHash: hash,
      createdAt: '2025-01-20T01:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    await access.putInvitation(invitation('r-used'));
    await access.putInvitation(invitation('r-unused'));
    expect(await access.startSession('r-used', '2025-01-20T01:00:00.000Z', session('r-s1'))).toBe(true);
    // Right after the revocation's first read, the unused link signs in and the used one is renewed.
    let raced = false;
    const racing = {
      send: async (command: { input?: { ExpressionAttributeValues?: Record<string, unknown> } }) => {
        const answer = await documents.send(command as never);
        const pk = command.input?.ExpressionAttributeValues?.[':pk'];
        if (!raced && typeof pk === 'string' && pk.startsWith('access#racing#')) {
          raced = true;
          expect(await access.startSession('r-unused', '2025-01-20T02:00:00.000Z', session('r-s2'))).toBe(
            true,
          );
          expect(await access.putInvitation(invitation('r-fresh', 'r-used'))).toBe(true);
        }
        return answer;
      },
    };
    const revoking = dynamoAccessStore(racing as unknown as DynamoDBDocumentClient, table);
    expect(await revoking.revokeAccess('racing', 'r@unit.cn', ['unit'], '2025-01-21T00:00:00.000Z')).toEqual({
      people: [{ role: 'unit', subjectId: 'unit-r', name: '竞速学会' }],
      links: 3,
      sessions: 2,
    });
    for (const hash of ['r-used', 'r-unused', 'r-fresh'])
      expect((await access.getInvitation(hash))?.revokedAt).toBe('2025-01-21T00:00:00.000Z');
    expect(await access.getSession('r-s1')).toBeUndefined();
    expect(await access.getSession('r-s2')).toBeUndefined();
    // A fresh link asked for after the mark is refused by its condition, and stores nothing.
    expect(await access.putInvitation(invitation('r-late', 'r-used'))).toBe(false);
    expect(await access.getInvitation('r-late')).toBeUndefined();
  });
});
