import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import { expertPanel } from '../../../functions/use-cases/expert-panel.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { invite, inviteExperts, inviteUnit, secretariatOf, submitted } from '../../support/memory/people.js';

/**
 * The expert panel as the use case gathers it: the pool, every assignment, the nominations in
 * review — and a nomination an assignment names that has left those statuses still shown — with
 * the round's cap on an expert's load; for the round's secretariat only.
 */

const sec = secretariatOf('cast-2024');

/** CAST's round with its review changed as given. */
const castWith = (review: Partial<Campaign['review']>) => {
  const cast = BUILTIN_CAMPAIGNS.get('cast-2024') as Campaign;
  return new Map(BUILTIN_CAMPAIGNS).set('cast-2024', { ...cast, review: { ...cast.review, ...review } });
};

/** One nomination passed at screening and given its three experts. */
async function inReview(world: World) {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  const n = await submitted(world, unit, 'volunteer');
  await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
  await world.settle();
  return n.id;
}

describe('expertPanel', () => {
  it("caps an expert's load at the round's default unless the expert has a cap of their own", async () => {
    const world = memoryWorld({ campaigns: castWith({ maxLoadPerExpert: 4 }) });
    await invite(world, sec, {
      role: 'expert',
      subjectId: 'e1',
      name: '专家 e1',
      email: 'e1@experts.cn',
      maxLoad: 2,
    });
    await invite(world, sec, { role: 'expert', subjectId: 'e2', name: '专家 e2', email: 'e2@experts.cn' });
    const panel = await expertPanel(world.deps, sec, 'cast-2024');
    expect(panel.experts.map((e) => [e.id, e.maxLoad])).toEqual([
      ['e1', 2],
      ['e2', 4],
    ]);
  });

  it('shows no cap where neither the round nor the expert sets one', async () => {
    const world = memoryWorld({ campaigns: castWith({ maxLoadPerExpert: undefined }) });
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }]);
    const panel = await expertPanel(world.deps, sec, 'cast-2024');
    expect(panel.experts.map((e) => [e.id, e.maxLoad])).toEqual([['e1', null]]);
  });

  it('still shows a nomination its experts were assigned to once it left the review statuses, and skips one gone', async () => {
    const world = memoryWorld();
    const id = await inReview(world);
    const listed = await expertPanel(world.deps, sec, 'cast-2024');
    expect(listed.nominations.map((n) => n.id)).toEqual([id]);
    // The status lists no longer hold it; an assignment also names a nomination deleted since.
    const read: string[] = [];
    const deps = {
      ...world.deps,
      store: {
        ...world.deps.store,
        listByStatus: async () => [],
        get: async (nominationId: string) => {
          read.push(nominationId);
          return world.deps.store.get(nominationId);
        },
      },
      reviews: {
        ...world.deps.reviews,
        assignmentsOfExpert: async (campaignId: string, expertId: string) => [
          ...(await world.deps.reviews.assignmentsOfExpert(campaignId, expertId)),
          ...(expertId === 'e1'
            ? [
                {
                  nominationId: 'n-gone',
                  expertId,
                  expertName: '专家 e1',
                  assignedAt: '2025-02-01T01:00:00.000Z',
                },
              ]
            : []),
        ],
      },
    };
    const panel = await expertPanel(deps, sec, 'cast-2024');
    expect(panel.nominations.map((n) => n.id)).toEqual([id]);
    expect(panel.nominations[0]?.reviewers.map((r) => r.expertId)).toEqual(
      listed.nominations[0]?.reviewers.map((r) => r.expertId),
    );
    // Each missing nomination read once, however many experts it has.
    expect(read.sort()).toEqual([id, 'n-gone'].sort());
    expect(panel.experts.find((e) => e.id === 'e1')?.assigned).toBe(2);
  });

  it('is a 404 for an unknown round and a 403 for anyone but its secretariat', async () => {
    const world = memoryWorld();
    await expect(expertPanel(world.deps, sec, 'nowhere')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      messages: { zh: '活动“nowhere”不存在', en: 'No campaign "nowhere"' },
    });
    await expect(expertPanel(world.deps, secretariatOf('cacs-2024'), 'cast-2024')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await expect(expertPanel(world.deps, unit, 'cast-2024')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
