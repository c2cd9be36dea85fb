import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/rules/access.js';
import { confirmSelection, forward } from '../../../functions/use-cases/campaign-steps.js';
import { endorseForwarded } from '../../../functions/use-cases/endorsement.js';
import { listNominations } from '../../../functions/use-cases/secretariat.js';
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
 * The Forward task (forward in functions/use-cases/campaign-steps.ts) in a society's round: each
 * selected nomination enters the parent CAST round as the society's own nomination — submitted
 * on its behalf, counted against the society's quota there as a national society, with an
 * execution of its own — and the society's execution ends ForwardedToParent.
 */

const cacs = secretariatOf('cacs-2024');

/** Member units of the society nominate one volunteer each; reviewed, the first best; the selection confirmed. */
async function societySelects(world: World, members: number) {
  await inviteExperts(world, 'cacs-2024', [{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
  const ids: string[] = [];
  for (let i = 1; i <= members; i += 1) {
    const unit = await inviteUnit(world, 'cacs-2024', `member-${i}`, 'member', `会员单位${i}`);
    ids.push((await submitted(world, unit, 'volunteer')).id);
  }
  await passAll(world, ids);
  await reviewEverything(world, ['x1', 'x2', 'x3'], (id) => 10 - ids.indexOf(id));
  await endSubmissions(world, 'cacs-2024');
  await confirmSelection(world.deps, cacs, 'cacs-2024', {});
  await world.settle();
  return ids;
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

  it('forwarding again (a retried task) finds the same parent nomination and takes no second slot', async () => {
    const world = memoryWorld();
    const [first] = await societySelects(world, 2);
    const before = world.workflow.starts().length;
    expect(await forward(world.deps, first ?? '')).toEqual({ toParent: true });
    expect(world.workflow.starts().length).toBe(before);
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
  });

  it("refuses a forward past the society's CAST quota: that nomination stays selected and its execution fails for operations", async () => {
    const world = memoryWorld();
    // The society also nominated one volunteer in CAST directly, as a national society (2 per category).
    const society: Actor = await inviteUnit(
      world,
      'cast-2024',
      'cacs-2024',
      'national-society',
      '中国工艺美术学会',
    );
    await submitted(world, society, 'volunteer');
    const [first, second] = await societySelects(world, 2);
    const forwarded = [first, second].filter(
      (id) => world.workflow.execution(id ?? '')?.current === 'ForwardedToParent',
    );
    const refused = [first, second].filter((id) => !forwarded.includes(id)) as string[];
    expect(forwarded).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const [id] = refused as [string];
    expect(world.workflow.execution(id)).toMatchObject({
      status: 'FAILED',
      current: 'SystemFailure',
      errors: [expect.objectContaining({ state: 'Forward', Error: 'QuotaExceededError' })],
    });
    expect((await stored(world, id)).status).toBe('selected');
    expect((await stored(world, `${id}-p`)).status).toBe('draft');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cacs-2024')).toEqual({ volunteer: 2 });
  });

  it("leaves the society round's score, rank and reasons behind: CAST screens, reviews and ranks afresh", async () => {
    const world = memoryWorld();
    const [first] = (await societySelects(world, 2)) as [string, string];
    expect((await stored(world, first)).score).toBeDefined();
    const parent = await stored(world, `${first}-p`);
    expect(parent.score).toBeUndefined();
    expect(parent.selection).toBeUndefined();
    expect(parent.forwardedAs).toBeUndefined();
    expect(parent.forwardedFrom).toMatchObject({ campaignId: 'cacs-2024', nominationId: first });
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
});
