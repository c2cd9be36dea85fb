import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { InvalidToken } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import type { CampaignJob } from '../../../functions/ports/jobs.js';
import type { AuditEvent } from '../../../functions/ports/nominations.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import { memoryAccessStore } from '../../support/memory/access.js';
import { memoryCampaignStore } from '../../support/memory/campaigns.js';
import { EXECUTION_ARN_PREFIX, memoryExecutions } from '../../support/memory/executions.js';
import { memoryJobStore } from '../../support/memory/jobs.js';
import { memoryNominationStore } from '../../support/memory/nominations.js';
import { memoryReviewStore } from '../../support/memory/reviews.js';
import { type AslDefinition, MemoryStateMachines } from '../../support/memory/state-machines.js';
import { memoryClock } from '../../support/memory/system.js';
import { memoryUploadStorage } from '../../support/memory/uploads.js';

/**
 * The in-memory ports answer as the DynamoDB, S3 and Step Functions adapters do on every point a
 * use case relies on: these tests pin that down, so a use-case test on them means what it says.
 */

const at = '2025-02-01T01:00:00.000Z';
const nomination = (over: Partial<Nomination> = {}): Nomination => ({
  id: 'n-0000000001',
  campaignId: 'cast-2024',
  unitId: 'cas-astro',
  unitType: 'national-society',
  unitName: '中国天文学会',
  category: 'volunteer',
  status: 'draft',
  version: 1,
  form: { name: '李晓梅' },
  attachments: [],
  noClassifiedContent: false,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const event = (action: string, subjectId = 'cas-astro', nominationId = 'n-0000000001'): AuditEvent => ({
  nominationId,
  at,
  actor: { role: 'unit', subjectId, name: '中国天文学会' },
  action,
});

describe('the in-memory nomination store', () => {
  it('writes only from the stored version, refusing a stale one with VERSION_CONFLICT', async () => {
    const store = memoryNominationStore();
    await store.create(nomination(), event('create'));
    await store.save(nomination({ version: 2, form: { name: '新' } }), 1);
    const stale = await store.save(nomination({ version: 2, form: { name: '旧' } }), 1).catch((e) => e);
    expect(stale).toMatchObject({
      code: 'VERSION_CONFLICT',
      kind: 'conflict',
      details: { nominationId: 'n-0000000001' },
    });
    expect((await store.get('n-0000000001'))?.form).toEqual({ name: '新' });
    await expect(store.save(nomination({ id: 'n-0000000404', version: 2 }), 1)).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
    });
  });

  it('takes a quota slot with the status or not at all, refusing a full ledger with the message given', async () => {
    const store = memoryNominationStore();
    const quota = { ledgerKey: 'volunteer', delta: 1 as const, limit: 1 };
    await store.create(nomination(), event('create'));
    await store.create(nomination({ id: 'n-0000000002' }), event('create', 'cas-astro', 'n-0000000002'));
    await store.changeStatus({
      nomination: nomination({ status: 'submitted', version: 2 }),
      expectedVersion: 1,
      quota,
      audit: event('submit'),
    });
    const refusal = await store
      .changeStatus({
        nomination: nomination({ id: 'n-0000000002', status: 'submitted', version: 2 }),
        expectedVersion: 1,
        quota,
        audit: event('submit', 'cas-astro', 'n-0000000002'),
        quotaRefusal: { message: { zh: '名额已满（测试）', en: 'full (test)' } } as never,
      })
      .catch((e) => e);
    expect(refusal).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      messages: { zh: '名额已满（测试）' },
      details: { limit: 1 },
    });
    expect((await store.get('n-0000000002'))?.status).toBe('draft');
    expect((await store.auditTrail('n-0000000002')).map((e) => e.action)).toEqual(['create']);
    expect(await store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    // A slot freed makes room again; a −1 carries no limit.
    await store.changeStatus({
      nomination: nomination({ status: 'withdrawn', version: 3 }),
      expectedVersion: 2,
      quota: { ledgerKey: 'volunteer', delta: -1 },
    });
    expect(await store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 0 });
  });

  it('keys audit events on instant, action and actor: the same event twice is refused, as DynamoDB does', async () => {
    const store = memoryNominationStore();
    await store.create(nomination(), event('create'));
    expect(await store.appendAudit(event('review', 'e1'))).toBe(true);
    expect(await store.appendAudit(event('review', 'e1'))).toBe(false);
    expect(await store.appendAudit(event('review', 'e2'))).toBe(true);
    // Inside a status change, a duplicate event cancels the whole transaction.
    const cancelled = await store
      .changeStatus({
        nomination: nomination({ version: 2, status: 'submitted' }),
        expectedVersion: 1,
        audit: event('review', 'e1'),
      })
      .catch((e) => e);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect(cancelled.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ]);
    expect((await store.get('n-0000000001'))?.version).toBe(1);
    await expect(store.create(nomination(), event('create', 'other'))).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
  });

  it('hands out and keeps deep copies, and answers the scope of a nomination', async () => {
    const store = memoryNominationStore();
    const mine = nomination();
    await store.create(mine, event('create'));
    mine.form.name = '改了参数';
    const read = await store.get(mine.id);
    (read as Nomination).form.name = '改了读出的';
    expect((await store.get(mine.id))?.form).toEqual({ name: '李晓梅' });
    expect(await store.scope(mine.id)).toEqual({ campaignId: 'cast-2024', unitId: 'cas-astro' });
    expect(await store.scope('n-0000000404')).toBeUndefined();
  });

  it('reads the extension the campaign store saved, as both adapters share the item', async () => {
    const extensions = new Map();
    const campaigns = memoryCampaignStore({ extensions });
    const store = memoryNominationStore({ extensions });
    await campaigns.saveExtension('cast-2024', {
      unitId: 'prov-zj',
      until: '2025-03-01T00:00:00+08:00',
      reason: '公章',
    });
    expect(await store.extensionFor('cast-2024', 'prov-zj')).toMatchObject({ reason: '公章' });
    expect(await store.extensionFor('cacs-2024', 'prov-zj')).toBeUndefined();
  });
});

describe('the in-memory review, campaign, job and access stores', () => {
  it('creates assignments all or none, counts loads, attaches a link once and records a review once', async () => {
    const reviews = memoryReviewStore();
    for (const id of ['e1', 'e2'])
      await reviews.putExpert({ id, campaignId: 'c', name: id, email: `${id}@x.cn` });
    const assignment = (expertId: string) => ({
      nominationId: 'n1',
      expertId,
      expertName: expertId,
      assignedAt: at,
    });
    expect(await reviews.createAssignments('c', [assignment('e1')])).toBe(true);
    expect(await reviews.createAssignments('c', [assignment('e2'), assignment('e1')])).toBe(false);
    expect((await reviews.assignments('n1')).map((a) => a.expertId)).toEqual(['e1']);
    expect((await reviews.listExperts('c')).map((e) => e.load)).toEqual([1, 0]);
    // A choice of an expert whose cap is reached is refused whole, and taken while below the cap.
    const other = { ...assignment('e1'), nominationId: 'n2' };
    expect(await reviews.createAssignments('c', [other], new Map([['e1', 1]]))).toBe(false);
    expect(await reviews.assignments('n2')).toEqual([]);
    expect(await reviews.createAssignments('c', [other], new Map([['e1', 2]]))).toBe(true);
    expect((await reviews.listExperts('c')).map((e) => e.load)).toEqual([2, 0]);
    await reviews.putExpert({ id: 'e1', campaignId: 'c', name: '改名', email: 'e1@x.cn' });
    expect((await reviews.listExperts('c'))[0]).toMatchObject({ name: '改名', load: 2 });
    expect(await reviews.attachLink('n1', 'e1', 'h1', at)).toBe(true);
    expect(await reviews.attachLink('n1', 'e1', 'h2', at)).toBe(false);
    // A link not attached (superseded, or never) is passed over: nothing noted.
    await reviews.markLinksMailed('n1', [{ expertId: 'e1', linkHash: 'h2' }], at);
    expect((await reviews.assignments('n1'))[0]?.linkMailedAt).toBeUndefined();
    expect((await reviews.byLink('h1'))?.expertId).toBe('e1');
    const review = { expertId: 'e1', scores: {}, recommend: true, total: 80, submittedAt: at };
    expect(await reviews.recordReview('n1', 'e1', review)).toBe(true);
    expect(await reviews.recordReview('n1', 'e1', { ...review, total: 10 })).toBe(false);
    expect((await reviews.byLink('h1'))?.review?.total).toBe(80);
  });

  it('opens publicity once, adds an objection once and resolves it once', async () => {
    const campaigns = memoryCampaignStore();
    const window = { openedAt: at, closesAt: '2025-02-08T01:00:00.000Z' };
    expect(await campaigns.openPublicity({ campaignId: 'c', publicity: window })).toMatchObject({
      publicity: window,
    });
    const later = { openedAt: '2025-02-02T00:00:00.000Z', closesAt: '2025-02-09T00:00:00.000Z' };
    expect((await campaigns.openPublicity({ campaignId: 'c', publicity: later })).publicity).toEqual(window);
    const objection = {
      id: 'o1',
      campaignId: 'c',
      nominationId: 'n1',
      reason: 'r',
      name: 'n',
      contact: 'x',
      submittedAt: at,
    };
    await campaigns.addObjection(objection);
    await expect(campaigns.addObjection(objection)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const resolution = { decision: 'dismiss' as const, note: 'ok', at, by: 'sec' };
    expect(await campaigns.resolveObjection('c', 'o1', resolution)).toBe(true);
    expect(await campaigns.resolveObjection('c', 'o1', { ...resolution, decision: 'uphold' })).toBe(false);
    expect(await campaigns.resolveObjection('c', 'o404', resolution)).toBe(false);
  });

  it('starts a job attempt by compare-and-set and ignores updates of a stale attempt', async () => {
    const jobs = memoryJobStore();
    const job = {
      campaignId: 'c',
      id: 'release',
      attempt: 1,
      planId: 'p1',
      status: 'running',
      movedChunks: 0,
    } as CampaignJob;
    expect(await jobs.startJob(job, 0)).toBe(true);
    expect(await jobs.startJob(job, 0)).toBe(false);
    expect(await jobs.startJob({ ...job, attempt: 2 }, 1)).toBe(true);
    expect(await jobs.startJob({ ...job, attempt: 3 }, 1)).toBe(false);
    await jobs.updateJob({ ...job, attempt: 1, status: 'done' });
    expect(await jobs.job('c', 'release')).toMatchObject({ attempt: 2, status: 'running' });
    await jobs.savePlan(job, [[{ nominationId: 'n1', category: 'site', action: 'release' }]]);
    expect(await jobs.planChunk(job, 0)).toHaveLength(1);
    expect(await jobs.planChunk({ ...job, planId: 'other' }, 0)).toEqual([]);
  });

  it('puts an invitation once', async () => {
    const access = memoryAccessStore();
    const invitation = {
      tokenHash: 'h',
      role: 'unit' as const,
      campaignId: 'c',
      subjectId: 'u',
      name: 'n',
      email: 'e@x.cn',
      createdAt: at,
      createdBy: 'secretariat:s',
      expiresAt: at,
    };
    await access.putInvitation(invitation);
    await expect(access.putInvitation(invitation)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });
});

describe('the in-memory bucket', () => {
  it('takes an upload only as its presigned policy allows (size range, content type, before it expires), each post a new version', async () => {
    const clock = memoryClock(at);
    const uploads = memoryUploadStorage(clock);
    const { fields } = await uploads.presignPost({
      key: 'nominations/n1/photo/a1.jpg',
      contentType: 'image/jpeg',
      minBytes: 10,
      maxBytes: 20,
      expiresSeconds: 60,
    });
    await expect(uploads.post(fields, new Uint8Array(9))).rejects.toMatchObject({ code: 'EntityTooSmall' });
    await expect(uploads.post(fields, new Uint8Array(21))).rejects.toMatchObject({ code: 'EntityTooLarge' });
    await expect(uploads.post(fields, new Uint8Array(15), 'image/png')).rejects.toMatchObject({
      code: 'AccessDenied',
    });
    await expect(uploads.post({ ...fields, key: 'elsewhere' }, new Uint8Array(15))).rejects.toMatchObject({
      code: 'InvalidPolicyDocument',
    });
    expect(await uploads.read('nominations/n1/photo/a1.jpg')).toBeUndefined();
    await uploads.post(fields, new Uint8Array(15).fill(7));
    const first = await uploads.read('nominations/n1/photo/a1.jpg');
    expect(first?.bytes).toEqual(new Uint8Array(15).fill(7));
    await uploads.post(fields, new Uint8Array(16).fill(8));
    const second = await uploads.read('nominations/n1/photo/a1.jpg');
    expect(second?.versionId).not.toBe(first?.versionId);
    expect(
      await uploads.readVersion({ key: 'nominations/n1/photo/a1.jpg', versionId: first?.versionId ?? '' }),
    ).toEqual(new Uint8Array(15).fill(7));
    clock.advance(60_000);
    await expect(uploads.post(fields, new Uint8Array(15))).rejects.toMatchObject({ code: 'AccessDenied' });
    const url = await uploads.presignGet(
      { key: 'nominations/n1/photo/a1.jpg', versionId: first?.versionId ?? '' },
      '照片.jpg',
      'image/jpeg',
    );
    expect(uploads.download(url)).toHaveLength(15);
  });
});

describe('the in-memory state machines', () => {
  const machine: AslDefinition = {
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the definitions' own placeholder for a Lambda's ARN
        Parameters: { FunctionName: '${Arm}', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
        ResultPath: '$.answer',
        Next: 'Choose',
      },
      Choose: {
        Type: 'Choice',
        Choices: [{ Variable: '$.answer.ok', BooleanEquals: true, Next: 'Yes' }],
        Default: 'No',
      },
      Yes: { Type: 'Succeed' },
      No: { Type: 'Fail', Error: 'Said.No', Cause: 'no' },
    },
  };

  it('answers a token once, closes it after, refuses one never issued, and names an execution once', async () => {
    const machines = new MemoryStateMachines();
    const armed: string[] = [];
    machines.register('m', machine, { Arm: async (p) => void armed.push((p as { token: string }).token) });
    expect(machines.start('m', 'x', { id: 'x' })).toBe('started');
    expect(machines.start('m', 'x', { id: 'x' })).toBe('running');
    await machines.settle();
    expect(machines.execution('m', 'x')).toMatchObject({ status: 'RUNNING', current: 'Wait' });
    const [token] = armed as [string];
    expect(machines.sendTaskSuccess(token, { ok: true })).toBe('delivered');
    expect(machines.sendTaskSuccess(token, { ok: false })).toBe('closed');
    expect(() => machines.sendTaskSuccess('forged', {})).toThrow(InvalidToken);
    await machines.settle();
    expect(machines.execution('m', 'x')).toMatchObject({
      status: 'SUCCEEDED',
      states: ['Wait', 'Choose', 'Yes'],
    });
    expect(machines.start('m', 'x', { id: 'x' })).toBe('ended');
    const executions = memoryExecutions(machines, 'm');
    // As the adapter answers Step Functions' ExecutionAlreadyExists: not started.
    expect(await executions.start('x', '{"id":"x"}')).toBeUndefined();
    expect(await executions.describe('x')).toEqual({
      executionArn: `${EXECUTION_ARN_PREFIX}x`,
      status: 'SUCCEEDED',
      input: '{"id":"x"}',
    });
    expect(await executions.history('nope')).toBeUndefined();
  });

  it('refuses a definition it cannot run rather than run it wrongly', () => {
    const machines = new MemoryStateMachines();
    expect(() =>
      machines.register('m', { StartAt: 'P', States: { P: { Type: 'Parallel', End: true } } }, {}),
    ).toThrow(/Parallel/);
  });
});
