import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../functions/rules/access.js';
import { DomainError } from '../../functions/rules/errors.js';
import {
  assertCanRead,
  type NominationAction,
  notFound,
  staleVersion,
  statusName,
  transition,
} from '../../functions/rules/nomination.js';
import { NOMINATION_STATUSES, type NominationStatus } from '../../functions/rules/nomination-status.js';

/**
 * A nomination's life (functions/rules/nomination.ts): the moves the campaign allows, written out
 * here from the rules of the round (CAMPAIGN.md), who may make each, and how a refusal is worded.
 */

const actor = (role: Role, subjectId = 'u-1', campaignId = 'cast-2024'): Actor => ({
  role,
  campaignId,
  subjectId,
  name: '某人',
  email: 'a@example.cn',
});

/** Every allowed move: [from, action, to, who]. */
const LIFE: [NominationStatus, NominationAction, NominationStatus, Role | 'system'][] = [
  ['draft', 'submit', 'submitted', 'unit'],
  ['draft', 'withdraw', 'withdrawn', 'unit'],
  ['submitted', 'withdraw', 'withdrawn', 'unit'],
  ['returned', 'withdraw', 'withdrawn', 'unit'],
  ['submitted', 'pass', 'in-review', 'secretariat'],
  ['submitted', 'return', 'returned', 'secretariat'],
  ['submitted', 'reject', 'rejected', 'secretariat'],
  ['returned', 'resubmit', 'submitted', 'unit'],
  ['in-review', 'scored', 'scored', 'system'],
  ['scored', 'select', 'selected', 'secretariat'],
  ['scored', 'not-select', 'not-selected', 'secretariat'],
  ['selected', 'forward', 'forwarded', 'system'],
  ['forwarded', 'open-publicity', 'in-publicity', 'secretariat'],
  ['in-publicity', 'uphold-objection', 'withdrawn-after-objection', 'secretariat'],
  ['in-publicity', 'release', 'released', 'secretariat'],
];
const ACTIONS = [...new Set(LIFE.map(([, action]) => action))];
const byWhom = (who: Role | 'system') => (who === 'system' ? 'system' : actor(who));

function refusal(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('nothing was refused');
}

describe('the moves of a nomination', () => {
  it.each(LIFE)('from %s, %s leads to %s, by the %s', (from, action, to, who) => {
    expect(transition({ status: from }, action, byWhom(who))).toBe(to);
  });

  it('refuses every other move as a conflict naming where the nomination stands', () => {
    let refused = 0;
    for (const status of NOMINATION_STATUSES) {
      for (const action of ACTIONS) {
        const allowed = LIFE.find(([from, a]) => from === status && a === action);
        if (allowed) continue;
        const who = LIFE.find(([, a]) => a === action)?.[3] ?? 'system';
        const error = refusal(() => transition({ status }, action, byWhom(who)));
        expect([error.code, error.kind, error.path]).toEqual(['WRONG_STATUS', 'conflict', ['status']]);
        expect(error.details).toEqual({ status, action });
        refused += 1;
      }
    }
    expect(refused).toBe(NOMINATION_STATUSES.length * ACTIONS.length - LIFE.length);
  });

  it('words a move refused in its status in both languages', () => {
    const error = refusal(() => transition({ status: 'in-review' }, 'withdraw', actor('unit')));
    expect(error.messages).toEqual({
      zh: '推荐当前状态为“专家评审中”，不能撤回',
      en: 'The nomination is in expert review; it cannot withdraw now',
    });
    expect(
      refusal(() => transition({ status: 'released' }, 'release', actor('secretariat'))).messages,
    ).toEqual({
      zh: '推荐当前状态为“已正式发布”，不能正式发布',
      en: 'The nomination is released; it cannot release now',
    });
  });

  it.each([
    ['submit', 'secretariat', '无权提交', 'You may not submit this nomination'],
    ['resubmit', 'expert', '无权重新提交', 'You may not resubmit this nomination'],
    ['pass', 'unit', '无权初核通过', 'You may not pass screening this nomination'],
    ['release', 'ops', '无权正式发布', 'You may not release this nomination'],
    ['select', 'system', '无权择优入选', 'You may not select this nomination'],
    [
      'scored',
      'secretariat',
      '“评审完成”由系统自动完成，不能手动操作',
      '“reviews complete” is done by Laurel itself, not by hand',
    ],
    [
      'forward',
      'secretariat',
      '“推荐上报”由系统自动完成，不能手动操作',
      '“forward” is done by Laurel itself, not by hand',
    ],
    [
      'forward',
      'ops',
      '“推荐上报”由系统自动完成，不能手动操作',
      '“forward” is done by Laurel itself, not by hand',
    ],
  ] as const)('forbids %s to the %s, before looking at the status', (action, who, zh, en) => {
    // The status is one the move could never start from: the role is refused first.
    const error = refusal(() => transition({ status: 'withdrawn' }, action, byWhom(who)));
    expect([error.code, error.kind]).toEqual(['FORBIDDEN', 'forbidden']);
    expect(error.messages).toEqual({ zh, en });
  });
});

describe('the name of a status', () => {
  it('is worded for people in both languages', () => {
    expect(statusName('submitted')).toEqual({ zh: '已提交，待初核', en: 'submitted, awaiting screening' });
    expect(statusName('withdrawn-after-objection')).toEqual({
      zh: '因异议成立撤销',
      en: 'withdrawn after an upheld objection',
    });
  });
});

describe('who may read a nomination', () => {
  const nomination = { campaignId: 'cast-2024', unitId: 'unit-a' };

  it.each([
    ['its own unit', actor('unit', 'unit-a'), false],
    ['an expert it is assigned to', actor('expert', 'e-1'), true],
    ['the secretariat of its campaign', actor('secretariat', 's-1'), false],
  ] as const)('lets %s read it', (_who, reader, assigned) => {
    expect(() => assertCanRead(reader, nomination, assigned)).not.toThrow();
  });

  it.each([
    ['another unit', actor('unit', 'unit-b'), false],
    ['an expert it is not assigned to', actor('expert', 'e-1'), false],
    ['a unit assigned nothing, whatever the flag', actor('unit', 'unit-b'), true],
    ['operations', actor('ops', 'o-1'), true],
    ['its own unit signed in to another campaign', actor('unit', 'unit-a', 'cacs-2024'), false],
    ['the secretariat of another campaign', actor('secretariat', 's-1', 'cacs-2024'), false],
    ['an expert assigned in another campaign', actor('expert', 'e-1', 'cacs-2024'), true],
  ] as const)('refuses %s', (_who, reader, assigned) => {
    const error = refusal(() => assertCanRead(reader, nomination, assigned));
    expect([error.code, error.kind]).toEqual(['FORBIDDEN', 'forbidden']);
    expect(error.messages).toEqual({ zh: '无权查看此推荐', en: 'You may not see this nomination' });
  });

  it('takes an expert as not assigned unless told', () => {
    expect(() => assertCanRead(actor('expert', 'e-1'), nomination)).toThrow(DomainError);
  });
});

describe('the refusals a nomination store words', () => {
  it('names what was not found, quoting a long id shortened', () => {
    const error = notFound({ zh: '推荐', en: 'nomination' }, 'n-abc');
    expect([error.code, error.kind]).toEqual(['NOT_FOUND', 'not-found']);
    expect(error.messages).toEqual({ zh: '推荐“n-abc”不存在', en: 'No nomination "n-abc"' });
    expect(notFound({ zh: '推荐', en: 'nomination' }, 'x'.repeat(41)).messages.en).toBe(
      `No nomination "${'x'.repeat(40)}…"`,
    );
  });

  it('asks to reload after a change made elsewhere', () => {
    const error = staleVersion('n-abc');
    expect([error.code, error.kind, error.details]).toEqual([
      'VERSION_CONFLICT',
      'conflict',
      { nominationId: 'n-abc' },
    ]);
    expect(error.messages).toEqual({
      zh: '该推荐已被他人或另一窗口修改，请刷新后重试',
      en: 'This nomination was changed elsewhere meanwhile; reload and try again',
    });
  });
});
