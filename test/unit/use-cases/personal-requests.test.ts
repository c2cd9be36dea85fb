import { describe, expect, it } from 'vitest';
import type { Nomination } from '../../../functions/rules/nomination.js';
import { PERSONAL_FIELDS, personalFieldName } from '../../../functions/rules/personal-requests.js';
import { openPublicity } from '../../../functions/use-cases/campaign-steps.js';
import {
  correctPersonalData,
  deleteNomineeData,
  deletionView,
  type PersonalRequestDeps,
} from '../../../functions/use-cases/personal-requests.js';
import { submitReview } from '../../../functions/use-cases/reviews.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  endSubmissions,
  evenReview,
  forwardedInCast,
  inviteExperts,
  inviteUnit,
  passAll,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

/**
 * A person's requests as the secretariat carries them out, the parts the rules' tests do not
 * reach: the refusals word for word, the public lists published again after a correction of a
 * name shown there, the deletion page of a nomination forwarded to a parent round, and what a
 * deletion tells the workflow and the experts' assignments.
 */

const CAST = secretariatOf('cast-2024');
const CACS = secretariatOf('cacs-2024');
const REASON = '被推荐人本人书面申请删除';

async function castSubmission(world: World) {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  return { unit, n: await submitted(world, unit, 'volunteer') };
}

describe('the refusals of a correction, word for word', () => {
  it('names an unknown nomination, a draft, and data deleted already', async () => {
    const world = memoryWorld();
    await expect(
      correctPersonalData(world.deps, CAST, 'n-none', { version: 1, fields: { contact: '13900139000' } }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      messages: { zh: '推荐“n-none”不存在', en: 'No nomination "n-none"' },
    });
    const { unit, n } = await castSubmission(world);
    const { createDraft } = await import('../../../functions/use-cases/nominations.js');
    const draft = await createDraft(world.deps, unit, { category: 'project' });
    await expect(
      correctPersonalData(world.deps, CAST, draft.id, {
        version: draft.version,
        fields: { contact: '010-1' },
      }),
    ).rejects.toMatchObject({
      code: 'CORRECTION_DRAFT',
      path: ['status'],
      messages: {
        zh: '这是推荐单位尚未提交的草稿，由推荐单位自行修改',
        en: 'This is a draft the unit has not submitted; the unit edits it itself',
      },
    });
    await deleteNomineeData(world.deps, CAST, n.id, { version: n.version, reason: REASON });
    await expect(
      correctPersonalData(world.deps, CAST, n.id, { version: 99, fields: { contact: '13900139000' } }),
    ).rejects.toMatchObject({
      code: 'NOMINATION_ERASED',
      path: ['status'],
      messages: {
        zh: '此人的个人信息已按其请求删除，无法更正',
        en: "This person's data was deleted at their request; there is nothing to correct",
      },
    });
  });

  it('names the request in a bad input, in both languages', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    await expect(correctPersonalData(world.deps, CAST, n.id, { version: n.version })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      messages: {
        zh: expect.stringMatching(/^个人信息更正有 1 处错误/),
        en: expect.stringMatching(/^The correction has 1 error\(s\)/),
      },
    });
    await expect(deleteNomineeData(world.deps, CAST, n.id, { version: n.version })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      messages: {
        zh: expect.stringMatching(/^删除个人信息有 1 处错误/),
        en: expect.stringMatching(/^The deletion has 1 error\(s\)/),
      },
    });
    expect((await stored(world, n.id)).status).toBe('submitted');
  });
});

describe('a corrected name on the public lists', () => {
  it('is published again while the notice is up, and nothing is published before', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    await correctPersonalData(world.deps, CAST, n.id, {
      version: n.version,
      fields: { contact: '13900139000' },
    });
    expect(world.deps.publicFiles.files.size).toBe(0);

    const publicityWorld = memoryWorld();
    const [id = ''] = await forwardedInCast(publicityWorld, ['volunteer']);
    await endSubmissions(publicityWorld, 'cast-2024');
    await openPublicity(publicityWorld.deps, CAST, 'cast-2024');
    await publicityWorld.settle();
    const notice = () => publicityWorld.deps.publicFiles.files.get('cast-2024/publicity.json')?.body ?? '';
    expect(notice()).toContain('李晓梅');
    const shown = await stored(publicityWorld, id);
    await correctPersonalData(publicityWorld.deps, CAST, id, {
      version: shown.version,
      fields: { name: '李小梅' },
    });
    expect(notice()).toContain('李小梅');
    expect(notice()).not.toContain('李晓梅');
  });

  it('is published again on the released list', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    const state = await world.deps.campaignStore.state('cast-2024');
    await world.deps.campaignStore.saveState({ ...state, releasedAt: '2025-06-01T02:00:00.000Z' });
    // The nomination as a released one reads (the release itself is release.test.ts's).
    const deps = {
      ...world.deps,
      store: {
        ...world.deps.store,
        get: async (id: string) => {
          const found = await world.deps.store.get(id);
          return found && { ...found, status: 'released' as const };
        },
      },
    };
    await correctPersonalData(deps, CAST, n.id, { version: n.version, fields: { name: '李小梅' } });
    const released = world.deps.publicFiles.files.get('cast-2024/released.json')?.body ?? '';
    expect(released).toContain('李小梅');
  });
});

/** A society nomination said to be forwarded to CAST as `parent` (undefined: that copy is gone). */
function forwardedDeps(
  world: World,
  id: string,
  parent: Partial<Nomination> | undefined,
  campaigns = world.deps.campaigns,
) {
  return {
    ...world.deps,
    campaigns,
    store: {
      ...world.deps.store,
      get: async (wanted: string) => {
        if (wanted === 'cast-copy') return parent && ({ id: 'cast-copy', ...parent } as Nomination);
        const found = await world.deps.store.get(wanted);
        return found && wanted === id
          ? { ...found, forwardedAs: { campaignId: 'cast-2024', nominationId: 'cast-copy' } }
          : found;
      },
    },
  } as PersonalRequestDeps;
}

describe('the deletion page', () => {
  async function societySubmission() {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
    return { world, n: await submitted(world, unit, 'volunteer') };
  }

  it('refuses while the parent round keeps its copy, naming that round, and lists what may be corrected', async () => {
    const { world, n } = await societySubmission();
    const view = await deletionView(forwardedDeps(world, n.id, {}), CACS, n.id);
    expect(view.refusal).toEqual({
      zh: '此推荐已报送2024年度科技志愿服务先进典型宣传活动，对方保存着自己的一份材料，本单位无法删除。请先请2024年度科技志愿服务先进典型宣传活动秘书处删除其材料，再在此删除本单位保存的信息',
      en: 'This nomination was forwarded to 2024 S&T volunteer service models (CAST national round), which keeps its own copy that you cannot delete. Ask its secretariat to delete theirs first, then delete yours here',
    });
    expect(view).toMatchObject({ nominationId: n.id, version: n.version, erased: false });
    expect(view.correctable).toEqual(
      PERSONAL_FIELDS.volunteer.map((field) => ({ field, name: personalFieldName('volunteer', field) })),
    );
    expect(view.correctable[0]).toEqual({
      field: 'name',
      name: expect.objectContaining({ zh: expect.any(String) }),
    });
  });

  it('names "the parent round" when that round is not known here', async () => {
    const { world, n } = await societySubmission();
    const onlyOwn = new Map([
      ['cacs-2024', world.deps.campaigns.get('cacs-2024')],
    ]) as typeof world.deps.campaigns;
    const view = await deletionView(forwardedDeps(world, n.id, {}, onlyOwn), CACS, n.id);
    expect(view.refusal?.zh).toContain('此推荐已报送上级活动，');
    expect(view.refusal?.en).toContain('forwarded to the parent round, which');
  });

  it('allows it once the parent round deleted its copy, or the copy is gone', async () => {
    const { world, n } = await societySubmission();
    const deletedThere = {
      deletedOnRequest: { at: '2025-03-01T00:00:00.000Z', statusBefore: 'forwarded' as const },
    };
    expect((await deletionView(forwardedDeps(world, n.id, deletedThere), CACS, n.id)).refusal).toBeNull();
    expect((await deletionView(forwardedDeps(world, n.id, undefined), CACS, n.id)).refusal).toBeNull();
    const refused = deleteNomineeData(forwardedDeps(world, n.id, {}), CACS, n.id, {
      version: n.version,
      reason: REASON,
    });
    await expect(refused).rejects.toMatchObject({ code: 'ERASURE_FORWARDED' });
    expect((await stored(world, n.id)).status).toBe('submitted');
  });

  it('passes on a failure that is no refusal', async () => {
    const { world, n } = await societySubmission();
    const deps = forwardedDeps(world, n.id, {});
    const failing = {
      ...deps,
      store: {
        ...deps.store,
        get: async (id: string) => {
          if (id === 'cast-copy') throw new Error('ProvisionedThroughputExceeded');
          return deps.store.get(id);
        },
      },
    } as PersonalRequestDeps;
    await expect(deletionView(failing, CACS, n.id)).rejects.toThrow('ProvisionedThroughputExceeded');
  });

  it('shows a deletion done: erased, nothing more to do, no refusal', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    const before = await deletionView(world.deps, CAST, n.id);
    expect(before.effects.length).toBeGreaterThan(0);
    expect(before.erased).toBe(false);
    await deleteNomineeData(world.deps, CAST, n.id, { version: n.version, reason: REASON });
    const after = await deletionView(world.deps, CAST, n.id);
    expect(after).toMatchObject({ erased: true, effects: [], refusal: null });
  });

  it("is a draft's refusal for a draft", async () => {
    const world = memoryWorld();
    const { unit } = await castSubmission(world);
    const { createDraft } = await import('../../../functions/use-cases/nominations.js');
    const draft = await createDraft(world.deps, unit, { category: 'project' });
    expect((await deletionView(world.deps, CAST, draft.id)).refusal).toEqual({
      zh: '这是推荐单位尚未提交的草稿，由推荐单位自行修改或放弃',
      en: 'This is a draft the unit has not submitted; the unit edits or abandons it itself',
    });
    await expect(
      deleteNomineeData(world.deps, CAST, draft.id, { version: draft.version, reason: REASON }),
    ).rejects.toMatchObject({ code: 'ERASURE_DRAFT' });
  });
});

describe('a deletion', () => {
  it('stops the execution saying why, and ends only the reviews not given', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    await passAll(world, [n.id]);
    const [token = ''] = reviewTokens(world, 'e1');
    const { declareReview } = await import('../../../functions/use-cases/reviews.js');
    await declareReview(world.deps, token, { conflict: false });
    await submitReview(world.deps, token, evenReview(8));
    await world.settle();
    const stops: unknown[][] = [];
    const deps = {
      ...world.deps,
      workflow: {
        ...world.deps.workflow,
        stopExecution: async (...args: Parameters<typeof world.deps.workflow.stopExecution>) => {
          stops.push(args);
          return world.deps.workflow.stopExecution(...args);
        },
      },
    };
    const current = await stored(world, n.id);
    world.clock.advance(60_000);
    const answer = await deleteNomineeData(deps, CAST, n.id, { version: current.version, reason: REASON });
    expect(stops).toEqual([
      [
        n.id,
        'PersonalDataErased',
        'The secretariat deleted the nominee’s data at their request; the nomination left the campaign',
      ],
    ]);
    const mark = (await stored(world, n.id)).deletedOnRequest;
    expect(mark?.statusBefore).toBe(current.status);
    const assignments = await world.deps.reviews.assignments(n.id);
    expect(assignments.map((a) => [a.expertId, a.withdrawn])).toEqual([
      ['e1', undefined],
      ['e2', { at: mark?.at, reason: 'nominee-left', note: '' }],
      ['e3', { at: mark?.at, reason: 'nominee-left', note: '' }],
    ]);
    expect(answer.erasedAt).toBe((await stored(world, n.id)).erasure?.at);
  });

  it('writes the withdrawal over the version read, one more', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    const written: number[] = [];
    const deps = {
      ...world.deps,
      store: {
        ...world.deps.store,
        changeStatus: async (change: Parameters<typeof world.deps.store.changeStatus>[0]) => {
          written.push(change.nomination.version, change.expectedVersion);
          return world.deps.store.changeStatus(change);
        },
      },
    };
    await deleteNomineeData(deps, CAST, n.id, { version: n.version, reason: REASON });
    expect(written).toEqual([n.version + 1, n.version]);
  });

  it('records the reason at the instant of the erasure', async () => {
    const world = memoryWorld();
    const { n } = await castSubmission(world);
    // Each reading of the clock a second later: the erasure comes after the withdrawal.
    const ticking = {
      ...world.deps,
      clock: {
        now: () => {
          world.clock.advance(1000);
          return world.clock.now();
        },
      },
    };
    const answer = await deleteNomineeData(ticking, CAST, n.id, { version: n.version, reason: REASON });
    const after = await stored(world, n.id);
    expect(answer.erasedAt).toBe(after.erasure?.at);
    expect(answer.erasedAt).not.toBe(after.deletedOnRequest?.at);
    const trail = await world.deps.store.auditTrail(n.id);
    expect(trail.find((e) => e.action === 'erasure-reason')?.at).toBe(answer.erasedAt);
  });
});
