import { describe, expect, it } from 'vitest';
import { endOfChinaDay } from '../../functions/rules/calendar.js';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { contactLines } from '../../functions/rules/contacts.js';
import { DomainError } from '../../functions/rules/errors.js';
import { checkNomination } from '../../functions/rules/form-check.js';
import { bilingual } from '../../functions/rules/i18n.js';
import { invitationExpiry } from '../../functions/rules/invitation-validity.js';
import type { Nomination } from '../../functions/rules/nomination.js';

/**
 * Small rules a mutation pass found read by no test: the contact lines every mail ends with, how
 * long an invitation lasts at its bounds, and the live check of a form that does not parse.
 */

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');
const DAY_MS = 86_400_000;

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('contactLines', () => {
  it("lists the round's own contacts, then its parent round's, each on one line", () => {
    const society: Campaign = {
      ...cacs,
      contacts: [
        {
          office: { zh: '学会秘书处', en: 'Secretariat' },
          people: ['孟曦', '王芳'],
          phones: ['010-1', '010-2'],
          email: 'a@b.cn',
        },
      ],
    };
    const parent: Campaign = {
      ...cast,
      contacts: [{ office: { zh: '中国科协宣传文化部', en: 'CAST' }, people: ['姚达'], phones: [] }],
    };
    expect(contactLines(society, parent)).toEqual([
      '联系方式 · Contacts:',
      { own: '学会秘书处  联系人 孟曦、王芳  010-1  010-2  a@b.cn' },
      { own: '中国科协宣传文化部  联系人 姚达' },
    ]);
    expect(contactLines(society)).toEqual([
      '联系方式 · Contacts:',
      { own: '学会秘书处  联系人 孟曦、王芳  010-1  010-2  a@b.cn' },
    ]);
  });

  it('gives no lines at all where neither round lists a contact', () => {
    const none: Campaign = { ...cacs, contacts: [] };
    expect(contactLines(none)).toEqual([]);
    expect(contactLines(none, { ...cast, contacts: [] })).toEqual([]);
  });
});

describe('invitationExpiry', () => {
  const now = new Date('2025-02-01T09:00:00+08:00');

  it('refuses a last day that is not a date, is over, or is more than a year away, in both languages', () => {
    const cases = [
      ['2025-02-30', { zh: '有效期至：日期无效', en: 'Valid until: not a date' }],
      ['2025-01-31', { zh: '有效期至：该日期已过', en: 'Valid until: that day is over' }],
      ['2026-02-02', { zh: '有效期至：不能超过一年', en: 'Valid until: at most a year from today' }],
    ] as const;
    for (const [validUntil, messages] of cases) {
      const e = refusal(() => invitationExpiry(cast, now, { validUntil }));
      expect(e).toMatchObject({ code: 'VALIDITY_INVALID', kind: 'invalid', path: ['validUntil'] });
      expect(e.messages).toEqual(messages);
    }
  });

  it('ends a last day at its end; refused when that end is now, taken when it is exactly a year away', () => {
    expect(invitationExpiry(cast, now, { validUntil: '2025-02-01' })).toEqual(endOfChinaDay('2025-02-01'));
    const end = endOfChinaDay('2025-03-01');
    expect(refusal(() => invitationExpiry(cast, end, { validUntil: '2025-03-01' })).code).toBe(
      'VALIDITY_INVALID',
    );
    const yearBefore = new Date(end.getTime() - 365 * DAY_MS);
    expect(invitationExpiry(cast, yearBefore, { validUntil: '2025-03-01' })).toEqual(end);
    const justOver = new Date(end.getTime() - 365 * DAY_MS - 1);
    expect(refusal(() => invitationExpiry(cast, justOver, { validUntil: '2025-03-01' })).code).toBe(
      'VALIDITY_INVALID',
    );
  });

  it('counts days from now, and gives two weeks where no campaign is known', () => {
    expect(invitationExpiry(cast, now, { validDays: 3 })).toEqual(new Date(now.getTime() + 3 * DAY_MS));
    expect(invitationExpiry(undefined, now, {})).toEqual(new Date(now.getTime() + 14 * DAY_MS));
    // Within a campaign: through its correction period after the last day of submissions.
    expect(invitationExpiry(cast, now, {})).toEqual(endOfChinaDay('2025-02-28'));
  });
});

describe('small helpers', () => {
  it('bilingual pairs the two languages', () => {
    expect(bilingual('推荐', 'nomination')).toEqual({ zh: '推荐', en: 'nomination' });
  });

  it('gives no hints and no eligibility for a form that does not parse, only its issues', () => {
    const nomination = {
      category: 'volunteer',
      form: { name: 42 },
      attachments: [],
    } as unknown as Nomination;
    const check = checkNomination(cast, nomination, '2025-02-01');
    expect(check.hints).toEqual([]);
    expect(check.eligibility).toBeNull();
    expect(check.issues.length).toBeGreaterThan(0);
  });
});
