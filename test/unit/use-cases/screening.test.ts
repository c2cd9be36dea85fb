import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../functions/rules/errors.js';
import { pastHonoureeFlag } from '../../../functions/rules/nomination-view.js';
import { previewSelection } from '../../../functions/use-cases/campaign-steps.js';
import { createDraft, saveForm, submit } from '../../../functions/use-cases/nominations.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { importHonourees } from '../../../functions/use-cases/secretariat.js';
import { volunteer } from '../../fixtures/forms.js';
import { CONSENT, DECLARED } from '../../support/consent.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  completeDraft,
  consentIn,
  declaredIn,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  reviewEverything,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

/**
 * The secretariat's screening (functions/use-cases/screening.ts) as the nomination's execution
 * meets it: the decision stored, the AwaitScreening task answered with its outcome, the unit told
 * of a return or a rejection; a return loops through resubmission, a rejection frees the slot.
 */

const sec = secretariatOf('cast-2024');

async function atScreening(world: World) {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  return { unit, nomination: await submitted(world, unit, 'volunteer') };
}

const outputs = (world: World, id: string) =>
  world.workflow.answers(id).map((a) => (a.action === 'SendTaskSuccess' ? a.output : a.error));

describe('screening', () => {
  it('passes a nomination: the waiting task gets "pass" and the execution goes on to expert review', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world);
    const passed = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'pass',
    });
    expect(passed.status).toBe('in-review');
    expect(outputs(world, nomination.id)).toEqual([{ outcome: 'pass' }]);
    await world.settle();
    expect(world.workflow.execution(nomination.id)?.current).toBe('AwaitReviews');
    expect((await world.deps.reviews.assignments(nomination.id)).map((a) => a.expertId)).toEqual([
      'e1',
      'e2',
      'e3',
    ]);
    expect(world.outbox.to('cas-astro@units.cn').map((m) => m.subject)).toEqual([
      expect.stringContaining('登录链接'),
    ]);
  });

  it('returns a nomination with reasons: the unit is mailed them, corrects, resubmits, and it is screened again on the same slot', async () => {
    const world = memoryWorld();
    const { unit, nomination } = await atScreening(world);
    const returned = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'return',
      reasons: '主要事迹过于简略，请补充近三年服务数据。',
    });
    expect(returned).toMatchObject({
      status: 'returned',
      reasons: '主要事迹过于简略，请补充近三年服务数据。',
    });
    const mail = world.outbox.to('cas-astro@units.cn').at(-1);
    expect(mail?.subject).toContain('被退回修改');
    expect(mail?.text).toContain('理由：主要事迹过于简略，请补充近三年服务数据。');
    // Named by the nominee, with the page to act on, the deadline and whom to call; never by its id.
    expect(mail?.subject).toContain('李晓梅');
    expect(mail?.text).toContain('https://laurel.test/unit/index.html');
    expect(mail?.text).toContain('修改后重新提交截止时间：2025-02-06 24:00 (UTC+8)');
    expect(mail?.text).toContain('布鑫磊、印舒文，电话 010-65005187');
    expect(`${mail?.subject}${mail?.text}${mail?.html}`).not.toContain(nomination.id);
    expect(mail?.html).toContain('<a href="https://laurel.test/unit/index.html">');
    await world.settle();
    expect(world.workflow.execution(nomination.id)?.current).toBe('AwaitResubmission');

    world.clock.advance(MINUTE_MS);
    const waiting = await stored(world, nomination.id);
    const corrected = await saveForm(world.deps, unit, nomination.id, {
      version: waiting.version,
      form: volunteer({ mainDeeds: '十年来坚持走进乡村学校开展手工艺科普，近三年服务 4000 余人次。' }),
    });
    const resubmitted = await submit(world.deps, unit, nomination.id, {
      version: corrected.nomination.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(resubmitted.status).toBe('submitted');
    await world.settle();
    // The return is a detour, its task failed under its name; the resubmission the way on.
    expect(outputs(world, nomination.id)).toEqual([
      { Error: 'Laurel.Outcome.Returned', Cause: '{"outcome":"return"}' },
      // The resubmission kept its criteria in its own transaction: its answer says so, the screening wait evaluates none.
      { outcome: 'resubmitted', eligibilityKept: true },
    ]);
    expect(world.workflow.execution(nomination.id)?.states).toEqual([
      'AwaitScreening',
      'AwaitResubmission',
      'AwaitScreening',
    ]);
    // A returned nomination kept its slot; the resubmission takes none.
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    expect((await world.deps.store.auditTrail(nomination.id)).map((e) => e.action)).toEqual([
      'create',
      'submit',
      'screening:return',
      'return-notice',
      'resubmit',
    ]);
  });

  it('rejects a nomination with reasons: the slot is freed, the unit told, the execution ends', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world);
    await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'reject',
      reasons: '候选人不属于科技志愿者。',
    });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 0 });
    const mail = world.outbox.to('cas-astro@units.cn').at(-1);
    expect(mail?.subject).toContain('未通过初核');
    expect(mail?.text).toContain('Reasons: 候选人不属于科技志愿者。');
    await world.settle();
    expect(world.workflow.execution(nomination.id)).toMatchObject({
      status: 'SUCCEEDED',
      current: 'Rejected',
    });
  });

  it('requires reasons to return or reject, and changes nothing without them', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world);
    for (const decision of ['return', 'reject']) {
      await expect(
        screen(world.deps, sec, nomination.id, { version: nomination.version, decision }),
      ).rejects.toMatchObject({ code: 'REASONS_REQUIRED', path: ['reasons'] });
    }
    expect((await stored(world, nomination.id)).status).toBe('submitted');
    expect(world.workflow.answers(nomination.id)).toEqual([]);
  });

  it("refuses another campaign's secretariat and a unit", async () => {
    const world = memoryWorld();
    const { unit, nomination } = await atScreening(world);
    for (const actor of [secretariatOf('cacs-2024'), unit]) {
      await expect(
        screen(world.deps, actor, nomination.id, { version: nomination.version, decision: 'pass' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
    }
  });

  it('answers a repeated decision (its first answer lost) the same, mailing the unit no second time', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world);
    const request = { version: nomination.version, decision: 'return', reasons: '请补充照片说明。' };
    const first = await screen(world.deps, sec, nomination.id, request);
    world.clock.advance(MINUTE_MS);
    const again = await screen(world.deps, sec, nomination.id, request);
    expect(again).toEqual(first);
    expect(world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('退回'))).toHaveLength(1);
    // The task was answered once; the repeat finds its token closed.
    const token = nomination.awaiting?.taskToken ?? '';
    expect(world.workflow.sentTo(token).map((a) => a.answer)).toEqual(['delivered', 'closed']);
  });

  it('refuses a repeat saying otherwise (other reasons, another date) naming what stands; the same decision sent twice at once is answered the same to both', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world);
    const request = {
      version: nomination.version,
      decision: 'return',
      reasons: '请补充照片说明。',
      correctionDate: '2025-02-20',
    };
    const both = await Promise.allSettled([
      screen(world.deps, sec, nomination.id, request),
      screen(world.deps, sec, nomination.id, request),
    ]);
    const a = both.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))[0];
    expect(a?.status).toBe('returned');
    // The twin is never a version conflict: it answers the same, or — meeting the first still
    // telling the unit — BUSY, which the page sends again after its Retry-After.
    for (const r of both) {
      if (r.status === 'fulfilled') expect(r.value).toEqual(a);
      else expect(r.reason).toMatchObject({ name: 'Laurel.StoreBusy' });
    }
    expect(await screen(world.deps, sec, nomination.id, request)).toEqual(a);
    expect(world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('退回'))).toHaveLength(1);
    for (const other of [
      { ...request, reasons: '请补充工作照。' },
      { ...request, correctionDate: '2025-02-25' },
    ])
      await expect(screen(world.deps, sec, nomination.id, other)).rejects.toMatchObject({
        code: 'ALREADY_DECIDED',
        messages: {
          zh: expect.stringContaining('请补充照片说明。'),
          en: expect.stringContaining('returned'),
        },
      });
    expect(await screen(world.deps, sec, nomination.id, request)).toEqual(a);
    expect((await stored(world, nomination.id)).reasons).toBe('请补充照片说明。');
    // Sent again after that day has passed: still the same decision, not a date now in the past.
    world.clock.advance(30 * 24 * 60 * MINUTE_MS);
    expect(await screen(world.deps, sec, nomination.id, request)).toEqual(a);
  });

  it('mails a return whose mail failed when the secretariat sends the decision again', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world);
    const request = { version: nomination.version, decision: 'return', reasons: '请补充照片说明。' };
    world.outbox.failNext();
    await expect(screen(world.deps, sec, nomination.id, request)).rejects.toMatchObject({
      name: 'Laurel.MailFailed',
    });
    expect((await stored(world, nomination.id)).status).toBe('returned');
    expect(world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('退回'))).toHaveLength(0);
    await screen(world.deps, sec, nomination.id, request);
    expect(world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('退回'))).toHaveLength(1);
  });

  it('takes a decision made before the execution stored its token: the token, when it comes, is answered at once', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const draft = await completeDraft(world, unit, 'site');
    const sent = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    // The secretariat decides before the execution has run a single state.
    await screen(world.deps, sec, sent.id, { version: sent.version, decision: 'pass' });
    expect(world.workflow.answers(sent.id)).toEqual([]);
    await world.settle();
    expect(outputs(world, sent.id)).toEqual([{ outcome: 'pass' }]);
    expect(world.workflow.execution(sent.id)?.current).toBe('AwaitReviews');
  });
});

describe('an exact past-honouree match never reaches the experts by a plain pass', () => {
  async function pastHonouree(world: World) {
    await importHonourees(world.deps, sec, 'cast-2024', {
      csv: '姓名,单位,年度,类别\n李曉梅,杭州市科技志愿服务总队,2021,科技志愿者\n',
    });
    return atScreening(world);
  }

  it('is flagged at submission, and "pass" is refused with the honouree named; nothing changes', async () => {
    const world = memoryWorld();
    const { nomination } = await pastHonouree(world);
    expect(pastHonoureeFlag(nomination.eligibility)).toMatchObject({
      match: 'exact',
      honouree: { name: '李曉梅', year: 2021 },
    });
    const before = await stored(world, nomination.id);
    const refusal = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'pass',
    }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'PAST_HONOUREE', kind: 'rule', path: ['pastHonoureeOverride'] });
    expect((refusal as DomainError).messages.zh).toContain(
      '2021 年度入选者“李曉梅（杭州市科技志愿服务总队）”',
    );
    expect(await stored(world, nomination.id)).toEqual(before);
    expect(outputs(world, nomination.id)).toEqual([]);
    expect(await world.deps.reviews.assignments(nomination.id)).toEqual([]);
  });

  it('passes with the secretariat’s reason, which the audit trail keeps', async () => {
    const world = memoryWorld();
    const { nomination } = await pastHonouree(world);
    const passed = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'pass',
      pastHonoureeOverride: '经核实为同名同单位的另一位志愿者，身份证号不同',
    });
    expect(passed.status).toBe('in-review');
    const trail = await world.deps.store.auditTrail(nomination.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'screening:pass',
      reason: expect.stringContaining('经核实为同名同单位的另一位志愿者'),
    });
  });

  it('may still be returned or rejected without an override', async () => {
    const world = memoryWorld();
    const { nomination } = await pastHonouree(world);
    const rejected = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'reject',
      reasons: '2021 年度已入选，不再参加申报',
    });
    expect(rejected.status).toBe('rejected');
  });
});

describe('the grassroots and front-line mark', () => {
  it('keeps the grassroots mark the unit declares, confirmed (or not) at the pass, and only the confirmed one reaches the ranking', async () => {
    const world = memoryWorld();
    const { unit, nomination } = await atScreening(world);
    // The unit's declaration is saved with its draft, like the other declaration.
    const draft = await createDraft(world.deps, unit, { category: 'project' });
    const saved = await saveForm(world.deps, unit, draft.id, {
      version: draft.version,
      form: {},
      grassroots: true,
    });
    expect(saved.nomination.grassroots).toBe(true);
    await expect(
      saveForm(world.deps, unit, draft.id, {
        version: saved.nomination.version,
        form: {},
        grassroots: 'yes',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['grassroots'] });

    // Not declared, but the secretariat confirms it at the pass: its finding stands.
    const passed = await screen(world.deps, sec, nomination.id, {
      version: nomination.version,
      decision: 'pass',
      grassroots: true,
    });
    expect(passed.grassrootsConfirmed).toBe(true);
    await world.settle();
    await reviewEverything(world, ['e1', 'e2', 'e3']);
    const outcomes = await previewSelection(world.deps, sec, 'cast-2024');
    expect(outcomes.find((o) => o.nominationId === nomination.id)).toMatchObject({ grassroots: true });
    expect((await stored(world, nomination.id)).grassrootsConfirmed).toBe(true);

    // Declared by the unit, left unconfirmed at the pass: no mark on the ranking.
    const declared = await completeDraft(world, unit, 'organization');
    const withMark = await saveForm(world.deps, unit, declared.id, {
      version: declared.version,
      form: declared.form,
      grassroots: true,
    });
    await submit(world.deps, unit, declared.id, {
      version: withMark.nomination.version,
      consent: consentIn(world, unit),
      declarations: declaredIn(world, unit),
    });
    await world.settle();
    const atPass = await stored(world, declared.id);
    const unconfirmed = await screen(world.deps, sec, declared.id, {
      version: atPass.version,
      decision: 'pass',
      grassroots: false,
    });
    expect([unconfirmed.grassroots, unconfirmed.grassrootsConfirmed]).toEqual([true, false]);
  });
});
