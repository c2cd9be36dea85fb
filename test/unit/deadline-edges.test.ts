import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import {
  assertResubmissionOpen,
  assertSubmissionOpen,
  assertSubmissionsEnded,
  checkClosure,
  correctionDeadline,
  latestCorrection,
  type SubmissionClosure,
} from '../../functions/rules/deadline.js';
import { DomainError } from '../../functions/rules/errors.js';

/**
 * The deadline rules' edges a mutation pass of functions/rules/deadline.ts found unseen: which
 * refusal a closure dated later gives, what each refusal says in both languages, the earliest of
 * two correction bounds, and the correction window exactly at its ends.
 */

const cast = builtinCampaign('cast-2024'); // deadline 2025-02-24T00:00+08:00
const cacs = builtinCampaign('cacs-2024'); // deadline 2025-02-14T00:00+08:00, forwards to CAST
const at = (instant: string) => new Date(instant);
const BY = { subjectId: 'sec', name: '秘书处' };

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the submission deadline and an early close', () => {
  it('refuses with the deadline, not the close, when the close is dated after now', () => {
    const later: SubmissionClosure = { at: '2025-03-01T00:00:00.000Z', reason: '提前截止', by: BY };
    const e = refusal(() => assertSubmissionOpen(cast, at('2025-02-25T00:00:00+08:00'), undefined, later));
    expect(e.code).toBe('DEADLINE_PASSED');
    expect(e.messages.zh).toBe('已过截止时间（2025-02-23 24:00 (UTC+8)），不能再提交');
    expect(e.details).not.toHaveProperty('closedEarly');
  });

  it('says who closed early, when and why, in both languages', () => {
    const closure: SubmissionClosure = { at: '2025-02-10T02:00:00.000Z', reason: '各单位已报送', by: BY };
    const e = refusal(() => assertSubmissionOpen(cast, at('2025-02-11T00:00:00+08:00'), undefined, closure));
    expect(e.messages.zh).toBe(
      '秘书处已于 2025-02-10 10:00 (UTC+8) 提前截止报送（理由：各单位已报送），不能再新建或提交推荐',
    );
    expect(e.messages.en).toBe(
      'The secretariat closed submissions early on 2025-02-10 10:00 (UTC+8) (reason: 各单位已报送); no nomination can be created or submitted',
    );
  });

  it('tells a step that must wait for the end of submissions when they end', () => {
    const e = refusal(() =>
      assertSubmissionsEnded(cast, at('2025-02-01T00:00:00+08:00'), undefined, {
        zh: '遴选',
        en: 'the selection',
      }),
    );
    expect(e).toMatchObject({ code: 'SUBMISSIONS_OPEN', kind: 'conflict' });
    expect(e.messages.zh).toBe(
      '报送截止时间 2025-02-23 24:00 (UTC+8) 尚未到，暂不能遴选；如需提前，请先说明理由提前截止报送',
    );
    expect(e.messages.en).toBe(
      'Submissions are open until 2025-02-23 24:00 (UTC+8); the selection must wait, unless the secretariat closes submissions early with a reason',
    );
    expect(e.details).toEqual({ deadline: '2025-02-23T16:00:00.000Z', now: '2025-01-31T16:00:00.000Z' });
  });

  it('names a closure already made, or a deadline already passed, in both languages', () => {
    const existing: SubmissionClosure = { at: '2025-02-10T02:00:00.000Z', reason: '各单位已报送', by: BY };
    const again = refusal(() =>
      checkClosure(cast, at('2025-02-11T00:00:00+08:00'), { reason: '另一理由' }, BY, existing),
    );
    expect(again).toMatchObject({ code: 'SUBMISSIONS_ENDED', kind: 'conflict' });
    expect(again.messages).toEqual({
      zh: '报送已于 2025-02-10 10:00 (UTC+8) 提前截止',
      en: 'Submissions were already closed on 2025-02-10 10:00 (UTC+8)',
    });
    const late = refusal(() =>
      checkClosure(cast, at('2025-02-25T00:00:00+08:00'), { reason: '理由充分' }, BY),
    );
    expect(late.messages).toEqual({
      zh: '报送截止时间已过，无需提前截止',
      en: 'The deadline has passed; there is nothing to close',
    });
    const malformed = refusal(() => checkClosure(cast, at('2025-02-11T00:00:00+08:00'), { reason: '' }, BY));
    expect(malformed.messages.zh).toMatch(/^提前截止/);
    expect(malformed.messages.en).toMatch(/^The early close/);
  });
});

describe('resubmission after a return', () => {
  it('without a correction window, refuses as a submission would (the close, or the deadline)', () => {
    const closure: SubmissionClosure = { at: '2025-02-10T02:00:00.000Z', reason: '各单位已报送', by: BY };
    const closed = refusal(() =>
      assertResubmissionOpen(cast, at('2025-02-11T00:00:00+08:00'), undefined, undefined, closure),
    );
    expect(closed.messages.zh).toMatch(/^秘书处已于/);
    const late = refusal(() => assertResubmissionOpen(cast, at('2025-02-25T00:00:00+08:00'), undefined));
    expect(late.messages.zh).toBe('已过截止时间（2025-02-23 24:00 (UTC+8)），不能再提交');
  });

  it('after its window, names the window in both languages', () => {
    const e = refusal(() =>
      assertResubmissionOpen(cast, at('2025-03-01T00:00:00+08:00'), '2025-02-28T16:00:00.000Z'),
    );
    expect(e.messages).toEqual({
      zh: '修改期限（2025-02-28 24:00 (UTC+8)）已过，不能再重新提交',
      en: 'The correction period ended on 2025-02-28 24:00 (UTC+8); the nomination can no longer be resubmitted',
    });
  });
});

describe('the correction deadline', () => {
  it('is bounded by the earlier of the parent round and the campaign’s own latest; by nothing without either', () => {
    expect(latestCorrection(cast)).toBeUndefined();
    expect(latestCorrection(cacs, cast)?.toISOString()).toBe('2025-02-23T16:00:00.000Z');
    const ownEarlier: Campaign = {
      ...cacs,
      corrections: { ...cacs.corrections, latest: '2025-02-20T00:00:00+08:00' },
    };
    expect(latestCorrection(ownEarlier, cast)?.toISOString()).toBe('2025-02-19T16:00:00.000Z');
    const ownLater: Campaign = {
      ...cacs,
      corrections: { ...cacs.corrections, latest: '2025-03-20T00:00:00+08:00' },
    };
    expect(latestCorrection(ownLater, cast)?.toISOString()).toBe('2025-02-23T16:00:00.000Z');
  });

  it('refuses a return exactly at the forwarding deadline, in both languages, naming the field', () => {
    const e = refusal(() => correctionDeadline(cacs, at('2025-02-24T00:00:00+08:00'), cast));
    expect(e).toMatchObject({ code: 'CORRECTION_TOO_LATE', kind: 'rule', path: ['correctionDate'] });
    expect(e.messages).toEqual({
      zh: '已过本单位向上报送的截止时间 2025-02-23 24:00 (UTC+8)，不能再退回修改；请通过或不予通过',
      en: "The organizer's forwarding deadline 2025-02-23 24:00 (UTC+8) has passed: a return could not be answered in time; pass or reject instead",
    });
    expect(correctionDeadline(cacs, at('2025-02-23T23:59:59.999+08:00'), cast).toISOString()).toBe(
      '2025-02-23T16:00:00.000Z',
    );
  });

  it('refuses a requested day that ends exactly now, or passes the forwarding deadline, in both languages', () => {
    const endOfDay = at('2025-02-11T00:00:00+08:00');
    const over = refusal(() => correctionDeadline(cacs, endOfDay, cast, '2025-02-10'));
    expect(over.messages).toEqual({
      zh: '修改截止日期已过，请选择今天或以后的日期',
      en: 'The correction date is over; choose today or a later day',
    });
    expect(correctionDeadline(cacs, new Date(endOfDay.getTime() - 1), cast, '2025-02-10').toISOString()).toBe(
      '2025-02-10T16:00:00.000Z',
    );
    const past = refusal(() => correctionDeadline(cacs, endOfDay, cast, '2025-02-24'));
    expect(past.messages).toEqual({
      zh: '修改截止日期不能晚于 2025-02-23 24:00 (UTC+8)（向上报送截止时间）',
      en: "The correction date cannot pass 2025-02-23 24:00 (UTC+8), the organizer's forwarding deadline",
    });
  });
});
