import { describe, expect, it, vi } from 'vitest';
import { REVIEW_LINK_DAYS } from '../../../functions/rules/review.js';
import { declareReview, openReview, submitReview } from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  evenReview,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * An expert's review through their mailed link (openReview / submitReview in
 * functions/use-cases/reviews.ts): opening shows the materials and changes nothing; a confirmed
 * review is recorded once; the last one scores the nomination — its score and ranking entry kept with
 * the status change — and answers the AwaitReviews task.
 */

/** A nomination in review with experts e1–e3 (who declared no conflict, unless told); the token of each expert's link. */
async function inReview(world: World, declared = true) {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  const n = await submitted(world, unit, 'volunteer');
  await screen(world.deps, secretariatOf('cast-2024'), n.id, { version: n.version, decision: 'pass' });
  await world.settle();
  const token = (expert: string) => reviewTokens(world, expert)[0] ?? '';
  if (declared)
    for (const e of ['e1', 'e2', 'e3']) await declareReview(world.deps, token(e), { conflict: false });
  return { id: n.id, token };
}

describe('reviews by link', () => {
  it('opens the nomination by link without changing anything: before the declaration only who, which category, which unit', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world, false);
    const before = await stored(world, id);
    const first = await openReview(world.deps, token('e2'));
    expect(first).toMatchObject({
      nomination: {
        id,
        displayName: '李晓梅',
        unitName: '中国天文学会',
        category: 'volunteer',
        form: null,
        attachments: null,
      },
      declaration: null,
      open: false,
    });
    await expect(submitReview(world.deps, token('e2'), evenReview(9))).rejects.toMatchObject({
      code: 'DECLARE_FIRST',
      kind: 'conflict',
    });
    await declareReview(world.deps, token('e2'), { conflict: false });
    const shown = await openReview(world.deps, token('e2'));
    expect(shown).toMatchObject({
      nomination: { id, displayName: '李晓梅', unitName: '中国天文学会', status: 'in-review' },
      expert: { id: 'e2', name: '专家 e2' },
      declaration: { conflict: null },
      decided: null,
      peers: null,
      open: true,
    });
    expect(shown.nomination.form).toMatchObject({ name: '李晓梅' });
    expect(shown.rubric.map((c) => c.id)).toEqual([
      'exemplary',
      'st-character',
      'representative',
      'sound-practice',
    ]);
    expect((await stored(world, id)).version).toBe(before.version);
    expect((await world.deps.store.auditTrail(id)).map((e) => e.action)).not.toContain('review');
  });

  it('refuses an unknown link and one past its 30 days', async () => {
    const world = memoryWorld();
    const { token } = await inReview(world);
    await expect(openReview(world.deps, 'not-a-link-token-at-all-xxxxxxxxxxxxxxxxxxx')).rejects.toMatchObject(
      {
        code: 'LINK_UNKNOWN',
        kind: 'forbidden',
      },
    );
    world.clock.advance(REVIEW_LINK_DAYS * DAY_MS);
    await expect(openReview(world.deps, token('e1'))).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
    await expect(submitReview(world.deps, token('e1'), evenReview(9))).rejects.toMatchObject({
      code: 'LINK_EXPIRED',
    });
  });

  it('records a confirmed review with its weighted total, once: a repeat is refused and records nothing more', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    const first = await submitReview(world.deps, token('e1'), { ...evenReview(9), comment: '事迹突出' });
    expect(first).toMatchObject({
      review: { expertId: 'e1', total: 90, recommend: true, comment: '事迹突出' },
      reviewsComplete: false,
    });
    world.clock.advance(MINUTE_MS);
    // The same review again (its answer lost) is answered as the first; another is refused.
    expect(await submitReview(world.deps, token('e1'), { ...evenReview(9), comment: '事迹突出' })).toEqual(
      first,
    );
    // Scores given in another order are the same review.
    const reordered = Object.fromEntries(Object.entries(evenReview(9).scores).reverse());
    expect(
      await submitReview(world.deps, token('e1'), {
        ...evenReview(9),
        scores: reordered,
        comment: '事迹突出',
      }),
    ).toEqual(first);
    await expect(submitReview(world.deps, token('e1'), evenReview(3))).rejects.toMatchObject({
      code: 'ALREADY_DECIDED',
      kind: 'conflict',
    });
    const [e1] = await world.deps.reviews.assignments(id);
    expect(e1?.review?.total).toBe(90);
    expect((await world.deps.store.auditTrail(id)).filter((e) => e.action === 'review')).toEqual([
      expect.objectContaining({ actor: { role: 'expert', subjectId: 'e1', name: '专家 e1' } }),
    ]);
    expect((await openReview(world.deps, token('e1'))).open).toBe(false);
    // Past the link's last day the same review is still answered as the first.
    const expires = (await world.deps.reviews.assignments(id)).find(
      (a) => a.expertId === 'e1',
    )?.linkExpiresAt;
    world.clock.advance(Date.parse(expires ?? '') - world.clock.now().getTime() + MINUTE_MS);
    await expect(openReview(world.deps, token('e1'))).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
    expect(await submitReview(world.deps, token('e1'), { ...evenReview(9), comment: '事迹突出' })).toEqual(
      first,
    );
  });

  it('records a review and its audit event as one write: when the event cannot be written, neither is the review', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    const writesBefore = (await world.deps.store.auditTrail(id)).length;
    world.deps.store.failWrites(1);
    await expect(submitReview(world.deps, token('e1'), evenReview(9))).rejects.toThrow();
    expect(
      (await world.deps.reviews.assignments(id)).find((a) => a.expertId === 'e1')?.review,
    ).toBeUndefined();
    expect(await world.deps.store.auditTrail(id)).toHaveLength(writesBefore);
    // Sent again, it records both, once.
    await submitReview(world.deps, token('e1'), evenReview(9));
    expect((await world.deps.reviews.assignments(id)).find((a) => a.expertId === 'e1')?.review?.total).toBe(
      90,
    );
    expect((await world.deps.store.auditTrail(id)).filter((e) => e.action === 'review')).toHaveLength(1);
  });

  it('records nothing without the confirmation, or with a mark outside the form', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    const { confirmed: _c, ...unconfirmed } = evenReview(9);
    await expect(submitReview(world.deps, token('e1'), unconfirmed)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const beyondMaximum = { ...evenReview(9), scores: { ...evenReview(9).scores, exemplary: 11 } };
    await expect(submitReview(world.deps, token('e1'), beyondMaximum)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      path: ['scores', 'exemplary'],
    });
    expect((await world.deps.reviews.assignments(id)).every((a) => !a.review)).toBe(true);
  });

  it('scores the nomination with the last review and answers the waiting execution, which keeps the verdict', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    await submitReview(world.deps, token('e1'), evenReview(9));
    await submitReview(world.deps, token('e2'), evenReview(8));
    expect((await stored(world, id)).status).toBe('in-review');
    expect(world.workflow.answers(id).map((a) => a.action === 'SendTaskSuccess' && a.output)).toEqual([
      { outcome: 'pass' },
    ]);
    const last = await submitReview(world.deps, token('e3'), { ...evenReview(7), recommend: false });
    expect(last.reviewsComplete).toBe(true);
    const score = { meanTotal: 80, expertTotals: [90, 80, 70], recommendations: 2, lowestTotal: 70 };
    // Scored with its score and its ranking entry, by the status change itself.
    const scored = await stored(world, id);
    expect(scored).toMatchObject({ status: 'scored', score });
    const [row] = await world.deps.reviews.rankingEntries('cast-2024', 'volunteer');
    expect(row).toMatchObject({ status: 'scored', entry: { nominationId: id } });
    expect(row?.entry.reviews.map((r) => r.recommend)).toEqual([true, true, false]);
    expect(world.workflow.answers(id).at(-1)).toMatchObject({
      output: { outcome: 'scored' },
      answer: 'delivered',
    });
    await world.settle();
    expect(world.workflow.execution(id)?.current).toBe('AwaitSelection');
    // The selection step found the score kept: it only stored its token (one version more), no aggregation again.
    expect(await stored(world, id)).toMatchObject({ score, version: scored.version + 1 });
  });

  it('closes with the last review from the assignments its request read, reading them no more; an earlier review stores itself only while another it read open still is, and reads nothing after', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    const reads = vi.spyOn(world.deps.reviews, 'assignments');
    const writes = vi.spyOn(world.deps.reviews, 'recordReview');
    // Not the last as its request read them: its write names another it read open, which holds.
    expect((await submitReview(world.deps, token('e1'), evenReview(9))).reviewsComplete).toBe(false);
    expect((await submitReview(world.deps, token('e2'), evenReview(8))).reviewsComplete).toBe(false);
    expect(reads).not.toHaveBeenCalled();
    expect(writes.mock.calls.map((call) => [call[1], call[4]])).toEqual([
      ['e1', 'e2'],
      ['e2', 'e3'],
    ]);
    writes.mockClear();
    reads.mockClear();
    const last = await submitReview(world.deps, token('e3'), evenReview(7));
    expect(last.reviewsComplete).toBe(true);
    expect(reads).not.toHaveBeenCalled();
    // The last as read names none: its write closes the nomination's reviews.
    expect(writes.mock.calls.map((call) => call[4])).toEqual([undefined]);
    expect(await stored(world, id)).toMatchObject({
      status: 'scored',
      score: { expertTotals: [90, 80, 70] },
    });
  });

  it('a review whose write meets the other it read open reviewed meanwhile reads them again and, the last now, closes the nomination', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    await submitReview(world.deps, token('e1'), evenReview(9));
    // e3 reviews between e2's read and e2's write.
    const record = world.deps.reviews.recordReview.bind(world.deps.reviews);
    let e3Reviewed = false;
    vi.spyOn(world.deps.reviews, 'recordReview').mockImplementation(async (...args) => {
      if (args[1] === 'e2' && !e3Reviewed) {
        e3Reviewed = true;
        expect((await submitReview(world.deps, token('e3'), evenReview(7))).reviewsComplete).toBe(false);
      }
      return record(...args);
    });
    const reads = vi.spyOn(world.deps.reviews, 'assignments');
    expect((await submitReview(world.deps, token('e2'), evenReview(8))).reviewsComplete).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await stored(world, id)).toMatchObject({
      status: 'scored',
      score: { expertTotals: [90, 80, 70] },
    });
    const trail = (await world.deps.store.auditTrail(id)).map((e) => e.action);
    expect(trail.filter((a) => a === 'review')).toHaveLength(3);
    expect(trail.filter((a) => a === 'reviews-complete')).toHaveLength(1);
  });

  it('scores the nomination once when the last two reviews arrive together', async () => {
    const world = memoryWorld();
    const { id, token } = await inReview(world);
    await submitReview(world.deps, token('e1'), evenReview(9));
    const both = await Promise.all([
      submitReview(world.deps, token('e2'), evenReview(8)),
      submitReview(world.deps, token('e3'), evenReview(7)),
    ]);
    expect(both.some((b) => b.reviewsComplete)).toBe(true);
    expect((await stored(world, id)).status).toBe('scored');
    const trail = (await world.deps.store.auditTrail(id)).map((e) => e.action);
    expect(trail.filter((a) => a === 'reviews-complete')).toHaveLength(1);
    expect(trail.filter((a) => a === 'review')).toHaveLength(3);
    const scored = world.workflow
      .answers(id)
      .filter((a) => a.action === 'SendTaskSuccess' && a.answer === 'delivered');
    expect(scored.map((a) => a.action === 'SendTaskSuccess' && a.output)).toEqual([
      { outcome: 'pass' },
      { outcome: 'scored' },
    ]);
  });
});
