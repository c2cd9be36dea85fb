import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { project, site, volunteer } from '../fixtures/forms.js';
import { realJpeg, realPdf } from '../fixtures/real-files.js';
import { ApiClient, eventually } from '../support/api-client.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import { awaiting, baseOf, mails, secretariatOf, signedIn, signInLinkMailedTo } from '../support/people.js';
import { attachmentRecords } from '../support/seed.js';

/**
 * A nomination through submission and screening, over HTTP against the whole local cloud:
 * invitation by mail, sign-in, draft with live checks, uploads through presigned POST,
 * submission starting the execution, return for correction, resubmission, pass.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-pipeline-'));
let cloud: LocalCloud;
let sfn: SFNClient;
let documents: DynamoDBDocumentClient;
const anonymous = () => new ApiClient(baseOf(cloud));

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  const common = { region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  sfn = new SFNClient({ ...common, endpoint: cloud.urls.stepfunctions });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...common, endpoint: cloud.urls.dynamodb }));
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  documents?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const signedInSecretariat = () => secretariatOf(cloud, 'cast-2024');

/** Invites a unit, reads its link from the local outbox, and signs in as it. */
async function invitedUnit(sec: ApiClient, subjectId: string, unitType: string): Promise<ApiClient> {
  const email = `${subjectId}@units.example.cn`;
  const invited = await sec.call('POST', '/api/invitations', {
    role: 'unit',
    subjectId,
    name: `${subjectId} 学会`,
    email,
    unitType,
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  expect(JSON.stringify(invited.body)).not.toMatch(/signin\//); // the inviter never sees the link
  return signedIn(cloud, await signInLinkMailedTo(cloud, email));
}

async function upload(
  unit: ApiClient,
  id: string,
  kind: string,
  contentType: string,
  fileName: string,
  bytes: Uint8Array,
  version: number,
  /** As the page asks (`Prefer: return=minimal`), or as a page loaded before that answer asks: no preference. */
  asked: 'minimal' | 'as-before' = 'minimal',
) {
  const policy = await unit.call<{ url: string; fields: Record<string, string>; attachmentId: string }>(
    'POST',
    `/api/nominations/${id}/uploads`,
    { kind, contentType, fileName },
  );
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(policy.body.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), fileName);
  const posted = await fetch(policy.body.url, { method: 'POST', body: form });
  expect(posted.status).toBe(204);
  if (asked === 'as-before') {
    // A page still open from before the minimal answer (during a deploy): the whole nomination, as then.
    const answer = await fetch(`${unit.baseUrl}/api/nominations/${id}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: unit.sessionCookie },
      body: JSON.stringify({ attachmentId: policy.body.attachmentId, kind, fileName, version }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBeNull();
    const { nomination } = (await answer.json()) as { nomination: Nomination };
    expect(nomination.version).toBe(version + 1);
    expect(nomination.attachments.map((a) => a.id)).toContain(policy.body.attachmentId);
    const attachment = nomination.attachments.find((a) => a.id === policy.body.attachmentId);
    return { attachment: attachment as { id: string; kind: string }, version: nomination.version };
  }
  const recorded = await unit.call<{ attachment: { id: string; kind: string }; version: number }>(
    'POST',
    `/api/nominations/${id}/attachments`,
    { attachmentId: policy.body.attachmentId, kind, fileName, version },
  );
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
  // The file's record and the version it raised, not the whole nomination.
  expect(recorded.body).toEqual({
    attachment: expect.objectContaining({ id: policy.body.attachmentId, kind }),
    version: version + 1,
  });
  return recorded.body;
}

const photo = (size: number) => {
  const bytes = new Uint8Array(size);
  bytes.set(realJpeg(800, 600)); // a real JPEG, padded after its end marker to the wanted size
  return bytes;
};

describe('submission and screening through the HTTP API', () => {
  it('takes a volunteer nomination from draft through return, resubmission and a pass', async () => {
    const sec = await signedInSecretariat();
    const unit = await invitedUnit(sec, 'society-arts', 'national-society');

    const created = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', {
      category: 'volunteer',
    });
    expect(created.status).toBe(201);
    const id = created.body.nomination.id;

    // A draft with a 1,001-character deed: saved, with the issue named.
    const draft = await unit.call<{
      nomination: Nomination;
      check: { issues: { path: string[] }[]; eligibility: unknown };
    }>('PUT', `/api/nominations/${id}/form`, {
      version: 1,
      form: volunteer({ mainDeeds: '事'.repeat(1001) }),
    });
    expect(draft.status).toBe(200);
    expect(draft.body.check.issues.map((i) => i.path[0])).toEqual(['mainDeeds']);
    expect(draft.body.check.eligibility).toBeNull();

    const saved = await unit.call<{
      nomination: Nomination;
      check: { issues: unknown[]; eligibility: { id: string; passed: boolean }[] };
    }>('PUT', `/api/nominations/${id}/form`, { version: 2, form: volunteer(), noClassifiedContent: true });
    expect(saved.body.check.issues).toEqual([]);
    expect(saved.body.check.eligibility.every((c) => c.passed)).toBe(true);

    // Submitting without attachments is refused, naming what is missing.
    const early = await unit.call<{ error: { code: string } }>('POST', `/api/nominations/${id}/submit`, {
      version: 3,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('ATTACHMENTS_INCOMPLETE');

    const campaign = builtinCampaign('cast-2024');
    const word = await renderFormDocx({
      campaign,
      category: 'volunteer',
      form: volunteer(),
      unitName: 'society-arts 学会',
    });
    let n = await upload(
      unit,
      id,
      'word',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      '推荐表.docx',
      word,
      3,
    );
    n = await upload(unit, id, 'scan', 'application/pdf', '盖章扫描件.pdf', await realPdf(), n.version);
    n = await upload(unit, id, 'photo', 'image/jpeg', '照片1.jpg', photo(1_200_000), n.version);
    n = await upload(unit, id, 'photo', 'image/jpeg', '照片2.jpg', photo(2_000_000), n.version, 'as-before');
    const withFiles = await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`);
    expect(withFiles.body.nomination.attachments.map((a) => a.kind)).toEqual([
      'word',
      'scan',
      'photo',
      'photo',
    ]);
    expect(withFiles.body.nomination.version).toBe(n.version);

    // Notice and consent: without the unit's confirmation, or under a notice since replaced, the
    // submission is refused (422) naming the field in both languages, and nothing changes.
    type Refusal = { error: { code: string; path: string[]; message: { zh: string; en: string } } };
    const unconfirmed = await unit.call<Refusal>('POST', `/api/nominations/${id}/submit`, {
      version: n.version,
    });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body.error).toMatchObject({ code: 'CONSENT_MISSING', path: ['consent', 'informed'] });
    expect(unconfirmed.body.error.message.zh).toContain('告知');
    expect(unconfirmed.body.error.message.en).toContain('consented');
    const stale = await unit.call<Refusal>('POST', `/api/nominations/${id}/submit`, {
      version: n.version,
      consent: { informed: true, noticeVersion: CONSENT.noticeVersion + 1 },
    });
    expect(stale.status).toBe(422);
    expect(stale.body.error).toMatchObject({
      code: 'CONSENT_NOTICE_STALE',
      path: ['consent', 'noticeVersion'],
    });
    // The declarations likewise: a volunteer's unit declares its materials accurate and complete.
    const undeclared = await unit.call<Refusal>('POST', `/api/nominations/${id}/submit`, {
      version: n.version,
      consent: CONSENT,
      declarations: { version: DECLARED.version, confirmed: [] },
    });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body.error).toMatchObject({
      code: 'DECLARATION_NOT_CONFIRMED',
      path: ['declarations', 'materials-accurate'],
    });
    expect(undeclared.body.error.message.zh).toContain('所报推荐材料客观、真实、准确、完整');
    expect(undeclared.body.error.message.en).toContain('objective, true, accurate and complete');
    const untouched = await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`);
    expect(untouched.body.nomination).toMatchObject({ status: 'draft', version: n.version });

    // A double click: two submits with the same version, one execution.
    const [first, second] = await Promise.all([
      unit.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/submit`, {
        version: n.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
      unit.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/submit`, {
        version: n.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ]);
    // Each answer is clear: the same success again, or "changed meanwhile" if both raced the write.
    expect([first.status, second.status]).toContain(200);
    expect([first.status, second.status].every((s) => s === 200 || s === 409)).toBe(true);
    const executions = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: process.env.LAUREL_STATE_MACHINE_ARN }),
    );
    expect(executions.executions?.filter((e) => e.name === id)).toHaveLength(1);

    const waiting = await awaiting(sec, id, 'screening');
    expect(waiting.status).toBe('submitted');
    // The secretariat sees who confirmed the nominee's consent, when, under which notice.
    expect(waiting.consent).toMatchObject({
      noticeVersion: CONSENT.noticeVersion,
      by: { role: 'unit', subjectId: 'society-arts' },
      confirmedAt: expect.any(String),
    });
    // … and who declared which texts, when.
    expect(waiting.declarations).toMatchObject({
      version: DECLARED.version,
      items: [{ id: 'materials-accurate', text: { zh: expect.stringContaining('客观、真实、准确、完整') } }],
      by: { role: 'unit', subjectId: 'society-arts' },
    });
    expect(waiting.eligibility?.map((c) => c.id)).toContain('volunteer.years-of-service');

    // Return for correction needs reasons.
    const noReason = await sec.call<{ error: { code: string } }>('POST', `/api/nominations/${id}/screening`, {
      version: waiting.version,
      decision: 'return',
    });
    expect(noReason.body.error.code).toBe('REASONS_REQUIRED');
    const returned = await sec.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/screening`, {
      version: waiting.version,
      decision: 'return',
      reasons: '照片不清晰，请补充工作照',
    });
    expect(returned.body.nomination.status).toBe('returned');
    const notice = (await mails(cloud, 'society-arts@units.example.cn')).at(-1);
    expect(notice).toContain('理由：照片不清晰，请补充工作照');
    const toResubmit = await awaiting(unit, id, 'resubmission');
    expect(toResubmit.reasons).toBe('照片不清晰，请补充工作照');

    const resubmitted = await unit.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/submit`, {
      version: toResubmit.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    const again = await awaiting(sec, id, 'screening');
    expect(again.status).toBe('submitted');

    const passed = await sec.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/screening`, {
      version: again.version,
      decision: 'pass',
    });
    expect(passed.body.nomination.status).toBe('in-review');
    // No expert has been invited yet: the execution keeps trying to assign, it does not fail.
    const executionArn = executions.executions?.find((e) => e.name === id)?.executionArn;
    // Decided by the history, not by a pause: the assignment was tried and refused for want of
    // experts, and the execution is still running (waiting for its hourly retry).
    const refused = await eventually(
      async () => {
        const history = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }),
        );
        return history.events?.find(
          (e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'Laurel.NotEnoughExperts',
        );
      },
      20_000,
      `${id}: AssignExperts refused with Laurel.NotEnoughExperts`,
    );
    expect(refused.taskFailedEventDetails?.error).toBe('Laurel.NotEnoughExperts');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    const trail = await dynamoNominationStore(documents, 'laurel').auditTrail(id);
    expect(trail.map((e) => e.action)).toEqual([
      'create',
      'submit',
      'screening:return',
      'return-notice',
      'resubmit',
      'screening:pass',
    ]);
    expect(trail.find((e) => e.action === 'screening:return')).toMatchObject({
      actor: { role: 'secretariat' },
      // The reasons, and the correction window the return gives (five days by default).
      reason: expect.stringMatching(/^照片不清晰，请补充工作照（修改截止 \d{4}-\d\d-\d\d 24:00/),
    });
  }, 90_000);

  it('accepts exactly two of twenty concurrent submits by one national society in one category', async () => {
    const sec = await signedInSecretariat();
    const unit = await invitedUnit(sec, 'society-busy', 'national-society');
    const store = dynamoNominationStore(documents, 'laurel');
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const { body } = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', {
        category: 'site',
      });
      const n = body.nomination;
      // Complete drafts, attachments recorded as after a checked upload.
      const attachments = attachmentRecords(n);
      await store.save({ ...n, form: site(), attachments, noClassifiedContent: true, version: 2 }, 1);
      ids.push(n.id);
    }
    const answers = await Promise.all(
      ids.map((id) =>
        unit.call<{ error?: { code: string } }>('POST', `/api/nominations/${id}/submit`, {
          version: 2,
          consent: CONSENT,
          declarations: DECLARED,
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 422)).toHaveLength(18);
    expect(
      answers.filter((a) => a.status === 422).every((a) => a.body.error?.code === 'QUOTA_EXCEEDED'),
    ).toBe(true);

    const ledger = await documents.send(
      new GetCommand({ TableName: 'laurel', Key: { pk: 'quota#cast-2024#society-busy', sk: 'site' } }),
    );
    const recount = (await store.unitFigures('cast-2024', 'society-busy')).filter(
      (n) => n.status === 'submitted',
    ).length;
    expect(ledger.Item?.used).toBe(2);
    expect(recount).toBe(2);

    const list = await unit.call<{ quotas: { category: string; used: number; remaining: number }[] }>(
      'GET',
      '/api/nominations',
    );
    expect(list.body.quotas.find((q) => q.category === 'site')).toMatchObject({ used: 2, remaining: 0 });
  }, 90_000);

  it('refuses a unit reading another unit’s nomination, and anyone without a session', async () => {
    const sec = await signedInSecretariat();
    const owner = await invitedUnit(sec, 'unit-owner', 'provincial-association');
    const other = await invitedUnit(sec, 'unit-other', 'provincial-association');
    const { body } = await owner.call<{ nomination: Nomination }>('POST', '/api/nominations', {
      category: 'project',
    });
    const id = body.nomination.id;
    expect((await other.call('GET', `/api/nominations/${id}`)).status).toBe(403);
    expect((await other.call('PUT', `/api/nominations/${id}/form`, { version: 1, form: {} })).status).toBe(
      403,
    );
    expect((await anonymous().call('GET', `/api/nominations/${id}`)).status).toBe(401);
    expect((await owner.call('GET', `/api/nominations/${id}`)).status).toBe(200);
  }, 60_000);

  it('frees the quota slot when the secretariat rejects or the unit withdraws, and ends those executions', async () => {
    const sec = await signedInSecretariat();
    const unit = await invitedUnit(sec, 'enterprise-a', 'central-enterprise'); // ≤ 2 per category
    const store = dynamoNominationStore(documents, 'laurel');
    const complete = async () => {
      const { body } = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', {
        category: 'project',
      });
      const n = body.nomination;
      const attachments = attachmentRecords(n);
      await store.save({ ...n, form: project(), attachments, noClassifiedContent: true, version: 2 }, 1);
      return n.id;
    };
    const ledger = async () =>
      (
        await documents.send(
          new GetCommand({ TableName: 'laurel', Key: { pk: 'quota#cast-2024#enterprise-a', sk: 'project' } }),
        )
      ).Item?.used;
    const arn = (id: string) => `arn:aws-cn:states:cn-north-1:000000000000:execution:laurel-nomination:${id}`;
    const lastState = async (id: string) => {
      const d = await eventually(async () => {
        const e = await sfn.send(new DescribeExecutionCommand({ executionArn: arn(id) }));
        return e.status === 'RUNNING' ? undefined : e;
      });
      const history = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: arn(id), reverseOrder: true, maxResults: 5 }),
      );
      return {
        status: d.status,
        state: history.events?.find((e) => e.type === 'SucceedStateEntered')?.stateEnteredEventDetails?.name,
      };
    };

    const [a, b, c] = [await complete(), await complete(), await complete()];
    expect(
      (
        await unit.call('POST', `/api/nominations/${a}/submit`, {
          version: 2,
          consent: CONSENT,
          declarations: DECLARED,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await unit.call('POST', `/api/nominations/${b}/submit`, {
          version: 2,
          consent: CONSENT,
          declarations: DECLARED,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await unit.call('POST', `/api/nominations/${c}/submit`, {
          version: 2,
          consent: CONSENT,
          declarations: DECLARED,
        })
      ).status,
    ).toBe(422);
    expect(await ledger()).toBe(2);

    const waiting = await awaiting(sec, a, 'screening');
    const rejected = await sec.call<{ nomination: Nomination }>('POST', `/api/nominations/${a}/screening`, {
      version: waiting.version,
      decision: 'reject',
      reasons: '不符合推荐条件：项目实施不足三年',
    });
    expect(rejected.body.nomination.status).toBe('rejected');
    expect(await lastState(a)).toEqual({ status: 'SUCCEEDED', state: 'Rejected' });
    expect(await ledger()).toBe(1);

    const before = await awaiting(unit, b, 'screening');
    expect(
      (await unit.call('POST', `/api/nominations/${b}/withdraw`, { version: before.version })).status,
    ).toBe(200);
    expect(await lastState(b)).toEqual({ status: 'SUCCEEDED', state: 'Withdrawn' });
    expect(await ledger()).toBe(0);

    // The freed slots take new submissions.
    expect(
      (
        await unit.call('POST', `/api/nominations/${c}/submit`, {
          version: 2,
          consent: CONSENT,
          declarations: DECLARED,
        })
      ).status,
    ).toBe(200);
    expect(await ledger()).toBe(1);
  }, 90_000);
});
