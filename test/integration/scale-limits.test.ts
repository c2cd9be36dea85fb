import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoCampaignStore } from '../../functions/adapters/campaign-store.js';
import { dynamoJobStore } from '../../functions/adapters/job-store.js';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { s3PublicFiles } from '../../functions/adapters/public-files.js';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { stepFunctionsJobRunner } from '../../functions/adapters/workflow.js';
import { FUNCTIONS } from '../../functions/routes.js';
import type { Actor } from '../../functions/rules/access.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { CATEGORY_IDS, type CategoryId } from '../../functions/rules/categories.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { listedNomination } from '../../functions/rules/nomination-view.js';
import { MAX_PAGE } from '../../functions/rules/paging.js';
import {
  type CampaignStepDeps,
  confirmSelection,
  type PublicEntry,
  publicEntry,
  publicList,
  publishPublicLists,
  rankingPage,
  release,
} from '../../functions/use-cases/campaign-steps.js';
import { listOwnNominations } from '../../functions/use-cases/nominations.js';
import { campaignOverview } from '../../functions/use-cases/overview.js';
import { listNominations } from '../../functions/use-cases/secretariat.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { checkZip } from '../../scripts/bench/package-job.js';
import type { ApiClient } from '../support/api-client.js';
import { secretariatOf as secretariatActor } from '../support/memory/people.js';
import { baseOf, secretariatOf } from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';
import { inBatches, putSeeded, seededNomination, uniformReviews } from '../support/seeded.js';

/**
 * A round at campaign scale: 3,000 nominations put straight into the store (not through the UI:
 * 2,400 reviewed and ranked, 600 on the public notice), then what the secretariat and the public
 * read, under the local cloud's enforced limits (6 MB responses, each function's timeout):
 *   - the list pages at most 100 rows, each answer well under 1 MB, every nomination once, counts
 *     from the aggregate, filters and search on the server;
 *   - search by the start of the name is answered from the name index, one query a page;
 *   - the ranking of a category is read from the stored ranking, paged: a page costs one Query of
 *     the category's small rows and one of the secretariat's decisions, counted here;
 *   - the public notice is a static file of the web bucket (no route, no function, no table read);
 *   - the campaign-wide steps (selection, release) answer at once with their job, a few store
 *     requests whatever the round's size (counted here), the job planning and moving by pages.
 * The timings are the bench's (npm run bench): here the answers must come, whole and small.
 */

const TOTAL = 3_000;
const ON_NOTICE = 600;
const ONE_MB = 1024 * 1024;
const CAMPAIGN = 'cast-2024';
const CRITERIA = builtinCampaign(CAMPAIGN).review.criteria.map((c) => c.id);

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-scale-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let sec: ApiClient;

/** 3,000 nominations: i-th of category i mod 4, its unit one of 60, scored unless on the notice. */
async function seedRound() {
  const reviews = dynamoReviewStore(seeder.documents, 'laurel');
  const at = new Date('2025-02-01T00:00:00.000Z').getTime();
  await inBatches(TOTAL, 50, async (i) => {
    const nomination = await putSeeded(
      seeder.store,
      seededNomination({
        id: `n-scale${String(i).padStart(6, '0')}`,
        campaignId: CAMPAIGN,
        unitId: `prov-${i % 60}`,
        unitName: `第${i % 60}省科协`,
        category: CATEGORY_IDS[i % CATEGORY_IDS.length] as CategoryId,
        status: i < ON_NOTICE ? 'in-publicity' : 'scored',
        at: new Date(at + i * 1000).toISOString(),
      }),
    );
    if (nomination.status === 'scored') {
      await reviews.putRankingEntry(CAMPAIGN, {
        nominationId: nomination.id,
        category: nomination.category,
        submittedAt: nomination.createdAt,
        // As long as a review's comment may be: the stored ranking keeps none of it.
        reviews: uniformReviews(CRITERIA, 5 + (i % 50) / 10, '评'.repeat(1000)),
      });
    }
  });
  const campaigns = dynamoCampaignStore(seeder.documents, 'laurel');
  const state = await campaigns.state(CAMPAIGN);
  await campaigns.openPublicity({
    ...state,
    publicity: { openedAt: '2025-03-01T00:00:00.000Z', closesAt: '2025-03-08T00:00:00.000Z' },
  });
}

/**
 * The secretariat's use cases on their own DynamoDB client, counting each request it sends (and
 * the bytes of the ranking rows it reads): what a page costs the store, not how long it takes.
 */
function countingStore(clock = new Date('2025-03-01T00:00:00.000Z')) {
  const requests: string[] = [];
  let rankingBytes = 0;
  const client = new DynamoDBClient({
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: cloud.urls.dynamodb,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // Named by the partition the request reads (the key's first part: ranking, names, campaign…),
      // whether the document client hands its values on as they are or marshalled.
      const input = args.input as { IndexName?: string; Key?: unknown; ExpressionAttributeValues?: unknown };
      const values = JSON.stringify(input.ExpressionAttributeValues ?? input.Key ?? {});
      const partition = /"(?::pk|pk)":(?:\{"S":)?"([a-z-]+)#/.exec(values)?.[1] ?? '';
      requests.push(
        `${String(context.commandName)}${input.IndexName ? ` ${input.IndexName}` : ''} ${partition}`.trim(),
      );
      const result = await next(args);
      const items = (result.output as { Items?: { pk?: unknown; data?: unknown }[] }).Items ?? [];
      for (const item of items) if (item.data && !item.pk) rankingBytes += JSON.stringify(item).length;
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documents = DynamoDBDocumentClient.from(client);
  cleanups.push(() => documents.destroy());
  const deps = {
    campaigns: { get: (id: string) => (id === CAMPAIGN ? builtinCampaign(CAMPAIGN) : undefined) },
    store: dynamoNominationStore(documents, 'laurel'),
    reviews: dynamoReviewStore(documents, 'laurel'),
    campaignStore: dynamoCampaignStore(documents, 'laurel'),
    jobs: dynamoJobStore(documents, 'laurel'),
    // The local cloud's campaign-job machine: the job runs there, as the API's request starts it.
    jobRunner: stepFunctionsJobRunner(seeder.sfn, process.env.LAUREL_CAMPAIGN_JOB_MACHINE_ARN ?? ''),
    ids: { planId: () => `plan-${Date.now()}` },
    clock: { now: () => clock },
  } as unknown as CampaignStepDeps;
  return { requests, deps, rankingBytes: () => rankingBytes };
}
const cleanups: (() => void)[] = [];

/** GET with the secretariat's session, with the answer's size in bytes. */
async function sized(path: string) {
  const response = await fetch(`${baseOf(cloud)}${path}`, { headers: { cookie: sec.sessionCookie } });
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  seeder = new LocalCloudSeeder(cloud);
  sec = await secretariatOf(cloud, CAMPAIGN);
  await seedRound();
}, 600_000);

afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`a round of ${TOTAL} nominations`, () => {
  it('lists them 100 a page, each nomination once, each answer under 1 MB, with counts from the aggregate', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let largest = 0;
    let pages = 0;
    do {
      const page = await sized(
        `/api/campaigns/${CAMPAIGN}/nominations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.nominations.length).toBeLessThanOrEqual(MAX_PAGE);
      expect(page.body.counts).toEqual({ 'in-publicity': ON_NOTICE, scored: TOTAL - ON_NOTICE });
      for (const n of page.body.nominations) {
        expect(n).not.toHaveProperty('form');
        seen.add(n.id);
      }
      largest = Math.max(largest, page.bytes);
      cursor = page.body.cursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(TOTAL);
    // 30 full pages, and at most one empty last one (DynamoDB cannot tell that the next index
    // partitions are empty without reading them).
    expect(pages).toBeLessThanOrEqual(TOTAL / MAX_PAGE + 1);
    expect(largest).toBeLessThan(ONE_MB);
  }, 300_000);

  it('answers a unit its own nominations as list rows a page at a time, and its quotas and overview from their figures alone', async () => {
    const unit: Actor = {
      role: 'unit',
      campaignId: CAMPAIGN,
      subjectId: 'prov-7',
      name: '第7省科协',
      email: 'prov-7@units.example.cn',
      unitType: 'provincial-association',
    };
    const own = TOTAL / 60;
    const counted = countingStore();
    const seen = new Set<string>();
    let cursor: string | null = null;
    let largest = 0;
    let pages = 0;
    do {
      counted.requests.length = 0;
      const page: Awaited<ReturnType<typeof listOwnNominations>> = await listOwnNominations(
        counted.deps,
        unit,
        { limit: '20', ...(cursor ? { cursor } : {}) },
      );
      // The page's keys from the unit's index and its rows from the table by key, and its
      // nominations' keys from the same index with their category and status from the table
      // (what its quotas count; the index holds no status, which changes): two queries and two
      // batch reads, whatever the round's size.
      expect([...counted.requests].sort()).toEqual([
        'BatchGetItemCommand',
        'BatchGetItemCommand',
        'QueryCommand gsi2 unit',
        'QueryCommand gsi2 unit',
      ]);
      expect(page.nominations.length).toBeLessThanOrEqual(20);
      for (const n of page.nominations) {
        expect(n).not.toHaveProperty('form');
        expect(n).not.toHaveProperty('attachments');
        expect(n.unitId).toBe('prov-7');
        seen.add(n.id);
      }
      expect(page.quotas.reduce((sum, q) => sum + q.used, 0)).toBe(own);
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(page)));
      cursor = page.cursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(own);
    expect(pages).toBe(Math.ceil(own / 20));
    expect(largest).toBeLessThan(ONE_MB);

    // A unit type without a limit keeps no ledger: its overview counts the unit's nominations from
    // their category and status, one query of its index's keys and one batch read of those two
    // fields from the table (the index holds no status) — never a nomination read whole.
    const cast = builtinCampaign(CAMPAIGN);
    const unlimited = {
      ...cast,
      unitTypes: cast.unitTypes.map((u) =>
        u.id === 'provincial-association' ? { ...u, quota: { scope: 'unlimited' as const } } : u,
      ),
    };
    counted.requests.length = 0;
    const overview = await campaignOverview(
      {
        ...counted.deps,
        campaigns: new Map([[CAMPAIGN, unlimited]]),
      } as unknown as Parameters<typeof campaignOverview>[0],
      unit,
      CAMPAIGN,
    );
    console.log(
      `unit overview (no quota) at ${TOTAL}: ${counted.requests.length} store requests [${counted.requests.join(', ')}]`,
    );
    expect(overview.categories.reduce((sum, c) => sum + (c.quota?.used ?? 0), 0)).toBe(own);
    expect(counted.requests.filter((r) => r.startsWith('QueryCommand gsi2'))).toEqual([
      'QueryCommand gsi2 unit',
    ]);
    expect(counted.requests.filter((r) => r.startsWith('BatchGet'))).toEqual(['BatchGetItemCommand']);
    expect(counted.requests.filter((r) => /gsi1|nomination|Scan/.test(r))).toEqual([]);
    expect(counted.requests.length).toBeLessThanOrEqual(6);
    console.log(
      `unit list at ${TOTAL}: ${own} rows in ${pages} pages of 20, largest ${Math.round(largest / 1024)} KiB`,
    );
  }, 120_000);

  it('filters by status and category and searches by unit on the server, without reading every page', async () => {
    const site = await sized(
      `/api/campaigns/${CAMPAIGN}/nominations?status=in-publicity&category=site&limit=100`,
    );
    expect(site.status).toBe(200);
    expect(site.body.nominations).toHaveLength(100);
    expect(site.body.nominations.every((n: Nomination) => n.category === 'site')).toBe(true);
    expect(site.body.counts).toEqual({ 'in-publicity': ON_NOTICE / 4, scored: (TOTAL - ON_NOTICE) / 4 });
    const unit = await sized(`/api/campaigns/${CAMPAIGN}/nominations?unit=prov-7`);
    expect(unit.body.nominations).toHaveLength(TOTAL / 60);
    expect(unit.body.nominations.every((n: Nomination) => n.unitName === '第7省科协')).toBe(true);
  }, 120_000);

  it('searches by the start of the name on the server, from the name index: one query a page, paged to the end', async () => {
    // Every volunteer of the seed has the fixture's name; the other categories' names differ.
    const name = listedNomination({ ...(await seeder.store.get('n-scale000000')) } as Nomination).name;
    const typed = `${name.slice(0, 1)} ${name.slice(1, 2)}`;
    const counted = countingStore();
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      counted.requests.length = 0;
      const page: Awaited<ReturnType<typeof listNominations>> = await listNominations(
        counted.deps,
        secretariatActor(CAMPAIGN),
        CAMPAIGN,
        { q: typed, ...(cursor ? { cursor } : {}) },
      );
      // The page's keys — one query of each category's name range at most — its rows from the
      // table by key, at most a batch read a query, and the counts aggregate, whatever the round's size.
      const nameQueries = counted.requests.filter((r) => r === 'QueryCommand gsi3 names').length;
      expect(
        counted.requests.filter((r) => r !== 'QueryCommand gsi3 names' && r !== 'BatchGetItemCommand'),
      ).toEqual(['GetItemCommand campaign']);
      expect(nameQueries).toBeLessThanOrEqual(CATEGORY_IDS.length);
      expect(counted.requests.filter((r) => r === 'BatchGetItemCommand').length).toBeLessThanOrEqual(
        nameQueries,
      );
      for (const n of page.nominations) {
        expect(n.category).toBe('volunteer');
        seen.add(n.id);
      }
      cursor = page.cursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(TOTAL / 4);
    expect(pages).toBeLessThanOrEqual(TOTAL / 4 / MAX_PAGE + 4);
    // Through the API too, with the other filters: the status narrows the name's range.
    const onNotice: string[] = [];
    let next: string | null = null;
    do {
      const answer = await sized(
        `/api/campaigns/${CAMPAIGN}/nominations?q=${encodeURIComponent(name.slice(0, 2))}&status=in-publicity${next ? `&cursor=${encodeURIComponent(next)}` : ''}`,
      );
      expect(answer.status).toBe(200);
      onNotice.push(...answer.body.nominations.map((n: Nomination) => n.status));
      next = answer.body.cursor;
    } while (next);
    expect(onNotice).toEqual(Array(ON_NOTICE / 4).fill('in-publicity'));
    const nothing = await sized(`/api/campaigns/${CAMPAIGN}/nominations?q=${encodeURIComponent('无此人')}`);
    expect(nothing.body).toMatchObject({ nominations: [], cursor: null });
  }, 120_000);

  it('reads a category’s ranking from the stored ranking, 100 a page, in rank order', async () => {
    let cursor: string | null = null;
    const ranks: number[] = [];
    do {
      const page = await sized(
        `/api/campaigns/${CAMPAIGN}/ranking?category=volunteer${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.bytes).toBeLessThan(ONE_MB);
      expect(page.body.outcomes.length).toBeLessThanOrEqual(MAX_PAGE);
      ranks.push(...page.body.outcomes.map((o: { rank: number }) => o.rank));
      cursor = page.body.cursor;
    } while (cursor);
    expect(ranks).toHaveLength((TOTAL - ON_NOTICE) / 4);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // What one page costs the store: the category's ranking rows (small: scores and statuses,
    // never a nomination nor a review's comment) read by one Query, and the discretion.
    const counted = countingStore();
    const started = performance.now();
    const page = await rankingPage(counted.deps, secretariatActor(CAMPAIGN), CAMPAIGN, {
      category: 'volunteer',
    });
    const ms = performance.now() - started;
    expect(page.outcomes).toHaveLength(MAX_PAGE);
    // No nomination read (no index query): one query of the category's ranking rows, one of the
    // secretariat's decisions.
    const rankingQueries = counted.requests.filter((r) => r === 'QueryCommand ranking').length;
    expect([...counted.requests].sort()).toEqual(['QueryCommand campaign', 'QueryCommand ranking']);
    // The rows of 600 nominations with three experts' scores each, without their comments.
    expect(counted.rankingBytes()).toBeLessThan(ONE_MB / 2);
    console.log(
      `ranking page at ${TOTAL}: ${counted.requests.length} store requests [${counted.requests.join(', ')}] (${rankingQueries} queries of the stored ranking, ${Math.round(counted.rankingBytes() / 1024)} KiB), ${ms.toFixed(0)} ms`,
    );
    // Searched by unit (and by the start of the name), the page costs the same two requests: the
    // search narrows the ranked rows the one Query read, which carry the name and the unit.
    const searched = countingStore();
    const unit = await rankingPage(searched.deps, secretariatActor(CAMPAIGN), CAMPAIGN, {
      category: 'volunteer',
      unit: 'prov-8',
      q: page.outcomes[0]?.name.slice(0, 1),
    });
    expect(unit.outcomes.length).toBeGreaterThan(0);
    expect(unit.outcomes.every((o) => o.unitName === '第8省科协')).toBe(true);
    expect(unit.outcomes.map((o) => o.rank)).toEqual(
      [...unit.outcomes.map((o) => o.rank)].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    expect([...searched.requests].sort()).toEqual(['QueryCommand campaign', 'QueryCommand ranking']);
    const garbage = await sized(`/api/campaigns/${CAMPAIGN}/ranking?cursor=garbage`);
    expect(garbage.status).toBe(400);
  }, 120_000);

  it('publishes the public notice as static files that visitors read without any function or table', async () => {
    // No API route reads a public list: a visitor reaches only the web bucket (CloudFront).
    const publicGets = FUNCTIONS.flatMap((f) => f.routes.map((r) => r.route)).filter((r) =>
      r.startsWith('GET /api/public/'),
    );
    expect(publicGets).toEqual([]);
    const deps = {
      campaigns: { get: (id: string) => (id === CAMPAIGN ? builtinCampaign(CAMPAIGN) : undefined) },
      store: seeder.store,
      campaignStore: dynamoCampaignStore(seeder.documents, 'laurel'),
      publicFiles: s3PublicFiles(seeder.s3, 'laurel-web'),
      clock: { now: () => new Date('2025-03-01T00:00:00.000Z') },
    } as unknown as CampaignStepDeps;
    await publishPublicLists(deps, CAMPAIGN);
    const json = await fetch(`${baseOf(cloud)}/published/${CAMPAIGN}/publicity.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('cache-control')).toBe('public, max-age=60');
    const notice = (await json.json()) as { entries: PublicEntry[] };
    expect(notice.entries).toHaveLength(ON_NOTICE);
    // Read a page at a time, each nomination's small item and its form's deeds field alone: every
    // entry is what the whole nomination would publish.
    const whole = new Map<string, PublicEntry>();
    for (let at = 0; at < ON_NOTICE; at += 50) {
      const ids = notice.entries.slice(at, at + 50).map((e) => e.nominationId);
      for (const n of await Promise.all(ids.map((id) => seeder.store.get(id))))
        if (n) whole.set(n.id, publicEntry(n));
    }
    expect(notice.entries).toEqual(notice.entries.map((e) => whole.get(e.nominationId)));
    expect(new Set(notice.entries.map((e) => e.nominationId)).size).toBe(ON_NOTICE);
    const counted = countingStore();
    const again = await publicList(counted.deps, CAMPAIGN, 'publicity');
    expect(again.entries).toEqual(notice.entries);
    console.log(
      `public notice at ${TOTAL}: ${again.entries.length} entries from ${counted.requests.length} store requests [${[...new Set(counted.requests)].join(', ')}]`,
    );
    // A query of the status index (its keys), a batch read of the page's rows and one of the
    // forms' deeds a page of 100, the round's state: never a nomination read whole.
    const pagesRead = counted.requests.filter((r) => r === 'QueryCommand gsi1 campaign').length;
    expect(pagesRead).toBeLessThanOrEqual(ON_NOTICE / MAX_PAGE + 1);
    const batches = counted.requests.filter((r) => r === 'BatchGetItemCommand').length;
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThanOrEqual(2 * pagesRead);
    expect(
      counted.requests.filter((r) => !/^(QueryCommand gsi1 campaign|BatchGetItemCommand)$/.test(r)),
    ).toEqual(['GetItemCommand campaign']);
    const html = await fetch(`${baseOf(cloud)}/published/${CAMPAIGN}/publicity.html`);
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page.split('<tr><td>')).toHaveLength(ON_NOTICE + 1);
    // Nothing published for a list not released yet: the bucket's 403, as CloudFront passes it on.
    expect((await fetch(`${baseOf(cloud)}/published/${CAMPAIGN}/released.json`)).status).toBe(403);
  }, 120_000);

  it('builds the forwarding package as a job: the request answers at once, the ZIP streams into S3 by multipart upload, every file checks', async () => {
    const post = await sec.call<{ job: { id: string; status: string }; download: unknown }>(
      'POST',
      `/api/campaigns/${CAMPAIGN}/package`,
      {},
    );
    expect(post.status).toBe(202);
    const started = post.body;
    expect(started).toMatchObject({ job: { status: 'running' }, download: null });
    // A second request while it runs is the same job, not a second build.
    const again = await sec.call<{ job: { id: string; startedAt: string } }>(
      'POST',
      `/api/campaigns/${CAMPAIGN}/package`,
      {},
    );
    expect(again.status).toBe(202);
    expect(again.body.job).toMatchObject({ id: started.job.id, status: 'running' });
    let state: {
      job: { status: string; total: number; moved: number };
      download: { url: string; bytes: number; nominations: number; availableUntil: string } | null;
    };
    const progress = new Set<number>();
    for (;;) {
      const read = await sized(`/api/campaigns/${CAMPAIGN}/package/${started.job.id}`);
      expect(read.status).toBe(200);
      state = read.body;
      progress.add(state.job.moved);
      if (state.job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(state.job, JSON.stringify(state.job)).toMatchObject({
      status: 'done',
      total: ON_NOTICE,
      moved: ON_NOTICE,
    });
    // The page saw the count grow while the job ran.
    expect(progress.size).toBeGreaterThan(2);
    expect(state.download?.nominations).toBe(ON_NOTICE);
    const zip = await fetch(state.download?.url ?? '');
    expect(zip.status).toBe(200);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.byteLength).toBe(state.download?.bytes);
    // More than one 5 MiB part: the multipart upload, completed as a version of its key.
    expect(bytes.byteLength).toBeGreaterThan(5 * ONE_MB);
    const file = join(dataDir, 'package.zip');
    writeFileSync(file, bytes);
    // Every entry read whole and its CRC-32 checked.
    const { names: listing, crcChecked } = checkZip(file);
    expect(crcChecked).toBe(true);
    expect(listing.filter((n) => n.endsWith('/推荐表.docx'))).toHaveLength(ON_NOTICE);
    expect(listing.filter((n) => n.endsWith('/汇总表.xlsx'))).toHaveLength(1);
  }, 600_000);

  it('starts the selection and the release with a few store requests each, the job planning and moving all of them by pages', async () => {
    // Answers at once: what the request reads and writes, counted, whatever the round's size.
    const afterPublicity = new Date('2025-03-09T00:00:00.000Z');
    const counted = countingStore(afterPublicity);
    const selection = await confirmSelection(counted.deps, secretariatActor(CAMPAIGN), CAMPAIGN, {
      categories: ['volunteer'],
    });
    expect(selection).toMatchObject({ status: 'running', planned: false });
    console.log(
      `selection request at ${TOTAL}: ${counted.requests.length} store requests [${counted.requests.join(', ')}]`,
    );
    // The round's state, the counts aggregate, the job and its compare-and-set.
    expect(counted.requests.length).toBeLessThanOrEqual(5);
    expect(counted.requests.filter((r) => /gsi|ranking|nomination/.test(r))).toEqual([]);
    const selected = await followJob(`/api/campaigns/${CAMPAIGN}/jobs/${selection?.id}`);
    expect(selected.job).toMatchObject({ status: 'done', total: (TOTAL - ON_NOTICE) / 4 });
    expect(selected.progress.size).toBeGreaterThan(2);
    // The finished job answers its outcomes a page at a time, every page under 1 MB, its first
    // with the counts of all of them; the pages together list every outcome exactly once.
    const outcomes: string[] = [];
    let largestPage = 0;
    let outcomePages = 0;
    let first: { selected: number; notSelected: number } | undefined;
    let after: string | null = null;
    do {
      const page = await sized(
        `/api/campaigns/${CAMPAIGN}/jobs/${selection?.id}${after ? `?cursor=${encodeURIComponent(after)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.outcomes.length).toBeLessThanOrEqual(MAX_PAGE);
      first ??= page.body.counts;
      outcomes.push(...page.body.outcomes.map((o: { nominationId: string }) => o.nominationId));
      largestPage = Math.max(largestPage, page.bytes);
      outcomePages += 1;
      after = page.body.cursor;
    } while (after);
    expect(largestPage).toBeLessThan(ONE_MB);
    expect(outcomes).toHaveLength((TOTAL - ON_NOTICE) / 4);
    expect(new Set(outcomes).size).toBe(outcomes.length);
    expect(outcomePages).toBe((TOTAL - ON_NOTICE) / 4 / MAX_PAGE);
    expect(first).toBeDefined();
    expect((first?.selected ?? 0) + (first?.notSelected ?? 0)).toBe((TOTAL - ON_NOTICE) / 4);
    console.log(
      `selection outcomes at ${TOTAL}: ${outcomes.length} in ${outcomePages} pages, largest ${Math.round(largestPage / 1024)} KiB, counts ${JSON.stringify(first)}`,
    );
    const volunteers = await sized(
      `/api/campaigns/${CAMPAIGN}/nominations?status=selected&category=volunteer`,
    );
    expect(volunteers.body.counts).toMatchObject({ selected: (TOTAL - ON_NOTICE) / 4 });

    counted.requests.length = 0;
    const released = await release(counted.deps, secretariatActor(CAMPAIGN), CAMPAIGN);
    expect(released).toMatchObject({ status: 'running', summary: { released: ON_NOTICE, categories: 4 } });
    console.log(
      `release request at ${TOTAL}: ${counted.requests.length} store requests [${counted.requests.join(', ')}]`,
    );
    // The round's state (read twice: the step's checks), the objections, the counts, the job and its compare-and-set.
    expect(counted.requests.length).toBeLessThanOrEqual(7);
    expect(counted.requests.filter((r) => /gsi|ranking|nomination/.test(r))).toEqual([]);
    const done = await followJob(`/api/campaigns/${CAMPAIGN}/jobs/release`);
    expect(done.job).toMatchObject({ status: 'done', total: ON_NOTICE, moved: ON_NOTICE });
    const list = await fetch(`${baseOf(cloud)}/published/${CAMPAIGN}/released.json`);
    expect(((await list.json()) as { entries: unknown[] }).entries).toHaveLength(ON_NOTICE);
  }, 900_000);
});

/** Follows a campaign-wide job at `GET …/jobs/{jobId}` as the console does, to its end, noting the progress seen. */
async function followJob(path: string) {
  const progress = new Set<number>();
  for (;;) {
    const read = await sized(path);
    expect(read.status).toBe(200);
    progress.add(read.body.job.moved);
    if (read.body.job.status !== 'running') return { job: read.body.job, progress };
    await new Promise((r) => setTimeout(r, 500));
  }
}
