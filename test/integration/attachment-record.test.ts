import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { tableDefinition } from '../../functions/adapters/table.js';
import type { Actor } from '../../functions/rules/access.js';
import type { AttachmentRecord, Nomination } from '../../functions/rules/nomination.js';
import { listedNomination } from '../../functions/rules/nomination-view.js';
import { recordInspected } from '../../functions/use-cases/uploads.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';
import { refusal } from '../support/refusal.js';

/**
 * Recording a file (POST /api/nominations/{id}/attachments, after its inspection) on DynamoDB
 * Local, its requests counted: one conditional write a file, nothing read first; every refusal
 * (another unit's, a missing nomination, a stale page, a nomination submitted meanwhile) read
 * once to say why, with the route's own answer; the same record never added twice; and items of
 * an older shape, or a returned nomination, recorded by reading them as before.
 */

const TABLE = 'laurel-attachment-record';
const CAMPAIGN = 'cast-2024';

const unitA: Actor = {
  role: 'unit',
  campaignId: CAMPAIGN,
  subjectId: 'unit-a',
  name: '中国天文学会',
  email: 'a@example.cn',
  unitType: 'national-society',
};

const draftOf = (id: string, over: Partial<Nomination> = {}): Nomination => ({
  id,
  campaignId: CAMPAIGN,
  unitId: 'unit-a',
  unitType: 'national-society',
  unitName: '中国天文学会',
  category: 'volunteer',
  status: 'draft',
  version: 1,
  form: {},
  attachments: [],
  noClassifiedContent: false,
  createdAt: '2025-01-20T01:00:00.000Z',
  updatedAt: '2025-01-20T01:00:00.000Z',
  ...over,
});

let files = 0;
const recordOf = (nominationId: string, kind: AttachmentRecord['kind'] = 'photo'): AttachmentRecord => {
  files += 1;
  const id = `a-${String(files).padStart(10, '0')}`;
  return {
    id,
    kind,
    key: `nominations/${nominationId}/${kind}/${id}.jpg`,
    versionId: `v${files}`,
    sha256: 'x'.repeat(44),
    size: 1_200_000 + files,
    mime: 'image/jpeg',
    fileName: `照片${files}.jpg`,
    uploadedAt: `2025-01-20T02:00:${String(files % 60).padStart(2, '0')}.000Z`,
  };
};

describe('recording a file on DynamoDB Local', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laurel-attachment-record-'));
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  /** The requests each store sent, by operation, since the last `counted()`. */
  let sent: string[] = [];
  let counting: DynamoDBDocumentClient;
  const counted = () => {
    const all = sent;
    sent = [];
    return all;
  };
  /** A store of its own, as a new container has: it remembers nothing read before. */
  const freshStore = () => dynamoNominationStore(counting, TABLE);

  const itemsOf = async (id: string) =>
    (
      await documents.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
          ExpressionAttributeValues: { ':pk': `nomination#${id}`, ':item': 'item' },
        }),
      )
    ).Items ?? [];

  const created = async (n: Nomination) => {
    await dynamoNominationStore(documents, TABLE).create(n, {
      nominationId: n.id,
      at: n.createdAt,
      actor: { role: 'unit', subjectId: n.unitId, name: n.unitName },
      action: 'created',
    });
    return n;
  };

  beforeAll(async () => {
    dynamo = await startDynamoDb({ dataDir });
    const clientOf = () =>
      new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'cn-north-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
    client = clientOf();
    documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    counting = DynamoDBDocumentClient.from(clientOf(), { marshallOptions: { removeUndefinedValues: true } });
    counting.middlewareStack.add(
      ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
        sent.push(context.commandName ?? '?');
        return next(args);
      }) as never,
      { step: 'initialize' },
    );
    await ensureTables(client, [tableDefinition(TABLE)]);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    counting?.destroy();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records each file of a draft by one conditional write, reading nothing; the nomination reads whole, its list row counts them, its index place stays', async () => {
    const n = await created(draftOf('n-four'));
    const before = (await itemsOf(n.id)).find((i) => i.sk === 'item');
    const store = freshStore();
    const records = [recordOf(n.id, 'word'), recordOf(n.id, 'scan'), recordOf(n.id), recordOf(n.id)];
    let version = n.version;
    for (const record of records) {
      const answer = await recordInspected({ store }, unitA, n.id, record, version);
      expect(answer).toEqual({ attachment: record, version: version + 1 });
      version = answer.version;
      expect(counted()).toEqual(['TransactWriteItemsCommand']);
    }
    const stored = await freshStore().get(n.id);
    expect(stored).toEqual({
      ...n,
      attachments: records,
      version: 5,
      updatedAt: records[3]?.uploadedAt,
    });
    const item = (await itemsOf(n.id)).find((i) => i.sk === 'item');
    expect(item?.version).toBe(5);
    expect(item?.noted).toMatchObject({ attachmentCount: 4 });
    // A draft's place in the status index is its creation: a file leaves it where it was.
    expect(item?.gsi1sk).toBe(before?.gsi1sk);
    const page = await freshStore().page(CAMPAIGN, { unit: 'unit-a', drafts: true }, {});
    expect(page.items.find((row) => row.id === n.id)).toEqual(listedNomination(stored as Nomination));
  });

  it("answers the same record posted again as the first time and never adds it twice: at the page's version or the next", async () => {
    const n = await created(draftOf('n-twice'));
    const record = recordOf(n.id);
    const first = await recordInspected({ store: freshStore() }, unitA, n.id, record, 1);
    counted();
    // A retried request (its answer lost), then one at the version the first answer gave.
    const late = { ...record, uploadedAt: '2025-01-21T00:00:00.000Z', versionId: 'v-later' };
    expect(await recordInspected({ store: freshStore() }, unitA, n.id, late, 1)).toEqual(first);
    expect(counted()).toEqual(['TransactWriteItemsCommand', 'QueryCommand']);
    expect(await recordInspected({ store: freshStore() }, unitA, n.id, late, 2)).toEqual(first);
    expect(counted()).toEqual(['TransactWriteItemsCommand', 'QueryCommand']);
    expect((await freshStore().get(n.id))?.attachments).toEqual([record]);
    expect((await freshStore().get(n.id))?.version).toBe(2);
  });

  it("refuses another unit's, a missing nomination, a stale page and a nomination submitted meanwhile — one read each to say why, nothing written", async () => {
    const n = await created(draftOf('n-refused'));
    const store = freshStore();
    const itemsBefore = await itemsOf(n.id);
    counted();

    const other = await refusal(
      recordInspected({ store }, { ...unitA, subjectId: 'unit-b' }, n.id, recordOf(n.id), 1),
    );
    expect([other.code, other.messages.en]).toEqual([
      'FORBIDDEN',
      'Not allowed: this belongs to another campaign or another unit',
    ]);
    const otherCampaign = await refusal(
      recordInspected({ store }, { ...unitA, campaignId: 'cacs-2024' }, n.id, recordOf(n.id), 1),
    );
    expect(otherCampaign.code).toBe('FORBIDDEN');
    const missing = await refusal(recordInspected({ store }, unitA, 'n-nowhere', recordOf('n-nowhere'), 1));
    expect([missing.code, missing.messages.en]).toEqual(['NOT_FOUND', 'No nomination "n-nowhere"']);
    const stale = await refusal(recordInspected({ store }, unitA, n.id, recordOf(n.id), 7));
    expect([stale.code, stale.messages.en]).toEqual([
      'VERSION_CONFLICT',
      'This nomination was changed elsewhere meanwhile; reload and try again',
    ]);
    expect(counted()).toEqual(Array(4).fill(['TransactWriteItemsCommand', 'QueryCommand']).flat());
    expect(await itemsOf(n.id)).toEqual(itemsBefore);

    // Submitted by another request after the page read the draft: its file cannot slip in.
    const submitted = { ...n, status: 'submitted' as const, version: 2, submittedAt: n.updatedAt };
    await dynamoNominationStore(documents, TABLE).changeStatus({ nomination: submitted, expectedVersion: 1 });
    const late = await refusal(recordInspected({ store }, unitA, n.id, recordOf(n.id), 1));
    expect([late.code, late.messages.en]).toEqual([
      'NOT_EDITABLE',
      'A submitted nomination cannot change its attachments',
    ]);
    // Nor at the version it now has.
    const atNow = await refusal(recordInspected({ store }, unitA, n.id, recordOf(n.id), 2));
    expect(atNow.code).toBe('NOT_EDITABLE');
    expect((await freshStore().get(n.id))?.attachments).toEqual([]);
  });

  it('leaves the files alone when a change that read them writes the nomination after', async () => {
    const n = await created(draftOf('n-then-saved'));
    await recordInspected({ store: freshStore() }, unitA, n.id, recordOf(n.id, 'word'), 1);
    await recordInspected({ store: freshStore() }, unitA, n.id, recordOf(n.id, 'scan'), 2);
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `nomination#${n.id}`, sk: 'item#attachments' },
        UpdateExpression: 'SET untouched = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
    // A submit reads the nomination, then writes it: the files it read are the files stored.
    const store = freshStore();
    const read = (await store.get(n.id)) as Nomination;
    await store.changeStatus({
      nomination: { ...read, status: 'submitted', version: 4, submittedAt: '2025-01-22T00:00:00.000Z' },
      expectedVersion: 3,
    });
    const part = (await itemsOf(n.id)).find((i) => i.sk === 'item#attachments');
    expect(part?.untouched).toBe(true);
    expect((await freshStore().get(n.id))?.attachments).toEqual(read.attachments);
    // A change of the files themselves writes them whole, their ids with them.
    const second = await created(draftOf('n-removed'));
    await recordInspected({ store: freshStore() }, unitA, second.id, recordOf(second.id, 'word'), 1);
    await recordInspected({ store: freshStore() }, unitA, second.id, recordOf(second.id, 'scan'), 2);
    const current = (await freshStore().get(second.id)) as Nomination;
    const [, scan] = current.attachments;
    await freshStore().save({ ...current, attachments: scan ? [scan] : [], version: 4 }, 3);
    const ids = (await itemsOf(second.id)).find((i) => i.sk === 'item#attachments')?.ids;
    expect([...(ids as Set<string>)]).toEqual([scan?.id]);
  });

  it('records a file on an item of an older shape, or on a returned nomination, by reading it first', async () => {
    const store = freshStore();
    // Written before the parts were apart: the whole nomination in `data`, no fingerprints.
    const old = draftOf('n-older');
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `nomination#${old.id}`,
          sk: 'item',
          version: 1,
          data: old,
          listed: listedNomination(old),
          gsi2pk: `unit#${CAMPAIGN}#unit-a`,
          gsi2sk: `${old.createdAt}#${old.id}`,
        },
      }),
    );
    const oldRecord = recordOf(old.id);
    expect(await recordInspected({ store }, unitA, old.id, oldRecord, 1)).toEqual({
      attachment: oldRecord,
      version: 2,
    });
    expect((await freshStore().get(old.id))?.attachments).toEqual([oldRecord]);

    // Files stored before their ids were kept: the condition cannot tell a repeat, so it reads.
    const noIds = await created(draftOf('n-no-ids'));
    const firstRecord = recordOf(noIds.id, 'word');
    await recordInspected({ store }, unitA, noIds.id, firstRecord, 1);
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `nomination#${noIds.id}`, sk: 'item#attachments' },
        UpdateExpression: 'REMOVE ids',
      }),
    );
    counted();
    expect(await recordInspected({ store }, unitA, noIds.id, firstRecord, 2)).toEqual({
      attachment: firstRecord,
      version: 2,
    });
    const secondRecord = recordOf(noIds.id, 'scan');
    await recordInspected({ store }, unitA, noIds.id, secondRecord, 2);
    expect(counted().filter((c) => c === 'QueryCommand')).toHaveLength(2);
    expect((await freshStore().get(noIds.id))?.attachments).toEqual([firstRecord, secondRecord]);

    // Returned: its place in the status index moves with the change, which the one write cannot form.
    const returned = await created(
      draftOf('n-returned', { status: 'returned', submittedAt: '2025-01-20T01:00:00.000Z' }),
    );
    const record = recordOf(returned.id);
    expect(await recordInspected({ store }, unitA, returned.id, record, 1)).toEqual({
      attachment: record,
      version: 2,
    });
    const item = (await itemsOf(returned.id)).find((i) => i.sk === 'item');
    expect(item?.gsi1sk).toBe(`volunteer#${record.uploadedAt}#${returned.id}`);
  });
});
