/**
 * The benchmark line of assignment under caps (functions/rules/round-assignment.ts): a round of
 * 3,000 nominations × 3 reviews over 100 experts tagged by category, some with a cap of their
 * own, one in five affiliated with a nominating unit and some working where nominees work. The
 * target: every nomination fully assigned, no conflict assigned, loads within one of each other
 * inside each category's pool (or at the cap), in under 5 s on 2 cores.
 *
 * Runs alone: `npm run bench:assignment` (prints the target line and exits 1 when it fails).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { CategoryId } from '../../functions/rules/categories.js';
import { automaticConflicts, type Expert } from '../../functions/rules/review.js';
import {
  assignRound,
  balancedWithinOne,
  type RoundNomination,
} from '../../functions/rules/round-assignment.js';

const TARGET_SECONDS = 5;

/** A small seeded generator, so every run builds the same round. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The round: categories in the proportions of the full benchmark's round, experts in proportion to them. */
export function benchRound(seed = 2024) {
  const next = random(seed);
  const shares: [CategoryId, number, number][] = [
    ['volunteer', 1196, 40],
    ['project', 543, 18],
    ['organization', 601, 20],
    ['site', 660, 22],
  ];
  const units = Array.from({ length: 1144 }, (_, i) => ({ id: `u-${i}`, name: `推荐单位${i}` }));
  const organisations = Array.from({ length: 400 }, (_, i) => `科技志愿服务组织${i}`);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  const nominations: (RoundNomination & { category: CategoryId })[] = [];
  const experts: Expert[] = [];
  for (const [category, count, expertCount] of shares) {
    for (let i = 0; i < count; i += 1) {
      const unit = pick(units);
      nominations.push({
        id: `n-${category}-${i}`,
        category,
        facts: {
          unitId: unit.id,
          unitName: unit.name,
          nomineeName: `被推荐人${category}${i}`,
          nomineeOrganisation: pick(organisations),
        },
      });
    }
    for (let i = 0; i < expertCount; i += 1) {
      const n = experts.length;
      experts.push({
        id: `x-${String(n).padStart(3, '0')}`,
        campaignId: 'bench',
        name: `专家${n}`,
        email: `x${n}@bench.example.cn`,
        categories: [category],
        // One in five belongs to a nominating unit; one in four works at a nominee's organisation.
        ...(n % 5 === 0 ? { affiliation: pick(units).id } : {}),
        ...(n % 4 === 0 ? { organisations: [pick(organisations), pick(organisations)] } : {}),
        ...(n % 10 === 3 ? { collaborators: [`被推荐人${category}${Math.floor(next() * count)}`] } : {}),
        // One in ten takes fewer reviews than the rest.
        ...(n % 10 === 7 ? { maxLoad: 60 } : {}),
        load: 0,
      });
    }
  }
  return { nominations, experts, perNomination: 3, defaultMaxLoad: 150 };
}

/** A target line of the benchmark report (scripts/bench/report.ts), without its PASS / FAIL. */
export interface AssignmentBenchResult {
  pass: boolean;
  line: string;
}

export function benchAssignment(): AssignmentBenchResult {
  const round = benchRound();
  const started = performance.now();
  const result = assignRound(round.nominations, round.experts, {
    perNomination: round.perNomination,
    defaultMaxLoad: round.defaultMaxLoad,
  });
  const seconds = (performance.now() - started) / 1000;
  const byId = new Map(round.experts.map((e) => [e.id, e]));
  const incomplete = round.nominations.filter(
    (n) => (result.assignments.get(n.id) ?? []).length !== 3,
  ).length;
  const conflicted = round.nominations.filter((n) =>
    (result.assignments.get(n.id) ?? []).some((id) => {
      const e = byId.get(id);
      return !e || automaticConflicts(e, n.facts).length > 0 || !e.categories?.includes(n.category);
    }),
  ).length;
  const overCap = round.experts.filter(
    (e) => (result.loads.get(e.id) ?? 0) > (e.maxLoad ?? round.defaultMaxLoad),
  ).length;
  const { balanced, widestGap } = balancedWithinOne(round.experts, result.loads, round.defaultMaxLoad);
  const atCap = round.experts.filter(
    (e) => (result.loads.get(e.id) ?? 0) >= (e.maxLoad ?? round.defaultMaxLoad),
  ).length;
  const pass = incomplete === 0 && conflicted === 0 && overCap === 0 && balanced && seconds < TARGET_SECONDS;
  const line = `expert assignment: 3,000 nominations × 3 over 100 experts in ${seconds.toFixed(2)} s; ${incomplete} short, ${conflicted} with a conflict or another category, ${overCap} over cap, widest load gap in a pool ${widestGap} (${atCap} at cap, ${result.moves} repair moves) (target: none short, none conflicted, gap ≤ 1, < ${TARGET_SECONDS} s on 2 cores)`;
  return { pass, line };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { pass, line } = benchAssignment();
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${line}`);
  process.exitCode = pass ? 0 : 1;
}
