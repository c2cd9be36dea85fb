import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import {
  assertResubmissionOpen,
  assertSubmissionOpen,
  assertSubmissionsEnded,
  checkClosure,
  checkExtension,
  correctionDeadline,
  correctionReminderDue,
  isSubmissionOpen,
  MAX_CORRECTION_DAYS,
} from '../../functions/rules/deadline.js';
import { DeadlinePassedError, DomainError, ValidationError } from '../../functions/rules/errors.js';

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');
const at = (iso: string) => new Date(iso);

describe('submission deadline', () => {
  // "2月13日前" as offices read it: by the end of 13 February, China time.
  it('accepts the society round at 23:59 China time on 13 February and refuses at 00:00 on the 14th', () => {
    expect(isSubmissionOpen(cacs, at('2025-02-13T23:59:00+08:00'))).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-13T23:59:59.999+08:00'))).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-14T00:00:00+08:00'))).toBe(false);
    // The same instant written in UTC: 16:00 on the 13th.
    expect(isSubmissionOpen(cacs, at('2025-02-13T16:00:00Z'))).toBe(false);
  });

  it('accepts the CAST round all through 23 February and refuses from the 24th', () => {
    expect(() => assertSubmissionOpen(cast, at('2025-02-23T23:59:59+08:00'))).not.toThrow();
    expect(() => assertSubmissionOpen(cast, at('2025-02-24T00:00:00+08:00'))).toThrow(DeadlinePassedError);
  });

  it('says when the deadline was, in China time, in both languages', () => {
    try {
      assertSubmissionOpen(cacs, at('2025-02-14T08:00:00+08:00'));
      expect.unreachable();
    } catch (error) {
      const e = error as DeadlinePassedError;
      expect(e.code).toBe('DEADLINE_PASSED');
      expect(e.messages.zh).toBe('已过截止时间（2025-02-13 24:00 (UTC+8)），不能再提交');
      expect(e.messages.en).toBe(
        'The deadline (2025-02-13 24:00 (UTC+8)) has passed; submissions are closed',
      );
    }
  });

  it("honours one unit's extension and nobody else's", () => {
    const extension = checkExtension(
      cacs,
      { unitId: 'unit-jingdezhen', until: '2025-02-16T00:00:00+08:00', reason: '春节期间公章无法使用' },
      cast,
    );
    expect(isSubmissionOpen(cacs, at('2025-02-15T12:00:00+08:00'), extension)).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-16T00:00:00+08:00'), extension)).toBe(false);
    expect(isSubmissionOpen(cacs, at('2025-02-15T12:00:00+08:00'))).toBe(false);
    expect(isSubmissionOpen(cacs, at('2025-02-14T12:00:00+08:00'))).toBe(false);
    expect(() => assertSubmissionOpen(cacs, at('2025-02-16T01:00:00+08:00'), extension)).toThrow(/extended/);
  });

  it('refuses an extension that is not later, passes the parent round, or has no reason', () => {
    const base = { unitId: 'u1', reason: '系统故障' };
    expect(() => checkExtension(cacs, { ...base, until: '2025-02-12T00:00:00+08:00' })).toThrow(DomainError);
    expect(() => checkExtension(cacs, { ...base, until: '2025-02-25T00:00:00+08:00' }, cast)).toThrow(
      /parent campaign's deadline/,
    );
    try {
      checkExtension(cacs, { ...base, until: '2025-02-15T00:00:00+08:00', reason: '  ' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]).toMatchObject({
        path: ['reason'],
        message: { zh: '延期理由：不能为空' },
      });
    }
  });

  it('refuses an extension exactly on the deadline and accepts one a millisecond later', () => {
    const base = { unitId: 'u1', reason: '系统故障' };
    try {
      checkExtension(cacs, { ...base, until: '2025-02-14T00:00:00+08:00' });
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('EXTENSION_NOT_LATER');
      expect((error as DomainError).path).toEqual(['until']);
    }
    expect(checkExtension(cacs, { ...base, until: '2025-02-14T00:00:00.001+08:00' }).until).toBe(
      '2025-02-14T00:00:00.001+08:00',
    );
  });

  it("accepts an extension exactly on the parent's deadline and refuses one a millisecond after", () => {
    const base = { unitId: 'u1', reason: '系统故障' };
    const onParent = checkExtension(cacs, { ...base, until: '2025-02-24T00:00:00+08:00' }, cast);
    expect(onParent.until).toBe('2025-02-24T00:00:00+08:00');
    try {
      checkExtension(cacs, { ...base, until: '2025-02-24T00:00:00.001+08:00' }, cast);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('EXTENSION_AFTER_PARENT_DEADLINE');
    }
    // Without a parent round there is no upper bound.
    expect(() => checkExtension(cacs, { ...base, until: '2025-03-01T00:00:00+08:00' })).not.toThrow();
  });

  it('never lets an extension bring the deadline forward, and closes exactly at the extended instant', () => {
    const early = { unitId: 'u1', until: '2025-02-01T00:00:00+08:00', reason: 'x' };
    expect(isSubmissionOpen(cacs, at('2025-02-13T23:59:59.999+08:00'), early)).toBe(true);
    const late = { unitId: 'u1', until: '2025-02-16T00:00:00+08:00', reason: 'x' };
    expect(isSubmissionOpen(cacs, at('2025-02-15T23:59:59.999+08:00'), late)).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-16T00:00:00+08:00'), late)).toBe(false);
    try {
      assertSubmissionOpen(cacs, at('2025-02-16T00:00:00+08:00'), late);
      expect.unreachable();
    } catch (error) {
      const e = error as DeadlinePassedError;
      expect(e.code).toBe('DEADLINE_PASSED');
      expect(e.details).toEqual({
        deadline: '2025-02-15T16:00:00.000Z',
        now: '2025-02-15T16:00:00.000Z',
        extended: true,
      });
      expect(e.messages.zh).toBe('已过截止时间（2025-02-15 24:00 (UTC+8)，含延期），不能再提交');
    }
  });
});

describe('the end of submissions and an early close', () => {
  const by = { subjectId: 'sec', name: '秘书处' };
  const step = { zh: '确认择优', en: 'the selection' };

  it('refuses the selection before the deadline, and allows it after an early close with a reason', () => {
    const now = at('2025-02-10T10:00:00+08:00');
    expect(() => assertSubmissionsEnded(cacs, now, undefined, step)).toThrow(
      expect.objectContaining({ code: 'SUBMISSIONS_OPEN', kind: 'conflict' }),
    );
    const closure = checkClosure(cacs, now, { reason: '全部会员单位已报送' }, by);
    expect(closure).toEqual({ at: now.toISOString(), reason: '全部会员单位已报送', by });
    expect(() => assertSubmissionsEnded(cacs, now, closure, step)).not.toThrow();
    // Without a close, the deadline itself ends submissions: 00:00 on the 14th, not a moment before.
    expect(() => assertSubmissionsEnded(cacs, at('2025-02-13T23:59:59+08:00'), undefined, step)).toThrow();
    expect(() =>
      assertSubmissionsEnded(cacs, at('2025-02-14T00:00:00+08:00'), undefined, step),
    ).not.toThrow();
  });

  it('needs a reason, answers a repeat alike, and refuses to close what has ended', () => {
    const now = at('2025-02-10T10:00:00+08:00');
    expect(() => checkClosure(cacs, now, { reason: ' ' }, by)).toThrow(ValidationError);
    const closure = checkClosure(cacs, now, { reason: '全部会员单位已报送' }, by);
    expect(
      checkClosure(cacs, at('2025-02-11T10:00:00+08:00'), { reason: '全部会员单位已报送' }, by, closure),
    ).toBe(closure);
    expect(() => checkClosure(cacs, now, { reason: '另一理由' }, by, closure)).toThrow(
      expect.objectContaining({ code: 'SUBMISSIONS_ENDED' }),
    );
    expect(() => checkClosure(cacs, at('2025-02-14T00:00:00+08:00'), { reason: '过期' }, by)).toThrow(
      expect.objectContaining({ code: 'SUBMISSIONS_ENDED' }),
    );
  });

  it('once closed, refuses every unit without an extension, saying when and why', () => {
    const closure = { at: '2025-02-10T02:00:00.000Z', reason: '全部会员单位已报送', by };
    const extension = { unitId: 'u1', until: '2025-02-20T00:00:00+08:00', reason: 'x' };
    expect(isSubmissionOpen(cacs, at('2025-02-10T09:59:59+08:00'), undefined, closure)).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-10T10:00:00+08:00'), undefined, closure)).toBe(false);
    // An extension, a decision about one unit, outlasts the general close.
    expect(isSubmissionOpen(cacs, at('2025-02-19T10:00:00+08:00'), extension, closure)).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-20T00:00:00+08:00'), extension, closure)).toBe(false);
    expect(() => assertSubmissionOpen(cacs, at('2025-02-11T10:00:00+08:00'), undefined, closure)).toThrow(
      /closed submissions early .*\(reason: 全部会员单位已报送\)/,
    );
  });
});

describe('the correction window of a return', () => {
  it('runs by default to the end of the day five days after the return, even past the deadline', () => {
    // Returned on 15 February, after the society's deadline: correct by the end of the 20th.
    expect(correctionDeadline(cacs, at('2025-02-15T16:30:00+08:00'), cast).toISOString()).toBe(
      '2025-02-20T16:00:00.000Z',
    );
  });

  it("is cut to the organizer's forwarding deadline, and a day past it is refused", () => {
    // Returned on 21 February: five days would pass CAST's deadline (end of the 23rd).
    expect(correctionDeadline(cacs, at('2025-02-21T09:00:00+08:00'), cast).toISOString()).toBe(
      '2025-02-23T16:00:00.000Z',
    );
    expect(() => correctionDeadline(cacs, at('2025-02-21T09:00:00+08:00'), cast, '2025-02-24')).toThrow(
      expect.objectContaining({ code: 'CORRECTION_AFTER_FORWARDING', path: ['correctionDate'] }),
    );
    expect(correctionDeadline(cacs, at('2025-02-21T09:00:00+08:00'), cast, '2025-02-22').toISOString()).toBe(
      '2025-02-22T16:00:00.000Z',
    );
    expect(() => correctionDeadline(cacs, at('2025-02-21T09:00:00+08:00'), cast, '2025-02-20')).toThrow(
      expect.objectContaining({ code: 'CORRECTION_IN_PAST' }),
    );
    expect(() => correctionDeadline(cacs, at('2025-02-24T09:00:00+08:00'), cast)).toThrow(
      expect.objectContaining({ code: 'CORRECTION_TOO_LATE' }),
    );
  });

  it(`refuses a date more than ${MAX_CORRECTION_DAYS} days after the return where the campaign sets no latest (a mistyped year would hold the round)`, () => {
    const returned = at('2025-03-01T10:00:00+08:00');
    expect(correctionDeadline(cast, returned, undefined, '2025-03-31').toISOString()).toBe(
      '2025-03-31T16:00:00.000Z',
    );
    // A round whose own default is longer allows that much; one with its own latest is bounded by it alone.
    const longer = { ...cast, corrections: { ...cast.corrections, days: 45 } };
    expect(correctionDeadline(longer, returned, undefined, '2025-04-15').toISOString()).toBe(
      '2025-04-15T16:00:00.000Z',
    );
    const bounded = { ...cast, corrections: { ...cast.corrections, latest: '2025-06-01T00:00:00+08:00' } };
    expect(correctionDeadline(bounded, returned, undefined, '2025-05-30').toISOString()).toBe(
      '2025-05-30T16:00:00.000Z',
    );
    for (const far of ['2025-04-01', '2205-03-05', '2999-01-01'])
      expect(() => correctionDeadline(cast, returned, undefined, far)).toThrow(
        expect.objectContaining({
          code: 'CORRECTION_TOO_FAR',
          path: ['correctionDate'],
          messages: expect.objectContaining({ zh: expect.stringContaining('2025-03-31 24:00') }),
        }),
      );
  });

  it('lets a returned nomination be resubmitted within its window after the deadline, not after it', () => {
    const until = '2025-02-20T16:00:00.000Z';
    expect(() => assertResubmissionOpen(cacs, at('2025-02-20T23:59:00+08:00'), until)).not.toThrow();
    expect(() => assertResubmissionOpen(cacs, at('2025-02-21T00:00:00+08:00'), until)).toThrow(
      /correction period ended on 2025-02-20 24:00 \(UTC\+8\)/,
    );
    // Returned early with a short window: the submission deadline still counts.
    expect(() =>
      assertResubmissionOpen(cacs, at('2025-02-12T10:00:00+08:00'), '2025-02-10T16:00:00.000Z'),
    ).not.toThrow();
  });

  it("reminds once the window ends within the campaign's reminder hours", () => {
    const until = '2025-02-20T16:00:00.000Z';
    expect(correctionReminderDue(until, at('2025-02-18T23:00:00+08:00'), 48)).toBe(false);
    expect(correctionReminderDue(until, at('2025-02-19T00:00:00+08:00'), 48)).toBe(true);
    expect(correctionReminderDue(until, at('2025-02-21T00:00:00+08:00'), 48)).toBe(false);
    expect(correctionReminderDue(undefined, at('2025-02-19T00:00:00+08:00'), 48)).toBe(false);
    // Looked at once a day: a 12-hour reminder is sent at the last look before the end (16 hours
    // left at 08:00), which the next look would miss; a 48-hour one is not sent earlier for it.
    expect(correctionReminderDue(until, at('2025-02-20T08:00:00+08:00'), 12, 24)).toBe(true);
    expect(correctionReminderDue(until, at('2025-02-20T08:00:00+08:00'), 12)).toBe(false);
    expect(correctionReminderDue(until, at('2025-02-18T08:00:00+08:00'), 48, 24)).toBe(false);
    expect(correctionReminderDue(until, at('2025-02-19T08:00:00+08:00'), 48, 24)).toBe(true);
    expect(correctionReminderDue(until, at('2025-02-19T07:00:00+08:00'), 12, 24)).toBe(false);
  });
});
