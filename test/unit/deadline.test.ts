import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { assertSubmissionOpen, checkExtension, isSubmissionOpen } from '../../functions/rules/deadline.js';
import { DeadlinePassedError, DomainError, ValidationError } from '../../functions/rules/errors.js';

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');
const at = (iso: string) => new Date(iso);

describe('submission deadline', () => {
  it('allows the society round until 2025-02-12 23:59:59 China time and refuses from 13 February', () => {
    expect(isSubmissionOpen(cacs, at('2025-02-12T23:59:59+08:00'))).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-12T23:59:59.999+08:00'))).toBe(true);
    expect(isSubmissionOpen(cacs, at('2025-02-13T00:00:00+08:00'))).toBe(false);
    // The same instant written in UTC: 16:00 on the 12th.
    expect(isSubmissionOpen(cacs, at('2025-02-12T16:00:00Z'))).toBe(false);
  });

  it('allows the CAST round until 2025-02-22 23:59:59 China time and refuses from 23 February', () => {
    expect(() => assertSubmissionOpen(cast, at('2025-02-22T23:59:59+08:00'))).not.toThrow();
    expect(() => assertSubmissionOpen(cast, at('2025-02-23T00:00:00+08:00'))).toThrow(DeadlinePassedError);
  });

  it('says when the deadline was, in China time, in both languages', () => {
    try {
      assertSubmissionOpen(cacs, at('2025-02-13T08:00:00+08:00'));
      expect.unreachable();
    } catch (error) {
      const e = error as DeadlinePassedError;
      expect(e.code).toBe('DEADLINE_PASSED');
      expect(e.messages.zh).toBe('已过截止时间（2025-02-13 00:00 (UTC+8)），不能再提交');
      expect(e.messages.en).toBe(
        'The deadline (2025-02-13 00:00 (UTC+8)) has passed; submissions are closed',
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
    expect(() => assertSubmissionOpen(cacs, at('2025-02-16T01:00:00+08:00'), extension)).toThrow(/extended/);
  });

  it('refuses an extension that is not later, passes the parent round, or has no reason', () => {
    const base = { unitId: 'u1', reason: '系统故障' };
    expect(() => checkExtension(cacs, { ...base, until: '2025-02-12T00:00:00+08:00' })).toThrow(DomainError);
    expect(() => checkExtension(cacs, { ...base, until: '2025-02-24T00:00:00+08:00' }, cast)).toThrow(
      /parent campaign's deadline/,
    );
    try {
      checkExtension(cacs, { ...base, until: '2025-02-14T00:00:00+08:00', reason: '  ' });
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
      checkExtension(cacs, { ...base, until: '2025-02-13T00:00:00+08:00' });
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('EXTENSION_NOT_LATER');
      expect((error as DomainError).path).toEqual(['until']);
    }
    expect(checkExtension(cacs, { ...base, until: '2025-02-13T00:00:00.001+08:00' }).until).toBe(
      '2025-02-13T00:00:00.001+08:00',
    );
  });

  it("accepts an extension exactly on the parent's deadline and refuses one a millisecond after", () => {
    const base = { unitId: 'u1', reason: '系统故障' };
    const onParent = checkExtension(cacs, { ...base, until: '2025-02-23T00:00:00+08:00' }, cast);
    expect(onParent.until).toBe('2025-02-23T00:00:00+08:00');
    try {
      checkExtension(cacs, { ...base, until: '2025-02-23T00:00:00.001+08:00' }, cast);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('EXTENSION_AFTER_PARENT_DEADLINE');
    }
    // Without a parent round there is no upper bound.
    expect(() => checkExtension(cacs, { ...base, until: '2025-03-01T00:00:00+08:00' })).not.toThrow();
  });

  it('never lets an extension bring the deadline forward, and closes exactly at the extended instant', () => {
    const early = { unitId: 'u1', until: '2025-02-01T00:00:00+08:00', reason: 'x' };
    expect(isSubmissionOpen(cacs, at('2025-02-12T23:59:59.999+08:00'), early)).toBe(true);
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
      expect(e.messages.zh).toBe('已过截止时间（2025-02-16 00:00 (UTC+8)，含延期），不能再提交');
    }
  });
});
