import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import { expertPanel } from '../../../functions/use-cases/expert-panel.js';
import {
  declareReview,
  declineReview,
  dismissConflict,
  extendReview,
  openReview,
  secretariatMailbox,
  submitReview,
  swapReviewer,
  withdraw,
} from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  evenReview,
  expertEmail,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  reviewClockRuns,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * Declarations first, decline and reassignment, independence (functions/use-cases/reviews.ts):
 * the automatic conflict check keeps off experts of the nominee's organisation and declared
 * collaborators; a declared conflict recuses; a decline with a reason hands the nomination to
 * the next eligible expert; each step is audited and mailed once; the nomination still ends with
 * its required number of reviews.
 */

const CAMPAIGN = 'cast-2024';

/** A volunteer nomination (李晓梅, 杭州市科技志愿服务总队) passed into review, with a pool of experts. */
async function inReview(world: World, pool: string[]) {
  const unit = await inviteUnit(world, CAMPAIGN, 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(
    world,
    CAMPAIGN,
    pool.map((id) => ({ id })),
  );
  const n = await submitted(world, unit, 'volunteer');
  await screen(world.deps, secretariatOf(CAMPAIGN), n.id, { version: n.version, decision: 'pass' });
  await world.settle();
  const token = (expert: string) => reviewTokens(world, expert)[0] ?? '';
  const assigned = async () =>
    (await world.deps.reviews.assignments(n.id)).filter((a) => !a.withdrawn).map((a) => a.expertId);
  return { id: n.id, token, assigned };
}

const actions = async (world: World, id: string) =>
  (await world.deps.store.auditTrail(id)).map((e) => e.action);

describe('automatic conflict checks', () => {
  it('never assigns an expert of the nominee’s organisation or one who declared the nominee a collaborator', async () => {
    const world = memoryWorld();
    await world.deps.reviews.putExpert({
      id: 'a0',
      campaignId: CAMPAIGN,
      name: '同单位专家',
      email: expertEmail('a0'),
      organisations: ['杭州市 科技志愿服务总队'],
    });
    await world.deps.reviews.putExpert({
      id: 'a1',
      campaignId: CAMPAIGN,
      name: '合作者',
      email: expertEmail('a1'),
      collaborators: ['李晓梅'],
    });
    const { assigned } = await inReview(world, ['e1', 'e2', 'e3']);
    // a0 and a1 are the idlest by id order, yet neither is asked.
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);
    expect(reviewTokens(world, 'a0')).toEqual([]);
    expect(reviewTokens(world, 'a1')).toEqual([]);
  });
});

describe('declaration before materials', () => {
  it('of no conflict answers with the page shown next, its materials read recorded with it: the page is not asked for again', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world, ['e1', 'e2', 'e3']);
    const reads = async () => (await world.deps.accessLog.reads(id)).map((r) => r.reader.subjectId);
    const before = await openReview(world.deps, token('e1'));
    expect(before.nomination.form).toBeNull();
    expect(await reads()).toEqual([]);
    const answer = await declareReview(world.deps, token('e1'), { conflict: false });
    world.clock.advance(MINUTE_MS);
    // The page a GET would now show: the materials, open for the review.
    expect(answer.page).toEqual(await openReview(world.deps, token('e1')));
    expect(answer.page?.nomination.form).not.toBeNull();
    expect(answer.page?.open).toBe(true);
    // The declaration's read, then the GET's: each showing of the materials is recorded once.
    expect(await reads()).toEqual(['e1', 'e1']);
    // A repeat (its answer lost) shows the page again, and records that read too.
    world.clock.advance(MINUTE_MS);
    const again = await declareReview(world.deps, token('e1'), { conflict: false });
    expect(again.page?.nomination.form).toEqual(answer.page?.nomination.form);
    expect(await reads()).toEqual(['e1', 'e1', 'e1']);
    // A conflict ends the expert's access: no page, nothing read.
    const recused = await declareReview(world.deps, token('e2'), { conflict: true, kind: 'relative' });
    expect(recused).toMatchObject({ recused: true, page: null });
    expect(await reads()).toEqual(['e1', 'e1', 'e1']);
  });

  it('a declaration other than the one recorded is refused naming what stands, also when both are sent at once; the same one again is answered as the first', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    await declareReview(world.deps, token('e1'), { conflict: false });
    const late = declareReview(world.deps, token('e1'), { conflict: true, kind: 'relative' });
    await expect(late).rejects.toMatchObject({
      code: 'ALREADY_DECIDED',
      messages: { zh: expect.stringContaining('无利益冲突'), en: expect.stringContaining('decline') },
    });
    // A repeat is checked like a first request: a bad body is a 400 naming its field.
    await expect(declareReview(world.deps, token('e1'), { conflict: 'maybe' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await declareReview(world.deps, token('e1'), { conflict: false })).recused).toBe(false);
    // Two different declarations at once: one is recorded, the other refused.
    const both = await Promise.allSettled([
      declareReview(world.deps, token('e2'), { conflict: true, kind: 'collaborator' }),
      declareReview(world.deps, token('e2'), { conflict: false }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      both.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code),
    ).toEqual(['ALREADY_DECIDED']);
    const recorded = (await world.deps.reviews.assignments(id)).find((a) => a.expertId === 'e2')?.declaration;
    expect(both[0].status === 'fulfilled').toBe(recorded?.conflict === 'collaborator');
    expect((await assigned()).includes('e2')).toBe(recorded?.conflict === null);
    // A conflict repeated with another kind is refused too, naming the one recorded.
    await declareReview(world.deps, token('e3'), { conflict: true, kind: 'relative' });
    await expect(
      declareReview(world.deps, token('e3'), { conflict: true, kind: 'other' }),
    ).rejects.toMatchObject({
      code: 'ALREADY_DECIDED',
      messages: { zh: expect.stringContaining('亲属关系') },
    });
    expect(await declareReview(world.deps, token('e3'), { conflict: true, kind: 'relative' })).toMatchObject({
      recused: true,
    });
  });

  it('a declared conflict recuses the expert and assigns the next eligible one, audited and mailed once', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);
    world.clock.advance(MINUTE_MS);
    await expect(declareReview(world.deps, token('e1'), { conflict: true })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      path: ['kind'],
    });
    const answer = await declareReview(world.deps, token('e1'), {
      conflict: true,
      kind: 'relative',
      note: '被推荐人为本人表亲',
    });
    expect(answer).toMatchObject({ recused: true, declaration: { conflict: 'relative' } });
    expect(await assigned()).toEqual(['e2', 'e3', 'e4']);
    expect(reviewTokens(world, 'e4')).toHaveLength(1);
    // The recused expert's link now says so; nothing more is expected of them.
    await expect(openReview(world.deps, token('e1'))).rejects.toMatchObject({ code: 'ASSIGNMENT_WITHDRAWN' });
    // A repeat (a lost answer) changes nothing and mails nothing more.
    const mailsBefore = world.outbox.sent.length;
    await declareReview(world.deps, token('e1'), { conflict: true, kind: 'relative' });
    expect(world.outbox.sent.length).toBe(mailsBefore);
    expect(world.outbox.to(expertEmail('e1')).filter((m) => m.subject.includes('评审安排'))).toHaveLength(1);
    expect(await actions(world, id)).toEqual(
      expect.arrayContaining(['review-conflict-declared', 'review-recused', 'review-reassigned']),
    );
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.find((e) => e.action === 'review-conflict-declared')?.reason).toContain('亲属');
    expect(trail.find((e) => e.action === 'review-reassigned')?.reason).toContain('专家 e4');
    // The expert's load went back down with the recusal.
    const pool = await world.deps.reviews.listExperts(CAMPAIGN);
    expect(pool.find((e) => e.id === 'e1')?.load).toBe(0);
    expect(pool.find((e) => e.id === 'e4')?.load).toBe(1);
  });

  it('a decline needs a reason, hands over to the next expert, and the nomination still ends with three reviews', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4', 'e5']);
    await expect(declineReview(world.deps, token('e2'), { reason: ' ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      path: ['reason'],
    });
    await declineReview(world.deps, token('e2'), { reason: '本月出国访问，无法按时评审' });
    await declineReview(world.deps, token('e2'), { reason: '本月出国访问，无法按时评审' });
    expect(await assigned()).toEqual(['e1', 'e3', 'e4']);
    expect(world.outbox.to(expertEmail('e2')).filter((m) => m.subject.includes('评审安排'))).toHaveLength(1);
    await expect(submitReview(world.deps, token('e2'), evenReview(9))).rejects.toMatchObject({
      code: 'ASSIGNMENT_WITHDRAWN',
    });
    for (const e of ['e1', 'e3', 'e4']) {
      await declareReview(world.deps, token(e), { conflict: false });
      await submitReview(world.deps, token(e), evenReview(8));
    }
    expect((await stored(world, id)).status).toBe('scored');
    await world.settle();
    expect(world.workflow.execution(id)?.current).toBe('AwaitSelection');
    expect((await stored(world, id)).score?.expertTotals).toEqual([80, 80, 80]);
    const trail = await actions(world, id);
    expect(trail.filter((a) => a === 'review-declined')).toHaveLength(1);
    expect(trail.filter((a) => a === 'review')).toHaveLength(3);
    expect(trail.filter((a) => a === 'reviews-complete')).toHaveLength(1);
    // Each invitation went out once: three at the start, one to the replacement.
    expect(world.outbox.sent.filter((m) => m.subject.includes('评审邀请'))).toHaveLength(4);
  });

  it('two declines at once with different reasons: both answered, the trail telling once of the one stored', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    // The second request read the assignment open, as the first had; then the first withdrew it.
    const readBefore = (await world.deps.reviews.assignments(id)).find((a) => a.expertId === 'e2');
    const nomination = await stored(world, id);
    await declineReview(world.deps, token('e2'), { reason: '出差无法评审' });
    world.clock.advance(MINUTE_MS);
    if (!readBefore) throw new Error('e2 was not assigned');
    await withdraw(
      world.deps,
      readBefore,
      nomination,
      'declined',
      '另有安排无法评审',
      world.clock.now().toISOString(),
    );
    const declined = (await world.deps.store.auditTrail(id)).filter((e) => e.action === 'review-declined');
    expect(declined.map((e) => e.reason)).toEqual([expect.stringContaining('出差无法评审')]);
    expect(await assigned()).toEqual(['e1', 'e3', 'e4']);
    expect(world.outbox.to(expertEmail('e2')).filter((m) => m.subject.includes('评审安排'))).toHaveLength(1);
  });

  it('a swap racing the expert’s own decline is refused: no fourth reviewer, one event, by the expert', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4', 'e5']);
    // The swap read e2's assignment open; then e2 declined, which brought e4 on.
    const readBefore = (await world.deps.reviews.assignments(id)).find((a) => a.expertId === 'e2');
    const nomination = await stored(world, id);
    await declineReview(world.deps, token('e2'), { reason: '出差无法评审' });
    if (!readBefore) throw new Error('e2 was not assigned');
    const e5 = (await world.deps.reviews.listExperts(CAMPAIGN)).find((e) => e.id === 'e5');
    await expect(
      withdraw(
        world.deps,
        readBefore,
        nomination,
        'swapped',
        '该专家长期联系不上',
        world.clock.now().toISOString(),
        { role: 'secretariat', subjectId: 'sec', name: '秘书处' },
        e5,
      ),
    ).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });
    expect(await assigned()).toEqual(['e1', 'e3', 'e4']);
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.filter((e) => e.action === 'review-declined').map((e) => e.actor.role)).toEqual(['expert']);
    expect(trail.filter((e) => e.action === 'review-swapped')).toHaveLength(0);
  });

  it('a decline losing to a swap cut short fills nothing: the swap’s repeat brings its replacement, three reviewers, the swap told once by the secretariat', async () => {
    const world = memoryWorld();
    const { id, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4', 'e5']);
    const readBefore = (await world.deps.reviews.assignments(id)).find((a) => a.expertId === 'e2');
    if (!readBefore) throw new Error('e2 was not assigned');
    const nomination = await stored(world, id);
    // The swap took e2 off and died before its event and before bringing e5 on.
    const sec = secretariatOf(CAMPAIGN);
    const secActor = { role: 'secretariat' as const, subjectId: sec.subjectId, name: sec.name };
    await world.deps.reviews.withdrawAssignment(CAMPAIGN, id, 'e2', {
      at: world.clock.now().toISOString(),
      reason: 'swapped',
      note: '该专家长期联系不上',
      by: secActor,
    });
    // e2's decline, which read the assignment open, loses the race.
    await withdraw(
      world.deps,
      readBefore,
      nomination,
      'declined',
      '出差无法评审',
      world.clock.now().toISOString(),
    );
    expect(await assigned()).toEqual(['e1', 'e3']);
    const swapped = async () =>
      (await world.deps.store.auditTrail(id))
        .filter((e) => e.action === 'review-swapped')
        .map((e) => e.actor.role);
    // The trail tells of the swap, by the secretariat, though its maker died before writing it.
    expect(await swapped()).toEqual(['secretariat']);
    // The secretariat sends the swap again: e5 comes on, and the trail still tells of it once.
    expect(
      await swapReviewer(world.deps, sec, id, {
        expertId: 'e2',
        replacementId: 'e5',
        reason: '该专家长期联系不上',
      }),
    ).toEqual({ replaced: 'e2', by: 'e5' });
    expect(await assigned()).toEqual(['e1', 'e3', 'e5']);
    expect(await swapped()).toEqual(['secretariat']);
    expect(
      (await world.deps.store.auditTrail(id)).filter((e) => e.action === 'review-declined'),
    ).toHaveLength(0);
  });

  it('a decline whose mail to the expert failed: the repeat tells the expert, and a further repeat does not', async () => {
    const world = memoryWorld();
    const { token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    const told = () => world.outbox.to(expertEmail('e2')).filter((m) => m.subject.includes('评审安排'));
    world.outbox.failNext(1, new Error('relay unavailable'), (m) => m.to === expertEmail('e2'));
    await expect(declineReview(world.deps, token('e2'), { reason: '本月出国访问' })).rejects.toThrow(
      'relay unavailable',
    );
    expect(await assigned()).toEqual(['e1', 'e3']);
    expect(told()).toHaveLength(0);
    await declineReview(world.deps, token('e2'), { reason: '本月出国访问' });
    expect(told()).toHaveLength(1);
    expect(await assigned()).toEqual(['e1', 'e3', 'e4']);
    await declineReview(world.deps, token('e2'), { reason: '本月出国访问' });
    expect(told()).toHaveLength(1);
  });

  it('cannot decline after reviewing; with the pool exhausted the nomination waits, and says so in the audit', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3']);
    await declareReview(world.deps, token('e1'), { conflict: false });
    await submitReview(world.deps, token('e1'), evenReview(8));
    await expect(declineReview(world.deps, token('e1'), { reason: '太忙了' })).rejects.toMatchObject({
      code: 'ALREADY_DECIDED',
    });
    await declineReview(world.deps, token('e3'), { reason: '身体原因' });
    expect(await assigned()).toEqual(['e1', 'e2']);
    expect(await actions(world, id)).toContain('review-awaiting-expert');
    // The other two reviews do not complete it: it waits for a third expert.
    await declareReview(world.deps, token('e2'), { conflict: false });
    const last = await submitReview(world.deps, token('e2'), evenReview(7));
    expect(last.reviewsComplete).toBe(false);
    expect((await stored(world, id)).status).toBe('in-review');
  });
});

describe('independence', () => {
  it('shows no other expert’s score before one’s own, and after it only when the campaign allows', async () => {
    const base = BUILTIN_CAMPAIGNS.get(CAMPAIGN);
    if (!base) throw new Error('no campaign');
    for (const peerScores of ['hidden', 'after-own-review'] as const) {
      const campaigns = new Map([...BUILTIN_CAMPAIGNS]);
      campaigns.set(CAMPAIGN, { ...base, review: { ...base.review, peerScores } });
      const world = memoryWorld({ campaigns });
      const { token } = await inReview(world, ['e1', 'e2', 'e3']);
      for (const e of ['e1', 'e2']) await declareReview(world.deps, token(e), { conflict: false });
      await submitReview(world.deps, token('e1'), evenReview(9));
      expect((await openReview(world.deps, token('e2'))).peers).toBeNull();
      await submitReview(world.deps, token('e2'), evenReview(6));
      const after = (await openReview(world.deps, token('e2'))).peers;
      if (peerScores === 'hidden') expect(after).toBeNull();
      else expect(after).toEqual([{ total: 90, recommend: true }]);
    }
  });
});

/** One day of the campaign's review clock: a day passes and the daily schedule fires for it. */
async function dayPasses(world: World) {
  world.clock.advance(DAY_MS);
  await reviewClockRuns(world);
}

describe('due dates, reminders, reassignment of overdue reviews (the campaign’s daily review clock)', () => {
  it('reminds at 3 and 1 days before the due date, once each; at 14 days hands the review to the next expert', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    // e1 and e2 review in time; e3 stays silent.
    for (const e of ['e1', 'e2']) {
      await declareReview(world.deps, token(e), { conflict: false });
      await submitReview(world.deps, token(e), evenReview(8));
    }
    const reminders = (e: string) =>
      world.outbox.to(expertEmail(e)).filter((m) => m.subject.includes('评审提醒'));
    // First counted on day 1, the day after its assignment: due 14 days later, on day 15.
    for (let day = 1; day <= 11; day += 1) await dayPasses(world);
    expect(reminders('e3')).toHaveLength(0);
    await dayPasses(world); // day 12: 3 days left
    expect(reminders('e3').map((m) => m.subject)).toEqual([expect.stringContaining('还有 3 天')]);
    await dayPasses(world); // day 13: 2 days left, nothing new
    expect(reminders('e3')).toHaveLength(1);
    await dayPasses(world); // day 14: 1 day left
    expect(reminders('e3')).toHaveLength(2);
    expect(reminders('e1')).toHaveLength(0); // reviewed: never reminded
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);
    await dayPasses(world); // day 15: due
    expect(await assigned()).toEqual(['e1', 'e2', 'e4']);
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.filter((e) => e.action === 'review-overdue').map((e) => e.reason)).toEqual([
      expect.stringContaining('专家 e3'),
    ]);
    expect(trail.filter((e) => e.action === 'review-overdue-reassigned')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'review-reassigned').map((e) => e.reason)).toEqual([
      expect.stringContaining('专家 e4'),
    ]);
    // The replacement reviews; the nomination is scored and moves on to selection.
    await declareReview(world.deps, token('e4'), { conflict: false });
    await submitReview(world.deps, token('e4'), evenReview(7));
    await world.settle();
    expect((await stored(world, id)).status).toBe('scored');
    expect(world.workflow.execution(id)?.current).toBe('AwaitSelection');
    // Fifteen days of review cost the execution nothing: it entered AwaitReviews once.
    expect(world.workflow.execution(id)?.states.filter((s) => s === 'AwaitReviews')).toHaveLength(1);
    expect(world.workflow.execution(id)?.states).not.toContain('ReviewDay');
    expect(reminders('e3')).toHaveLength(2);
  });
  it('a reassignment whose mail to the overdue expert failed is finished the next day: told once, the next expert brought on', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    for (const e of ['e1', 'e2']) {
      await declareReview(world.deps, token(e), { conflict: false });
      await submitReview(world.deps, token(e), evenReview(8));
    }
    const told = () => world.outbox.to(expertEmail('e3')).filter((m) => m.subject.includes('评审安排'));
    for (let day = 1; day <= 14; day += 1) await dayPasses(world);
    // Day 15, due: the relay refuses the withdrawal's mail to e3 through every retry of the day's chunk.
    let relayDown = true;
    world.outbox.failNext(50, new Error('relay unavailable'), (m) => relayDown && m.to === expertEmail('e3'));
    await dayPasses(world).catch(() => undefined);
    expect(told()).toHaveLength(0);
    expect(await assigned()).toEqual(['e1', 'e2']);
    relayDown = false;
    await dayPasses(world); // day 16 finishes what day 15 began
    expect(told()).toHaveLength(1);
    expect(await assigned()).toEqual(['e1', 'e2', 'e4']);
    expect(reviewTokens(world, 'e4')).toHaveLength(1);
    await dayPasses(world); // and the day after sends and records nothing more
    expect(told()).toHaveLength(1);
    expect(reviewTokens(world, 'e4')).toHaveLength(1);
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.filter((e) => e.action === 'review-overdue-reassigned')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'review-reassigned')).toHaveLength(1);
  });

  it('an overdue review whose pool is exhausted waits; an expert added later is brought on by the next day', async () => {
    const world = memoryWorld();
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3']);
    for (const e of ['e1', 'e2']) {
      await declareReview(world.deps, token(e), { conflict: false });
      await submitReview(world.deps, token(e), evenReview(8));
    }
    for (let day = 1; day <= 15; day += 1) await dayPasses(world);
    expect(await assigned()).toEqual(['e1', 'e2']);
    expect(await actions(world, id)).toContain('review-awaiting-expert');
    await inviteExperts(world, CAMPAIGN, [{ id: 'e5' }]);
    await dayPasses(world);
    expect(await assigned()).toEqual(['e1', 'e2', 'e5']);
    expect(reviewTokens(world, 'e5')).toHaveLength(1);
    expect(world.outbox.to(expertEmail('e3')).filter((m) => m.subject.includes('评审安排'))).toHaveLength(1);
  });
});

describe('the secretariat’s hand: swap, dismissal of a false conflict, extension, the overdue notice', () => {
  const sec = secretariatOf(CAMPAIGN);
  /** An expert of the nominee’s own organisation (杭州市科技志愿服务总队): the automatic check keeps them off. */
  const namesake = (world: World, id: string, maxLoad?: number) =>
    world.deps.reviews.putExpert({
      id,
      campaignId: CAMPAIGN,
      name: `同名单位专家 ${id}`,
      email: expertEmail(id),
      organisations: ['杭州市科技志愿服务总队'],
      ...(maxLoad !== undefined ? { maxLoad } : {}),
    });

  it('swaps a reviewer only for an eligible expert, naming why not; after a dismissed conflict the swap goes through, once', async () => {
    const world = memoryWorld();
    await namesake(world, 'z9');
    await world.deps.reviews.putExpert({
      id: 'y9',
      campaignId: CAMPAIGN,
      name: '满额专家',
      email: expertEmail('y9'),
      maxLoad: 0,
    });
    const { id, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);
    const swap = (replacementId: string, expertId = 'e3') =>
      swapReviewer(world.deps, sec, id, { expertId, replacementId, reason: '该专家长期联系不上' });
    await expect(swap('z9')).rejects.toMatchObject({
      code: 'EXPERT_NOT_ELIGIBLE',
      kind: 'rule',
      path: ['replacementId'],
      details: { reason: 'conflict' },
    });
    await expect(swap('y9')).rejects.toMatchObject({ details: { reason: 'at-cap' } });
    await expect(swap('e2')).rejects.toMatchObject({ details: { reason: 'was-on-it' } });
    await expect(swap('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      swapReviewer(world.deps, sec, id, { expertId: 'e3', replacementId: 'e4', reason: '' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['reason'] });
    await expect(
      swapReviewer(world.deps, { ...sec, role: 'unit' }, id, {
        expertId: 'e3',
        replacementId: 'e4',
        reason: '换人',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);

    // Nothing to dismiss for an expert the check does not flag.
    await expect(
      dismissConflict(world.deps, sec, id, { expertId: 'e4', reason: '核实无关联' }),
    ).rejects.toMatchObject({ code: 'NO_AUTOMATIC_CONFLICT', path: ['expertId'] });
    const dismissed = await dismissConflict(world.deps, sec, id, {
      expertId: 'z9',
      reason: '同名不同单位：专家所在为杭州市科技志愿服务总队（西湖分队），已电话核实',
    });
    expect(dismissed.dismissal).toMatchObject({ expertId: 'z9', by: sec.name });
    // A repeat records nothing new.
    await dismissConflict(world.deps, sec, id, { expertId: 'z9', reason: '再次提交' });
    expect(await world.deps.reviews.conflictDismissals(CAMPAIGN, id)).toHaveLength(1);

    const before = world.outbox.sent.length;
    expect(await swap('z9')).toEqual({ replaced: 'e3', by: 'z9' });
    expect(await swap('z9')).toEqual({ replaced: 'e3', by: 'z9' });
    expect(await assigned()).toEqual(['e1', 'e2', 'z9']);
    // One mail to the expert replaced, one invitation to the replacement: no more on the repeat.
    expect(world.outbox.sent.length - before).toBe(2);
    expect(reviewTokens(world, 'z9')).toHaveLength(1);
    expect(world.outbox.to(expertEmail('e3')).filter((m) => m.subject.includes('评审安排'))).toHaveLength(1);
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.filter((e) => e.action === 'review-conflict-dismissed')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ role: 'secretariat' }),
        reason: expect.stringContaining('同名不同单位'),
      }),
    ]);
    expect(trail.filter((e) => e.action === 'review-swapped').map((e) => e.reason)).toEqual([
      '专家 e3：该专家长期联系不上',
    ]);
    expect(trail.filter((e) => e.action === 'review-reassigned').map((e) => e.reason)).toEqual([
      '同名单位专家 z9（接替 专家 e3）',
    ]);
    // The panel shows the dismissal and no longer counts z9 as excluded.
    const panel = (await expertPanel(world.deps, sec, CAMPAIGN)).nominations[0];
    expect(panel?.excludedByConflict).toEqual([]);
    expect(panel?.dismissedConflicts).toEqual([
      expect.objectContaining({ expertId: 'z9', reason: expect.stringContaining('同名不同单位') }),
    ]);
    expect(panel?.reviewers.find((r) => r.expertId === 'z9')?.conflict).toBe(false);
  });

  /** e3 swapped for e4, the relay failing the first attempt's mail to `unmailed`. */
  async function swapCutAtMailTo(unmailed: string) {
    const world = memoryWorld();
    const { id, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    const swap = () =>
      swapReviewer(world.deps, sec, id, {
        expertId: 'e3',
        replacementId: 'e4',
        reason: '该专家长期联系不上',
      });
    world.outbox.failNext(1, new Error('relay unavailable'), (m) => m.to === expertEmail(unmailed));
    await expect(swap()).rejects.toThrow('relay unavailable');
    return { world, assigned, swap };
  }

  it("a swap whose replacement's invitation failed to send: the repeat mails it, once", async () => {
    // The relay fails the replacement's invitation: the swap is stored, its link not mailed.
    const { world, assigned, swap } = await swapCutAtMailTo('e4');
    expect(await assigned()).toEqual(['e1', 'e2', 'e4']);
    expect(reviewTokens(world, 'e4')).toHaveLength(0);
    // Sent again, the swap finishes: the replacement is invited, and a further repeat sends nothing.
    expect(await swap()).toEqual({ replaced: 'e3', by: 'e4' });
    expect(reviewTokens(world, 'e4')).toHaveLength(1);
    const sent = world.outbox.sent.length;
    expect(await swap()).toEqual({ replaced: 'e3', by: 'e4' });
    expect(world.outbox.sent.length).toBe(sent);
  });

  it('a swap whose mail to the expert replaced failed: the repeat tells them and brings the replacement on, once', async () => {
    const { world, assigned, swap } = await swapCutAtMailTo('e3');
    const told = () => world.outbox.to(expertEmail('e3')).filter((m) => m.subject.includes('评审安排'));
    expect(await assigned()).toEqual(['e1', 'e2']);
    expect(await swap()).toEqual({ replaced: 'e3', by: 'e4' });
    expect(await assigned()).toEqual(['e1', 'e2', 'e4']);
    expect(told()).toHaveLength(1);
    expect(reviewTokens(world, 'e4')).toHaveLength(1);
    expect(await swap()).toEqual({ replaced: 'e3', by: 'e4' });
    expect(told()).toHaveLength(1);
    expect(reviewTokens(world, 'e4')).toHaveLength(1);
  });

  it('a dismissed conflict lets a nomination short of experts have one at once', async () => {
    const world = memoryWorld();
    await namesake(world, 'z9');
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3']);
    await declineReview(world.deps, token('e1'), { reason: '本月出国访问' });
    expect(await assigned()).toEqual(['e2', 'e3']);
    await dismissConflict(world.deps, sec, id, { expertId: 'z9', reason: '同名不同单位，已核实' });
    expect(await assigned()).toEqual(['e2', 'e3', 'z9']);
    expect(reviewTokens(world, 'z9')).toHaveLength(1);
  });

  it('tells the secretariat once when a review goes overdue; an extension gives the expert more days, reminders anew, and is idempotent', async () => {
    const base = BUILTIN_CAMPAIGNS.get(CAMPAIGN);
    if (!base) throw new Error('no campaign');
    const campaigns = new Map([...BUILTIN_CAMPAIGNS]);
    campaigns.set(CAMPAIGN, { ...base, review: { ...base.review, reassignOverdue: false } });
    const world = memoryWorld({ campaigns });
    const mailbox = secretariatMailbox(base);
    expect(mailbox).toBe('jicengfuwuchu@163.com');
    const { id, token, assigned } = await inReview(world, ['e1', 'e2', 'e3', 'e4']);
    for (const e of ['e1', 'e2']) {
      await declareReview(world.deps, token(e), { conflict: false });
      await submitReview(world.deps, token(e), evenReview(8));
    }
    const toSecretariat = () => world.outbox.to(mailbox ?? '').filter((m) => m.subject.includes('评审逾期'));
    const reminders = () => world.outbox.to(expertEmail('e3')).filter((m) => m.subject.includes('评审提醒'));
    for (let day = 1; day <= 15; day += 1) await dayPasses(world);
    expect(toSecretariat()).toHaveLength(1);
    expect(toSecretariat()[0]?.text).toContain('专家 e3');
    expect(toSecretariat()[0]?.text).toContain('延长期限');
    await dayPasses(world);
    await dayPasses(world);
    // Still overdue, not reassigned (the campaign leaves it to the secretariat), told only once.
    expect(toSecretariat()).toHaveLength(1);
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);
    expect(
      (await expertPanel(world.deps, sec, CAMPAIGN)).nominations[0]?.reviewers.find(
        (r) => r.expertId === 'e3',
      ),
    ).toMatchObject({ overdue: true, extraDays: 0 });

    await expect(
      extendReview(world.deps, sec, id, { expertId: 'e3', days: 0, reason: '专家出差' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['days'] });
    await expect(
      extendReview(world.deps, sec, id, { expertId: 'e1', days: 5, reason: '专家出差' }),
    ).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });
    // Day 17 now; first counted on day 1, 14 + 5 = 19 days: due on day 20, reminded at 3 days and 1 day before.
    expect(
      await extendReview(world.deps, sec, id, { expertId: 'e3', days: 5, reason: '专家出差，已电话沟通' }),
    ).toEqual({ expertId: 'e3', extraDays: 5, dueDays: 19 });
    await extendReview(world.deps, sec, id, { expertId: 'e3', days: 5, reason: '专家出差，已电话沟通' });
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.filter((e) => e.action === 'review-extended').map((e) => e.reason)).toEqual([
      '专家 e3：评审期限延长 5 天（共 19 天）——专家出差，已电话沟通',
    ]);
    expect(
      world.outbox.to(expertEmail('e3')).filter((m) => m.subject.includes('评审期限已延长')),
    ).toHaveLength(2);
    expect(
      new Set(
        world.outbox
          .to(expertEmail('e3'))
          .filter((m) => m.subject.includes('评审期限已延长'))
          .map((m) => m.key),
      ).size,
    ).toBe(1);
    const remindedBefore = reminders().length;
    await dayPasses(world); // day 18: 2 days left
    expect(reminders().length - remindedBefore).toBe(1);
    await dayPasses(world); // day 19: 1 day left
    expect(reminders().length - remindedBefore).toBe(2);
    expect(toSecretariat()).toHaveLength(1);
    await dayPasses(world); // day 20: overdue again, told again (the new due date)
    expect(toSecretariat()).toHaveLength(2);
    expect(trail.filter((e) => e.action === 'review-overdue')).toHaveLength(1);
    // The expert reviews late: the nomination is scored and moves on.
    await declareReview(world.deps, token('e3'), { conflict: false });
    await submitReview(world.deps, token('e3'), evenReview(7));
    await world.settle();
    expect((await stored(world, id)).status).toBe('scored');
  });
});
