import { describe, expect, it } from 'vitest';
import {
  createDraft,
  getNomination,
  listOwnNominations,
  saveForm,
  submit,
  withdraw,
} from '../../../functions/use-cases/nominations.js';
import { grantExtension } from '../../../functions/use-cases/secretariat.js';
import { validateSubmission } from '../../../functions/use-cases/tasks.js';
import { organization, volunteer } from '../../fixtures/forms.js';
import { CONSENT, DECLARED } from '../../support/consent.js';
import { memoryWorld } from '../../support/memory/index.js';
import { completeDraft, inviteUnit, secretariatOf, stored, submitted } from '../../support/memory/people.js';

/**
 * A recommending unit's side (functions/use-cases/nominations.ts): drafts with the live check,
 * submission within the deadline and the quota (the ledger taken in the same transaction as the
 * status), the execution started once, withdrawal freeing the slot.
 */

describe('drafts', () => {
  it('saves an incomplete form and answers with what is still wrong and missing', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await createDraft(world.deps, unit, { category: 'volunteer' });
    expect(draft).toMatchObject({
      status: 'draft',
      version: 1,
      unitId: 'prov-zj',
      unitEmail: 'prov-zj@units.cn',
    });
    const { nomination, check } = await saveForm(world.deps, unit, draft.id, {
      version: 1,
      form: { name: '李晓梅' },
    });
    expect(nomination.version).toBe(2);
    expect(check.issues.map((i) => i.path[0])).toContain('gender');
    expect(check.eligibility).toBeNull();
    expect(check.attachmentIssues.map((i) => i.path[1])).toEqual(['word', 'scan', 'photo']);
    expect((await stored(world, draft.id)).form).toEqual({ name: '李晓梅' });
  });

  it('refuses a save from a stale version, keeping what the other window saved', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await createDraft(world.deps, unit, { category: 'volunteer' });
    await saveForm(world.deps, unit, draft.id, { version: 1, form: { name: '第一个窗口' } });
    await expect(
      saveForm(world.deps, unit, draft.id, { version: 1, form: { name: '第二个窗口' } }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', kind: 'conflict' });
    expect((await stored(world, draft.id)).form).toEqual({ name: '第一个窗口' });
  });

  it('shows a unit only its own nominations', async () => {
    const world = memoryWorld();
    const zj = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const js = await inviteUnit(world, 'cast-2024', 'prov-js', 'provincial-association');
    const draft = await createDraft(world.deps, zj, { category: 'site' });
    await expect(getNomination(world.deps, js, draft.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      submit(world.deps, js, draft.id, { version: 1, consent: CONSENT, declarations: DECLARED }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await listOwnNominations(world.deps, js)).nominations).toEqual([]);
  });
});

describe('submission', () => {
  it("keeps the [auto] criteria by the submission's own write: the execution's first task then reads and writes nothing", async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const draft = await completeDraft(world, unit, 'volunteer');
    const answer = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(answer.eligibility?.length).toBeGreaterThan(0);
    expect((await stored(world, draft.id)).eligibility).toEqual(answer.eligibility);
    const calls: string[] = [];
    // Every call to either store, named by the store and the method.
    const counted = <T extends object>(label: string, target: T): T =>
      new Proxy(target, {
        get: (inner, name) => {
          const member = inner[name as keyof T];
          if (typeof member !== 'function') return member;
          return (...args: unknown[]) => {
            calls.push(`${label}.${String(name)}`);
            return (member as (...a: unknown[]) => unknown).apply(inner, args);
          };
        },
      });
    const deps = {
      ...world.deps,
      store: counted('store', world.deps.store),
      campaignStore: counted('campaignStore', world.deps.campaignStore),
    };
    const input = world.workflow.starts()[0]?.input;
    expect(input).toEqual({ nominationId: draft.id, campaignId: 'cast-2024', eligibilityKept: true });
    expect(await validateSubmission(deps, input)).toEqual({ nominationId: draft.id });
    expect(calls).toEqual([]);
    // An execution started before the submission kept them: its task evaluates and stores them.
    expect(await validateSubmission(deps, { nominationId: draft.id })).toEqual({
      nominationId: draft.id,
      eligible: true,
    });
    expect(calls.filter((c) => c.startsWith('store.'))).toEqual(['store.get', 'store.save']);
    expect(calls.some((c) => c.startsWith('campaignStore.'))).toBe(true);
  });

  it('starts a nomination submitted before submits kept the criteria, whose request was cut short before its execution, without saying they are kept: its first task evaluates and stores them', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const draft = await completeDraft(world, unit, 'volunteer');
    // What such a submit left: submitted, no criteria stored, no execution.
    const { eligibility: _none, ...withoutCriteria } = draft;
    await world.deps.store.save(
      {
        ...withoutCriteria,
        status: 'submitted',
        version: draft.version + 1,
        submittedAt: world.deps.clock.now().toISOString(),
      },
      draft.version,
    );
    expect((await stored(world, draft.id)).eligibility).toBeUndefined();
    await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(world.workflow.starts().map((s) => s.input)).toEqual([
      { nominationId: draft.id, campaignId: 'cast-2024' },
    ]);
    await world.settle();
    expect((await stored(world, draft.id)).eligibility?.length).toBeGreaterThan(0);
  });

  it('submits a complete nomination: slot taken, audit written, execution started and waiting in screening', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const n = await submitted(world, unit, 'volunteer');
    expect(n).toMatchObject({ status: 'submitted', submittedAt: expect.any(String) });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    expect((await world.deps.store.auditTrail(n.id)).map((e) => e.action)).toEqual(['create', 'submit']);
    expect(world.workflow.starts()).toEqual([
      expect.objectContaining({
        name: n.id,
        input: { nominationId: n.id, campaignId: 'cast-2024', eligibilityKept: true },
      }),
    ]);
    // The execution evaluated the [auto] criteria and waits for the secretariat with its token on the nomination.
    expect(world.workflow.execution(n.id)?.states).toEqual(['AwaitScreening']);
    expect(n.eligibility?.length).toBeGreaterThan(0);
    expect(n.eligibility?.every((c) => c.passed)).toBe(true);
    expect(n.awaiting).toMatchObject({
      step: 'screening',
      taskToken: world.machines.tokensOf('laurel-nomination', n.id)[0]?.token,
    });
  });

  it('answers a repeated submit with the same nomination and starts no second execution nor takes a second slot', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const draft = await completeDraft(world, unit, 'project');
    const first = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    const again = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(again).toEqual(first);
    expect(world.workflow.starts().map((s) => s.answer)).toEqual(['started', 'running']);
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ project: 1 });
    expect((await world.deps.store.auditTrail(draft.id)).filter((e) => e.action === 'submit')).toHaveLength(
      1,
    );
  });

  it('refuses a national society its third nomination in one category, and takes it in another', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await submitted(world, unit, 'volunteer');
    await submitted(world, unit, 'volunteer');
    const third = await completeDraft(world, unit, 'volunteer');
    const refusal = await submit(world.deps, unit, third.id, {
      version: third.version,
      consent: CONSENT,
      declarations: DECLARED,
    }).catch((e) => e);
    expect(refusal).toMatchObject({ code: 'QUOTA_EXCEEDED', kind: 'rule', details: { limit: 2 } });
    expect(refusal.messages.zh).toContain('推荐名额已满');
    // Nothing of the refused submit happened: still a draft, no slot, no execution, no audit.
    expect(await stored(world, third.id)).toMatchObject({ status: 'draft', version: third.version });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 2 });
    expect(world.workflow.execution(third.id)).toBeUndefined();
    expect((await world.deps.store.auditTrail(third.id)).map((e) => e.action)).toEqual(['create']);
    await submitted(world, unit, 'site');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 2, site: 1 });
  });

  it('counts a directly affiliated unit over all categories together: five, then no more', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cast-direct', 'direct-unit');
    for (const category of ['volunteer', 'organization', 'project', 'site', 'site'] as const) {
      await submitted(world, unit, category);
    }
    const sixth = await completeDraft(world, unit, 'volunteer');
    await expect(
      submit(world.deps, unit, sixth.id, {
        version: sixth.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cast-direct')).toEqual({ 'all-categories': 5 });
  });

  it('frees the slot of a withdrawn submission, so the unit may submit another in its place', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const first = await submitted(world, unit, 'volunteer');
    await submitted(world, unit, 'volunteer');
    const withdrawn = await withdraw(world.deps, unit, first.id, { version: first.version });
    expect(withdrawn.status).toBe('withdrawn');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    await world.settle();
    // The execution waiting in screening was answered — a detour: its task failed under the outcome's name — and ended.
    expect(world.workflow.answers(first.id).map((a) => a.action === 'SendTaskFailure' && a.error)).toEqual([
      { Error: 'Laurel.Outcome.Withdrawn', Cause: '{"outcome":"withdrawn"}' },
    ]);
    expect(world.workflow.execution(first.id)).toMatchObject({ status: 'SUCCEEDED', current: 'Withdrawn' });
    const replacement = await submitted(world, unit, 'volunteer');
    expect(replacement.status).toBe('submitted');
  });

  it('submits an organization whose 人均时数 differs from 累计 ÷ 注册人数, with a hint', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await completeDraft(world, unit, 'organization', {
      ...organization(),
      serviceHoursPerPerson: 200,
    });
    const checked = await saveForm(world.deps, unit, draft.id, {
      version: draft.version,
      form: draft.form,
      noClassifiedContent: true,
    });
    expect(checked.check.issues).toEqual([]);
    expect(checked.check.hints).toEqual([
      expect.objectContaining({ path: ['serviceHoursPerPerson'], code: 'hours_per_person_mismatch' }),
    ]);
    const sent = await submit(world.deps, unit, draft.id, {
      version: checked.nomination.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(sent.status).toBe('submitted');
  });

  it('refuses a submission at the deadline instant, and accepts it from a unit given an extension', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const draft = await completeDraft(world, unit, 'organization');
    world.clock.set('2025-02-24T00:00:00+08:00');
    await expect(
      submit(world.deps, unit, draft.id, {
        version: draft.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
      details: { extended: false },
    });
    expect((await stored(world, draft.id)).status).toBe('draft');
    await grantExtension(world.deps, secretariatOf('cast-2024'), 'cast-2024', {
      unitId: 'prov-zj',
      until: '2025-03-01T00:00:00+08:00',
      reason: '公章因灾损毁，补办中',
    });
    const accepted = await submit(world.deps, unit, draft.id, {
      version: draft.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(accepted.status).toBe('submitted');
  });

  it('extends only the unit named: another unit is still past the deadline', async () => {
    const world = memoryWorld();
    const late = await inviteUnit(world, 'cast-2024', 'prov-js', 'provincial-association');
    const draft = await completeDraft(world, late, 'project');
    world.clock.set('2025-02-25T10:00:00+08:00');
    await grantExtension(world.deps, secretariatOf('cast-2024'), 'cast-2024', {
      unitId: 'prov-zj',
      until: '2025-03-01T00:00:00+08:00',
      reason: '公章因灾损毁，补办中',
    });
    // No new draft after the deadline either: the 新建推荐 button is gone and the API agrees.
    await expect(createDraft(world.deps, late, { category: 'site' })).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
    });
    await expect(
      submit(world.deps, late, draft.id, {
        version: draft.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
    });
  });

  it('refuses an invalid form, missing files and a missing declaration, each with its reason', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    const invalid = await completeDraft(world, unit, 'volunteer', {
      ...volunteer(),
      activitiesTakenPart: -1,
    });
    await expect(
      submit(world.deps, unit, invalid.id, {
        version: invalid.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      path: ['activitiesTakenPart'],
    });
    const bare = await createDraft(world.deps, unit, { category: 'volunteer' });
    const filled = await saveForm(world.deps, unit, bare.id, {
      version: 1,
      form: volunteer(),
      noClassifiedContent: true,
    });
    await expect(
      submit(world.deps, unit, bare.id, {
        version: filled.nomination.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({
      code: 'ATTACHMENTS_INCOMPLETE',
    });
    const undeclared = await completeDraft(world, unit, 'volunteer');
    const withdrawnDeclaration = await saveForm(world.deps, unit, undeclared.id, {
      version: undeclared.version,
      form: volunteer(),
      noClassifiedContent: false,
    });
    await expect(
      submit(world.deps, unit, undeclared.id, {
        version: withdrawnDeclaration.nomination.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    ).rejects.toMatchObject({ code: 'DECLARATION_MISSING' });
    expect(await world.deps.store.quotaLedger('cast-2024', 'prov-zj')).toEqual({});
    expect(world.workflow.starts()).toEqual([]);
  });
});
