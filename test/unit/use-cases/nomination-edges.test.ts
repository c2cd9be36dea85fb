import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../../functions/rules/errors.js';
import {
  createDraft,
  getNomination,
  saveForm,
  submit,
  withdraw,
} from '../../../functions/use-cases/nominations.js';
import { volunteer } from '../../fixtures/forms.js';
import { CONSENT, DECLARED } from '../../support/consent.js';
import { memoryWorld } from '../../support/memory/index.js';
import { completeDraft, inviteUnit, stored, submitted } from '../../support/memory/people.js';

/**
 * The edges of the unit's use cases (functions/use-cases/nominations.ts) that a mutation pass
 * showed unseen: what each refusal says, what a new draft starts with, and a withdrawal's
 * version, audit, quota slot and retry.
 */

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('the unit side, edge by edge', () => {
  it('starts a draft undeclared, with the unit type, audited as created; names a malformed request', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const draft = await createDraft(world.deps, unit, { category: 'site' });
    expect(draft).toMatchObject({ noClassifiedContent: false, unitType: 'national-society', form: {} });
    expect((await world.deps.store.auditTrail(draft.id)).map((e) => e.action)).toEqual(['create']);
    const e = await refusal(createDraft(world.deps, unit, { category: 'nothing' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.messages.zh).toMatch(/^新建推荐有 1 处错误/);
    expect(e.messages.en).toMatch(/^The new nomination has 1 error\(s\)/);
  });

  it('answers an unknown nomination with NOT_FOUND', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const e = await refusal(getNomination(world.deps, unit, 'n-missing'));
    expect([e.code, e.kind]).toEqual(['NOT_FOUND', 'not-found']);
    expect(e.messages.en).toContain('nomination');
    expect(e.messages.zh).toContain('推荐');
  });

  it('refuses to edit a submitted nomination, on its status, and names a malformed save', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const n = await submitted(world, unit, 'volunteer');
    const e = await refusal(saveForm(world.deps, unit, n.id, { version: n.version, form: volunteer() }));
    expect([e.code, e.kind, e.path]).toEqual(['NOT_EDITABLE', 'conflict', ['status']]);
    expect(e.messages).toEqual({
      zh: '已提交的推荐不能修改；如需修改，请等待秘书处退回',
      en: 'A submitted nomination cannot be edited; wait until the secretariat returns it',
    });
    expect((await stored(world, n.id)).version).toBe(n.version);
    const draft = await createDraft(world.deps, unit, { category: 'site' });
    const bad = await refusal(saveForm(world.deps, unit, draft.id, { form: {} }));
    expect(bad.messages.zh).toMatch(/^保存推荐表有 1 处错误/);
    expect(bad.messages.en).toMatch(/^The form save has 1 error\(s\)/);
  });

  it('refuses a submission without the declaration as a rule on noClassifiedContent; names a malformed submit', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const complete = await completeDraft(world, unit, 'volunteer');
    const undeclared = await saveForm(world.deps, unit, complete.id, {
      version: complete.version,
      form: volunteer(),
      noClassifiedContent: false,
    });
    const e = await refusal(
      submit(world.deps, unit, complete.id, {
        version: undeclared.nomination.version,
        consent: CONSENT,
        declarations: DECLARED,
      }),
    );
    expect([e.code, e.kind, e.path]).toEqual(['DECLARATION_MISSING', 'rule', ['noClassifiedContent']]);
    expect(e.messages).toEqual({
      zh: '请先声明上传材料不含涉密内容',
      en: 'Declare first that the uploaded material holds no classified content',
    });
    const bad = await refusal(submit(world.deps, unit, complete.id, {}));
    expect(bad.messages.zh).toMatch(/^提交有 1 处错误/);
    expect(bad.messages.en).toMatch(/^The submission has 1 error\(s\)/);
  });

  it('withdraws a submission one version on, audited, its slot freed; a retry changes nothing', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    const n = await submitted(world, unit, 'volunteer');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    const withdrawn = await withdraw(world.deps, unit, n.id, { version: n.version });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', version: n.version + 1 });
    expect(await stored(world, n.id)).toMatchObject({ status: 'withdrawn', version: n.version + 1 });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 0 });
    const trail = (await world.deps.store.auditTrail(n.id)).map((e) => e.action);
    expect(trail.at(-1)).toBe('withdraw');
    // The same request again (a retry): the same answer, nothing written twice.
    expect(await withdraw(world.deps, unit, n.id, { version: n.version })).toEqual(withdrawn);
    expect((await world.deps.store.auditTrail(n.id)).map((e) => e.action)).toEqual(trail);
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 0 });
    const bad = await refusal(withdraw(world.deps, unit, n.id, {}));
    expect(bad.messages.en).toMatch(/^The withdrawal has 1 error\(s\)/);
    expect(bad.messages.zh).toMatch(/^撤回有 1 处错误/);
  });

  it('withdraws a draft without touching the quota ledger', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await submitted(world, unit, 'site');
    const draft = await createDraft(world.deps, unit, { category: 'site' });
    await withdraw(world.deps, unit, draft.id, { version: draft.version });
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ site: 1 });
  });
});
