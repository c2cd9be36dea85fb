import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { tableDefinition } from '../../functions/adapters/table.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { listedNomination } from '../../functions/rules/nomination-view.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';
import { newTaskToken } from '../../infra/local/stepfunctions/task-tokens.js';
import { validForms } from '../fixtures/forms.js';

/**
 * The nomination's items in DynamoDB (adapters/nomination-store.ts): the small item, and its form
 * and attachments apart, each written only when it changed, and the unit's confirmations at
 * submission (declarations, consent) apart once it has any; an item written before the parts
 * were apart (with its form inside and a copy of its list row, or its confirmations inside) still
 * reads, lists and is moved to the new layout by its next write.
 */

const TABLE = 'laurel-layout';
const CAMPAIGN = 'cast-2024';

const nominationOf = (id: string, over: Partial<Nomination> = {}): Nomination => ({
  id,
  campaignId: CAMPAIGN,
  unitId: 'unit-a',
  unitType: 'national-society',
  unitName: '中国天文学会',
  category: 'volunteer',
  status: 'submitted',
  version: 1,
  form: validForms.volunteer as unknown as Record<string, unknown>,
  attachments: [
    {
      id: 'a-1',
      kind: 'scan',
      key: `nominations/${id}/scan/a-1.pdf`,
      versionId: 'v1',
      sha256: 'x'.repeat(64),
      size: 1000,
      mime: 'application/pdf',
      fileName: '盖章扫描件.pdf',
      uploadedAt: '2025-01-20T01:00:00.000Z',
    },
  ],
  noClassifiedContent: true,
  createdAt: '2025-01-20T01:00:00.000Z',
  updatedAt: '2025-01-20T01:00:00.000Z',
  submittedAt: '2025-01-20T01:00:00.000Z',
  ...over,
});

const BY = { role: 'unit' as const, subjectId: 'unit-a', name: '中国天文学会' };

/** What the unit confirmed at submission: the declarations' texts (the larger part) and the consent. */
const confirmations = {
  declarations: {
    version: 2,
    items: [1, 2, 3].map((i) => ({
      id: `d-${i}`,
      text: {
        zh: '本单位承诺所报材料真实、准确、完整。'.repeat(6),
        en: 'The unit declares the material true. '.repeat(6),
      },
    })),
    confirmedAt: '2025-01-20T01:00:00.000Z',
    by: BY,
  },
  consent: { noticeVersion: 1, confirmedAt: '2025-01-20T01:00:00.000Z', by: BY },
} satisfies Partial<Nomination>;

/** Creates the nomination as its unit does, with the audit event of its creation. */
const createdBy = (store: ReturnType<typeof dynamoNominationStore>, n: Nomination) =>
  store.create(n, { nominationId: n.id, at: n.createdAt, actor: BY, action: 'created' });

describe('the nomination in the table', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laurel-layout-'));
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
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
  /**
   * Marks the parts' items (`untouched`): a later put of a part replaces its item, mark and all,
   * so a mark still there says the part was not written again.
   */
  const markParts = async (id: string, ...sks: string[]) => {
    for (const sk of sks)
      await documents.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { pk: `nomination#${id}`, sk },
          UpdateExpression: 'SET untouched = :yes',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
  };

  /** A nomination as the store wrote it until 2026-12-05: whole in `data`, its list row in `listed`. */
  const putWhole = (n: Nomination, indexKeys: Record<string, string> = {}) =>
    documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `nomination#${n.id}`,
          sk: 'item',
          version: n.version,
          data: n,
          listed: listedNomination(n),
          ...indexKeys,
        },
      }),
    );
  /** A client of its own with one middleware at its start: to count or cut short its requests. */
  const clientWith = (
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
  ) => {
    const own = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'cn-north-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    own.middlewareStack.add(middleware as never, { step: 'initialize' });
    return own;
  };

  beforeAll(async () => {
    dynamo = await startDynamoDb({ dataDir });
    client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await ensureTables(client, [tableDefinition(TABLE)]);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the form and attachments apart, and writes them again only when they change', async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-apart');
    await createdBy(store, n);
    const items = await itemsOf(n.id);
    expect(items.map((i) => i.sk)).toEqual(['item', 'item#attachments', 'item#form']);
    const item = items.find((i) => i.sk === 'item') as Record<string, unknown>;
    expect(item.data).not.toHaveProperty('form');
    expect(item.data).not.toHaveProperty('attachments');
    expect(item).not.toHaveProperty('listed');
    // What never changes: a status change leaves the unit's and the name index alone.
    expect(item.facets).toEqual({ category: n.category, unitId: n.unitId });
    expect(await store.get(n.id)).toEqual(n);
    // The unit's index holds the keys and the facets only, never the nomination.
    const indexed = await documents.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `unit#${CAMPAIGN}#${n.unitId}` },
      }),
    );
    expect(Object.keys(indexed.Items?.[0] ?? {}).sort()).toEqual(['facets', 'gsi2pk', 'gsi2sk', 'pk', 'sk']);

    // A status change writes the small item only: a mark put on the parts' items stays (a put of
    // a part would replace its item, mark and all).
    await markParts(n.id, 'item#form', 'item#attachments');
    const screened = { ...n, status: 'in-review' as const, version: 2 };
    await store.changeStatus({ nomination: screened, expectedVersion: 1 });
    expect(await store.get(n.id)).toEqual(screened);
    expect((await itemsOf(n.id)).filter((i) => i.untouched).map((i) => i.sk)).toEqual([
      'item#attachments',
      'item#form',
    ]);
    // The unit's list narrowed by status checks the status on the row, not on the index.
    expect((await store.page(CAMPAIGN, { unit: n.unitId, status: 'in-review' }, {})).items).toEqual([
      listedNomination(screened),
    ]);
    expect((await store.page(CAMPAIGN, { unit: n.unitId, status: 'submitted' }, {})).items).toEqual([]);
    expect(await store.unitFigures(CAMPAIGN, n.unitId)).toEqual([
      { category: n.category, status: 'in-review' },
    ]);

    // A new attachment: its part is written, and read back.
    const more = {
      ...screened,
      version: 3,
      attachments: [
        ...screened.attachments,
        { ...(n.attachments[0] as Nomination['attachments'][number]), id: 'a-2' },
      ],
    };
    await store.save(more, 2);
    expect((await store.get(n.id))?.attachments.map((a) => a.id)).toEqual(['a-1', 'a-2']);

    const marked = (await itemsOf(n.id)).filter((i) => i.untouched).map((i) => i.sk);
    expect(marked, 'the attachments written again, the form not').toEqual(['item#form']);

    // Lists show the row they showed when it was kept on the item.
    const page = await store.page(CAMPAIGN, { status: 'in-review' }, {});
    expect(page.items).toEqual([listedNomination(more)]);
    expect(await store.listByStatus(CAMPAIGN, 'in-review')).toEqual([more]);
  });

  it("writes no item for a new draft's empty form and files: they read empty, and their first change puts them", async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const { submittedAt: _s, ...fresh } = nominationOf('n-empty', { status: 'draft' });
    const draft: Nomination = { ...fresh, form: {}, attachments: [] };
    await createdBy(store, draft);
    expect((await itemsOf(draft.id)).map((i) => i.sk)).toEqual(['item']);
    expect(await dynamoNominationStore(documents, TABLE).get(draft.id)).toEqual(draft);
    expect(await dynamoNominationStore(documents, TABLE).getMany([draft.id])).toEqual(
      new Map([[draft.id, draft]]),
    );
    // The form saved: its item is put, the files' still has none (nothing changed there).
    const saved = { ...draft, form: { name: '李晓梅' }, version: 2 };
    await store.save(saved, 1);
    expect((await itemsOf(draft.id)).map((i) => i.sk)).toEqual(['item', 'item#form']);
    expect(await dynamoNominationStore(documents, TABLE).get(draft.id)).toEqual(saved);
    const withFile = { ...saved, attachments: nominationOf('n-empty').attachments.slice(0, 1), version: 3 };
    await dynamoNominationStore(documents, TABLE).save(withFile, 2);
    expect((await itemsOf(draft.id)).map((i) => i.sk)).toEqual(['item', 'item#attachments', 'item#form']);
    expect(await store.get(draft.id)).toEqual(withFile);
  });

  it("keeps a draft's place in the status index while it is saved, and moves it as it is submitted", async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const draft = nominationOf('n-draft', { status: 'draft' });
    delete (draft as Partial<Nomination>).submittedAt;
    await createdBy(store, draft);
    const statusKey = async () => {
      const item = (await itemsOf(draft.id)).find((i) => i.sk === 'item') as Record<string, unknown>;
      return `${String(item.gsi1pk)} ${String(item.gsi1sk)}`;
    };
    const placed = await statusKey();
    expect(placed).toBe(`campaign#${CAMPAIGN}#status#draft volunteer#${draft.createdAt}#${draft.id}`);
    const saved = { ...draft, version: 2, updatedAt: '2025-01-25T00:00:00.000Z', form: { name: '李四' } };
    await store.save(saved, 1);
    expect(await statusKey(), 'a save leaves the draft where it was').toBe(placed);
    expect(await store.idsWithStatus(CAMPAIGN, 'draft')).toContain(draft.id);
    const submitted = {
      ...saved,
      status: 'submitted' as const,
      version: 3,
      updatedAt: '2025-01-26T00:00:00.000Z',
    };
    await store.changeStatus({ nomination: submitted, expectedVersion: 2 });
    expect(await statusKey()).toBe(
      `campaign#${CAMPAIGN}#status#submitted volunteer#${submitted.updatedAt}#${draft.id}`,
    );
  });

  it('reads, lists and moves a nomination stored before its parts were apart', async () => {
    const n = nominationOf('n-old', {
      category: 'project',
      form: validForms.project as unknown as Record<string, unknown>,
    });
    // As the store wrote it until 2026-12-05: the whole nomination in `data`, its list row in `listed`.
    await putWhole(n, {
      gsi1pk: `campaign#${CAMPAIGN}#status#${n.status}`,
      gsi1sk: `${n.category}#${n.updatedAt}#${n.id}`,
      gsi2pk: `unit#${CAMPAIGN}#${n.unitId}`,
      gsi2sk: `${n.createdAt}#${n.id}`,
    });
    const store = dynamoNominationStore(documents, TABLE);
    expect(await store.get(n.id)).toEqual(n);
    expect((await store.page(CAMPAIGN, { status: 'submitted', category: 'project' }, {})).items).toEqual([
      listedNomination(n),
    ]);
    expect((await store.publishedPage(CAMPAIGN, 'submitted', {})).items).toContainEqual({
      id: n.id,
      category: 'project',
      unitName: n.unitName,
      name: listedNomination(n).name,
      deeds: validForms.project.overview,
    });
    expect((await store.page(CAMPAIGN, { unit: n.unitId, drafts: true }, {})).items).toContainEqual(
      listedNomination(n),
    );
    expect(await store.unitFigures(CAMPAIGN, n.unitId)).toContainEqual({
      category: n.category,
      status: n.status,
    });
    // Written before the indexes' facets: the unit's filtered list still finds it by its row.
    expect(
      (await store.page(CAMPAIGN, { unit: n.unitId, status: 'submitted', category: 'project' }, {})).items,
    ).toEqual([listedNomination(n)]);
    expect((await store.page(CAMPAIGN, { unit: n.unitId, status: 'returned' }, {})).items).toEqual([]);

    // A store that never read it (another container) writes it: the parts move out.
    const returned = { ...n, status: 'returned' as const, version: 2, reasons: '请补充材料' };
    await dynamoNominationStore(documents, TABLE).changeStatus({ nomination: returned, expectedVersion: 1 });
    const items = await itemsOf(n.id);
    expect(items.map((i) => i.sk)).toEqual(['item', 'item#attachments', 'item#form']);
    expect(items.find((i) => i.sk === 'item')?.data).not.toHaveProperty('form');
    expect(await store.get(n.id)).toEqual(returned);
    // What the public lists read of it, in either layout: its row's name and its form's deeds alone.
    const published = {
      id: n.id,
      category: 'project',
      unitName: n.unitName,
      name: listedNomination(n).name,
      deeds: validForms.project.overview,
    };
    expect((await store.publishedPage(CAMPAIGN, 'returned', {})).items).toContainEqual(published);
  });

  it('arms a step of a nomination stored before its parts were apart, its token kept on the item', async () => {
    const n = nominationOf('n-old-armed');
    // As the store wrote it until 2026-12-05: the whole nomination in `data`, no fingerprints.
    await putWhole(n);
    const store = dynamoNominationStore(documents, TABLE);
    const awaiting = {
      step: 'screening' as const,
      taskToken: newTaskToken(),
      since: '2025-01-21T01:00:00.000Z',
    };
    // The transaction is refused (no fingerprints): the two writes arm it, the token on the item.
    expect(await store.storeAwaiting(n.id, awaiting)).toEqual({ id: n.id, awaiting });
    expect((await itemsOf(n.id)).find((i) => i.sk === 'item')?.data.awaiting).toEqual(awaiting);
    expect(await dynamoNominationStore(documents, TABLE).get(n.id)).toEqual({ ...n, awaiting, version: 2 });
  });

  it('reads an organization stored with a full founding date as its year and month, in either layout', async () => {
    const legacy = nominationOf('n-founded', {
      category: 'organization',
      form: { ...validForms.organization, foundedOn: '2018-06-15' } as unknown as Record<string, unknown>,
    });
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `nomination#${legacy.id}`,
          sk: 'item',
          version: legacy.version,
          data: legacy,
          listed: listedNomination(legacy),
          gsi1pk: `campaign#${CAMPAIGN}#status#${legacy.status}`,
          gsi1sk: `${legacy.category}#${legacy.updatedAt}#${legacy.id}`,
          gsi2pk: `unit#${CAMPAIGN}#${legacy.unitId}`,
          gsi2sk: `${legacy.createdAt}#${legacy.id}`,
        },
      }),
    );
    const store = dynamoNominationStore(documents, TABLE);
    expect((await store.get(legacy.id))?.form.foundedOn).toBe('2018-06');
    const listed = (await store.listByStatus(CAMPAIGN, legacy.status)).find((n) => n.id === legacy.id);
    expect(listed?.form.foundedOn).toBe('2018-06');
    // The next write of what was read stores the month, in the form's own item.
    const read = (await store.get(legacy.id)) as Nomination;
    await store.changeStatus({ nomination: { ...read, status: 'returned', version: 2 }, expectedVersion: 1 });
    const formItem = (await itemsOf(legacy.id)).find((i) => i.sk === 'item#form');
    expect((formItem?.data as { foundedOn?: string } | undefined)?.foundedOn).toBe('2018-06');
  });

  it("keeps the unit's confirmations apart from the small item, written once a submission", async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const draft = nominationOf('n-confirmed', { status: 'draft', submittedAt: undefined });
    delete draft.submittedAt;
    await createdBy(store, draft);
    // A draft has none: no item for them.
    expect((await itemsOf(draft.id)).map((i) => i.sk)).toEqual(['item', 'item#attachments', 'item#form']);

    const submitted = { ...draft, ...confirmations, status: 'submitted' as const, version: 2 };
    await store.changeStatus({ nomination: submitted, expectedVersion: 1 });
    const items = await itemsOf(submitted.id);
    expect(items.map((i) => i.sk)).toEqual(['item', 'item#attachments', 'item#confirmations', 'item#form']);
    const item = items.find((i) => i.sk === 'item') as Record<string, unknown>;
    expect(item.data).not.toHaveProperty('declarations');
    expect(item.data).not.toHaveProperty('consent');
    expect(await store.get(submitted.id)).toEqual(submitted);
    expect(await dynamoNominationStore(documents, TABLE).get(submitted.id)).toEqual(submitted);

    // A status change after it writes the small item only: the confirmations' item stays as it was.
    await markParts(submitted.id, 'item#confirmations');
    const screened = { ...submitted, status: 'in-review' as const, version: 3 };
    await store.changeStatus({ nomination: screened, expectedVersion: 2 });
    expect((await itemsOf(submitted.id)).find((i) => i.sk === 'item#confirmations')?.untouched).toBe(true);
    expect(await store.listByStatus(CAMPAIGN, 'in-review')).toContainEqual(screened);
    expect((await store.page(CAMPAIGN, { status: 'in-review' }, {})).items).toContainEqual(
      listedNomination(screened),
    );

    // Erased (nothing left of them): their item goes.
    const { declarations: _d, consent: _c, ...erased } = { ...screened, version: 4 };
    await store.save(erased, 3);
    expect((await itemsOf(submitted.id)).map((i) => i.sk)).toEqual(['item', 'item#attachments', 'item#form']);
    expect(await store.get(submitted.id)).toEqual(erased);
  });

  it('keeps the eligibility results apart, written by the check alone; a store that only read the parts writes none of them again', async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-checked', confirmations);
    await createdBy(store, n);
    // The check's results, their maps' keys in the order the code builds them (not DynamoDB's).
    const checked = {
      ...n,
      version: 2,
      eligibility: [
        {
          passed: false,
          id: 'all.not-past-honouree',
          needsReview: true,
          message: { zh: '与往届获评者名单相近：张三（2021）', en: 'Close to a past honouree: 张三 (2021)' },
          figures: { year: 2021, match: 'near' },
        },
      ],
    };
    await store.save(checked, 1);
    const items = await itemsOf(n.id);
    expect(items.map((i) => i.sk)).toEqual([
      'item',
      'item#attachments',
      'item#confirmations',
      'item#eligibility',
      'item#form',
    ]);
    expect(items.find((i) => i.sk === 'item')?.data).not.toHaveProperty('eligibility');
    expect(await store.get(n.id)).toEqual(checked);
    // A list row flags what failed or wants a look, by id and verdict (kept on the small item):
    // the nomination's page shows each criterion with its message.
    const row = (await store.page(CAMPAIGN, { unit: n.unitId }, {})).items.find((r) => r.id === n.id);
    expect(row?.eligibility).toEqual([{ id: 'all.not-past-honouree', passed: false, needsReview: true }]);
    expect(row).toEqual(listedNomination(checked));

    // Another container reads it (every map's keys in DynamoDB's order) and moves it on: the
    // parts are as they were, so none is written again.
    await markParts(n.id, 'item#form', 'item#attachments', 'item#confirmations', 'item#eligibility');
    const other = dynamoNominationStore(documents, TABLE);
    const read = (await other.get(n.id)) as Nomination;
    const screened = { ...read, status: 'in-review' as const, version: 3 };
    await other.changeStatus({ nomination: screened, expectedVersion: 2 });
    expect((await itemsOf(n.id)).filter((i) => i.untouched).map((i) => i.sk)).toEqual([
      'item#attachments',
      'item#confirmations',
      'item#eligibility',
      'item#form',
    ]);
    expect(await store.get(n.id)).toEqual(screened);

    // Erased: their item goes.
    const { eligibility: _e, ...erased } = { ...screened, version: 4 };
    await other.save(erased, 3);
    expect((await itemsOf(n.id)).map((i) => i.sk)).not.toContain('item#eligibility');
    expect(await store.get(n.id)).toEqual(erased);
  });

  it('reads and moves a nomination whose confirmations were stored on its small item', async () => {
    const n = nominationOf('n-inline', confirmations);
    const store = dynamoNominationStore(documents, TABLE);
    await createdBy(store, n);
    // As the store wrote it until this change: the confirmations in `data`, no fingerprint of them.
    const { declarations, consent, form: _f, attachments: _a, ...rest } = n;
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `nomination#${n.id}`, sk: 'item' },
        UpdateExpression: 'SET #d = :data REMOVE parts.confirmations',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':data': { ...rest, declarations, consent } },
      }),
    );
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `nomination#${n.id}`, sk: 'item#confirmations' },
        UpdateExpression: 'SET #d = :nothing',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':nothing': {} },
      }),
    );
    const other = dynamoNominationStore(documents, TABLE);
    expect(await other.get(n.id)).toEqual(n);
    expect(await other.listByStatus(CAMPAIGN, n.status)).toContainEqual(n);
    // Its next write, by a store that never read it, moves them out.
    const returned = { ...n, status: 'returned' as const, version: 2, reasons: '请补充材料' };
    await dynamoNominationStore(documents, TABLE).changeStatus({ nomination: returned, expectedVersion: 1 });
    const items = await itemsOf(n.id);
    expect(items.find((i) => i.sk === 'item')?.data).not.toHaveProperty('declarations');
    expect(items.find((i) => i.sk === 'item#confirmations')?.data).toEqual(confirmations);
    expect(await store.get(n.id)).toEqual(returned);
  });

  it("keeps the awaited step's task token in an item of its own: the small item and its status changes carry none", async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-token');
    await createdBy(store, n);
    // As long as AWS's tokens may be, as the local Step Functions issues them.
    const taskToken = newTaskToken();
    const awaiting = { step: 'screening' as const, taskToken, since: '2025-01-21T01:00:00.000Z' };
    // One transaction: the status it met leaves the step waiting, so none is answered.
    expect(await store.storeAwaiting(n.id, awaiting)).toEqual({ id: n.id, awaiting });
    const small = () => itemsOf(n.id).then((items) => items.find((i) => i.sk === 'item'));
    expect((await small())?.data.awaiting).toEqual({ step: 'screening', since: awaiting.since });
    expect(JSON.stringify(await small())).not.toContain(taskToken);
    // Kept as the bytes its base64 spells: three quarters of its characters.
    const tokenItem = (await itemsOf(n.id)).find((i) => i.sk === 'item#token');
    expect(tokenItem?.data).toMatchObject({ alphabet: 'base64url' });
    expect(Buffer.from(tokenItem?.data.bytes).length).toBe((taskToken.length / 4) * 3);
    // Read back whole, by a store that never wrote it, and in the lists' batch reads.
    const other = dynamoNominationStore(documents, TABLE);
    const armed = { ...n, version: 2, awaiting };
    expect(await other.get(n.id)).toEqual(armed);
    expect(await other.listByStatus(CAMPAIGN, 'submitted')).toContainEqual(armed);
    // A decision on the version before the token fails its condition (it reads again, finding it).
    await expect(
      dynamoNominationStore(documents, TABLE).changeStatus({
        nomination: { ...n, status: 'in-review', version: 2 },
        expectedVersion: 1,
      }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    // A status change after it leaves the token's item alone and writes none into the small item.
    await markParts(n.id, 'item#token');
    const passed = { ...armed, status: 'in-review' as const, version: 3 };
    await other.changeStatus({ nomination: passed, expectedVersion: 2 });
    expect((await itemsOf(n.id)).find((i) => i.sk === 'item#token')).toMatchObject({ untouched: true });
    expect(JSON.stringify(await small())).not.toContain(taskToken);
    expect(await store.get(n.id)).toEqual(passed);
    // A token that is not base64 (AWS promises only a string) is kept as its text, and read back.
    const opaque = { ...awaiting, step: 'reviews' as const, taskToken: 'opaque token +/=' };
    expect(await store.storeAwaiting(n.id, opaque)).toEqual({ id: n.id, awaiting: opaque });
    expect((await other.get(n.id))?.version).toBe(4);
    expect((await itemsOf(n.id)).find((i) => i.sk === 'item#token')?.data).toEqual({
      taskToken: opaque.taskToken,
      awaited: { step: 'reviews', since: awaiting.since },
    });
    expect((await other.get(n.id))?.awaiting).toEqual(opaque);
    // A nomination that is not there: no token left behind.
    expect(await store.storeAwaiting('n-none', awaiting)).toBeUndefined();
    expect(await itemsOf('n-none')).toEqual([]);
  });

  it("keeps whose clock counts a review's days with the awaited step, through the status changes after it", async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-review-clock', { status: 'in-review' });
    await createdBy(store, n);
    const awaiting = {
      step: 'reviews' as const,
      taskToken: newTaskToken(),
      since: '2025-01-22T01:00:00.000Z',
      reviewClock: 'campaign' as const,
    };
    await store.storeAwaiting(n.id, awaiting);
    const other = dynamoNominationStore(documents, TABLE);
    expect((await other.get(n.id))?.awaiting).toEqual(awaiting);
    const armed = (await other.get(n.id)) as Nomination;
    await other.save({ ...armed, reasons: 'a note', version: armed.version + 1 }, armed.version);
    expect((await dynamoNominationStore(documents, TABLE).get(n.id))?.awaiting).toEqual(awaiting);
    expect((await itemsOf(n.id)).find((i) => i.sk === 'item')?.data.awaiting).toEqual({
      step: 'reviews',
      since: awaiting.since,
      reviewClock: 'campaign',
    });
  });

  it('arms a step by one transaction, or by two writes when the status met answers it: a read pairs the token with its own step', async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-torn');
    await createdBy(store, n);
    const screening = {
      step: 'screening' as const,
      taskToken: newTaskToken(),
      since: '2025-01-21T01:00:00.000Z',
    };
    // Armed on a status that waits for it: one request, the transaction (a refused one would fall
    // back to two plain writes, which read back the same).
    const commands: string[] = [];
    const counted = clientWith((next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    });
    try {
      await dynamoNominationStore(counted, TABLE).storeAwaiting(n.id, screening);
    } finally {
      counted.destroy();
    }
    expect(commands).toEqual([expect.stringMatching(/^TransactWrite/)]);
    const read = (await store.get(n.id)) as Nomination;
    expect(read.awaiting).toEqual(screening);
    expect(read.version).toBe(n.version + 1);
    await store.changeStatus({
      nomination: { ...read, status: 'in-review', version: read.version + 1 },
      expectedVersion: read.version,
    });
    /** A store whose task dies at its first request of this kind (the requests before it land). */
    const dyingAt = (command: string) =>
      clientWith((next, context) => async (args) => {
        if (context.commandName?.startsWith(command))
          throw Object.assign(new Error('task died'), { name: 'Sandbox.Timedout' });
        return next(args);
      });
    const reviews = {
      step: 'reviews' as const,
      taskToken: newTaskToken(),
      since: '2025-01-22T01:00:00.000Z',
    };
    // The step armed by a task that dies in its transaction: nothing of it is written.
    const inTransaction = dyingAt('TransactWrite');
    try {
      await expect(dynamoNominationStore(inTransaction, TABLE).storeAwaiting(n.id, reviews)).rejects.toThrow(
        'task died',
      );
    } finally {
      inTransaction.destroy();
    }
    expect((await dynamoNominationStore(documents, TABLE).get(n.id))?.awaiting).toEqual(screening);
    // The reviews complete before the step is armed: the transaction is refused and two writes arm
    // it, answering the status they meet. A task that dies between them leaves the token's item
    // written, the small item not (a read between them sees the same): the small item still names
    // screening, the token is the reviews step's and reads as such — a repeated "pass" finds no
    // screening token to answer again.
    const inReview = (await store.get(n.id)) as Nomination;
    await store.changeStatus({
      nomination: { ...inReview, status: 'scored', version: inReview.version + 1 },
      expectedVersion: inReview.version,
    });
    const betweenWrites = dyingAt('Update');
    try {
      await expect(dynamoNominationStore(betweenWrites, TABLE).storeAwaiting(n.id, reviews)).rejects.toThrow(
        'task died',
      );
    } finally {
      betweenWrites.destroy();
    }
    expect((await itemsOf(n.id)).find((i) => i.sk === 'item')?.data.awaiting.step).toBe('screening');
    expect((await dynamoNominationStore(documents, TABLE).get(n.id))?.awaiting).toEqual(reviews);
    // Step Functions runs the task again: both writes land, it answers the status, and reads the same.
    expect(await store.storeAwaiting(n.id, reviews)).toEqual({
      id: n.id,
      awaiting: reviews,
      status: 'scored',
    });
    expect((await dynamoNominationStore(documents, TABLE).get(n.id))?.awaiting).toEqual(reviews);
    expect((await itemsOf(n.id)).find((i) => i.sk === 'item')?.data.awaiting.step).toBe('reviews');
  });

  it('arms selection by its one transaction only while the score is kept: scored without it, or on a status that answers the step, nothing is written', async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-selection', { status: 'scored' });
    await createdBy(store, n);
    const selection = {
      step: 'selection' as const,
      taskToken: newTaskToken(),
      since: '2025-02-25T01:00:00.000Z',
    };
    // Scored without its score: refused, the token's item not put, the version where it was.
    expect(await store.storeAwaiting(n.id, selection, { ifScoreKept: true })).toBe('refused');
    expect((await itemsOf(n.id)).map((i) => i.sk)).not.toContain('item#token');
    expect((await store.get(n.id))?.version).toBe(n.version);
    // With its score: one request, the transaction.
    const read = (await store.get(n.id)) as Nomination;
    const score = { meanTotal: 80, expertTotals: [78, 80, 82], recommendations: 3, lowestTotal: 78 };
    await store.save({ ...read, score, version: read.version + 1 }, read.version);
    const commands: string[] = [];
    const counted = clientWith((next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    });
    try {
      expect(
        await dynamoNominationStore(counted, TABLE).storeAwaiting(n.id, selection, { ifScoreKept: true }),
      ).toEqual({
        id: n.id,
        awaiting: selection,
      });
    } finally {
      counted.destroy();
    }
    expect(commands).toEqual([expect.stringMatching(/^TransactWrite/)]);
    expect(await store.get(n.id)).toMatchObject({ version: read.version + 2, score, awaiting: selection });
    // Selected before the token was stored: refused too (the two writes are the caller's to ask for).
    const armed = (await store.get(n.id)) as Nomination;
    await store.changeStatus({
      nomination: { ...armed, status: 'selected', version: armed.version + 1 },
      expectedVersion: armed.version,
    });
    const again = { ...selection, taskToken: newTaskToken() };
    expect(await store.storeAwaiting(n.id, again, { ifScoreKept: true })).toBe('refused');
    expect((await store.get(n.id))?.awaiting).toEqual(selection);
  });

  it('reads and moves a nomination whose token was stored on its small item', async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const awaiting = {
      step: 'reviews' as const,
      taskToken: 'token-inline',
      since: '2025-01-21T01:00:00.000Z',
    };
    const n = nominationOf('n-token-inline', { status: 'in-review', awaiting });
    await createdBy(store, n);
    // As the store wrote it until this change: the token in `data.awaiting`, no item or fingerprint of it.
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `nomination#${n.id}`, sk: 'item' },
        UpdateExpression: 'SET #d.awaiting = :awaiting REMOVE parts.#tk',
        ExpressionAttributeNames: { '#d': 'data', '#tk': 'token' },
        ExpressionAttributeValues: { ':awaiting': awaiting },
      }),
    );
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `nomination#${n.id}`, sk: 'item#token' },
        UpdateExpression: 'SET #d = :other',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':other': { taskToken: 'not-this-one' } },
      }),
    );
    expect(await dynamoNominationStore(documents, TABLE).get(n.id)).toEqual(n);
    // Its next write moves the token out.
    const scored = { ...n, status: 'scored' as const, version: 2 };
    await dynamoNominationStore(documents, TABLE).changeStatus({ nomination: scored, expectedVersion: 1 });
    const items = await itemsOf(n.id);
    expect(items.find((i) => i.sk === 'item')?.data.awaiting).toEqual({
      step: 'reviews',
      since: awaiting.since,
    });
    expect(items.find((i) => i.sk === 'item#token')?.data).toHaveProperty('bytes');
    expect(await store.get(n.id)).toEqual(scored);
  });

  it('sends a change of the small item alone as one conditional write, refused as a transaction would be', async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-single');
    await createdBy(store, n);
    // Nothing but the item changes (no part, no count, no ranking row): a PutItem, at half the
    // write units of a transaction; a stale version is still refused.
    const marked = { ...n, version: 2, updatedAt: '2025-01-21T01:00:00.000Z' };
    await store.save(marked, 1);
    expect(await store.get(n.id)).toEqual(marked);
    await expect(
      dynamoNominationStore(documents, TABLE).save({ ...n, version: 2, reasons: 'stale' }, 1),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(await store.get(n.id)).toEqual(marked);
    // An audit event is appended once: the same key again answers false.
    const event = {
      nominationId: n.id,
      at: '2025-01-21T02:00:00.000Z',
      actor: { role: 'system', subjectId: 'review', name: 'Laurel' },
      action: 'reviews-complete',
    } as const;
    expect(await store.appendAudit(event)).toBe(true);
    expect(await store.appendAudit(event)).toBe(false);
    expect((await store.auditTrail(n.id)).filter((e) => e.action === 'reviews-complete')).toHaveLength(1);
  });

  it("writes the ranking row's status with a change of status only", async () => {
    const store = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-ranked');
    await createdBy(store, n);
    const rowKey = { pk: `ranking#${CAMPAIGN}`, sk: `${n.category}#${n.id}` };
    const row = async () =>
      (
        await documents.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'pk = :pk AND sk = :sk',
            ExpressionAttributeValues: { ':pk': rowKey.pk, ':sk': rowKey.sk },
          }),
        )
      ).Items?.[0];
    const inReview = { ...n, status: 'in-review' as const, version: 2 };
    await store.changeStatus({ nomination: inReview, expectedVersion: 1 });
    expect(await row()).toMatchObject({ status: 'in-review' });
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: rowKey,
        // A mark in the status itself: a write of the row would set it back.
        UpdateExpression: 'SET #s = :mark',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':mark': 'marked' },
      }),
    );
    // A step awaited keeps the status: the row is not written.
    const awaiting = {
      ...inReview,
      version: 3,
      awaiting: { step: 'reviews' as const, taskToken: 'token-1', since: '2025-01-21T01:00:00.000Z' },
    };
    await store.save(awaiting, 2);
    expect(await row()).toMatchObject({ status: 'marked' });
    const scored = { ...awaiting, status: 'scored' as const, version: 4 };
    await dynamoNominationStore(documents, TABLE).changeStatus({ nomination: scored, expectedVersion: 3 });
    expect(await row()).toMatchObject({ status: 'scored', shown: { unitName: n.unitName } });
    // A change that keeps the status but changes what the ranking page shows (the name corrected,
    // or erased) rewrites the row; another step awaited does not.
    const renamed = {
      ...scored,
      version: 5,
      form: { ...scored.form, name: '更正后的名字' },
    } as typeof scored;
    await dynamoNominationStore(documents, TABLE).save(renamed, 4);
    expect((await row())?.shown).toMatchObject({ name: '更正后的名字', unitName: n.unitName });
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: rowKey,
        UpdateExpression: 'SET #s = :mark',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':mark': 'marked' },
      }),
    );
    await store.save({ ...renamed, version: 6, updatedAt: '2025-01-22T00:00:00.000Z' }, 5);
    expect(await row()).toMatchObject({ status: 'marked' });
  });

  it('refuses a change on a state another container moved on, though this one remembers the old', async () => {
    const here = dynamoNominationStore(documents, TABLE);
    const there = dynamoNominationStore(documents, TABLE);
    const n = nominationOf('n-race');
    await createdBy(here, n);
    const read = (await here.get(n.id)) as Nomination;
    await there.save({ ...read, version: 2, form: { ...read.form, note: 'there' } }, 1);
    await expect(here.save({ ...read, version: 2 }, 1)).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    // Read again, the change goes through and writes what it changed against the stored state.
    const fresh = (await here.get(n.id)) as Nomination;
    expect(fresh.form).toMatchObject({ note: 'there' });
    await here.save({ ...fresh, version: 3, form: { ...fresh.form, note: 'here' } }, 2);
    expect((await there.get(n.id))?.form).toMatchObject({ note: 'here' });
  });

  it("moves a job's chunk by a few batch reads and transactions of many nominations, the counts once a transaction; one a person changed meanwhile is handed back, not overwritten", async () => {
    const campaignId = 'batch-round';
    const sent: string[] = [];
    // A client of its own, whose requests are counted by name.
    const countingClient = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    countingClient.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const counting = DynamoDBDocumentClient.from(countingClient, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const store = dynamoNominationStore(counting, TABLE);
    const ids = Array.from({ length: 40 }, (_, i) => `n-batch-${String(i).padStart(2, '0')}`);
    for (const id of ids) await createdBy(store, nominationOf(id, { campaignId, ...confirmations }));
    const one = dynamoNominationStore(documents, TABLE);
    sent.length = 0;
    const writer = dynamoNominationStore(counting, TABLE);
    const read = await writer.getMany([...ids, 'n-batch-none']);
    // The small items by one batch read, their parts by a few more: not a query each.
    expect(sent).toEqual(['BatchGetItem', 'BatchGetItem', 'BatchGetItem']);
    expect([...read.keys()].sort()).toEqual(ids);
    for (const id of ids) expect(read.get(id)).toEqual(await one.get(id));

    // A person changes one between the read and the write.
    const changed = ids[17] as string;
    const theirs = read.get(changed) as Nomination;
    await one.save({ ...theirs, version: 2, form: { ...theirs.form, note: 'changed meanwhile' } }, 1);
    const at = '2025-02-01T00:00:00.000Z';
    const changes = [...read.values()].map((n) => ({
      nomination: { ...n, status: 'in-review' as const, version: n.version + 1, updatedAt: at },
      expectedVersion: n.version,
      audit: { nominationId: n.id, at, actor: BY, action: 'pass-screening' },
    }));
    sent.length = 0;
    const { stale } = await writer.changeStatuses(changes);
    expect(stale).toEqual([changed]);
    // 40 changes of 4 writes each (item, audit, ranking row, planning window) and a counts update
    // a transaction: two transactions under AWS's 100 actions, one sent again without the refused change.
    expect(sent).toEqual(['TransactWriteItems', 'TransactWriteItems', 'TransactWriteItems']);
    const after = await one.get(changed);
    expect(after).toMatchObject({ status: 'submitted', version: 2, form: { note: 'changed meanwhile' } });
    for (const id of ids.filter((id) => id !== changed)) {
      const moved = await one.get(id);
      expect(moved).toMatchObject({ status: 'in-review', version: 2, ...confirmations });
      expect((await one.auditTrail(id)).map((e) => e.action)).toEqual(['created', 'pass-screening']);
    }
    expect((await one.auditTrail(changed)).map((e) => e.action)).toEqual(['created']);
    expect(await one.counts(campaignId)).toMatchObject({ submitted: 1, 'in-review': 39 });
    expect((await one.awaitingExperts(campaignId, 100)).map((a) => a.id)).toHaveLength(39);
    // Written again (a task run again after a lost answer), every change is stale: nothing moves twice.
    expect((await writer.changeStatuses(changes)).stale.sort()).toEqual(ids);
    expect(await one.counts(campaignId)).toMatchObject({ submitted: 1, 'in-review': 39 });
    countingClient.destroy();
  }, 60_000);
});
