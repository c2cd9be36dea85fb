import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import { DomainError, QuotaExceededError } from '../../functions/rules/errors.js';
import { holdsQuotaSlot, type NominationStatus } from '../../functions/rules/nomination-status.js';
import {
  assertQuotaAvailable,
  type ExistingNomination,
  quotaDecision,
  quotaLedgerKey,
  quotaSlotChange,
} from '../../functions/rules/quota.js';

const cast = builtinCampaign('cast-2024');
const n = (category: CategoryId, status: NominationStatus = 'submitted'): ExistingNomination => ({
  category,
  status,
});

describe('quota per recommending unit', () => {
  it("refuses a national society's 3rd nomination in one category and allows its 1st in another", () => {
    const existing = [n('volunteer'), n('volunteer')];
    expect(() => assertQuotaAvailable(cast, 'national-society', 'volunteer', existing)).toThrow(
      QuotaExceededError,
    );
    expect(assertQuotaAvailable(cast, 'national-society', 'project', existing)).toMatchObject({
      allowed: true,
      used: 0,
      limit: 2,
      remaining: 2,
    });
  });

  it('quotes the rule when refusing, in Chinese and English', () => {
    try {
      assertQuotaAvailable(cast, 'national-society', 'volunteer', [
        n('volunteer'),
        n('volunteer', 'in-review'),
      ]);
      expect.unreachable();
    } catch (error) {
      const e = error as QuotaExceededError;
      expect(e.code).toBe('QUOTA_EXCEEDED');
      expect(e.kind).toBe('rule');
      expect(e.path).toEqual(['category']);
      expect(e.messages).toEqual({
        zh: '推荐名额已满：“最美科技志愿者”类别已推荐 2 个。全国学会每个类别推荐不超过 2 个',
        en: 'Quota reached: 2 already nominated in "Outstanding S&T volunteer"; a National society may nominate at most 2 per category',
      });
      expect(e.details).toMatchObject({ used: 2, limit: 2 });
    }
  });

  it("refuses a directly affiliated unit's 6th nomination across categories", () => {
    const five = [n('volunteer'), n('organization'), n('project'), n('site'), n('site')];
    const sixth = quotaDecision(cast, 'direct-unit', 'project', five);
    expect(sixth).toMatchObject({ allowed: false, used: 5, limit: 5 });
    expect(sixth.message.zh).toContain('中国科协有关直属单位总推荐数不超过 5 个');
    expect(quotaDecision(cast, 'direct-unit', 'project', five.slice(0, 4)).allowed).toBe(true);
  });

  it('allows a province five per category', () => {
    const four = Array.from({ length: 4 }, () => n('site'));
    expect(quotaDecision(cast, 'provincial-association', 'site', four).allowed).toBe(true);
    expect(quotaDecision(cast, 'provincial-association', 'site', [...four, n('site')]).allowed).toBe(false);
  });

  it('frees the slot of a withdrawn or rejected nomination; drafts take none', () => {
    expect(
      quotaDecision(cast, 'national-society', 'volunteer', [n('volunteer'), n('volunteer', 'withdrawn')])
        .allowed,
    ).toBe(true);
    expect(
      quotaDecision(cast, 'national-society', 'volunteer', [n('volunteer'), n('volunteer', 'rejected')])
        .allowed,
    ).toBe(true);
    expect(
      quotaDecision(cast, 'national-society', 'volunteer', [
        n('volunteer', 'draft'),
        n('volunteer', 'draft'),
        n('volunteer', 'draft'),
      ]).used,
    ).toBe(0);
    expect(
      quotaDecision(cast, 'national-society', 'volunteer', [n('volunteer'), n('volunteer', 'returned')])
        .allowed,
    ).toBe(false);
  });

  it('keeps the slot of an objection upheld in publicity unless the campaign allows a replacement', () => {
    const existing = [n('volunteer'), n('volunteer', 'withdrawn-after-objection')];
    expect(quotaDecision(cast, 'national-society', 'volunteer', existing).allowed).toBe(false);
    const lenient: Campaign = { ...cast, publicity: { days: 7, replacementAllowed: true } };
    expect(quotaDecision(lenient, 'national-society', 'volunteer', existing).allowed).toBe(true);
  });

  it('keeps that slot in a round without publicity of its own (the society round forwards instead)', () => {
    const cacs = builtinCampaign('cacs-2024');
    expect(cacs.publicity).toBeNull();
    expect(holdsQuotaSlot('withdrawn-after-objection', cacs)).toBe(true);
    expect(holdsQuotaSlot('withdrawn-after-objection', cast)).toBe(true);
    expect(holdsQuotaSlot('released', cacs)).toBe(true);
  });

  it('sets no limit where the campaign sets none (members in a society round)', () => {
    const cacs = builtinCampaign('cacs-2024');
    const many = Array.from({ length: 40 }, () => n('volunteer'));
    expect(quotaDecision(cacs, 'member', 'volunteer', many)).toMatchObject({
      allowed: true,
      limit: null,
      remaining: null,
    });
  });

  it('refuses an unknown unit type or a category the campaign does not run', () => {
    expect(() => quotaDecision(cast, 'club', 'volunteer', [])).toThrow(DomainError);
    const volunteersOnly: Campaign = {
      ...cast,
      categories: cast.categories.filter((c) => c.id === 'volunteer'),
    };
    expect(() => quotaDecision(volunteersOnly, 'national-society', 'site', [])).toThrow(/no category/);
  });

  it('keys the ledger per category, or once per unit for a total', () => {
    expect(quotaLedgerKey({ scope: 'per-category', limit: 2 }, 'site')).toBe('site');
    expect(quotaLedgerKey({ scope: 'total', limit: 5 }, 'site')).toBe('all-categories');
  });
});

describe('the quota ledger follows every status move', () => {
  const replacing: Campaign = { ...cast, publicity: { days: 7, replacementAllowed: true } };
  it.each([
    ['national-society', 'draft', 'submitted', cast, { ledgerKey: 'volunteer', delta: 1, limit: 2 }],
    ['direct-unit', 'draft', 'submitted', cast, { ledgerKey: 'all-categories', delta: 1, limit: 5 }],
    ['national-society', 'returned', 'submitted', cast, undefined],
    ['national-society', 'submitted', 'rejected', cast, { ledgerKey: 'volunteer', delta: -1 }],
    ['national-society', 'submitted', 'withdrawn', cast, { ledgerKey: 'volunteer', delta: -1 }],
    ['national-society', 'in-publicity', 'withdrawn-after-objection', cast, undefined],
    [
      'national-society',
      'in-publicity',
      'withdrawn-after-objection',
      replacing,
      { ledgerKey: 'volunteer', delta: -1 },
    ],
    ['national-society', 'in-publicity', 'released', cast, undefined],
    ['no-such-type', 'draft', 'submitted', cast, undefined],
  ] as const)('%s: %s → %s', (unitType, from, to, campaign, change) => {
    expect(quotaSlotChange(campaign, unitType, 'volunteer', from, to)).toEqual(change);
  });

  it('takes no slot in a round whose units have no quota', () => {
    expect(
      quotaSlotChange(builtinCampaign('cacs-2024'), 'member', 'volunteer', 'draft', 'submitted'),
    ).toBeUndefined();
  });
});
