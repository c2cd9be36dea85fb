import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import { changedFields, correctionIssues, type HeldSlot } from '../../functions/rules/round-correction.js';

/**
 * What a round may change once units have submitted (functions/rules/round-correction.ts), rule
 * by rule and on each boundary: nothing is refused before the first submission; afterwards the
 * deadline only later, the parent never, a submitted category's form never, the attachment limits
 * and eligibility never, a quota only down to what units already hold.
 */

const cast = builtinCampaign('cast-2024');
const corrected = (change: Partial<Campaign>): Campaign => ({ ...cast, ...change });
const slot = (unitName: string, category: CategoryId, unitType = 'provincial-association'): HeldSlot => ({
  unitId: `unit-${unitName}`,
  unitName,
  unitType,
  category,
});
const held = [slot('北京', 'volunteer')];
const provincialAt = (limit: number, scope: 'per-category' | 'total' | 'unlimited' = 'per-category') =>
  cast.unitTypes.map((unitType, index) =>
    index === 1 ? { ...unitType, quota: scope === 'unlimited' ? { scope } : { scope, limit } } : unitType,
  ) as Campaign['unitTypes'];

describe('a round corrected after units submitted', () => {
  it('refuses another id first and alone, whatever else changed', () => {
    expect(cast.unitTypes[1]?.id).toBe('provincial-association');
    const issues = correctionIssues(
      cast,
      corrected({ id: 'cast-2025', deadline: '2025-01-01T00:00:00+08:00', forwardTo: null }),
      held,
    );
    expect(issues).toEqual([
      {
        path: ['id'],
        code: 'id_changed',
        message: { zh: '活动编号不可更改（应为 cast-2024）', en: 'the id cannot change (it is cast-2024)' },
      },
    ]);
  });

  it('lets anything the definition allows change before the first submission', () => {
    const next = corrected({
      deadline: '2025-01-01T00:00:00+08:00',
      categories: cast.categories.slice(1),
      attachments: { ...cast.attachments, photo: { minBytes: 1, maxBytes: 2 } },
      unitTypes: provincialAt(0),
    });
    expect(correctionIssues(cast, next, [])).toEqual([]);
    expect(correctionIssues(cast, cast, held)).toEqual([]);
  });

  it('moves the deadline later or leaves it, never earlier, by the instant and not the text', () => {
    expect(correctionIssues(cast, corrected({ deadline: '2025-02-24T00:00:00.001+08:00' }), held)).toEqual(
      [],
    );
    // The same instant written in UTC is no change.
    expect(correctionIssues(cast, corrected({ deadline: '2025-02-23T16:00:00Z' }), held)).toEqual([]);
    expect(correctionIssues(cast, corrected({ deadline: '2025-02-23T23:59:59+08:00' }), held)).toEqual([
      {
        path: ['deadline'],
        code: 'deadline_earlier',
        message: {
          zh: '已有推荐提交，截止时间只能推迟，不能提前（现为 2025-02-24T00:00:00+08:00）',
          en: 'nominations have been submitted: the deadline may move later, not earlier (it is 2025-02-24T00:00:00+08:00)',
        },
      },
    ]);
  });

  it('keeps the parent round', () => {
    const parent = {
      campaignId: 'national',
      unitType: 'national-society',
    } as unknown as Campaign['forwardTo'];
    expect(correctionIssues(cast, corrected({ forwardTo: parent }), held)).toEqual([
      {
        path: ['forwardTo'],
        code: 'parent_changed',
        message: {
          zh: '已有推荐提交，上级活动不可更改',
          en: 'nominations have been submitted: the parent round cannot change',
        },
      },
    ]);
    // A stored definition comes back with its keys in another order: that is no change.
    const withParent = corrected({ forwardTo: parent });
    const reordered = {
      unitType: 'national-society',
      campaignId: 'national',
    } as unknown as Campaign['forwardTo'];
    expect(correctionIssues(withParent, corrected({ forwardTo: reordered }), held)).toEqual([]);
    expect(
      correctionIssues(
        withParent,
        corrected({ forwardTo: { ...reordered, extra: undefined } as unknown as Campaign['forwardTo'] }),
        held,
      ),
    ).toEqual([]);
    expect(
      correctionIssues(
        withParent,
        corrected({ forwardTo: { campaignId: 'national' } as unknown as Campaign['forwardTo'] }),
        held,
      ).map((i) => i.code),
    ).toEqual(['parent_changed']);
  });

  it('keeps every category with submitted nominations, and its form, wherever it now stands', () => {
    const [volunteer, organization, ...rest] = cast.categories;
    if (!volunteer || !organization) throw new Error('cast-2024 has its categories');
    // A category nobody submitted in may go; the order of the list may change.
    expect(correctionIssues(cast, corrected({ categories: [...rest, volunteer] }), held)).toEqual([]);
    expect(correctionIssues(cast, corrected({ categories: [organization, ...rest] }), held)).toEqual([
      {
        path: ['categories'],
        code: 'category_removed',
        message: {
          zh: '“最美科技志愿者”已有推荐提交，不能删除该类别',
          en: '"Outstanding S&T volunteer" has submitted nominations: it cannot be removed',
        },
      },
    ]);
    const morePhotos = { ...volunteer, photos: { min: 2, max: 4 } };
    expect(
      correctionIssues(cast, corrected({ categories: [organization, morePhotos, ...rest] }), held),
    ).toEqual([
      {
        path: ['categories', 1],
        code: 'form_changed',
        message: {
          zh: '“最美科技志愿者”已有推荐提交，推荐表不能更改',
          en: '"Outstanding S&T volunteer" has submitted nominations: its form cannot change',
        },
      },
    ]);
    // One issue per category, however many nominations it holds.
    const twice = [slot('北京', 'volunteer'), slot('上海', 'volunteer'), slot('上海', 'organization')];
    expect(
      correctionIssues(cast, corrected({ categories: rest }), twice).map((i) => [i.code, i.message.en]),
    ).toEqual([
      ['category_removed', '"Outstanding S&T volunteer" has submitted nominations: it cannot be removed'],
      [
        'category_removed',
        '"Best S&T volunteer service organization" has submitted nominations: it cannot be removed',
      ],
    ]);
  });

  it('keeps the attachment limits and the eligibility thresholds, each named in words', () => {
    const attachments = { ...cast.attachments, photo: { minBytes: 500_000, maxBytes: 3_145_728 } };
    const eligibility = { ...cast.eligibility, minServiceYears: 1 } as Campaign['eligibility'];
    expect(correctionIssues(cast, corrected({ attachments, eligibility }), held)).toEqual([
      {
        path: ['attachments'],
        code: 'form_changed',
        message: {
          zh: '已有推荐提交，附件要求不能更改',
          en: 'nominations have been submitted: the attachment limits cannot change',
        },
      },
      {
        path: ['eligibility'],
        code: 'form_changed',
        message: {
          zh: '已有推荐提交，申报条件不能更改',
          en: 'nominations have been submitted: the eligibility thresholds cannot change',
        },
      },
    ]);
  });

  it('lowers a quota only down to what each unit already holds, counted per unit and ledger', () => {
    const three = [slot('北京', 'volunteer'), slot('北京', 'volunteer'), slot('北京', 'volunteer')];
    expect(correctionIssues(cast, corrected({ unitTypes: provincialAt(3) }), three)).toEqual([]);
    expect(correctionIssues(cast, corrected({ unitTypes: provincialAt(2) }), three)).toEqual([
      {
        path: ['unitTypes', 1, 'quota'],
        code: 'quota_below_use',
        message: {
          zh: '名额不能降为 2：北京（3） 已推荐超过此数',
          en: 'the quota cannot go down to 2: 北京 (3) already nominated more',
        },
      },
    ]);
    // Per category, two in each of two categories is within 2; for all categories together it is 4.
    const spread = [
      slot('上海', 'volunteer'),
      slot('上海', 'volunteer'),
      slot('上海', 'organization'),
      slot('上海', 'organization'),
    ];
    expect(correctionIssues(cast, corrected({ unitTypes: provincialAt(2) }), spread)).toEqual([]);
    expect(
      correctionIssues(cast, corrected({ unitTypes: provincialAt(3, 'total') }), spread).map(
        (i) => i.message,
      ),
    ).toEqual([
      {
        zh: '名额不能降为 3：上海（4） 已推荐超过此数',
        en: 'the quota cannot go down to 3: 上海 (4) already nominated more',
      },
    ]);
    expect(correctionIssues(cast, corrected({ unitTypes: provincialAt(0, 'unlimited') }), spread)).toEqual(
      [],
    );
    // Units of another type hold nothing of this type's quota; every unit over it is named.
    const others = [
      ...three,
      slot('天津', 'volunteer', 'national-society'),
      slot('天津', 'volunteer', 'national-society'),
    ];
    expect(
      correctionIssues(cast, corrected({ unitTypes: provincialAt(2) }), others).map((i) => i.path),
    ).toEqual([['unitTypes', 1, 'quota']]);
    const two = [...three, ...spread, slot('上海', 'volunteer')];
    expect(
      correctionIssues(cast, corrected({ unitTypes: provincialAt(2) }), two).map((i) => i.message),
    ).toEqual([
      {
        zh: '名额不能降为 2：北京（3）、上海（3） 已推荐超过此数',
        en: 'the quota cannot go down to 2: 北京 (3), 上海 (3) already nominated more',
      },
    ]);
  });
});

describe('the privacy notice of a corrected round', () => {
  const notice = cast.privacy.notice;
  const withNotice = (change: Partial<typeof notice>) =>
    corrected({ privacy: { ...cast.privacy, notice: { ...notice, ...change } } });

  it('refuses a lower version and a changed text under the same version, saying which version to use', () => {
    expect(correctionIssues(cast, withNotice({ version: notice.version - 1 }), [])).toEqual([
      {
        path: ['privacy', 'notice', 'version'],
        code: 'notice_version_lowered',
        message: {
          zh: `个人信息告知书的版本号不能降低（现为第 ${notice.version} 版）`,
          en: `the privacy notice's version cannot go down (it is ${notice.version})`,
        },
      },
    ]);
    const text = { zh: `${notice.text.zh}。`, en: `${notice.text.en}.` };
    expect(correctionIssues(cast, withNotice({ text }), [])).toEqual([
      {
        path: ['privacy', 'notice', 'version'],
        code: 'notice_changed_same_version',
        message: {
          zh: `个人信息告知书内容已修改，请将版本号改为 ${notice.version + 1}：推荐单位须按新版本重新确认`,
          en: `the privacy notice's text changed: raise its version to ${notice.version + 1}, so units confirm the new text`,
        },
      },
    ]);
    expect(correctionIssues(cast, withNotice({ text, version: notice.version + 1 }), [])).toEqual([]);
  });
});

describe('the fields a correction changed, for its audit', () => {
  it('names the top-level fields that differ, sorted, and none for the same values in another order', () => {
    expect(changedFields(cast, cast)).toEqual([]);
    expect(changedFields(cast, JSON.parse(JSON.stringify(cast)) as Campaign)).toEqual([]);
    const reordered = Object.fromEntries(Object.entries(cast).reverse()) as Campaign;
    expect(changedFields(cast, reordered)).toEqual([]);
    expect(
      changedFields(
        cast,
        corrected({
          deadline: '2025-03-01T00:00:00+08:00',
          attachments: { ...cast.attachments, word: undefined } as unknown as Campaign['attachments'],
        }),
      ),
    ).toEqual(['attachments', 'deadline']);
  });

  it('tells a number from an empty object, either way round', () => {
    const days = (value: unknown) =>
      corrected({ corrections: { ...cast.corrections, days: value } as unknown as Campaign['corrections'] });
    expect(changedFields(days(5), days({}))).toEqual(['corrections']);
    expect(changedFields(days({}), days(5))).toEqual(['corrections']);
  });

  it('tells a list from an object with the same entries, and null from an empty object', () => {
    const asObject = { ...cast.contacts } as unknown as Campaign['contacts'];
    expect(changedFields(cast, corrected({ contacts: asObject }))).toEqual(['contacts']);
    expect(changedFields(cast, corrected({ forwardTo: {} as Campaign['forwardTo'] }))).toEqual(['forwardTo']);
    expect(changedFields(cast, corrected({ contacts: cast.contacts.slice(1) }))).toEqual(['contacts']);
  });
});
