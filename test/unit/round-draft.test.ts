import { describe, expect, it } from 'vitest';
import { definitionIssues } from '../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGNS, builtinCampaign } from '../../functions/rules/campaigns/index.js';
import {
  creationRequest,
  deadlineAfter,
  draftFrom,
  fieldOf,
  type RoundDraft,
  suggestedId,
  unitTypeId,
} from '../../web/src/pages/rounds/round-draft.js';

const cacs = builtinCampaign('cacs-2024');
const cast = builtinCampaign('cast-2024');

/** The console's form as a person fills it in for the agronomy society's round. */
function agronomyDraft(change: Partial<RoundDraft> = {}): RoundDraft {
  return {
    ...draftFrom(cacs, 'cast-2024'),
    id: 'csa-2024',
    nameZh: '中国农学会2024年度科技志愿服务先进典型推荐',
    nameEn: 'Chinese Society of Agronomy round 2024',
    organizerZh: '中国农学会',
    organizerEn: 'Chinese Society of Agronomy',
    officeZh: '中国农学会科普部',
    officeEn: 'Popular science department',
    lastDay: '2025-02-09',
    experts: '5',
    selection: { scope: 'per-category', limit: '1' },
    secretariatName: '中国农学会科普部',
    secretariatEmail: 'kepu@agronomy.cn',
    ...change,
  };
}

describe("the console's form for a new round", () => {
  it('describes a definition the rules accept, with the template’s forms and the person’s own choices', () => {
    const request = creationRequest(cacs, agronomyDraft({ contactPerson: '王明', contactPhone: '010-1234' }));
    const { campaign, issues } = definitionIssues(request.definition, BUILTIN_CAMPAIGNS);
    expect(issues).toEqual([]);
    expect(campaign).toMatchObject({
      id: 'csa-2024',
      deadline: '2025-02-10T00:00:00+08:00',
      review: { expertsPerNomination: 5, criteria: cacs.review.criteria },
      categories: cacs.categories,
      selection: { quota: { scope: 'per-category', limit: 1 } },
      forwardTo: { campaignId: 'cast-2024', asUnitType: 'national-society' },
      publicity: null,
      contacts: [{ office: { zh: '中国农学会科普部' }, people: ['王明'], phones: ['010-1234'] }],
    });
    // Nothing of the template's own that belongs to it alone: its contacts, its summary title.
    expect(JSON.stringify(campaign)).not.toContain(cacs.contacts[0]?.people[0] ?? '—');
    expect(campaign?.summaryTitle).toBeUndefined();
    expect(request.secretariat).toEqual({ name: '中国农学会科普部', email: 'kepu@agronomy.cn' });
  });

  it('puts each problem the rules find next to the field it was typed in', () => {
    const { definition } = creationRequest(
      cacs,
      agronomyDraft({ lastDay: '2025-03-01', selection: { scope: 'per-category', limit: '3' }, experts: '' }),
    );
    const { issues } = definitionIssues(definition, BUILTIN_CAMPAIGNS);
    expect(issues.map((i) => fieldOf(i.path)).sort()).toEqual(['experts']);
    const fixed = creationRequest(
      cacs,
      agronomyDraft({ lastDay: '2025-03-01', selection: { scope: 'per-category', limit: '3' } }),
    );
    expect(
      definitionIssues(fixed.definition, BUILTIN_CAMPAIGNS)
        .issues.map((i) => fieldOf(i.path))
        .sort(),
    ).toEqual(['lastDay', 'selection']);
    expect(fieldOf(['definition', 'unitTypes', 2, 'quota'])).toBe('unitTypes.2');
    expect(fieldOf(['organizer', 'name', 'en'])).toBe('organizerEn');
    expect(fieldOf(['organizer', 'office', 'zh'])).toBe('officeZh');
    expect(fieldOf(['secretariat', 'email'])).toBe('secretariatEmail');
    expect(fieldOf(['review', 'criteria'])).toBe('');
  });

  it('starts a national round from CAST’s: no parent, its own public notice', () => {
    const draft = { ...agronomyDraft(), ...draftFrom(cast), id: 'national-2025', lastDay: '2025-12-30' };
    const definition = creationRequest(cast, draft).definition;
    expect(definition).toMatchObject({ forwardTo: null, publicity: cast.publicity });
  });

  it('suggests codes people need not invent', () => {
    expect(suggestedId('Chinese Society of Agronomy', '2024')).toBe('csa-2024');
    expect(suggestedId('', '2024')).toBe('');
    expect(unitTypeId('Member unit', ['member-unit'])).toBe('member-unit-2');
    expect(unitTypeId('', [])).toBe('unit-type');
    expect(deadlineAfter('2025-02-28')).toBe('2025-03-01T00:00:00+08:00');
    expect(deadlineAfter('2024-12-31')).toBe('2025-01-01T00:00:00+08:00');
    expect(deadlineAfter('')).toBeUndefined();
  });
});
