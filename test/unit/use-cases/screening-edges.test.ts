import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../../functions/rules/errors.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { inviteExperts, inviteUnit, secretariatOf, stored, submitted } from '../../support/memory/people.js';

/**
 * Screening's edges (functions/use-cases/screening.ts) beside the flows of screening.test.ts:
 * what the refusals say, what the audit trail keeps with each decision, the mail's labels, and a
 * rejection in a round whose units have no quota.
 */

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

async function atScreening(world: World, campaignId: 'cast-2024' | 'cacs-2024') {
  const unit =
    campaignId === 'cast-2024'
      ? await inviteUnit(world, campaignId, 'cas-astro', 'national-society', '中国天文学会')
      : await inviteUnit(world, campaignId, 'jdz', 'member', '景德镇陶瓷学会');
  await inviteExperts(world, campaignId, [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  return { unit, nomination: await submitted(world, unit, 'volunteer') };
}

/** The last screening decision in the nomination's audit trail (a notice's event follows it). */
const lastAudit = async (world: World, id: string) =>
  (await world.deps.store.auditTrail(id)).filter((e) => e.action.startsWith('screening:')).at(-1);

describe('screening, edge by edge', () => {
  it('says in both languages that a return or rejection needs reasons, and names a malformed decision', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world, 'cast-2024');
    const sec = secretariatOf('cast-2024');
    const e = await refusal(
      screen(world.deps, sec, nomination.id, { version: nomination.version, decision: 'reject' }),
    );
    expect(e).toMatchObject({ code: 'REASONS_REQUIRED', kind: 'invalid', path: ['reasons'] });
    expect(e.messages).toEqual({
      zh: '理由：退回或不予通过时必须说明理由',
      en: 'Reasons: required when returning or rejecting',
    });
    const malformed = await refusal(
      screen(world.deps, sec, nomination.id, { version: 1, decision: 'maybe' }),
    );
    expect(malformed.code).toBe('VALIDATION_FAILED');
    expect(malformed.messages.zh).toMatch(/^初核结论/);
    expect(malformed.messages.en).toMatch(/^The screening decision/);
  });

  it('keeps the reasons and the correction deadline in the audit, and mails them under their labels', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world, 'cast-2024');
    const returned = await screen(world.deps, secretariatOf('cast-2024'), nomination.id, {
      version: nomination.version,
      decision: 'return',
      reasons: '请补充服务时长证明。',
      correctionDate: '2025-02-10',
    });
    expect(returned.correctionUntil).toBe('2025-02-10T16:00:00.000Z');
    expect(await lastAudit(world, nomination.id)).toMatchObject({
      action: 'screening:return',
      reason: '请补充服务时长证明。（修改截止 2025-02-10 24:00 (UTC+8)）',
    });
    const mail = world.outbox.to('cas-astro@units.cn').at(-1);
    expect(mail?.text).toContain('理由');
    expect(mail?.text).toContain('Reasons: 请补充服务时长证明。');
    expect(mail?.text).toContain('修改后重新提交截止时间');
    expect(mail?.text).toContain('Correct and resubmit by');
    expect(mail?.text).toContain('2025-02-10 24:00 (UTC+8)');
  });

  it('keeps only the reasons for a rejection, and nothing for a pass', async () => {
    const world = memoryWorld();
    const { unit, nomination } = await atScreening(world, 'cast-2024');
    await screen(world.deps, secretariatOf('cast-2024'), nomination.id, {
      version: nomination.version,
      decision: 'reject',
      reasons: '不属于科技志愿者。',
    });
    expect(await lastAudit(world, nomination.id)).toMatchObject({
      action: 'screening:reject',
      reason: '不属于科技志愿者。',
    });
    const other = await submitted(world, unit, 'organization');
    const mailsBefore = world.outbox.sent.length;
    const passed = await screen(world.deps, secretariatOf('cast-2024'), other.id, {
      version: other.version,
      decision: 'pass',
    });
    expect(passed.reasons).toBeUndefined();
    const audit = await lastAudit(world, other.id);
    expect(audit?.action).toBe('screening:pass');
    expect(audit?.reason).toBeUndefined();
    expect(world.outbox.sent.slice(mailsBefore).filter((m) => m.to === 'cas-astro@units.cn')).toEqual([]);
  });

  it('rejects in a round without unit quotas without touching any ledger', async () => {
    const world = memoryWorld();
    const { nomination } = await atScreening(world, 'cacs-2024');
    const before = await world.deps.store.quotaLedger('cacs-2024', 'jdz');
    await screen(world.deps, secretariatOf('cacs-2024'), nomination.id, {
      version: nomination.version,
      decision: 'reject',
      reasons: '材料不全。',
    });
    expect((await stored(world, nomination.id)).status).toBe('rejected');
    expect(await world.deps.store.quotaLedger('cacs-2024', 'jdz')).toEqual(before);
  });
});
