import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import {
  automaticConflicts,
  awaitingExpertsOf,
  type ConflictFacts,
  chooseExperts,
  conflictFactsOf,
  type Expert,
  ineligibility,
  mayReview,
} from '../../functions/rules/review.js';

/**
 * Who may be asked to review a nomination (functions/rules/review.ts): each automatic conflict by
 * its kind, and which reason keeps an expert off when several do — the page names the first.
 */

const facts: ConflictFacts = {
  unitId: 'u-astro',
  unitName: '中国天文学会',
  parentSociety: { id: 'cast', name: '中国科协' },
  nomineeName: '周丽华',
  nomineeOrganisation: '紫金山天文台',
};

const expert = (over: Partial<Expert> = {}): Expert => ({
  id: 'e1',
  campaignId: 'cast-2024',
  name: '王专家',
  email: 'wang@example.org',
  load: 0,
  ...over,
});

describe('the automatic conflicts, kind by kind', () => {
  it('finds the parent society by its id or its name', () => {
    expect(automaticConflicts(expert({ affiliation: 'cast' }), facts)).toEqual(['parent-society']);
    expect(automaticConflicts(expert({ organisations: ['中国 科协'] }), facts)).toEqual(['parent-society']);
  });

  it('finds a declared collaborator, the nominee or their organisation, written in another width or case', () => {
    expect(automaticConflicts(expert({ collaborators: ['周 丽华'] }), facts)).toEqual(['collaborator']);
    expect(
      automaticConflicts(expert({ collaborators: ['ＰＭＯ Lab'] }), {
        ...facts,
        nomineeOrganisation: 'pmo lab',
      }),
    ).toEqual(['collaborator']);
  });

  it('never matches a blank name: an unknown organisation is no conflict with a blank entry', () => {
    const blank = expert({ organisations: [' '], collaborators: [''] });
    expect(automaticConflicts(blank, { ...facts, nomineeOrganisation: '', nomineeName: ' ' })).toEqual([]);
  });
});

describe('what keeps an expert off, when several things do', () => {
  it('names being on it before, then another category, ahead of the cap', () => {
    const full = expert({ maxLoad: 1, load: 1, categories: ['site'] });
    expect(ineligibility(full, facts, { exclude: new Set(['e1']), category: 'volunteer' })).toBe('was-on-it');
    expect(ineligibility(full, facts, { category: 'volunteer' })).toBe('other-category');
  });

  it('names the cap ahead of a conflict; the expert’s own cap, else the campaign’s', () => {
    const conflicted = { affiliation: 'u-astro' };
    expect(ineligibility(expert({ ...conflicted, maxLoad: 2, load: 2 }), facts)).toBe('at-cap');
    expect(ineligibility(expert({ maxLoad: 2, load: 1 }), facts, { defaultMaxLoad: 1 })).toBe(null);
    expect(ineligibility(expert({ load: 3 }), facts, { defaultMaxLoad: 3 })).toBe('at-cap');
    expect(ineligibility(expert({ ...conflicted, load: 2 }), facts, { defaultMaxLoad: 3 })).toBe('conflict');
  });

  it('sets no cap where neither the expert nor the campaign sets one', () => {
    expect(ineligibility(expert({ load: 1000 }), facts)).toBe(null);
    expect(mayReview(expert({ load: 1000 }), facts)).toBe(true);
    expect(mayReview(expert({ load: 1 }), facts, { defaultMaxLoad: 1 })).toBe(false);
  });
});

describe('the facts a conflict check reads from an older, incomplete form', () => {
  it('takes a missing nominee name or organisation as blank, which matches no expert', () => {
    const cast = builtinCampaign('cast-2024');
    expect(conflictFactsOf(cast, { unitId: 'u', unitName: '某学会' }, {})).toEqual({
      unitId: 'u',
      unitName: '某学会',
      nomineeName: '',
      nomineeOrganisation: '',
    });
    expect(
      awaitingExpertsOf({ id: 'n-1', category: 'volunteer', unitId: 'u', unitName: '某学会', form: {} }),
    ).toEqual({
      id: 'n-1',
      category: 'volunteer',
      unitId: 'u',
      unitName: '某学会',
      nomineeName: '',
      nomineeOrganisation: '',
    });
  });
});

describe('choosing experts under the campaign’s cap', () => {
  it('passes over experts at the campaign’s cap, least loaded first, and refuses when too few are left', () => {
    const pool = [
      expert({ id: 'e1', load: 2 }),
      expert({ id: 'e2', load: 1 }),
      expert({ id: 'e3', load: 0 }),
    ];
    const nomination = { id: 'n-1', unitId: 'u-other' };
    expect(chooseExperts(pool, nomination, 2, { defaultMaxLoad: 2 }).map((e) => e.id)).toEqual(['e3', 'e2']);
    expect(() => chooseExperts(pool, nomination, 3, { defaultMaxLoad: 2 })).toThrow(
      expect.objectContaining({ code: 'NOT_ENOUGH_EXPERTS' }),
    );
    expect(chooseExperts(pool, nomination, 3).map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
  });
});
