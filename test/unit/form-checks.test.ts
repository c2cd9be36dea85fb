import { describe, expect, it } from 'vitest';
import { auditActionName } from '../../functions/rules/audit-actions.js';
import { consentRecord } from '../../functions/rules/consent.js';
import { limitFor } from '../../functions/rules/discretion.js';
import type { DomainError } from '../../functions/rules/errors.js';
import { formHints, subjectOf } from '../../functions/rules/forms/index.js';
import {
  hoursPerPersonAgrees,
  organizationChecks,
  organizationHints,
} from '../../functions/rules/forms/organization.js';
import { projectChecks } from '../../functions/rules/forms/project.js';
import { distinctActivityCategories, siteChecks } from '../../functions/rules/forms/site.js';
import { volunteerChecks } from '../../functions/rules/forms/volunteer.js';
import { organization, project, site, volunteer } from '../fixtures/forms.js';

/**
 * The forms' cross-field checks on their boundaries, with the sentences people read
 * (functions/rules/forms/): a mutation pass found `>` taken for `>=` and the sentences emptied
 * unnoticed, since the form tests asserted codes and paths through validateForm.
 */

const today = { today: '2025-02-01' };
const future = (path: string, zh: string, en: string) => ({
  path: [path],
  code: 'future_date',
  message: { zh: `${zh}不能晚于今天`, en: `${en} cannot be in the future` },
});

describe('the volunteer form’s dates', () => {
  it('takes this month as a birth month and a start, and refuses next month, naming each', () => {
    expect(
      volunteerChecks(volunteer({ birthYearMonth: '2025-02', volunteeringSince: '2025-02' }), today),
    ).toEqual([]);
    expect(
      volunteerChecks(volunteer({ birthYearMonth: '2025-03', volunteeringSince: '2025-03' }), today),
    ).toEqual([
      future('birthYearMonth', '出生年月', 'year and month of birth'),
      future('volunteeringSince', '参加科技志愿服务的起始时间', 'volunteering start'),
    ]);
  });

  it('takes a start in the month of birth, and refuses one before it', () => {
    expect(
      volunteerChecks(volunteer({ birthYearMonth: '1978-05', volunteeringSince: '1978-05' }), today),
    ).toEqual([]);
    expect(
      volunteerChecks(volunteer({ birthYearMonth: '1978-05', volunteeringSince: '1978-04' }), today),
    ).toEqual([
      {
        path: ['volunteeringSince'],
        code: 'before_birth',
        message: {
          zh: '参加科技志愿服务的起始时间早于出生年月',
          en: 'volunteering start is before the year and month of birth',
        },
      },
    ]);
  });
});

describe('the other forms’ dates', () => {
  it('takes a project started this month, and refuses one starting next month', () => {
    expect(projectChecks(project({ startedOn: '2025-02' }), today)).toEqual([]);
    expect(projectChecks(project({ startedOn: '2025-03' }), today)).toEqual([
      future('startedOn', '开展项目的时间', 'project start'),
    ]);
  });

  it('takes an organization founded this month (成立时间 is a year and month), and refuses one founded next month', () => {
    expect(organizationChecks(organization({ foundedOn: '2025-02' }), today)).toEqual([]);
    expect(organizationChecks(organization({ foundedOn: '2025-03' }), today)).toEqual([
      future('foundedOn', '成立时间', 'founding year and month'),
    ]);
  });
});

describe('the organization’s hours per person', () => {
  it('never agrees with no volunteers to divide by', () => {
    expect(hoursPerPersonAgrees(0, 0, 0)).toBe(false);
    // Hours over no one divide to Infinity, within an infinite tolerance: only the guard refuses it.
    expect(hoursPerPersonAgrees(100, 0, 5)).toBe(false);
    expect(hoursPerPersonAgrees(100, -1, -100)).toBe(false);
    expect(hoursPerPersonAgrees(100, 1, 100)).toBe(true);
  });

  it('hints, never refuses, with the computed figure to two decimals', () => {
    expect(organizationHints(organization())).toEqual([]);
    expect(formHints('organization', organization())).toEqual([]);
    const off = organization({
      cumulativeServiceHours: 1000,
      registeredVolunteers: 3,
      serviceHoursPerPerson: 20,
    });
    const hint = {
      path: ['serviceHoursPerPerson'],
      code: 'hours_per_person_mismatch',
      message: {
        zh: '提示：人均时数 20 与累计时数 ÷ 注册人数（333.33）不一致；如按其他人数计算，可不修改',
        en: 'Hint: hours per person 20 differs from cumulative hours ÷ registered volunteers (333.33); if you divided by another head count, leave it',
      },
    };
    expect(organizationHints(off)).toEqual([hint]);
    expect(formHints('organization', off)).toEqual([hint]);
    // Only the organization's form has hints.
    expect(formHints('volunteer', volunteer())).toEqual([]);
  });
});

describe('the site’s activity categories', () => {
  it('counts “other” once per distinct text, read width-folded', () => {
    const form = site({
      activityCategories: [
        { category: 'other', text: '非遗传承' },
        { category: 'other', text: '科普讲座' },
        { category: 'st-training' },
      ],
    } as never);
    expect(distinctActivityCategories(form)).toEqual(['other:非遗传承', 'other:科普讲座', 'st-training']);
    expect(siteChecks(form)).toEqual([]);
  });

  it('refuses the same category twice, on the second, in words', () => {
    const twice = site({
      activityCategories: [
        { category: 'other', text: 'ＡＢＣ' },
        { category: 'st-training' },
        { category: 'other', text: 'ABC' },
      ],
    } as never);
    expect(siteChecks(twice)).toEqual([
      {
        path: ['activityCategories', 2],
        code: 'duplicate',
        message: { zh: '活动类别重复', en: 'activity category listed twice' },
      },
    ]);
  });

  it('names the site by its community, in its province, city, county and township', () => {
    expect(subjectOf('site', site())).toEqual({
      name: '陶溪川社区',
      organization: '江西省景德镇市珠山区新村街道',
    });
  });
});

describe('the audit trail’s words for the steps named by a value', () => {
  it('reads a forwarding limit, the full quota, a forwarded nomination, and an unknown step as stored', () => {
    expect(auditActionName('selection-limit:3')).toEqual({
      zh: '秘书处决定本类别少于名额报送（3 个）',
      en: 'The secretariat forwards fewer than the quota in this category (3)',
    });
    expect(auditActionName('selection-limit:quota')).toEqual({
      zh: '秘书处决定本类别按名额报送',
      en: 'The secretariat forwards the full quota in this category',
    });
    expect(auditActionName('forwarded-from:cacs-2024')).toEqual({
      zh: '由下级活动推荐上报而来',
      en: 'Forwarded from a lower round',
    });
    expect(auditActionName('something-new')).toEqual({ zh: 'something-new', en: 'something-new' });
    expect(auditActionName('x-selection-limit:3')).toEqual({
      zh: 'x-selection-limit:3',
      en: 'x-selection-limit:3',
    });
  });
});

describe('the secretariat’s discretion in force', () => {
  const by = { subjectId: 'sec-1', name: '王秘书' };
  const at = '2025-03-01T00:00:00.000Z';
  const limit = (category: 'volunteer' | 'project', forward: number | null) => ({
    category,
    forward,
    reason: '理由',
    by,
    at,
  });

  it('finds the limit of the category asked for, and none where it was taken back', () => {
    const discretion = { decisions: [], limits: [limit('volunteer', 1), limit('project', null)] };
    expect(limitFor(discretion, 'volunteer')).toEqual(limit('volunteer', 1));
    expect(limitFor(discretion, 'project')).toBeUndefined();
    expect(limitFor({ decisions: [], limits: [limit('project', 2)] }, 'volunteer')).toBeUndefined();
  });
});

describe('a confirmation under an earlier notice', () => {
  it('is refused naming both versions', () => {
    const notice = { version: 3, text: { zh: '告知书', en: 'notice' } };
    const actor = { role: 'unit', subjectId: 'u1', name: '北京' } as const;
    let refusal: DomainError | undefined;
    try {
      consentRecord(notice, { informed: true, noticeVersion: 2 }, actor, new Date(0));
    } catch (e) {
      refusal = e as DomainError;
    }
    expect(refusal).toMatchObject({ code: 'CONSENT_NOTICE_STALE', details: { current: 3, confirmed: 2 } });
  });
});
