import { describe, expect, it } from 'vitest';
import {
  type CallerTallies,
  emptyTally,
  type Tally,
  totals,
  type WriteDetail,
} from '../../scripts/bench/dynamo-counter.js';
import { sumTallies } from '../../scripts/bench/report.js';
import { runBench } from '../../scripts/bench/run.js';

/**
 * What the store costs per nomination, counted: a small national round (the benchmark's plan,
 * its scripted units, secretariat and experts, through the HTTP API) on the local cloud behind
 * the counting proxy (scripts/bench/dynamo-counter.ts), every nomination on the happy path —
 * created, form saved, files recorded (two uploaded for real), submitted, passed at screening,
 * three experts assigned and their reviews, scores aggregated, selected, forwarded, on the public
 * notice, released. The figures are counts, not timings: the same code gives the same counts.
 *
 * It prints where the requests go, by operation and by caller (the function that sent them, in
 * each stage, and the items each request touched), and a PASS or FAIL line for each of the
 * issue's targets (issue 20): per nomination ≤ 45 DynamoDB requests, ≤ 15 write requests, ≤ 15
 * GetItem, no Scan, ≤ 150 write units (WRU as DynamoDB charges them: 1 per KB of each item
 * written, twice that in a transaction, each index holding the item written again, a refused
 * write still charged). It holds what the store costs now as ceilings.
 */

const NOMINATIONS = 8;
/**
 * What the store may cost per nomination of this round at most (see the test). The write units
 * were 442 when the nomination item was split; the submission's declaration record (who confirmed
 * which texts, the texts included) then joined the small item, and every later write copied its
 * ~1 KB into the table and its three indexes: 543. With the unit's confirmations in an item of
 * their own, written once a submission: 448. A review link's target read once per warm container
 * (its item never changes): 40 GetItem; the round's conflict dismissals read once per expert
 * assignment: 137 requests. A transaction of one item sent as that one write (half the units),
 * and the ranking row written only when the status moves: 389 WRU (396 in a later run). The row
 * also carries what the ranking page shows (name, unit, verdict), so a change that keeps the status
 * but changes those (a name corrected or erased) rewrites it too — else an erased name stayed on
 * the row: 411 WRU. The indexes holding keys and the small facets instead of whole items (each
 * change of the item wrote it again into every index it is in), lists reading their rows from the
 * table by key: 227 WRU for 0.5 more requests (a batch read a page); a draft's place in the status
 * index its creation, so its saves and files leave the index alone: 210 WRU. Sessions read once a
 * minute per warm container, a nomination route's scope check and use case reading the nomination
 * once, an expert's assignment and nomination read by one batch, the round's state and the unit's
 * extension by one: 112 requests, 13.5 GetItem (from 135 and 41); each human step's token stored
 * by one UpdateItem that reads nothing first: 107 requests. The indexes' facets holding what never
 * changes (category, unit: a status change wrote the unit's and the name index again), the
 * eligibility results in an item of their own (written once by the check, ~1 KB off every later
 * write of the small item), and a part's fingerprint taken with its maps' keys in order (a
 * container that read a nomination wrote its form and confirmations again): 161.9 and 168.4 WRU in
 * two runs (from 219), 42.5 and 43.4 writes (from 43.6). The local task tokens as long as AWS's
 * may be (2,048 characters, from 64): each human step's token kept in an item of its own, as the
 * bytes its base64 spells, put before the small item's version is raised — one more write a step
 * armed (four a nomination), so that no status change carries ~2 KB of token: 174.3 WRU, 49.1
 * writes, 110.8 requests (171.9, 45.5 and 107.5 with 64-character tokens on the small item).
 * AssignExperts' links put by the transaction that makes its assignments (with the draw's audit
 * and the nomination's leaving the planning window), its mails noted by one write, the pool and
 * the dismissals read by one query: 103.8 requests, 43.4 writes, 172.3 WRU (from 109.1, 48.8 and
 * 172.5 in a run just before), the screening stage 14.3 requests and 6.3 writes (from 20.8, 12.1).
 * The counter then charged a transaction's items as AWS bills them, at least 2 units each
 * (DynamoDB Local had answered three small items of one transaction as one): 231.8 WRU for the
 * same writes (from 172–177) — a correction of the count, not a change of the code.
 * The scores aggregated by the last review's status change (the selection step's task read the
 * reviews again, wrote the ranking entry and saved the nomination), and the nomination an expert's
 * request read remembered for that change: the expert review stage 35.9 → 31.4 requests, 14.3 →
 * 12.1 writes, 39.0 → 31.3 WRU (measured before AssignExperts' change and the counter's); with
 * both, the round 97.6–99.5 requests, 41.0–41.1 writes, 11.6–12.5 GetItem in two runs, 236.0 WRU
 * as the counter bills a transaction's items now (the stage 31.6 requests, 12.3 writes, 50.0 WRU).
 * Each step's token stored by one transaction of its item and the small item's update (two plain
 * writes before), and the publicity token by the forwarding's own transaction: the await step
 * 12.0 → 7.0 requests and 9.0 → 4.0 writes a nomination, for 29.2 → 36.0 WRU (a transaction
 * charges each item twice); the round 93.1 requests, 36.0 writes, 240.4 WRU (99.4, 41.0 and 233.5
 * in a run just before; 94.3, 36.0 and 241.4 with the change before an expert's request read its
 * nomination's assignments with it).
 * The campaign jobs' chunks read their nominations by batch reads and move them by transactions of
 * many nominations each, the counts once a transaction (each move had been a query and a
 * transaction of its own, eight at once conflicting on the counts item): selection 13.4 → 10.5
 * requests, 6.6 → 5.8 writes, 34.9 → 29.6 WRU; publicity 6.3 → 3.4, 1.8 → 0.9, 15.1 → 9.9;
 * release 9.4 → 6.8, 3.6 → 2.8, 16.6 → 11.4; the round 99.4 → 90.5 requests, 41.3 → 38.6 writes,
 * 235.5 → 218.8 WRU (the code before and after, one run each, before the tokens' change); with the
 * tokens' change, the round 86.3 requests, 33.9 writes, 230.6 WRU (from 93.1, 36.0 and 240.4).
 * The submission keeping its [auto] criteria by its own transaction, the past-honouree list read
 * with its window (ValidateSubmission had read the nomination and the list and written the small
 * item and the criteria again: 3 requests, a write and 4.4 WRU a nomination, none now), and a new
 * draft's empty form and files not written (two items fewer in the creation's transaction): the
 * round 82.1 requests, 32.4 writes, 11.1 GetItem, 218.6 WRU in one run; at 300 nominations the
 * benchmark's 71.9 → 68.6 requests, 31.6 → 30.6 writes, 230.3 → 222.9 WRU (one run each).
 * The campaign jobs' notices claimed a chunk at a time (one TransactWriteItems) and settled by
 * BatchWriteItem, where each nomination's notice took a PutItem claim and an UpdateItem settle:
 * selection 8.5 → 6.8 requests, 3.8 → 2.0 writes, 29.6 → 30.6 WRU (a transaction charges each
 * claim twice); release 6.0 → 5.0, 2.8 → 1.0, 11.4 → 12.4; the round 33.4 → 30.6 writes (84.0 →
 * 83.9 requests and 222.6 → 236.6 WRU, the rest of the round's noise; one run each; a second run
 * after: 80.8 requests, 29.9 writes, 225.1 WRU). With the submission's change: the round 78.5
 * requests, 29.0 writes, 221.6 WRU (82.1, 32.4, 218.6 with that change alone).
 */
// Write units move between runs (231.8–240.5 seen with the same code): a transaction refused by a
// conflict is charged and sent again, and how many meet one depends on timing. The tokens' transactions
// added 7 to them and the batched campaign jobs took 16 off, so the ceiling kept its margin over
// that noise at 248; the submission's criteria kept by its own write took 12 more off: 236. The
// writes' ceiling is 32, below the 32.4 measured before a chunk's notices were claimed and settled
// together: a nomination's notices one write each again would break it.
// An expert's declaration of no conflict answering with the review page (the page's second GET
// gone) and recording the read in its own transaction (no PutItem of its own), and review links
// whose tokens name their nomination (no GetItem of the link's item): 69.1 requests, 26.0 writes,
// 7.4 GetItem and 226.1 WRU in one run (the read in a transaction charged twice: WRU up, not down),
// from the 78.5, 29.0, 11.1 and 221.6 measured before.
// AssignExperts reading the nomination with its assignments by one query, AwaitSelection storing its
// token on the condition that the score is kept instead of reading first, and AwaitPublicity's
// forwarding moving the nomination it read: 66.1 requests, 25.9 writes, 7.9 GetItem, 222.6 WRU in
// one run (from 69.1 requests; 66.0 in a second run). The requests' ceiling is 71: runs of the same
// code have differed by up to 3 requests (conflicts retried), and 69 over a measured 66 would flake.
// A file's record written by one conditional write that reads nothing first (the record route's
// scope check and use case had read the nomination: two requests a file): 61.8 → 58.5 requests
// (stage 1 19.4 → 15.1), 25.3 → 26.1 writes (stage 1 8.5 both), 219.6 → 221.1 WRU (stage 1 60.8 →
// 62.8: the files' ids kept beside them), one run each of main and the change. The requests'
// ceiling 62: 3.5 over the run, the noise seen before.
// A review not the last as read checking another still open in its write instead of reading the
// assignments again after it, and the last scoring the nomination in its own transaction (landed
// before the file's record above): 62.1 and 62.8 requests, 25.0 and 25.3 writes, 7.8 and 8.1
// GetItem, 222.6 and 223.6 WRU in two runs with the submit's single read. (The counter charges a
// ConditionCheck nothing; AWS bills it as a write: some 4 WRU a nomination more than counted here.)
const CEILING = { requests: 62, writes: 28, gets: 9, writeUnits: 236 };
/**
 * The requests per nomination of the people's own routes, by the stage and the function that
 * serves them, held as ceilings too: a route that reads once more fails here, not only in the sum.
 * Stage 1's nominations: POST nominations, PUT form and POST submit, one each — the submit's route
 * check reading the nomination with the round's window and past-honouree list by one BatchGetItem,
 * the use case's two reads taking it: 7.0 requests (8.0 before, the check's Query and the
 * context's BatchGetItem apart; sessions read once a minute per container make up the tenths).
 * Stage 3's reviews: GET review, POST declaration and POST review, three each — the link's Query
 * each, a write each declaration and review, the last review scoring the nomination in its own
 * write, a review not the last checking another still open instead of reading after: 15.9
 * requests in two runs (9 reads, 6 writes and the races of reviews at once; 21.1 in the bench before).
 */
const ROUTE_CEILING: Record<string, number> = {
  '1. submission · nominations': 7.5,
  '3. expert review · reviews': 18,
};
const TIMEOUT_MS = 300_000;

const fmt = (value: number, digits = 1) => value.toFixed(digits);

/** One tally's totals per nomination, as one line. */
function line(label: string, tally: Tally, n: number, width = 44): string {
  const t = totals(tally);
  const ops = Object.entries(tally)
    .sort(([, a], [, b]) => b.requests - a.requests)
    .map(([op, o]) => `${op} ${fmt(o.requests / n)}`)
    .join(', ');
  return `${label.padEnd(width)} ${fmt(t.requests / n).padStart(6)} req ${fmt(t.writeRequests / n).padStart(5)} writes ${fmt(t.itemsWritten / n).padStart(5)} items ${fmt(t.writeUnits / n).padStart(6)} WRU  (${ops})`;
}

/**
 * Where the write units go, per nomination: each kind of write (caller, operation, items) with
 * its units in the table and in each index, and the size of the items it puts (mean, largest).
 */
function writeUnitLines(detail: ReadonlyMap<string, WriteDetail>, n: number): string[] {
  const sum = (d: WriteDetail) => Object.values(d.units).reduce((s, v) => s + v, 0);
  const targets = ['table', 'gsi1', 'gsi2', 'gsi3'];
  return [...detail]
    .filter(([, d]) => sum(d) > 0)
    .sort(([, a], [, b]) => sum(b) - sum(a))
    .map(([who, d]) => {
      const shares = targets.map((t) => `${t} ${fmt((d.units[t] ?? 0) / n).padStart(5)}`).join(' ');
      const sizes =
        d.itemsPut > 0
          ? `puts ${fmt(d.bytesPut / d.itemsPut / 1024, 2)} KB mean, ${fmt(d.largestPut / 1024, 2)} KB largest`
          : '';
      return `${fmt(sum(d) / n).padStart(6)} WRU  ${shares}  ${fmt(d.requests / n).padStart(4)} req  ${sizes.padEnd(38)} ${who}`;
    });
}

function byCaller(stages: readonly { name: string; callers: CallerTallies }[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const stage of stages)
    for (const [caller, tally] of Object.entries(stage.callers)) out.set(`${stage.name} · ${caller}`, tally);
  return out;
}

describe('the store per nomination', () => {
  it(
    `is counted over a round of ${NOMINATIONS}: no Scan, and no more requests, writes, GetItem or WRU than it costs now`,
    async () => {
      const figures = await runBench({
        nominations: NOMINATIONS,
        concurrency: 4,
        uploadSample: 0.25,
        bundleRuns: 0,
        packageNominations: 1,
        lambdaTimeoutMs: 60_000,
        command: 'store-cost test',
        itemDetail: true,
        print: () => {},
      });
      const n = NOMINATIONS;
      expect(figures.outcome).toMatchObject({ released: n, finalList: n, reviews: 3 * n });

      const pipeline = sumTallies(figures.stages.map((s) => s.tally));
      const sum = totals(pipeline);
      const report = [
        `DynamoDB per nomination, a round of ${n} (setup — invitations, sign-ins — not counted):`,
        line('all stages', pipeline, n),
        '',
        'by stage:',
        ...figures.stages.map((stage) => line(stage.name, stage.tally, n)),
        '',
        'by operation:',
        ...Object.entries(pipeline)
          .sort(([, a], [, b]) => b.requests - a.requests)
          .map(([op, t]) => line(op, { [op]: t }, n)),
        '',
        'by stage and caller:',
        ...[...byCaller(figures.stages)]
          .sort(([, a], [, b]) => totals(b).requests - totals(a).requests)
          .map(([who, tally]) => line(who, tally, n, 100)),
        '',
        'where the write units go (per nomination: the table and each index; the items each write puts):',
        ...writeUnitLines(figures.writeDetail, n),
      ];
      console.log(report.join('\n'));

      const per = (value: number) => value / n;
      const measured = {
        requests: per(sum.requests),
        writes: per(sum.writeRequests),
        gets: per((pipeline.GetItem ?? emptyTally()).requests),
        scans: pipeline.Scan?.requests ?? 0,
        writeUnits: per(sum.writeUnits),
      };
      // The targets, said as PASS or FAIL (not all are met yet: see BENCHMARKS.md)…
      const targets = [
        ['DynamoDB requests', measured.requests, 45],
        ['write requests', measured.writes, 15],
        ['GetItem', measured.gets, 15],
        ['Scans', measured.scans, 0],
        ['write units', measured.writeUnits, 150],
      ] as const;
      console.log(
        targets
          .map(
            ([what, value, target]) =>
              `${value <= target ? 'PASS' : 'FAIL'}  ${what} per nomination: ${fmt(value)} (target ≤ ${target})`,
          )
          .join('\n'),
      );
      // …and what the store costs now held as a ceiling, a little above this round's counts (the
      // order in which concurrent people act moves them by a request or two): a change that
      // costs more fails here. Before the nomination's item was split (2026-12-05): 169 requests,
      // 104 GetItem, 48 writes, 1,162 WRU per nomination of this round; after it, and with the
      // experts' declarations and reviews written with their audit events: 147, 49, 42.5, 444;
      // with the confirmations apart, review links remembered, dismissals read once: 137, 40, 43, 446;
      // with single-item transactions sent as single writes and ranking rows left alone by changes
      // that keep the status: 136, 40, 43, 389; with indexes of keys and facets: 137.5, 41, 43, 210;
      // with sessions kept a minute, one read per request for the scope and the use case, reviews'
      // and submissions' reads batched: 112, 13.5, 43.6, 219; the await step's token stored without
      // reading the nomination: 107, 13.3, 43.5, 214; with each notice's send claimed by a
      // conditional write and marked sent after (two senders never both mail; no read of the trail
      // first): 108, 12.8, 44.6–45.3 (two runs, before the await step's change), 207.
      // With facets that never change, the eligibility results apart and parts' fingerprints blind
      // to key order (measured before the notices' claims): 161.9–168.4 WRU. Tokens as long as
      // AWS's, in an item of their own: 110.8, 13.3, 49.1, 174.8. The scores kept by the last
      // review's status change, its nomination read once: 107.0, 11.8, 47.4, 173.5; with AssignExperts'
      // fewer requests too: 98.3, 11.5, 41.0, 164.0 (236.0 WRU as the counter bills transactions now).
      expect(measured.scans, 'Scans').toBe(0);
      expect(measured.requests, 'DynamoDB requests per nomination').toBeLessThanOrEqual(CEILING.requests);
      expect(measured.writes, 'write requests per nomination').toBeLessThanOrEqual(CEILING.writes);
      expect(measured.gets, 'GetItem per nomination').toBeLessThanOrEqual(CEILING.gets);
      expect(measured.writeUnits, 'write units per nomination').toBeLessThanOrEqual(CEILING.writeUnits);
      for (const [who, ceiling] of Object.entries(ROUTE_CEILING)) {
        const [stage, caller] = who.split(' · ');
        const callers = figures.stages.find((s) => s.name === stage)?.callers ?? {};
        // With the items' detail a caller's tally is kept per kind of request (`caller · op items`).
        const mine = Object.entries(callers).filter(([c]) => c === caller || c.startsWith(`${caller} · `));
        const requests = mine.reduce((sum, [, tally]) => sum + totals(tally).requests, 0) / n;
        expect(requests, `${who}: requests per nomination`).toBeLessThanOrEqual(ceiling);
      }
    },
    TIMEOUT_MS,
  );
});
