import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../functions/ports/nominations.js';
import { AUDIT_ACTIONS } from '../../functions/rules/audit-actions.js';
import { AN_EXPERT, auditFor, isReviewStep } from '../../functions/rules/audit-view.js';

/**
 * The audit trail per reader (functions/rules/audit-view.ts): the nominating unit (and anyone
 * else but the secretariat) never learns who reviews — no expert's name or id, no reason of a
 * review step (they name experts, conflicts, the draw's picks) — while the secretariat keeps it all.
 */

const at = '2025-03-01T02:00:00.000Z';
const event = (action: string, actor: AuditEvent['actor'], reason?: string): AuditEvent => ({
  nominationId: 'n1',
  at,
  actor,
  action,
  ...(reason ? { reason } : {}),
});
const expert = { role: 'expert', subjectId: 'e-li', name: '李评审' } as const;
const secretariat = { role: 'secretariat', subjectId: 'sec-1', name: '王秘书' } as const;
const system = { role: 'system', subjectId: 'review', name: 'Laurel' } as const;

/** One event of every review step the code writes, with the reasons it writes. */
const reviewTrail: AuditEvent[] = [
  event('review-experts-drawn', system, '李评审、张评审：从 8 位可评审的专家中随机抽取（抽签种子 42）'),
  event('review-no-conflict-declared', expert),
  event('review-conflict-declared', expert, '同一单位：李评审曾在该单位任职'),
  event('review-recused', expert, '李评审：同一单位'),
  event('review-declined', expert, '李评审：出差'),
  event('review-reassigned', system, '张评审（接替 李评审）'),
  event('review-overdue', system, '李评审：已过评审期限（14 天）'),
  event('review-overdue-reassigned', system, '李评审：逾期'),
  event('review-conflict-dismissed', secretariat, '李评审（同一单位）：已离职'),
  event('review-extended', secretariat, '李评审：评审期限延长 3 天'),
  event('review-swapped', secretariat, '李评审：秘书处调整'),
  event('review-awaiting-expert', system, '可评审的专家不足：李评审已满额'),
  event('review', expert),
  event('reviews-complete', system),
];

describe('the audit trail as each reader sees it', () => {
  it('shows the unit every review step but no expert’s name, id or reason', () => {
    const seen = auditFor({ role: 'unit' }, reviewTrail);
    expect(seen.map((e) => e.action)).toEqual(reviewTrail.map((e) => e.action));
    const text = JSON.stringify(seen);
    for (const name of ['李评审', '张评审', 'e-li', '抽签种子', '同一单位']) expect(text).not.toContain(name);
    for (const e of seen) {
      expect(e.reason, e.action).toBeUndefined();
      if (e.actor.role === 'expert') expect(e.actor).toEqual(AN_EXPERT);
    }
    // The secretariat's and the system's own names are no secret.
    expect(seen.find((e) => e.action === 'review-swapped')?.actor).toEqual(secretariat);
  });

  it('keeps the secretariat’s trail whole', () => {
    expect(auditFor({ role: 'secretariat' }, reviewTrail)).toEqual(reviewTrail);
  });

  it('leaves the other steps as stored: the unit reads the screening reasons it must act on', () => {
    const screening = event('screening:return', secretariat, '请补充证明材料');
    expect(auditFor({ role: 'unit' }, [screening])).toEqual([screening]);
  });

  it('shows an expert as an expert on any step, not only the review steps', () => {
    const viewed = event('personal-data-export', expert, '李评审导出');
    expect(auditFor({ role: 'unit' }, [viewed])).toEqual([{ ...event('personal-data-export', AN_EXPERT) }]);
  });

  it('counts every review action the trail names among the review steps', () => {
    const named = Object.keys(AUDIT_ACTIONS).filter((a) => a.startsWith('review'));
    expect(named.length).toBeGreaterThan(10);
    for (const action of named) expect(isReviewStep(action), action).toBe(true);
    for (const e of reviewTrail) expect(isReviewStep(e.action), e.action).toBe(true);
    expect(isReviewStep('screening:pass')).toBe(false);
  });
});
