import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { checkExtension } from '../../functions/rules/deadline.js';
import { DomainError, ValidationError } from '../../functions/rules/errors.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { quotaDecision } from '../../functions/rules/quota.js';
import {
  type Assignment,
  assertLinkUsable,
  chooseExperts,
  prepareReview,
} from '../../functions/rules/review.js';

/**
 * What the rules say when they refuse: code, kind (which decides the HTTP status), field and both
 * languages. A mutation pass showed these could be blanked unnoticed.
 */

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');

function caught(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('deadline extension refusals', () => {
  it('names the deadline it must pass, as a rule on the until field', () => {
    const e = caught(() =>
      checkExtension(cacs, { unitId: 'u1', until: '2025-02-13T00:00:00+08:00', reason: 'x' }),
    );
    expect([e.code, e.kind, e.path]).toEqual(['EXTENSION_NOT_LATER', 'rule', ['until']]);
    expect(e.messages).toEqual({
      zh: '延期时间须晚于原截止时间 2025-02-13 24:00 (UTC+8)',
      en: 'The extension must be later than the deadline 2025-02-13 24:00 (UTC+8)',
    });
  });

  it("names the parent round's deadline it may not pass", () => {
    const e = caught(() =>
      checkExtension(cacs, { unitId: 'u1', until: '2025-02-25T00:00:00+08:00', reason: 'x' }, cast),
    );
    expect([e.code, e.kind]).toEqual(['EXTENSION_AFTER_PARENT_DEADLINE', 'rule']);
    expect(e.messages).toEqual({
      zh: '延期时间不能晚于上级活动截止时间 2025-02-23 24:00 (UTC+8)',
      en: "The extension cannot pass the parent campaign's deadline 2025-02-23 24:00 (UTC+8)",
    });
  });

  it('calls a malformed request a deadline extension', () => {
    const e = caught(() => checkExtension(cacs, { unitId: 'u1', until: 'soon', reason: 'x' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.messages.zh).toMatch(/^延期申请有 1 处错误/);
    expect(e.messages.en).toMatch(/^The deadline extension has 1 error\(s\)/);
  });
});

describe('expert choice and review links', () => {
  const assignment = (fields: Partial<Assignment> = {}): Assignment => ({
    nominationId: 'n1',
    expertId: 'e1',
    expertName: '专家',
    assignedAt: '2025-03-01T00:00:00.000Z',
    declaration: { at: '2025-03-01T01:00:00.000Z', conflict: null },
    ...fields,
  });
  const nomination = (status: Nomination['status']) => ({ id: 'n1', status }) as Nomination;
  const now = new Date('2025-03-10T00:00:00.000Z');

  it('refuses too small a pool on the experts field', () => {
    const e = caught(() => chooseExperts([], { id: 'n1', unitId: 'u' }, 1));
    expect([e.code, e.kind, e.path]).toEqual(['NOT_ENOUGH_EXPERTS', 'rule', ['experts']]);
  });

  it('refuses a link without its assignment, or without its nomination', () => {
    for (const [a, n] of [
      [undefined, nomination('in-review')],
      [assignment(), undefined],
      [undefined, undefined],
    ] as const) {
      const e = caught(() => assertLinkUsable(a, n, now));
      expect([e.code, e.kind]).toEqual(['LINK_UNKNOWN', 'forbidden']);
      expect(e.messages).toEqual({ zh: '评审链接无效', en: 'This review link is not valid' });
    }
  });

  it('refuses a link from the instant it expires, and not a millisecond before', () => {
    const expiring = assignment({ linkExpiresAt: now.toISOString() });
    const e = caught(() => assertLinkUsable(expiring, nomination('in-review'), now));
    expect([e.code, e.kind]).toEqual(['LINK_EXPIRED', 'forbidden']);
    expect(e.messages).toEqual({
      zh: '评审链接已过期，请联系秘书处',
      en: 'This review link has expired; contact the secretariat',
    });
    expect(() =>
      assertLinkUsable(expiring, nomination('in-review'), new Date(now.getTime() - 1)),
    ).not.toThrow();
    expect(() => assertLinkUsable(assignment(), nomination('in-review'), now)).not.toThrow();
  });

  it('refuses a second review and a review once the step closed, as conflicts', () => {
    const decided = assignment({
      review: { expertId: 'e1', scores: {}, recommend: true, total: 80, submittedAt: now.toISOString() },
    });
    const twice = caught(() => prepareReview(cast, decided, nomination('in-review'), {}, now));
    expect([twice.code, twice.kind]).toEqual(['ALREADY_DECIDED', 'conflict']);
    expect(twice.messages).toEqual({
      zh: '您已提交过此评审，不能重复提交',
      en: 'You have already submitted this review',
    });
    const closed = caught(() => prepareReview(cast, assignment(), nomination('selected'), {}, now));
    expect([closed.code, closed.kind]).toEqual(['REVIEW_CLOSED', 'conflict']);
    expect(closed.messages).toEqual({
      zh: '此推荐的评审已结束',
      en: 'The review of this nomination is closed',
    });
    const malformed = caught(() => prepareReview(cast, assignment(), nomination('in-review'), {}, now));
    expect(malformed).toBeInstanceOf(ValidationError);
    expect(malformed.messages.zh).toMatch(/^评审有 \d+ 处错误/);
    expect(malformed.messages.en).toMatch(/^The review has \d+ error\(s\)/);
  });
});

describe('quota wording', () => {
  it('refuses a unit type the campaign does not have, as invalid input on unitType', () => {
    const e = caught(() => quotaDecision(cast, 'club', 'site', []));
    expect([e.code, e.kind, e.path]).toEqual(['UNKNOWN_UNIT_TYPE', 'invalid', ['unitType']]);
    expect(e.messages).toEqual({
      zh: '本次活动没有“club”这一推荐单位类型',
      en: 'This campaign has no recommending-unit type "club"',
    });
  });

  it('says what is left, per category and over all categories', () => {
    expect(
      quotaDecision(cast, 'national-society', 'site', [{ category: 'site', status: 'submitted' }]).message,
    ).toEqual({
      zh: '“最美科技志愿服务点（社区或村）”类别已推荐 1 个，还可推荐 1 个（全国学会每个类别推荐不超过 2 个）',
      en: '1 nominated in "Outstanding S&T volunteer service site (community or village)", 1 more allowed (a National society may nominate at most 2 per category)',
    });
    const total = quotaDecision(cast, 'direct-unit', 'site', [{ category: 'project', status: 'submitted' }]);
    expect(total.message.zh).toBe(
      '各类别合计已推荐 1 个，还可推荐 4 个（中国科协有关直属单位总推荐数不超过 5 个）',
    );
    expect(total.message.en).toMatch(/^1 nominated over all categories, 4 more allowed \(/);
  });

  it('says a unit type without a quota has none', () => {
    const member = quotaDecision(cacs, 'member', 'site', []);
    expect(member).toMatchObject({ allowed: true, limit: null, remaining: null });
    expect(member.message).toEqual({ zh: '会员不限推荐名额', en: 'a Member has no quota' });
  });
});
