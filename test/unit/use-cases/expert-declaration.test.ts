import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import {
  declareReview,
  declineReview,
  openReview,
  submitReview,
} from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  evenReview,
  expertEmail,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

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

describe('due dates, reminders, reassignment of overdue reviews (the state machine’s own daily timer)', () => {
  /** One day of the review clock: AwaitReviews' TimeoutSeconds passes, ReviewDay runs, AwaitReviews again. */
  async function dayPasses(world: World, id: string) {
    const token = (await stored(world, id)).awaiting?.taskToken;
    if (!token) throw new Error('not waiting');
    world.machines.timeOut(token);
    world.clock.advance(MINUTE_MS);
    await world.settle();
  }

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
    for (let day = 1; day <= 10; day += 1) await dayPasses(world, id);
    expect(reminders('e3')).toHaveLength(0);
    await dayPasses(world, id); // day 11: 3 days left
    expect(reminders('e3').map((m) => m.subject)).toEqual([expect.stringContaining('还有 3 天')]);
    await dayPasses(world, id); // day 12: 2 days left, nothing new
    expect(reminders('e3')).toHaveLength(1);
    await dayPasses(world, id); // day 13: 1 day left
    expect(reminders('e3')).toHaveLength(2);
    expect(reminders('e1')).toHaveLength(0); // reviewed: never reminded
    expect(await assigned()).toEqual(['e1', 'e2', 'e3']);
    await dayPasses(world, id); // day 14: due
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
    expect(world.workflow.execution(id)?.states.filter((s) => s === 'ReviewDay')).toHaveLength(14);
    expect(reminders('e3')).toHaveLength(2);
  });
});
