import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoAccessLog } from '../../functions/adapters/access-log.js';
import { dynamoCampaignStore } from '../../functions/adapters/campaign-store.js';
import { dynamoNominationStore, seenNominations } from '../../functions/adapters/nomination-store.js';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { cryptoSecrets } from '../../functions/adapters/secrets.js';
import { tableDefinition } from '../../functions/adapters/table.js';
import { BUILTIN_CAMPAIGNS, builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { reviewToken } from '../../functions/rules/review.js';
import {
  declareReview,
  openReview,
  type ReviewDeps,
  submitReview,
} from '../../functions/use-cases/reviews.js';
import { newNominationId } from '../../functions/wiring/compose.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';
import {
  type DynamoCounter,
  difference,
  startDynamoCounter,
  type Tally,
  totals,
} from '../../scripts/bench/dynamo-counter.js';
import { volunteer } from '../fixtures/forms.js';

/**
 * What each of an expert's requests costs the store, counted by the bench's proxy in front of
 * DynamoDB Local: the page (GET /api/review), the declaration of no conflict (answered with the
 * page) and the review (the last one closing the nomination), by operation — one expert at a time,
 * and the three experts at once. Each request is served as a container that never saw the link
 * or the nomination would serve it (a store of its own), the way a cold Lambda does.
 */

const TABLE = 'laurel';
const NOW = new Date('2025-02-25T01:00:00.000Z');
const EXPERTS = ['e1', 'e2', 'e3'];

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-review-requests-'));
let dynamo: LocalDynamoDb;
let counter: DynamoCounter;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamoDb({ dataDir });
  counter = await startDynamoCounter(dynamo.endpoint);
  const client = new DynamoDBClient({
    endpoint: counter.endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTables(client, [tableDefinition(TABLE)]);
  documents = DynamoDBDocumentClient.from(client);
}, 120_000);

afterAll(async () => {
  documents?.destroy();
  await counter?.stop();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Delivered {
  token: string;
  output: unknown;
}

/** The stores as one request's container holds them: the nomination store and the review store sharing what they saw. */
function deps(delivered: Delivered[]): ReviewDeps {
  const seen = seenNominations();
  let ticks = 0;
  return {
    store: dynamoNominationStore(documents, TABLE, seen),
    reviews: dynamoReviewStore(documents, TABLE, seen),
    accessLog: dynamoAccessLog(documents, TABLE),
    campaignStore: dynamoCampaignStore(documents, TABLE),
    campaigns: BUILTIN_CAMPAIGNS,
    clock: { now: () => new Date(NOW.getTime() + ticks++) },
    ids: { nominationId: newNominationId },
    secrets: cryptoSecrets,
    webUrl: 'http://laurel.test',
    workflow: {
      async startExecution() {},
      // As Step Functions answers a token answered before: closed, nothing delivered again.
      async deliver(token: string, output: unknown) {
        if (delivered.some((d) => d.token === token)) return 'closed';
        delivered.push({ token, output });
        return 'delivered';
      },
      async stopExecution() {},
    },
    async send() {},
  } as unknown as ReviewDeps;
}

/** A nomination in review, its execution waiting (token 't-rev'), three experts assigned with their mailed links, as AssignExperts makes them. */
async function inReview(delivered: Delivered[]) {
  const d = deps(delivered);
  const id = newNominationId();
  const n: Nomination = {
    id,
    campaignId: 'cast-2024',
    unitId: 'unit-a',
    unitType: 'national-society',
    unitName: '中国天文学会',
    unitEmail: 'unit-a@laurel.test',
    category: 'volunteer',
    status: 'in-review',
    version: 5,
    form: volunteer({ name: `候选${id.slice(-4)}` }),
    attachments: [],
    noClassifiedContent: true,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    submittedAt: NOW.toISOString(),
    awaiting: { step: 'reviews', taskToken: 't-rev', since: NOW.toISOString() },
  };
  await d.store.create(n, {
    nominationId: id,
    at: NOW.toISOString(),
    actor: { role: 'system', subjectId: 'test', name: 'test' },
    action: 'create',
  });
  const tokens = EXPERTS.map(() => reviewToken(id, cryptoSecrets.token()));
  await d.reviews.createAssignments(
    'cast-2024',
    EXPERTS.map((e, k) => ({
      nominationId: id,
      expertId: e,
      expertName: e,
      assignedAt: NOW.toISOString(),
      linkHash: cryptoSecrets.hash(tokens[k] ?? ''),
      linkExpiresAt: '2025-04-01T00:00:00.000Z',
    })),
  );
  return { id, tokens };
}

const review = {
  scores: Object.fromEntries(builtinCampaign('cast-2024').review.criteria.map((c) => [c.id, 8])),
  recommend: true,
  confirmed: true,
};

/** The requests `work` sent, by operation (refused ones counted too), and its write units. */
async function counted(work: () => Promise<unknown>) {
  const before = counter.snapshot();
  await work();
  return costOf(difference(counter.snapshot(), before));
}

function costOf(tally: Tally) {
  const byOperation = Object.fromEntries(
    Object.entries(tally)
      .filter(([, t]) => t.requests > 0)
      .map(([op, t]) => [op, t.requests]),
  );
  const t = totals(tally);
  return { byOperation, requests: t.requests, writes: t.writeRequests, writeUnits: t.writeUnits };
}

describe("an expert's requests to the store", () => {
  it('one expert at a time: the page a Query, the declaration a Query and its write, a review a Query and its write (checking another still open, not reading them again), the last one scoring the nomination in the same write', async () => {
    const delivered: Delivered[] = [];
    const { id, tokens } = await inReview(delivered);
    const pages = [];
    const declarations = [];
    for (const token of tokens) {
      pages.push(await counted(() => openReview(deps(delivered), token)));
      declarations.push(await counted(() => declareReview(deps(delivered), token, { conflict: false })));
    }
    const reviews = [];
    for (const token of tokens)
      reviews.push(await counted(() => submitReview(deps(delivered), token, review)));
    console.log(JSON.stringify({ pages, declarations, reviews }));
    expect(pages.map((p) => p.byOperation)).toEqual(Array(3).fill({ Query: 1 }));
    expect(declarations.map((d) => d.byOperation)).toEqual(
      Array(3).fill({ Query: 1, TransactWriteItems: 1 }),
    );
    expect(reviews.map((r) => r.byOperation)).toEqual([
      { Query: 1, TransactWriteItems: 1 },
      { Query: 1, TransactWriteItems: 1 },
      // The last: its review and the nomination scored, one transaction.
      { Query: 1, TransactWriteItems: 1 },
    ]);
    expect(delivered).toEqual([{ token: 't-rev', output: { outcome: 'scored' } }]);
    await closedOnce(id);
  });

  it('three experts at once: the nomination closed once, by fewer requests than when each review read the assignments again', async () => {
    const delivered: Delivered[] = [];
    const { id, tokens } = await inReview(delivered);
    await Promise.all(
      tokens.map(async (token) => {
        await openReview(deps(delivered), token);
        await declareReview(deps(delivered), token, { conflict: false });
      }),
    );
    const reviews = await counted(() =>
      Promise.all(tokens.map((token) => submitReview(deps(delivered), token, review))),
    );
    console.log(JSON.stringify({ reviews }));
    // Three reads and three writes, the last scoring the nomination: 6. Each write refused
    // because a review it took for open came in after its read costs the refusal and a read
    // again — three at worst, when two refused ones then check each other: 12 (8 to 12 seen),
    // and a transaction DynamoDB cancelled for a conflict is sent again. Before, every review not
    // the last as read read the assignments again after its write, and the closings raced.
    expect(reviews.requests).toBeLessThanOrEqual(14);
    expect(delivered).toEqual([{ token: 't-rev', output: { outcome: 'scored' } }]);
    await closedOnce(id);
  });
});

/** Scored, with the three reviews' events and one closing in its trail. */
async function closedOnce(id: string) {
  const d = deps([]);
  expect((await d.store.get(id))?.status).toBe('scored');
  const trail = (await d.store.auditTrail(id)).map((e) => e.action);
  expect(trail.filter((a) => a === 'review')).toHaveLength(3);
  expect(trail.filter((a) => a === 'reviews-complete')).toHaveLength(1);
}
