import { describe, expect, it } from 'vitest';
import type { CriterionResult } from '../../functions/rules/eligibility.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import {
  LISTED_REASONS_LENGTH,
  listedFrom,
  listedName,
  nominationView,
  pastHonoureeFlag,
} from '../../functions/rules/nomination-view.js';

/**
 * What the API shows of a nomination (functions/rules/nomination-view.ts), each answer whole: the
 * past-honouree flag in every case, a list's name of a form half filled, a list row without the
 * task token, and the answer of a route that changes a nomination.
 */

const criterion = (over: Partial<CriterionResult>): CriterionResult => ({
  id: 'all.not-past-honouree',
  passed: true,
  figures: {},
  message: { zh: '未发现往届入选记录', en: 'no past honour found' },
  ...over,
});

const nomination = (over: Partial<Nomination> = {}): Nomination => ({
  id: 'n-0000000001',
  campaignId: 'cast-2024',
  unitId: 'astro',
  unitType: 'national-society',
  unitName: '中国天文学会',
  category: 'volunteer',
  status: 'returned',
  version: 4,
  form: { name: '李晓梅' },
  attachments: [],
  noClassifiedContent: true,
  createdAt: '2025-01-20T01:00:00.000Z',
  updatedAt: '2025-01-20T02:00:00.000Z',
  ...over,
});

describe('the past-honouree flag the secretariat sees', () => {
  it('says the check has not run when no criterion was stored', () => {
    const unchecked = { checked: false, match: null, needsReview: false, message: null, honouree: null };
    expect(pastHonoureeFlag(undefined)).toEqual(unchecked);
    expect(pastHonoureeFlag([criterion({ id: 'volunteer.years-of-service' })])).toEqual(unchecked);
  });

  it('shows no honouree when nothing matched, whatever the figures hold', () => {
    expect(pastHonoureeFlag([criterion({ figures: { candidateName: '李晓敏' } })])).toEqual({
      checked: true,
      match: 'none',
      needsReview: false,
      message: { zh: '未发现往届入选记录', en: 'no past honour found' },
      honouree: null,
    });
  });

  it('shows no honouree for a near match that names none', () => {
    expect(pastHonoureeFlag([criterion({ needsReview: true })])).toMatchObject({
      match: 'near',
      needsReview: true,
      honouree: null,
    });
  });

  it('shows a near match without organization or year as such', () => {
    expect(
      pastHonoureeFlag([criterion({ needsReview: true, figures: { candidateName: '李晓敏' } })]),
    ).toEqual({
      checked: true,
      match: 'near',
      needsReview: true,
      message: { zh: '未发现往届入选记录', en: 'no past honour found' },
      honouree: { name: '李晓敏', organization: '', year: null },
    });
  });
});

describe("a list's name of a nominee", () => {
  it("is the form's name", () => {
    expect(listedName({ category: 'volunteer', form: { name: '李晓梅' } })).toBe('李晓梅');
  });

  it('is empty while a draft has none, or has only part of a composed name', () => {
    expect(listedName({ category: 'volunteer', form: {} })).toBe('');
    expect(listedName({ category: 'site', form: { site: { community: '某村', province: '浙江省' } } })).toBe(
      '',
    );
    // A site draft without its address group at all: the composed name cannot be made.
    expect(listedName({ category: 'site', form: {} })).toBe('');
  });

  it('composes a site’s name from its address once complete', () => {
    const site = {
      community: '某村',
      province: '浙江省',
      city: '杭州市',
      county: '西湖区',
      township: '某镇',
    };
    expect(listedName({ category: 'site', form: { site } })).toBe('某村（浙江省杭州市西湖区某镇）');
  });
});

describe('a row of a list', () => {
  it('keeps the step awaited and since when, never the task token, and the start of the reasons', () => {
    const reasons = '请补充'.repeat(100);
    const row = listedFrom(
      nomination({
        awaiting: { step: 'resubmission', since: '2025-01-21T00:00:00.000Z', taskToken: 'TOKEN' },
        reasons,
      }),
      { name: '李晓梅', attachmentCount: 3 },
    );
    expect(row.awaiting).toEqual({ step: 'resubmission', since: '2025-01-21T00:00:00.000Z' });
    expect(JSON.stringify(row)).not.toContain('TOKEN');
    expect(row.reasons?.startsWith('请补充请补充')).toBe(true);
    expect([...(row.reasons ?? '')].length).toBeLessThanOrEqual(LISTED_REASONS_LENGTH + 1);
    expect(row).not.toHaveProperty('form');
    expect([row.name, row.attachmentCount]).toEqual(['李晓梅', 3]);
  });

  it('has no awaited step nor reasons when the nomination has none', () => {
    const row = listedFrom(nomination(), { name: '李晓梅', attachmentCount: 0 });
    expect(row).not.toHaveProperty('awaiting');
    expect(row).not.toHaveProperty('reasons');
  });
});

describe('the answer of a route that changes a nomination', () => {
  it('is the nomination without its task token and its status in words', () => {
    const changed = nomination({
      awaiting: { step: 'resubmission', since: '2025-01-21T00:00:00.000Z', taskToken: 'TOKEN' },
    });
    const { awaiting: _, ...rest } = changed;
    expect(nominationView(changed)).toEqual({
      nomination: { ...rest, awaiting: { step: 'resubmission', since: '2025-01-21T00:00:00.000Z' } },
      status: { zh: '已退回修改', en: 'returned for correction' },
    });
  });
});
