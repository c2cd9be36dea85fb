import { describe, expect, it } from 'vitest';
import type { Expert } from '../../functions/rules/review.js';
import { balancedWithinOne } from '../../functions/rules/round-assignment.js';

/**
 * The benchmark's and the tests' measure of an even round (balancedWithinOne in
 * functions/rules/round-assignment.ts): loads compared inside each pool of experts with the same
 * categories, leaving out those at their cap, whose load the cap decided.
 */

const expert = (id: string, fields: Partial<Expert> = {}): Expert => ({
  id,
  campaignId: 'c',
  name: id,
  email: `${id}@x.cn`,
  load: 0,
  ...fields,
});
const loads = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('an even round', () => {
  it('is within one: a gap of one is balanced, a gap of two is not, and says the widest gap', () => {
    const experts = [expert('a'), expert('b')];
    expect(balancedWithinOne(experts, loads({ a: 3, b: 2 }))).toEqual({ balanced: true, widestGap: 1 });
    expect(balancedWithinOne(experts, loads({ a: 4, b: 2 }))).toEqual({ balanced: false, widestGap: 2 });
    expect(balancedWithinOne(experts, loads({ a: 2 }))).toEqual({ balanced: false, widestGap: 2 });
  });

  it('leaves out experts at their own cap, or at the campaign’s, but not those below it', () => {
    const experts = [expert('capped', { maxLoad: 1 }), expert('b'), expert('c')];
    expect(balancedWithinOne(experts, loads({ capped: 1, b: 4, c: 4 }))).toEqual({
      balanced: true,
      widestGap: 0,
    });
    expect(balancedWithinOne([expert('a'), expert('b')], loads({ a: 2, b: 0 }), 2)).toEqual({
      balanced: true,
      widestGap: 0,
    });
    expect(balancedWithinOne([expert('a'), expert('b')], loads({ a: 1, b: 3 }), 2)).toEqual({
      balanced: true,
      widestGap: 0,
    });
    expect(balancedWithinOne([expert('a'), expert('b')], loads({ a: 3, b: 0 }), 4)).toEqual({
      balanced: false,
      widestGap: 3,
    });
  });

  it('compares only experts with the same categories, in whatever order they are listed', () => {
    const experts = [
      expert('v1', { categories: ['volunteer', 'site'] }),
      expert('v2', { categories: ['site', 'volunteer'] }),
      expert('p1', { categories: ['project'] }),
      expert('any'),
    ];
    expect(balancedWithinOne(experts, loads({ v1: 5, v2: 4, p1: 0, any: 9 }))).toEqual({
      balanced: true,
      widestGap: 1,
    });
    expect(balancedWithinOne(experts, loads({ v1: 5, v2: 3, p1: 0, any: 9 }))).toEqual({
      balanced: false,
      widestGap: 2,
    });
    expect(balancedWithinOne([expert('a', { categories: [] }), expert('b')], loads({ a: 3, b: 0 }))).toEqual({
      balanced: false,
      widestGap: 3,
    });
  });
});
