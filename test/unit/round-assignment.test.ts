import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automaticConflicts, type Expert, standingIneligibility } from '../../functions/rules/review.js';
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

/**
 * The optimum by brute force: every way to give each nomination at most `k` of its eligible
 * experts within the caps; the best fills the most places, then has the least Σ load² (the
 * min-cost flow's convex cost: the most even loads the conflicts and caps allow).
 */
function bruteForceOptimum(nominations: readonly RoundNomination[], experts: readonly Expert[], k: number) {
  const options = nominations.map((n) => {
    const eligible = experts.filter(
      (e) =>
        standingIneligibility(e, n.facts, {
          ...(n.category ? { category: n.category } : {}),
          ...(n.exclude ? { exclude: n.exclude } : {}),
          ...(n.dismissed ? { dismissed: n.dismissed } : {}),
        }) === null,
    );
    const subsets: string[][] = [[]];
    for (const e of eligible) {
      for (const s of [...subsets]) if (s.length < k) subsets.push([...s, e.id]);
    }
    return subsets;
  });
  let best = { placed: -1, cost: Number.POSITIVE_INFINITY };
  const added = new Map<string, number>();
  const visit = (j: number, placed: number) => {
    if (j === nominations.length) {
      const cost = experts.reduce((sum, e) => sum + (e.load + (added.get(e.id) ?? 0)) ** 2, 0);
      if (placed > best.placed || (placed === best.placed && cost < best.cost)) best = { placed, cost };
      return;
    }
    for (const subset of options[j] ?? []) {
      const fits = subset.every((id) => {
        const e = experts.find((x) => x.id === id) as Expert;
        return e.load + (added.get(id) ?? 0) + 1 <= (e.maxLoad ?? Number.POSITIVE_INFINITY);
      });
      if (!fits) continue;
      for (const id of subset) added.set(id, (added.get(id) ?? 0) + 1);
      visit(j + 1, placed + subset.length);
      for (const id of subset) added.set(id, (added.get(id) ?? 0) - 1);
    }
  };
  visit(0, 0);
  return best;
}

/** Small rounds: a few units, experts of some of them, tagged or not, capped or not, some already busy. */
const smallRound = (size: { k: number; experts: number; nominations: number }) =>
  fc
    .record({
      k: fc.integer({ min: 1, max: size.k }),
      experts: fc.array(
        fc.record({
          unit: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: undefined }),
          site: fc.boolean(),
          cap: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
          load: fc.integer({ min: 0, max: 2 }),
        }),
        { minLength: 2, maxLength: size.experts },
      ),
      nominations: fc.array(
        fc.record({
          unit: fc.constantFrom('u1', 'u2', 'u3'),
          site: fc.boolean(),
          excluded: fc.nat(4),
          dismissed: fc.nat(4),
        }),
        { minLength: 1, maxLength: size.nominations },
      ),
      seed: fc.option(fc.integer(), { nil: undefined }),
    })
    .map(({ k, experts, nominations, seed }) => ({
      k,
      seed,
      experts: experts.map((e, i) =>
        expert(`e${i}`, {
          load: e.load,
          ...(e.unit ? { affiliation: e.unit } : {}),
          ...(e.site ? { categories: ['site' as const] } : {}),
          ...(e.cap !== undefined ? { maxLoad: e.cap } : {}),
        }),
      ),
      nominations: nominations.map(
        (n, j): RoundNomination => ({
          ...nomination(`n${j}`, n.unit, n.site ? 'site' : 'volunteer'),
          exclude: new Set([`e${n.excluded}`]),
          dismissed: new Set([`e${n.dismissed}`]),
        }),
      ),
    }));

/** assignRound against the brute-force optimum on one round. */
function matchesOptimum({
  k,
  seed,
  experts,
  nominations,
}: {
  k: number;
  seed: number | undefined;
  experts: Expert[];
  nominations: RoundNomination[];
}) {
  const round = assignRound(nominations, experts, {
    perNomination: k,
    ...(seed !== undefined ? { randomSeed: seed } : {}),
  });
  const optimum = bruteForceOptimum(nominations, experts, k);
  const placed = [...round.assignments.values()].reduce((sum, ids) => sum + ids.length, 0);
  expect(placed).toBe(optimum.placed);
  if (optimum.placed === nominations.length * k) {
    const cost = [...round.loads.values()].reduce((sum, l) => sum + l ** 2, 0);
    expect(cost).toBe(optimum.cost);
  }
  // Never ineligible, never over a cap it did not start over.
  for (const n of nominations) {
    for (const id of round.assignments.get(n.id) ?? []) {
      const e = experts.find((x) => x.id === id) as Expert;
      expect(
        standingIneligibility(e, n.facts, {
          ...(n.category ? { category: n.category } : {}),
          ...(n.exclude ? { exclude: n.exclude } : {}),
          ...(n.dismissed ? { dismissed: n.dismissed } : {}),
        }),
      ).toBeNull();
    }
  }
  for (const e of experts) {
    const l = round.loads.get(e.id) ?? 0;
    if (l > e.load) expect(l).toBeLessThanOrEqual(e.maxLoad ?? Number.POSITIVE_INFINITY);
  }
}

describe('the repair reaches the optimum balance', () => {
  it('fills as many places as any assignment can, and when all can be filled its loads are as even as a brute-force optimum’s (Σ load²)', () => {
    fc.assert(fc.property(smallRound({ k: 2, experts: 5, nominations: 4 }), matchesOptimum), {
      numRuns: 300,
    });
  });

  it('reaches the optimum on longer rounds of one expert each, where the balance needs chains of moves', () => {
    fc.assert(fc.property(smallRound({ k: 1, experts: 4, nominations: 6 }), matchesOptimum), {
      numRuns: 200,
    });
  });

  it('moves work along a chain when no single move helps', () => {
    // Found by a search: the greedy leaves e1 with 4 and e0 with 2; e0 may not review e1's
    // nominations (u2's), and everyone else is at 3, so no single move helps. The chain: e1 hands
    // n1 to e2, e2 hands n4 to e0 — every expert at 3.
    const experts = [
      expert('e0', { load: 1, affiliation: 'u2' }),
      expert('e1', { load: 0, affiliation: 'u4' }),
      expert('e2', { load: 1 }),
      expert('e3', { load: 1, affiliation: 'u4' }),
      expert('e4', { load: 0 }),
    ];
    const units = ['u4', 'u2', 'u2', 'u2', 'u4', 'u2'];
    const round = assignRound(
      units.map((u, j) => nomination(`n${j}`, u)),
      experts,
      { perNomination: 2 },
    );
    expect(round.short).toEqual([]);
    expect([...round.loads.values()]).toEqual([3, 3, 3, 3, 3]);
    expect(round.moves).toBeGreaterThanOrEqual(2);
  });

  it('lets an expert whose conflict the secretariat dismissed review, and never one who was on the nomination before', () => {
    const experts = [expert('a', { affiliation: 'u1' }), expert('b'), expert('c')];
    const round = assignRound(
      [{ ...nomination('n1', 'u1'), dismissed: new Set(['a']), exclude: new Set(['b']) }],
      experts,
      { perNomination: 2 },
    );
    expect(round.assignments.get('n1')).toEqual(['a', 'c']);
  });
});
