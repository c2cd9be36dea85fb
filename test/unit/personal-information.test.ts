import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../functions/rules/categories.js';
import { FORMS } from '../../functions/rules/forms/index.js';
import { CONTACT_FIELDS, formForExpert } from '../../functions/rules/personal-information.js';
import { packageStatus, startPackage } from '../../functions/use-cases/forwarding-package.js';
import { personalDataOf } from '../../functions/use-cases/personal-data-export.js';
import { accessRecords, recordRead } from '../../functions/use-cases/personal-information.js';
import { declareReview, openReview } from '../../functions/use-cases/reviews.js';
import { screen } from '../../functions/use-cases/screening.js';
import { validForms } from '../fixtures/forms.js';
import { memoryWorld, PACKAGE_JOB_MACHINE } from '../support/memory/index.js';
import {
  forwardedInCast,
  inviteExperts,
  inviteUnit,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../support/memory/people.js';

/**
 * Least exposure (PIPL art. 6): what an expert receives of a nomination holds no phone, postal
 * address or birth month — neither in the form nor in a file that prints them.
 */

describe('contact fields of each form', () => {
  it('names only fields the official form has', () => {
    for (const category of CATEGORY_IDS) {
      const shape = (FORMS[category].schema as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of CONTACT_FIELDS[category])
        expect(shape, `${category}.${field}`).toHaveProperty(field);
    }
  });

  it('leaves every other field of the form as it was', () => {
    const { form, withheld } = formForExpert('volunteer', validForms.volunteer);
    expect(withheld).toEqual(['birthYearMonth', 'postalAddress', 'contact']);
    expect(Object.keys(form).sort()).toEqual(
      Object.keys(validForms.volunteer)
        .filter((key) => !withheld.includes(key))
        .sort(),
    );
    expect(form.mainDeeds).toBe(validForms.volunteer.mainDeeds);
  });
});

describe("an expert's view of a nomination", () => {
  it('holds none of its phone numbers, addresses or birth months, and only its photos', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, secretariatOf('cast-2024'), n.id, { version: n.version, decision: 'pass' });
    await world.settle();
    const token = reviewTokens(world, 'e1')[0] ?? '';
    await declareReview(world.deps, token, { conflict: false });

    const view = await openReview(world.deps, token);
    // The materials are there (the declaration was made), and the nominee is named.
    expect(view.nomination.form?.mainDeeds).toBe(n.form.mainDeeds);
    expect(view.nomination.displayName).toBe(n.form.name);
    const shown = JSON.stringify(view);
    for (const personal of [n.form.contact, n.form.postalAddress, n.form.birthYearMonth]) {
      expect(typeof personal).toBe('string');
      expect(shown).not.toContain(personal);
    }
    expect(view.nomination.withheld).toEqual(['birthYearMonth', 'postalAddress', 'contact']);
    expect(n.attachments.map((a) => a.kind).sort()).toEqual(['photo', 'photo', 'photo', 'scan', 'word']);
    expect(view.nomination.attachments?.map((a) => a.kind)).toEqual(['photo', 'photo', 'photo']);
  });
});

describe('access records', () => {
  it('keeps who read what and when, oldest first, and lists them to the secretariat only', async () => {
    const world = memoryWorld();
    const sec = secretariatOf('cast-2024');
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await recordRead(world.deps, unit, 'n-1', ['form', 'files']);
    world.clock.advance(1000);
    await recordRead(world.deps, { role: 'expert', subjectId: 'e1', name: '专家一' }, 'n-1', ['photos']);
    await recordRead(world.deps, sec, 'n-2', ['word-form']);

    const { reads } = await accessRecords(world.deps, sec, 'n-1');
    expect(reads.map((r) => [r.reader.role, r.reader.subjectId, r.read])).toEqual([
      ['unit', 'cas-astro', ['form', 'files']],
      ['expert', 'e1', ['photos']],
    ]);
    expect(Date.parse(reads[1]?.at ?? '') - Date.parse(reads[0]?.at ?? '')).toBe(1000);
    expect(reads[1]?.readNames).toEqual([{ zh: '照片', en: 'the photos' }]);
    await expect(accessRecords(world.deps, unit, 'n-1')).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe("a person's copy of their data", () => {
  it('holds the nomination, its reviews and objections, with experts, objectors and staff by role only', async () => {
    const world = memoryWorld();
    const [id = ''] = await forwardedInCast(world, ['volunteer']);
    await world.deps.campaignStore.addObjection({
      id: 'o-1',
      campaignId: 'cast-2024',
      nominationId: id,
      reason: '服务时长存疑',
      name: '异议人甲',
      contact: '13700009999',
      submittedAt: world.clock.now().toISOString(),
      resolution: {
        decision: 'dismiss',
        note: '经核实无误',
        at: world.clock.now().toISOString(),
        by: '秘书处张三',
      },
    });
    await recordRead(world.deps, { role: 'expert', subjectId: 'e1', name: '专家一号' }, id, ['photos']);
    const n = await stored(world, id);
    const data = personalDataOf(
      n,
      {
        audit: await world.deps.store.auditTrail(id),
        assignments: await world.deps.reviews.assignments(id),
        objections: await world.deps.campaignStore.objections('cast-2024'),
        reads: await world.deps.accessLog.reads(id),
      },
      world.clock.now(),
    );
    expect(data.nomination.form).toEqual(n.form);
    // The consent confirmed at submission, its confirmer by role.
    expect(n.consent?.by.subjectId).toBeTruthy();
    expect(data.nomination.consent).toEqual({
      noticeVersion: 1,
      confirmedAt: n.consent?.confirmedAt,
      by: 'unit',
    });
    expect(data.reviews).toHaveLength(3);
    expect(data.objections).toEqual([
      expect.objectContaining({
        reason: '服务时长存疑',
        resolution: expect.objectContaining({ decision: 'dismiss' }),
      }),
    ]);
    // The three experts' reads of the materials their declarations showed, and the one recorded here.
    expect(data.reads).toEqual([
      ...Array.from({ length: 3 }, () =>
        expect.objectContaining({ by: 'expert', read: ['form-without-contact', 'photos'] }),
      ),
      expect.objectContaining({ by: 'expert', read: ['photos'] }),
    ]);
    expect(data.files).toHaveLength(n.attachments.length);
    const text = JSON.stringify(data);
    for (const foreign of [
      '异议人甲',
      '13700009999',
      '秘书处张三',
      '专家一号',
      'e1',
      'e2',
      'e3',
      n.unitEmail ?? '?',
    ])
      expect(text, foreign).not.toContain(`"${foreign}"`);
    expect(text).not.toContain('taskToken');
  });
});

describe('the forwarding package', () => {
  it("records a read of every forwarded nominee's form and files by the secretariat who built it", async () => {
    const world = memoryWorld();
    const ids = await forwardedInCast(world, ['volunteer', 'project']);
    const sec = secretariatOf('cast-2024');
    // Before it, only the experts read them (the materials their declarations showed).
    const secretariatReads = async (id: string) =>
      (await world.deps.accessLog.reads(id)).filter((r) => r.reader.role === 'secretariat');
    for (const id of ids) expect(await secretariatReads(id)).toEqual([]);
    const started = await startPackage(world.deps, sec, 'cast-2024', {});
    await world.machines.settle({ machine: PACKAGE_JOB_MACHINE });
    const pack = await packageStatus(world.deps, sec, 'cast-2024', started.job.id);
    expect(pack.download?.nominations).toBe(2);
    for (const id of ids) {
      const reads = await secretariatReads(id);
      expect(reads.map((r) => [r.reader.role, r.reader.subjectId, r.read])).toEqual([
        ['secretariat', sec.subjectId, ['word-form', 'files']],
      ]);
    }
  });
});
