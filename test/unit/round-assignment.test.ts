import { describe, expect, it } from 'vitest';
import { automaticConflicts, type Expert } from '../../functions/rules/review.js';
import {
  assignRound,
  balancedWithinOne,
  type RoundNomination,
} from '../../functions/rules/round-assignment.js';
import { benchRound } from '../../scripts/bench/assignment.js';

const expert = (id: string, fields: Partial<Expert> = {}): Expert => ({
  id,
  campaignId: 'c',
  name: id,
  email: `${id}@x.cn`,
  load: 0,
  ...fields,
});
const nomination = (
  id: string,
  unitId = 'u1',
  category: RoundNomination['category'] = 'volunteer',
): RoundNomination => ({
  id,
  category,
  facts: { unitId, unitName: `${unitId} 名称`, nomineeName: `${id} 人`, nomineeOrganisation: `${id} 组织` },
});

describe('assignment of a whole round under caps and conflicts', () => {
  it('never assigns a conflicted expert, one of another category, or beyond a cap; reports what cannot be filled', () => {
    const experts = [
      expert('a', { affiliation: 'u1' }),
      expert('b', { categories: ['site'] }),
      expert('c', { maxLoad: 1 }),
      expert('d'),
      expert('e'),
    ];
    const round = assignRound([nomination('n1'), nomination('n2'), nomination('n3', 'u2')], experts, {
      perNomination: 2,
    });
    expect(round.assignments.get('n1')).not.toContain('a');
    expect(round.assignments.get('n2')).not.toContain('a');
    for (const ids of round.assignments.values()) expect(ids).not.toContain('b');
    expect(round.loads.get('c')).toBe(1);
    expect(round.short).toEqual([]);
    const tight = assignRound([nomination('n1')], experts, { perNomination: 4 });
    expect(tight.short).toEqual([{ nominationId: 'n1', eligible: 3 }]);
  });

  it('balances loads within one inside each category’s pool, counting the loads experts already had', () => {
    const experts = [
      expert('a', { load: 4 }),
      expert('b'),
      expert('c'),
      expert('d', { categories: ['site'] }),
    ];
    const noms = Array.from({ length: 10 }, (_, i) => nomination(`n${i}`, `u${i}`));
    const round = assignRound(noms, experts, { perNomination: 1 });
    expect([...round.loads]).toEqual([
      ['a', 5],
      ['b', 5],
      ['c', 4],
      ['d', 0],
    ]);
    expect(balancedWithinOne(experts, round.loads)).toEqual({ balanced: true, widestGap: 1 });
    expect(
      balancedWithinOne(
        experts,
        new Map([
          ['a', 7],
          ['b', 5],
          ['c', 5],
        ]),
      ),
    ).toMatchObject({ balanced: false });
  });

  it('draws at random within the eligible pool when the campaign says so: the same seed, the same draw', () => {
    const experts = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => expert(id));
    const noms = [nomination('n1')];
    const bySeed = (seed: number) =>
      assignRound(noms, experts, { perNomination: 3, randomSeed: seed }).assignments.get('n1');
    expect(bySeed(7)).toEqual(bySeed(7));
    const draws = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => bySeed(s)?.join()));
    expect(draws.size).toBeGreaterThan(1);
    expect(assignRound(noms, experts, { perNomination: 3 }).assignments.get('n1')).toEqual(['a', 'b', 'c']);
  });

  it('fills the benchmark’s round: all assigned, no conflict, within one in each pool (a smaller slice, fast)', () => {
    const full = benchRound(11);
    const slice = full.nominations.filter((_, i) => i % 10 === 0);
    const experts = full.experts.map((e) => ({ ...e, ...(e.maxLoad ? { maxLoad: 6 } : {}) }));
    const round = assignRound(slice, experts, { perNomination: 3, defaultMaxLoad: 15 });
    expect(round.short).toEqual([]);
    for (const n of slice) {
      const ids = round.assignments.get(n.id) ?? [];
      expect(ids).toHaveLength(3);
      for (const id of ids) {
        const e = experts.find((x) => x.id === id) as Expert;
        expect(automaticConflicts(e, n.facts)).toEqual([]);
        expect(e.categories).toContain(n.category);
      }
    }
    expect(balancedWithinOne(experts, round.loads, 15).balanced).toBe(true);
  });
});
