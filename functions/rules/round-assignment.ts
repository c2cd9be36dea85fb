import type { CategoryId } from './categories.js';
import { type ConflictFacts, type Expert, standingIneligibility } from './review.js';

/**
 * Assignment of a whole round under caps and conflicts: every nomination gets `perNomination`
 * experts, none ineligible (functions/rules/review.ts: on it before, another category, a conflict
 * of interest the secretariat did not dismiss), none beyond their cap; and the loads as even as
 * the conflicts and caps allow.
 *
 * A greedy with repair. The greedy takes the nominations with the fewest eligible experts first
 * and gives each the least loaded of its eligible experts with room (ties by a seeded draw when
 * the campaign draws experts at random — 随机抽取 — else by id). Then the repair, the two steps of
 * a min-cost flow with a convex cost per expert (Σ load²):
 *   1. a nomination the greedy left short takes an expert through a chain of moves — it takes x,
 *      x hands one of theirs to y, …, until an expert with room — as long as such a chain
 *      exists (an augmenting path: the most reviews the caps and conflicts allow);
 *   2. while an expert holds two or more above another with room whom a chain of moves reaches,
 *      one assignment travels along the chain (a negative cycle of the flow's residual graph):
 *      each lowers Σ load², so it ends, and it ends at the flow's optimum, since a convex-cost
 *      flow is optimal exactly when no such chain is left. Direct moves are tried first: cheap,
 *      and they do most of the work.
 * The loads experts already carry count and stay put. Pure and deterministic for a given seed;
 * test/unit/round-assignment.test.ts compares it with a brute-force optimum.
 */

export interface RoundNomination {
  id: string;
  /** Absent: the experts' category tags are not checked. */
  category?: CategoryId;
  facts: ConflictFacts;
  /** Experts on it before (reviewing, declined, recused, swapped out): never again. */
  exclude?: ReadonlySet<string>;
  /** Experts whose automatic conflict with it the secretariat dismissed: eligible again. */
  dismissed?: ReadonlySet<string>;
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
  /** Nominations that could not get enough experts, and how many they got. */
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

/** One step of a chain: nomination `nomination` goes from expert `from` (-1: a new place) to `to`. */
interface Move {
  nomination: number;
  from: number;
  to: number;
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
  // Ties by id, or by the seeded draw.
  const byId = experts
    .map((_, i) => i)
    .sort((a, b) => ((experts[a]?.id ?? '') < (experts[b]?.id ?? '') ? -1 : 1));
  const tieBreak: number[] = experts.map(() => 0);
  byId.forEach((i, rank) => {
    tieBreak[i] = draw ? draw() : rank;
  });
  const room = (i: number) => (load[i] ?? 0) < (cap[i] ?? 0);

  // Who may review what, checked once per pair; the cap is the loads' business below. A window
  // of a hundred nominations over a hundred experts is ten thousand pairs: nothing is built per pair.
  const eligible: number[][] = nominations.map((n) => {
    const limits = {
      ...(n.category ? { category: n.category } : {}),
      ...(n.exclude ? { exclude: n.exclude } : {}),
      ...(n.dismissed ? { dismissed: n.dismissed } : {}),
    };
    const may: number[] = [];
    experts.forEach((e, i) => {
      if (standingIneligibility(e, n.facts, limits) === null) may.push(i);
    });
    return may;
  });
  const chosen: Set<number>[] = nominations.map(() => new Set());
  const held: Set<number>[] = experts.map(() => new Set());
  let moves = 0;
  const apply = (chain: readonly Move[]) => {
    for (const { nomination: j, from, to } of chain) {
      if (from >= 0) {
        chosen[j]?.delete(from);
        held[from]?.delete(j);
        load[from] = (load[from] ?? 0) - 1;
      }
      chosen[j]?.add(to);
      held[to]?.add(j);
      load[to] = (load[to] ?? 0) + 1;
    }
  };

  const order = nominations
    .map((_, j) => j)
    .sort((a, b) => (eligible[a]?.length ?? 0) - (eligible[b]?.length ?? 0) || a - b);
  for (const j of order) {
    const pool = (eligible[j] ?? []).filter(room);
    pool.sort((a, b) => (load[a] ?? 0) - (load[b] ?? 0) || (tieBreak[a] ?? 0) - (tieBreak[b] ?? 0));
    for (const i of pool.slice(0, k)) apply([{ nomination: j, from: -1, to: i }]);
  }

  /**
   * The shortest chain from the first moves to an expert `isEnd` accepts: each expert reached
   * takes one assignment and, unless they may keep it, hands one of theirs on to an expert
   * eligible for it and not on it. Breadth first over experts, each visited once.
   */
  const chain = (first: readonly Move[], isEnd: (i: number) => boolean, start = -1): Move[] | null => {
    const via = new Map<number, Move>();
    const queue: number[] = [];
    for (const m of first) {
      if (m.to === start || via.has(m.to)) continue;
      via.set(m.to, m);
      queue.push(m.to);
    }
    for (let head = 0; head < queue.length; head += 1) {
      const x = queue[head] as number;
      if (isEnd(x)) {
        const path: Move[] = [];
        for (let at: number | undefined = x; at !== undefined && at !== start && at >= 0; ) {
          const m = via.get(at) as Move;
          path.unshift(m);
          at = m.from;
        }
        return path;
      }
      for (const j of held[x] ?? []) {
        for (const y of eligible[j] ?? []) {
          if (y === start || via.has(y) || chosen[j]?.has(y)) continue;
          via.set(y, { nomination: j, from: x, to: y });
          queue.push(y);
        }
      }
    }
    return null;
  };

  // 1. Nominations left short take an expert through a chain ending at one with room.
  const short: RoundAssignment['short'] = [];
  for (const j of order) {
    while ((chosen[j]?.size ?? 0) < k) {
      const first = (eligible[j] ?? [])
        .filter((i) => !chosen[j]?.has(i))
        .map((i) => ({ nomination: j, from: -1, to: i }));
      const found = chain(first, room);
      if (!found) break;
      apply(found);
      moves += found.length - 1;
    }
    if ((chosen[j]?.size ?? 0) < k)
      short.push({ nominationId: nominations[j]?.id ?? '', eligible: chosen[j]?.size ?? 0 });
  }

  // 2. Balance: direct moves first, then chains, from a most loaded expert to one two below with room.
  const direct = (): boolean => {
    const busiest = experts.map((_, i) => i).sort((a, b) => (load[b] ?? 0) - (load[a] ?? 0));
    for (const from of busiest) {
      for (const j of held[from] ?? []) {
        let best = -1;
        for (const to of eligible[j] ?? []) {
          if (chosen[j]?.has(to) || !room(to) || (load[to] ?? 0) > (load[from] ?? 0) - 2) continue;
          if (best < 0 || (load[to] ?? 0) < (load[best] ?? 0)) best = to;
        }
        if (best >= 0) {
          apply([{ nomination: j, from, to: best }]);
          moves += 1;
          return true;
        }
      }
    }
    return false;
  };
  const viaChain = (): boolean => {
    const lightest = Math.min(
      ...experts.map((_, i) => (room(i) ? (load[i] ?? 0) : Number.POSITIVE_INFINITY)),
    );
    const busiest = experts
      .map((_, i) => i)
      .filter((i) => (load[i] ?? 0) >= lightest + 2)
      .sort((a, b) => (load[b] ?? 0) - (load[a] ?? 0));
    for (const from of busiest) {
      const first = [...(held[from] ?? [])].flatMap((j) =>
        (eligible[j] ?? []).filter((to) => !chosen[j]?.has(to)).map((to) => ({ nomination: j, from, to })),
      );
      const found = chain(first, (i) => room(i) && (load[i] ?? 0) <= (load[from] ?? 0) - 2, from);
      if (found) {
        apply(found);
        moves += found.length;
        return true;
      }
    }
    return false;
  };
  for (;;) {
    while (direct()) {}
    if (!viaChain()) break;
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
