import type { CategoryId } from './categories.js';
import { automaticConflicts, type ConflictFacts, type Expert } from './review.js';

/**
 * Assignment of a whole round under caps and conflicts: every nomination gets `perNomination`
 * experts, none with a conflict of interest (functions/rules/review.ts), none of another
 * category, none beyond their cap; and inside each category's pool the loads end within one of
 * each other, except for experts held at their cap.
 *
 * A greedy with repair. The greedy takes the nominations with the fewest eligible experts first
 * and gives each the least loaded of its eligible experts (ties by a seeded draw when the
 * campaign draws experts at random, else by id). Conflicts can still leave a pool uneven — an
 * idle expert who may not review the nominations the busy one holds. The repair then moves one
 * assignment at a time from a most-loaded expert to a least-loaded one of the same pool who may
 * review that nomination, while the gap exceeds one: each move lowers Σ load², so it ends, and
 * it ends at the balance a min-cost flow with convex costs per expert reaches whenever a move
 * exists. Pure and deterministic for a given seed.
 */

export interface RoundNomination {
  id: string;
  category: CategoryId;
  facts: ConflictFacts;
}

export interface RoundOptions {
  perNomination: number;
  /** The campaign's cap for experts without their own. */
  defaultMaxLoad?: number;
  /** Set when the campaign draws experts at random within the eligible pool: the draw's seed. */
  randomSeed?: number;
}

export interface RoundAssignment {
  /** nomination id → expert ids. */
  assignments: Map<string, string[]>;
  /** expert id → nominations assigned (the experts' existing loads included). */
  loads: Map<string, number>;
  /** Nominations with fewer eligible experts than needed, and how many they have. */
  short: { nominationId: string; eligible: number }[];
  /** Moves the repair made. */
  moves: number;
}

/** A small seeded generator (mulberry32): the same seed draws the same experts. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function assignRound(
  nominations: readonly RoundNomination[],
  experts: readonly Expert[],
  options: RoundOptions,
): RoundAssignment {
  const k = options.perNomination;
  const cap = experts.map((e) => e.maxLoad ?? options.defaultMaxLoad ?? Number.POSITIVE_INFINITY);
  const load = experts.map((e) => e.load);
  const draw = options.randomSeed === undefined ? undefined : seeded(options.randomSeed);
  const tieBreak = experts.map((_, i) => (draw ? draw() : i));

  // Who may review what: category, then conflicts (checked once per pair).
  const eligible: number[][] = nominations.map((n) =>
    experts.flatMap((e, i) =>
      (!e.categories?.length || e.categories.includes(n.category)) &&
      automaticConflicts(e, n.facts).length === 0
        ? [i]
        : [],
    ),
  );
  const chosen: Set<number>[] = nominations.map(() => new Set());
  const short: RoundAssignment['short'] = [];

  const order = nominations
    .map((_, j) => j)
    .sort((a, b) => (eligible[a]?.length ?? 0) - (eligible[b]?.length ?? 0) || a - b);
  for (const j of order) {
    const pool = (eligible[j] ?? []).filter((i) => (load[i] ?? 0) < (cap[i] ?? 0));
    pool.sort((a, b) => (load[a] ?? 0) - (load[b] ?? 0) || (tieBreak[a] ?? 0) - (tieBreak[b] ?? 0));
    const picked = pool.slice(0, k);
    if (picked.length < k) short.push({ nominationId: nominations[j]?.id ?? '', eligible: pool.length });
    for (const i of picked) {
      chosen[j]?.add(i);
      load[i] = (load[i] ?? 0) + 1;
    }
  }

  // Repair, pool by pool: an expert's pool is the categories they review.
  const poolKey = (e: Expert) => (e.categories?.length ? [...e.categories].sort().join('+') : '*');
  const pools = new Map<string, number[]>();
  experts.forEach((e, i) => {
    pools.set(poolKey(e), [...(pools.get(poolKey(e)) ?? []), i]);
  });
  const held: Set<number>[] = experts.map(() => new Set());
  chosen.forEach((set, j) => {
    for (const i of set) held[i]?.add(j);
  });
  const eligibleSet = eligible.map((list) => new Set(list));
  let moves = 0;
  for (const members of pools.values()) {
    for (;;) {
      const open = members.filter((i) => (load[i] ?? 0) < (cap[i] ?? 0));
      if (open.length === 0) break;
      const low = Math.min(...open.map((i) => load[i] ?? 0));
      // Experts holding more than one above the least loaded who could still take work.
      const busy = members
        .filter((i) => (load[i] ?? 0) > low + 1)
        .sort((a, b) => (load[b] ?? 0) - (load[a] ?? 0));
      const idle = open.filter((i) => (load[i] ?? 0) === low);
      let moved = false;
      for (const from of busy) {
        for (const to of idle) {
          for (const j of held[from] ?? []) {
            if (!eligibleSet[j]?.has(to) || chosen[j]?.has(to)) continue;
            chosen[j]?.delete(from);
            chosen[j]?.add(to);
            held[from]?.delete(j);
            held[to]?.add(j);
            load[from] = (load[from] ?? 0) - 1;
            load[to] = (load[to] ?? 0) + 1;
            moves += 1;
            moved = true;
            break;
          }
          if (moved) break;
        }
        if (moved) break;
      }
      if (!moved) break;
    }
  }

  return {
    assignments: new Map(
      nominations.map((n, j) => [n.id, [...(chosen[j] ?? [])].map((i) => experts[i]?.id ?? '').sort()]),
    ),
    loads: new Map(experts.map((e, i) => [e.id, load[i] ?? 0])),
    short,
    moves,
  };
}

/** Whether loads inside each pool are within one, counting only experts below their cap. */
export function balancedWithinOne(
  experts: readonly Expert[],
  loads: ReadonlyMap<string, number>,
  defaultMaxLoad?: number,
): { balanced: boolean; widestGap: number } {
  const pools = new Map<string, number[]>();
  for (const e of experts) {
    const l = loads.get(e.id) ?? 0;
    const capped = l >= (e.maxLoad ?? defaultMaxLoad ?? Number.POSITIVE_INFINITY);
    if (capped) continue;
    const key = e.categories?.length ? [...e.categories].sort().join('+') : '*';
    pools.set(key, [...(pools.get(key) ?? []), l]);
  }
  let widestGap = 0;
  for (const ls of pools.values()) widestGap = Math.max(widestGap, Math.max(...ls) - Math.min(...ls));
  return { balanced: widestGap <= 1, widestGap };
}
