import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { CATEGORY_IDS } from '../../functions/rules/categories.js';
import { FORMS } from '../../functions/rules/forms/index.js';
import type { NominationStatus } from '../../functions/rules/nomination-status.js';
import {
  assertErasable,
  correctedForm,
  deletionConsequence,
  PERSONAL_FIELDS,
  statusAfterErasure,
} from '../../functions/rules/personal-requests.js';
import { openPublicity } from '../../functions/use-cases/campaign-steps.js';
import { getNomination, submit } from '../../functions/use-cases/nominations.js';
import {
  correctPersonalData,
  deleteNomineeData,
  deletionView,
} from '../../functions/use-cases/personal-requests.js';
import { openReview } from '../../functions/use-cases/reviews.js';
import { validForms } from '../fixtures/forms.js';
import { memoryWorld } from '../support/memory/index.js';
import {
  completeDraft,
  consentIn,
  declaredIn,
  endSubmissions,
  forwardedInCast,
  inviteExperts,
  inviteUnit,
  passAll,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../support/memory/people.js';

/**
 * A person's requests to the secretariat (PIPL arts. 46–47): correct their personal fields through
 * the form's own checks, or delete their data — the nominee leaves the campaign, and the page says
 * what that does before it is done.
 */

const cast = builtinCampaign('cast-2024');
const sec = secretariatOf('cast-2024');

describe('the personal fields a correction may change', () => {
  it('are fields each official form has', () => {
    for (const category of CATEGORY_IDS) {
      const shape = (FORMS[category].schema as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of PERSONAL_FIELDS[category])
        expect(shape, `${category}.${field}`).toHaveProperty(field);
    }
  });

  it('refuses a field that is not personal, naming it and the ones that are, in both languages', () => {
    expect(() =>
      correctedForm('volunteer', validForms.volunteer, { mainDeeds: '改写的事迹' }, '2025-02-01'),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        kind: 'invalid',
        path: ['fields', 'mainDeeds'],
        messages: {
          zh: expect.stringContaining('“主要事迹”不是可由秘书处更正的个人信息'),
          en: expect.stringContaining('"Main deeds" is not personal information'),
        },
      }),
    );
  });

  it('checks the corrected form as the form is checked, naming the field', () => {
    expect(() => correctedForm('volunteer', validForms.volunteer, { contact: '12' }, '2025-02-01')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        path: ['contact'],
        messages: { zh: expect.stringContaining('联系方式'), en: expect.stringContaining('Contact phone') },
      }),
    );
    // A birth month after the volunteering began breaks the form's own cross-field check.
    expect(() =>
      correctedForm('volunteer', validForms.volunteer, { birthYearMonth: '2020-01' }, '2025-02-01'),
    ).toThrow(expect.objectContaining({ path: ['volunteeringSince'] }));
  });

  it('answers the fields whose value changed, and leaves every other field as it was', () => {
    const { form, changed } = correctedForm(
      'volunteer',
      validForms.volunteer,
      { contact: '13900139000', name: validForms.volunteer.name },
      '2025-02-01',
    );
    expect(changed).toEqual(['contact']);
    expect(form).toEqual({ ...validForms.volunteer, contact: '13900139000' });
  });
});

describe('what deleting a nominee does', () => {
  const consequence = (status: NominationStatus) =>
    deletionConsequence(cast, {
      status,
      unitType: 'national-society',
      unitName: '中国天文学会',
      category: 'volunteer',
    }).map((e) => e.id);

  it('takes a submitted nominee out: withdrawn, the place freed, the workflow ended, files erased, for good', () => {
    expect(consequence('submitted')).toEqual([
      'withdrawn',
      'slot-freed',
      'execution-ended',
      'files-erased',
      'final',
    ]);
  });

  it('takes reviews out of the ranking once past screening, and the public lists once on them', () => {
    expect(consequence('in-review')).toContain('reviews-removed');
    expect(consequence('in-publicity')).toEqual([
      'withdrawn',
      'slot-freed',
      'execution-ended',
      'reviews-removed',
      'public-lists',
      'files-erased',
      'final',
    ]);
    // Released: the execution has ended; the final list is published again without the person.
    expect(consequence('released')).not.toContain('execution-ended');
    expect(consequence('released')).toContain('public-lists');
  });

  it('changes no status, place or workflow of a nomination that has left already', () => {
    for (const status of ['rejected', 'withdrawn'] as const) {
      expect(statusAfterErasure(status)).toBe(status);
      expect(consequence(status)).toEqual(['files-erased', 'final']);
    }
  });

  it('says it in words, naming the unit whose place is freed', () => {
    const texts = deletionConsequence(cast, {
      status: 'submitted',
      unitType: 'national-society',
      unitName: '中国天文学会',
      category: 'volunteer',
    }).map((e) => e.text.zh);
    expect(texts).toContain('中国天文学会的推荐名额空出一个，可另行推荐');
    expect(texts.at(-1)).toBe('删除后无法恢复');
    expect(texts.join('')).not.toMatch(/[a-z]-[a-z]|\bn-\d/);
  });
});

describe('who may delete, and when', () => {
  it('leaves a draft to its unit', () => {
    expect(() => assertErasable({ status: 'draft' }, undefined)).toThrow(
      expect.objectContaining({ code: 'ERASURE_DRAFT', kind: 'conflict' }),
    );
  });

  it("refuses a society's deletion while CAST still holds its own copy, and says whom to ask", () => {
    const forwarded = {
      status: 'forwarded' as const,
      forwardedAs: { campaignId: 'cast-2024', nominationId: 'n-1' },
    };
    expect(() => assertErasable(forwarded, { erased: false, campaignName: cast.name })).toThrow(
      expect.objectContaining({
        code: 'ERASURE_FORWARDED',
        kind: 'conflict',
        messages: {
          zh: expect.stringContaining(`请先请${cast.name.zh}秘书处删除其材料`),
          en: expect.stringContaining('Ask its secretariat to delete theirs first'),
        },
      }),
    );
    expect(() => assertErasable(forwarded, { erased: true, campaignName: cast.name })).not.toThrow();
  });
});

describe("the secretariat corrects a person's fields", () => {
  it('writes the corrected fields against the version read and audits which fields, not their values', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    const answer = await correctPersonalData(world.deps, sec, n.id, {
      version: n.version,
      fields: { contact: '13900139000', postalAddress: '北京市海淀区中关村南大街 5 号' },
    });
    expect(answer.corrected.map((c) => c.name.zh)).toEqual(['通讯地址', '联系方式']);
    const after = await stored(world, n.id);
    expect(after.version).toBe(n.version + 1);
    expect(after.form).toMatchObject({
      contact: '13900139000',
      postalAddress: '北京市海淀区中关村南大街 5 号',
    });
    expect(after.form.mainDeeds).toBe(n.form.mainDeeds);
    const trail = await world.deps.store.auditTrail(n.id);
    const event = trail.find((e) => e.action === 'correct-personal-data');
    expect(event).toMatchObject({
      actor: { role: 'secretariat' },
      reason: expect.stringContaining('联系方式'),
    });
    expect(event?.reason).not.toContain('13900139000');
    expect(event?.reason).not.toContain('中关村');

    // The same request again: nothing left to change, the same fields named, nothing written.
    const again = await correctPersonalData(world.deps, sec, n.id, {
      version: n.version,
      fields: { contact: '13900139000', postalAddress: '北京市海淀区中关村南大街 5 号' },
    });
    expect(again.version).toBe(after.version);
    expect((await world.deps.store.auditTrail(n.id)).length).toBe(trail.length);
    // A different correction from the version read before: another window changed it meanwhile.
    await expect(
      correctPersonalData(world.deps, sec, n.id, { version: n.version, fields: { contact: '13700137000' } }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', kind: 'conflict' });
  });

  it('is for the secretariat of the campaign only, and never of a draft', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    const input = { version: n.version, fields: { contact: '13900139000' } };
    await expect(correctPersonalData(world.deps, unit, n.id, input)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(
      correctPersonalData(world.deps, secretariatOf('cacs-2024'), n.id, input),
    ).rejects.toMatchObject({ kind: 'not-found' });
    const draft = await completeDraft(world, unit, 'project');
    await expect(
      correctPersonalData(world.deps, sec, draft.id, {
        version: draft.version,
        fields: { contact: '010-12345678' },
      }),
    ).rejects.toMatchObject({ code: 'CORRECTION_DRAFT', kind: 'conflict' });
    expect((await stored(world, n.id)).form.contact).toBe(n.form.contact);
  });
});

describe("the secretariat deletes a nominee's data", () => {
  it('takes a submitted nominee out of the campaign: withdrawn, the place freed, the execution stopped, erased', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const first = await submitted(world, unit, 'volunteer');
    const second = await submitted(world, unit, 'volunteer');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 2 });
    const view = await deletionView(world.deps, sec, first.id);
    expect(view).toMatchObject({ erased: false, refusal: null, version: first.version });
    expect(view.effects.map((e) => e.id)).toContain('slot-freed');

    const answer = await deleteNomineeData(world.deps, sec, first.id, {
      version: first.version,
      reason: '被推荐人本人书面申请删除',
    });
    expect(answer).toMatchObject({ nominationId: first.id, status: 'withdrawn' });
    expect(answer.done.map((e) => e.id)).toEqual(view.effects.map((e) => e.id));
    // Erased by the retention job's routine, for this one person: the form, every file version.
    const erased = await stored(world, first.id);
    expect(erased.erasure).toMatchObject({ cause: 'request', by: { role: 'secretariat' } });
    expect(erased.erasure?.fileVersions).toBeGreaterThanOrEqual(first.attachments.length);
    expect(erased).toMatchObject({
      form: {},
      attachments: [],
      deletedOnRequest: { statusBefore: 'submitted' },
    });
    expect(world.deps.uploads.versionCount(`nominations/${first.id}/`)).toBe(0);
    expect(world.deps.uploads.versionCount(`nominations/${second.id}/`)).toBe(second.attachments.length);
    expect(world.workflow.execution(first.id)?.status).toBe('ABORTED');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    const trail = (await world.deps.store.auditTrail(first.id)).map((e) => [e.action, e.reason]);
    expect(trail).toContainEqual(['deletion-requested', undefined]);
    expect(trail).toContainEqual(['erasure-reason', '被推荐人本人书面申请删除']);

    // The unit has its place back: a third volunteer goes in.
    const third = await completeDraft(world, unit, 'volunteer');
    await submit(world.deps, unit, third.id, {
      version: third.version,
      consent: consentIn(world, unit),
      declarations: declaredIn(world, unit),
    });
    expect((await getNomination(world.deps, unit, third.id)).status).toBe('submitted');

    // A second delete answers the same and does nothing twice.
    const again = await deleteNomineeData(world.deps, sec, first.id, {
      version: first.version,
      reason: '同一删除请求再次提交',
    });
    expect(again).toEqual(answer);
    expect((await world.deps.store.auditTrail(first.id)).map((e) => [e.action, e.reason])).toEqual(trail);
    // Nobody else touched.
    expect((await stored(world, second.id)).status).toBe('submitted');
    expect(world.workflow.execution(second.id)?.status).toBe('RUNNING');
    // No correction after the deletion: the data is gone.
    await expect(
      correctPersonalData(world.deps, sec, first.id, { version: 99, fields: { contact: '13900139000' } }),
    ).rejects.toMatchObject({ code: 'NOMINATION_ERASED', kind: 'gone' });
  });

  it("kills the experts' links and takes the reviews out of the ranking", async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await passAll(world, [n.id]);
    const token = reviewTokens(world, 'e1')[0] ?? '';
    await expect(openReview(world.deps, token)).resolves.toMatchObject({ nomination: { id: n.id } });
    const current = await stored(world, n.id);
    const view = await deletionView(world.deps, sec, n.id);
    expect(view.effects.map((e) => e.id)).toContain('reviews-removed');
    await deleteNomineeData(world.deps, sec, n.id, {
      version: current.version,
      reason: '被推荐人本人书面申请删除',
    });
    await expect(openReview(world.deps, token)).rejects.toMatchObject({
      code: 'NOMINATION_ERASED',
      kind: 'gone',
    });
    expect(world.workflow.execution(n.id)?.status).toBe('ABORTED');
    // Its open reviews ended and left the experts' loads.
    expect((await world.deps.reviews.listExperts('cast-2024')).map((e) => e.load)).toEqual([0, 0, 0]);
    expect((await world.deps.reviews.assignments(n.id)).map((a) => a.withdrawn?.reason)).toEqual([
      'nominee-left',
      'nominee-left',
      'nominee-left',
    ]);
  });

  it('publishes the public notice again without the person', async () => {
    const world = memoryWorld();
    const [volunteer, site] = await forwardedInCast(world, ['volunteer', 'site']);
    await endSubmissions(world, 'cast-2024');
    await openPublicity(world.deps, sec, 'cast-2024');
    await world.settle();
    const notice = () => world.deps.publicFiles.files.get('cast-2024/publicity.json')?.body ?? '';
    expect(notice()).toContain('李晓梅');
    const n = await stored(world, volunteer ?? '');
    await deleteNomineeData(world.deps, sec, n.id, {
      version: n.version,
      reason: '被推荐人本人书面申请删除',
    });
    expect(notice()).not.toContain('李晓梅');
    expect(JSON.parse(notice()).entries.map((e: { nominationId: string }) => e.nominationId)).toEqual([site]);
  });

  it('refuses a stale version before doing anything', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    await correctPersonalData(world.deps, sec, n.id, {
      version: n.version,
      fields: { contact: '13900139000' },
    });
    await expect(
      deleteNomineeData(world.deps, sec, n.id, {
        version: n.version,
        reason: '被推荐人本人书面申请删除',
      }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect((await stored(world, n.id)).erasure).toBeUndefined();
    expect(world.deps.uploads.versionCount(`nominations/${n.id}/`)).toBe(n.attachments.length);
    expect((await stored(world, n.id)).status).toBe('submitted');
    expect(world.workflow.execution(n.id)?.status).toBe('RUNNING');
  });
});
