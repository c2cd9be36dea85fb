import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/rules/access.js';
import { confirmSelection, forward, limitForwarding } from '../../../functions/use-cases/campaign-steps.js';
import {
  endorseForwarded,
  recordSocietyScan,
  requestSocietyScanUpload,
  societyEndorsement,
} from '../../../functions/use-cases/endorsement.js';
import { getNomination } from '../../../functions/use-cases/nominations.js';
import { listNominations } from '../../../functions/use-cases/secretariat.js';
import { downloadLinks, readRecorded } from '../../../functions/use-cases/uploads.js';
import { docx, pdf } from '../../fixtures/files.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  endSubmissions,
  inviteExperts,
  inviteUnit,
  passAll,
  reviewEverything,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

/**
 * Forwarding (forward in functions/use-cases/campaign-steps.ts, done by AwaitPublicity before it stores its token) in a society's round: each
 * selected nomination enters the parent CAST round as the society's own nomination — submitted
 * on its behalf, counted against the society's quota there as a national society, with an
 * execution of its own — and the society's execution ends ForwardedToParent.
 */

const cacs = secretariatOf('cacs-2024');

/** Member units of the society nominate one volunteer each; reviewed, the first best; submissions ended. */
async function societyReviewed(world: World, members: number) {
  await inviteExperts(world, 'cacs-2024', [{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
  const ids: string[] = [];
  for (let i = 1; i <= members; i += 1) {
    const unit = await inviteUnit(world, 'cacs-2024', `member-${i}`, 'member', `会员单位${i}`);
    ids.push((await submitted(world, unit, 'volunteer')).id);
  }
  await passAll(world, ids);
  await reviewEverything(world, ['x1', 'x2', 'x3'], (id) => 10 - ids.indexOf(id));
  await endSubmissions(world, 'cacs-2024');
  return ids;
}

/** The society's round reviewed, then its selection confirmed and carried out. */
async function societySelects(world: World, members: number, beforeSelection = () => {}) {
  const ids = await societyReviewed(world, members);
  beforeSelection();
  await confirmSelection(world.deps, cacs, 'cacs-2024', {});
  await world.settle();
  return ids;
}

/** The society as a unit of its own in CAST, with one volunteer nominated there directly. */
async function societyNominatesInCast(world: World) {
  const society: Actor = await inviteUnit(
    world,
    'cast-2024',
    'cacs-2024',
    'national-society',
    '中国工艺美术学会',
  );
  return submitted(world, society, 'volunteer');
}

describe("forwarding a society's selection into the CAST round", () => {
  it("enters each selected nomination in CAST as the society's, submitted, on its quota, with its own execution", async () => {
    const world = memoryWorld();
    const [first, second, third] = await societySelects(world, 3);
    for (const id of [first, second] as string[]) {
      const source = await stored(world, id);
      expect(source).toMatchObject({
        status: 'forwarded',
        forwardedAs: { campaignId: 'cast-2024', nominationId: `${id}-p` },
      });
      expect(world.workflow.execution(id)).toMatchObject({
        status: 'SUCCEEDED',
        current: 'ForwardedToParent',
      });
      const parent = await stored(world, `${id}-p`);
      expect(parent).toMatchObject({
        campaignId: 'cast-2024',
        unitId: 'cacs-2024',
        unitType: 'national-society',
        unitName: '中国工艺美术学会',
        status: 'submitted',
        form: source.form,
        attachments: source.attachments,
      });
      // The parent's own execution, waiting for CAST's secretariat.
      expect(world.workflow.execution(`${id}-p`)).toMatchObject({
        status: 'RUNNING',
        current: 'AwaitScreening',
      });
      expect(parent.awaiting?.step).toBe('screening');
      expect((await world.deps.store.auditTrail(`${id}-p`)).map((e) => e.action)).toEqual([
        `forwarded-from:${id}`,
        'submit',
      ]);
    }
    expect(await stored(world, third ?? '')).toMatchObject({ status: 'not-selected' });
    expect(await world.deps.store.get(`${third}-p`)).toBeUndefined();
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
    const castList = await listNominations(world.deps, secretariatOf('cast-2024'), 'cast-2024', {
      status: 'submitted',
    });
    expect(castList.nominations.map((n) => n.id).sort()).toEqual([`${first}-p`, `${second}-p`].sort());
    expect(castList.nominations[0]).not.toHaveProperty('awaiting.taskToken');
  });

  it('retries the forwarding (AwaitPublicity’s work before its token) when SES throttles the unit’s notice: forwarded once, the unit told once', async () => {
    const world = memoryWorld();
    const isForwardNotice = (mail: { key?: string }) => mail.key?.includes('/forward-notice/') === true;
    const [first, second] = await societySelects(world, 2, () =>
      world.outbox.failNext(3, undefined, isForwardNotice),
    );
    for (const id of [first, second] as string[]) {
      expect(world.workflow.execution(id)).toMatchObject({
        status: 'SUCCEEDED',
        current: 'ForwardedToParent',
      });
      expect((await stored(world, `${id}-p`)).status).toBe('submitted');
    }
    // Three retried sends; each execution then ends by its detour, a task failure caught by name.
    const errors = [first, second].flatMap((id) => world.workflow.execution(id ?? '')?.errors ?? []);
    expect(errors.filter((e) => e.Error === 'Laurel.MailFailed').map((e) => e.state)).toEqual(
      Array(3).fill('AwaitPublicity'),
    );
    expect(errors.filter((e) => e.Error !== 'Laurel.MailFailed').map((e) => [e.state, e.Error])).toEqual(
      Array(2).fill(['AwaitPublicity', 'Laurel.Outcome.ForwardedToParent']),
    );
    expect(world.outbox.sent.filter(isForwardNotice)).toHaveLength(2);
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
  });

  it('forwarding again (a retried task) finds the same parent nomination and takes no second slot', async () => {
    const world = memoryWorld();
    const [first] = await societySelects(world, 2);
    const before = world.workflow.starts().length;
    expect(await forward(world.deps, first ?? '')).toEqual({ toParent: true });
    expect(world.workflow.starts().length).toBe(before);
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
  });

  it("refuses a selection that would forward past the society's places in CAST, before anything moves; forwarding fewer goes through", async () => {
    const world = memoryWorld();
    // The society also nominated one volunteer in CAST directly, as a national society (2 per category).
    await societyNominatesInCast(world);
    const [first, second] = (await societyReviewed(world, 2)) as [string, string];
    await expect(confirmSelection(world.deps, cacs, 'cacs-2024', {})).rejects.toMatchObject({
      code: 'PARENT_QUOTA_FULL',
      kind: 'conflict',
      details: { category: 'volunteer', left: 1, selecting: 2 },
      messages: {
        zh: expect.stringContaining('“最美科技志愿者”类别还可推荐 1 个，此次要推荐 2 个'),
        en: expect.stringContaining('1 more allowed in "Outstanding S&T volunteer", 2 to nominate now'),
      },
    });
    await world.settle();
    // Nothing moved, nothing written in CAST.
    for (const id of [first, second]) {
      expect((await stored(world, id)).status).toBe('scored');
      expect(await world.deps.store.get(`${id}-p`)).toBeUndefined();
    }
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 1 });

    await limitForwarding(world.deps, cacs, 'cacs-2024', 'volunteer', {
      forward: 1,
      reason: '学会已直接推荐一项',
    });
    await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    await world.settle();
    expect(world.workflow.execution(first)).toMatchObject({
      status: 'SUCCEEDED',
      current: 'ForwardedToParent',
    });
    expect((await stored(world, second)).status).toBe('not-selected');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
  });

  it('refuses a Forward whose place in CAST was taken after the selection, writing nothing there: that nomination stays selected and its execution fails for operations', async () => {
    const world = memoryWorld();
    const ids = await societyReviewed(world, 2);
    // The job ranks and moves before the request answers, as a job that finished long ago.
    world.jobRunner.inline = true;
    await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    // Between the confirmed selection and its forwarding, the society nominates in CAST directly.
    await societyNominatesInCast(world);
    await world.settle();
    const forwarded = ids.filter((id) => world.workflow.execution(id)?.current === 'ForwardedToParent');
    const [refused] = ids.filter((id) => !forwarded.includes(id)) as [string];
    expect(forwarded).toHaveLength(1);
    expect(world.workflow.execution(refused)).toMatchObject({
      status: 'FAILED',
      current: 'SystemFailure',
      errors: [expect.objectContaining({ state: 'AwaitPublicity', Error: 'QuotaExceededError' })],
    });
    expect((await stored(world, refused)).status).toBe('selected');
    expect(await world.deps.store.get(`${refused}-p`)).toBeUndefined();
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
  });

  it("leaves the society round's score, rank, reasons and member's address behind: CAST screens, reviews and ranks afresh", async () => {
    const world = memoryWorld();
    const [first] = (await societySelects(world, 2)) as [string, string];
    expect((await stored(world, first)).score).toBeDefined();
    const parent = await stored(world, `${first}-p`);
    expect(parent.score).toBeUndefined();
    expect(parent.selection).toBeUndefined();
    expect(parent.forwardedAs).toBeUndefined();
    expect(parent.forwardedFrom).toMatchObject({ campaignId: 'cacs-2024', nominationId: first });
    // CAST writes to the society, its recommending unit; the member's address stays for its release news.
    expect(parent.unitEmail).toBe('kjdx2024@126.com');
    expect(parent.forwardedFrom?.unitEmail).toBe((await stored(world, first)).unitEmail);
    expect(parent.forwardedFrom?.unitEmail).toBeTruthy();
  });

  it("records the society's opinion on the CAST copy, once, and only for a forwarded nomination", async () => {
    const world = memoryWorld();
    const [first, , third] = (await societySelects(world, 3)) as [string, string, string];
    const opinion = '该同志扎根基层一线二十年，事迹真实感人，同意推荐。';
    const endorsed = await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion });
    expect(endorsed.endorsement).toMatchObject({ opinion, by: { subjectId: cacs.subjectId } });
    expect((await stored(world, `${first}-p`)).endorsement?.opinion).toBe(opinion);
    const endorsements = async () =>
      (await world.deps.store.auditTrail(`${first}-p`)).filter((e) => e.action === 'endorsement');
    expect(await endorsements()).toMatchObject([{ reason: opinion, actor: { role: 'secretariat' } }]);
    await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion });
    expect(await endorsements()).toHaveLength(1);
    await expect(endorseForwarded(world.deps, cacs, 'cacs-2024', third, { opinion })).rejects.toMatchObject({
      code: 'NOT_FORWARDED',
      kind: 'conflict',
    });
    await expect(
      endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: ' ' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['opinion'] });
    await expect(
      endorseForwarded(world.deps, secretariatOf('cast-2024'), 'cacs-2024', first, { opinion }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("carries the society's own stamped scan on the CAST copy, beside the member unit's files, pinned and audited", async () => {
    const world = memoryWorld();
    const [first] = (await societySelects(world, 2)) as [string, string];
    const member = await stored(world, first);
    const scanRequest = { contentType: 'application/pdf', fileName: '学会盖章推荐表.pdf' };
    // The scan is of the form that prints the opinion: the opinion comes first.
    await expect(
      requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, scanRequest),
    ).rejects.toMatchObject({ code: 'OPINION_FIRST', kind: 'conflict' });
    await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: '同意推荐。' });

    const policy = await requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, scanRequest);
    expect(policy.key).toBe(`nominations/${first}-p/scan/${policy.attachmentId}.pdf`);
    expect(policy).toMatchObject({ minBytes: 1, maxBytes: 20 * 1_048_576 });
    const bytes = pdf(60_000);
    await world.deps.uploads.post(policy.fields, bytes);
    const record = { attachmentId: policy.attachmentId, fileName: scanRequest.fileName };
    const stamped = await recordSocietyScan(world.deps, cacs, 'cacs-2024', first, record);
    const scan = stamped.endorsement?.scan;
    expect(scan).toMatchObject({
      kind: 'scan',
      mime: 'application/pdf',
      size: 60_000,
      fileName: '学会盖章推荐表.pdf',
    });
    expect(await readRecorded(world.deps.uploads, scan ?? ({} as never))).toEqual(bytes);
    // The same record again changes nothing; the member unit's files are still there, as they were.
    await recordSocietyScan(world.deps, cacs, 'cacs-2024', first, record);
    const copy = await stored(world, `${first}-p`);
    expect(copy.version).toBe(stamped.version);
    expect(copy.attachments).toEqual(member.attachments);
    expect(
      (await world.deps.store.auditTrail(`${first}-p`)).filter((e) => e.action === 'endorsement-scan'),
    ).toMatchObject([{ reason: '学会盖章推荐表.pdf', actor: { role: 'secretariat' } }]);

    // CAST's secretariat, screening the copy, downloads the society's scan beside the member's.
    const cast = secretariatOf('cast-2024');
    const seen = await getNomination(world.deps, cast, `${first}-p`);
    const links = await downloadLinks(world.deps, seen);
    expect(world.deps.uploads.download(links[scan?.id ?? ''] ?? '')).toEqual(bytes);
    for (const a of member.attachments) expect(links[a.id]).toBeDefined();
    // The society sees what it recorded.
    const own = await societyEndorsement(world.deps, cacs, 'cacs-2024', first);
    expect(own.endorsement?.scan?.id).toBe(scan?.id);
    expect(world.deps.uploads.download(own.scanUrl ?? '')).toEqual(bytes);

    // A new opinion drops the scan: the stamped page no longer shows what the society says.
    world.clock.advance(60_000);
    await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: '同意推荐，事迹突出。' });
    expect((await stored(world, `${first}-p`)).endorsement?.scan).toBeUndefined();
  });

  it("keeps the society's opinion and stamped scan as CAST screened them: a change afterwards is refused 409, in both languages", async () => {
    const world = memoryWorld();
    const [first] = (await societySelects(world, 2)) as [string, string];
    await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: '同意推荐。' });
    const scanRequest = { contentType: 'application/pdf', fileName: '学会盖章推荐表.pdf' };
    const early = await requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, scanRequest);
    await world.deps.uploads.post(early.fields, pdf(60_000));
    const record = { attachmentId: early.attachmentId, fileName: scanRequest.fileName };
    await recordSocietyScan(world.deps, cacs, 'cacs-2024', first, record);
    // A second scan uploaded before CAST screens, recorded after it.
    const late = await requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, scanRequest);
    await world.deps.uploads.post(late.fields, pdf(70_000));

    await passAll(world, [`${first}-p`]);
    const screened = await stored(world, `${first}-p`);
    expect(screened.status).toBe('in-review');
    const refusal = {
      code: 'ENDORSEMENT_SCREENED',
      kind: 'conflict',
      messages: {
        zh: '中国科协已完成初核，学会的推荐意见和盖章扫描件不能再修改',
        en: "CAST has already screened this nomination: the society's opinion and stamped scan can no longer be changed",
      },
    };
    await expect(
      endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: '同意推荐，事迹突出。' }),
    ).rejects.toMatchObject(refusal);
    await expect(
      requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, scanRequest),
    ).rejects.toMatchObject(refusal);
    await expect(
      recordSocietyScan(world.deps, cacs, 'cacs-2024', first, {
        attachmentId: late.attachmentId,
        fileName: scanRequest.fileName,
      }),
    ).rejects.toMatchObject(refusal);
    // What CAST screened is what stays; the same opinion or scan again is still a quiet no-op.
    expect(await stored(world, `${first}-p`)).toEqual(screened);
    await expect(
      endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: '同意推荐。' }),
    ).resolves.toEqual(screened);
    await expect(recordSocietyScan(world.deps, cacs, 'cacs-2024', first, record)).resolves.toEqual(screened);
  });

  it("refuses a society scan that is not a PDF, deletes it, and lets only the forwarding society's secretariat upload", async () => {
    const world = memoryWorld();
    const [first, , third] = (await societySelects(world, 3)) as [string, string, string];
    await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion: '同意推荐。' });
    await expect(
      requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, {
        contentType: 'image/jpeg',
        fileName: 'x.jpg',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['contentType'] });
    const policy = await requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, {
      contentType: 'application/pdf',
      fileName: 'x.pdf',
    });
    // A Word file posted in place of the PDF: refused naming what it is, and removed.
    await world.deps.uploads.post(policy.fields, docx());
    await expect(
      recordSocietyScan(world.deps, cacs, 'cacs-2024', first, {
        attachmentId: policy.attachmentId,
        fileName: 'x.pdf',
      }),
    ).rejects.toMatchObject({ code: 'ATTACHMENT_TYPE_MISMATCH' });
    expect(world.deps.uploads.keys()).not.toContain(policy.key);
    expect((await stored(world, `${first}-p`)).endorsement?.scan).toBeUndefined();
    await expect(
      requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', third, {
        contentType: 'application/pdf',
        fileName: 'x.pdf',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FORWARDED' });
    await expect(
      requestSocietyScanUpload(world.deps, secretariatOf('cast-2024'), 'cacs-2024', first, {
        contentType: 'application/pdf',
        fileName: 'x.pdf',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
