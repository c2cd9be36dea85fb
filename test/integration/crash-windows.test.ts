import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoAccessLog } from '../../functions/adapters/access-log.js';
import { dynamoCampaignStore } from '../../functions/adapters/campaign-store.js';
import { dynamoJobStore } from '../../functions/adapters/job-store.js';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { cryptoSecrets } from '../../functions/adapters/secrets.js';
import { tableDefinition } from '../../functions/adapters/table.js';
import type { CampaignJob, JobTaskInput } from '../../functions/ports/jobs.js';
import type { Actor } from '../../functions/rules/access.js';
import { BUILTIN_CAMPAIGNS, builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { reviewToken } from '../../functions/rules/review.js';
import type { AwaitedStep } from '../../functions/rules/steps.js';
import { failCampaignJob } from '../../functions/use-cases/campaign-jobs.js';
import {
  aggregateScores,
  type CampaignStepDeps,
  confirmSelection,
  forward,
  jobAnswer,
  openPublicity,
  planCampaignJobTask,
  release,
  resolveObjection,
  runCampaignJobChunk,
  submitObjection,
} from '../../functions/use-cases/campaign-steps.js';
import { NOTICE_CLAIM_LEASE_MS, type NominationDeps, submit } from '../../functions/use-cases/nominations.js';
import {
  assignExperts,
  declareReview,
  openReview,
  type ReviewDeps,
  submitReview,
  withdraw,
} from '../../functions/use-cases/reviews.js';
import { screen } from '../../functions/use-cases/screening.js';
import { newNominationId } from '../../functions/wiring/compose.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';
import { validForms, volunteer } from '../fixtures/forms.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import { memoryPublicFiles } from '../support/memory/public-files.js';
import { attachmentRecords } from '../support/seed.js';

/**
 * The windows a crash can hit inside one request or task: a decision stored but its execution
 * not yet answered, a review stored but not closed, a campaign-wide step half done, a link
 * attached but not mailed. Each is cut here at that point (the "crash" throws where the process
 * would have died), then run again, as the person's retry or Step Functions' resume does: the
 * second run must finish the work — every execution answered once, every mail sent once.
 * test/integration/crash-recovery.test.ts kills the whole local cloud at random points; these
 * pin down the windows it found, against DynamoDB Local.
 */

class Crash extends Error {
  override name = 'Crash';
}

/** `work` as a function whose process dies on its n-th call: before doing anything, or right after. */
function dying<A extends unknown[], R>(work: (...args: A) => Promise<R>, when: 'before' | 'after', nth = 1) {
  let calls = 0;
  return async (...args: A): Promise<R> => {
    // Numbered as it starts: calls made side by side must not all read the last count.
    calls += 1;
    const call = calls;
    if (call === nth && when === 'before') throw new Crash(`crashed before call ${nth}`);
    const result = await work(...args);
    if (call === nth && when === 'after') throw new Crash(`crashed after call ${nth}`);
    return result;
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-crash-windows-'));
const TABLE = 'laurel';
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamoDb({ dataDir });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTables(client, [tableDefinition(TABLE)]);
  documents = DynamoDBDocumentClient.from(client);
}, 60_000);

afterAll(async () => {
  documents?.destroy();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// After both rounds' submissions ended (CAST's on 23 February, China time): campaign-wide steps wait for it.
const NOW = new Date('2025-02-25T01:00:00.000Z');

/** A world of real stores, a workflow that records answers (a token answers once) and an outbox. */
/** A society forwards into CAST's round before CAST's own submissions end (23 February). */
const BEFORE_CAST_DEADLINE = new Date('2025-02-18T01:00:00.000Z');

function world(start = NOW) {
  let ticks = 0;
  const delivered: { token: string; output: unknown }[] = [];
  const started: string[] = [];
  const mails: { to: string; subject: string; text: string }[] = [];
  const jobStarts: string[] = [];
  const endedExecutions = new Set<string>();
  const deps: ReviewDeps & CampaignStepDeps = {
    store: dynamoNominationStore(documents, TABLE),
    reviews: dynamoReviewStore(documents, TABLE),
    accessLog: dynamoAccessLog(documents, TABLE),
    campaignStore: dynamoCampaignStore(documents, TABLE),
    jobs: dynamoJobStore(documents, TABLE),
    publicFiles: memoryPublicFiles(),
    // Records the start; each test runs the job's task itself (runJob), as the job machine would.
    jobRunner: {
      async start(name) {
        jobStarts.push(name);
        // As Step Functions answers: a name seen before is the running execution, unless the test ended it.
        if (endedExecutions.has(name)) return 'ended';
        return jobStarts.indexOf(name) === jobStarts.length - 1 ? 'started' : 'running';
      },
    },
    campaigns: BUILTIN_CAMPAIGNS,
    // A millisecond per reading, as time passes between requests: audit events are keyed on their instant.
    clock: { now: () => new Date(start.getTime() + ticks++) },
    ids: {
      nominationId: newNominationId,
      objectionId: () => `o-${newNominationId().slice(2)}`,
      planId: () => newNominationId().slice(2),
    },
    secrets: cryptoSecrets,
    webUrl: 'http://laurel.test',
    workflow: {
      async startExecution(id) {
        started.push(id);
      },
      async deliver(token, output) {
        if (delivered.some((d) => d.token === token)) return 'closed';
        delivered.push({ token, output });
        return 'delivered';
      },
      async fail(token, error, cause) {
        if (delivered.some((d) => d.token === token)) return 'closed';
        delivered.push({ token, output: { error, cause } });
        return 'delivered';
      },
      async stopExecution() {
        throw new Error('no execution is stopped in these crash windows');
      },
    },
    async send(mail) {
      mails.push(mail);
    },
  };
  return { deps, delivered, started, mails, jobStarts, endedExecutions };
}

/** The campaign-job machine's loop: the job's task, a chunk at a time, until it says done. */
async function runJob(deps: CampaignStepDeps, job: CampaignJob | undefined) {
  if (!job) throw new Error('no job was started');
  // PlanJob, then ApplyChunk until done; a job planned already keeps its plan.
  let input: JobTaskInput = await planCampaignJobTask(deps, {
    campaignId: job.campaignId,
    jobId: job.id,
    attempt: job.attempt,
    chunk: 0,
  });
  if ((input as { done?: boolean }).done) return;
  for (;;) {
    const next = await runCampaignJobChunk(deps, input);
    if (next.done) return;
    input = next;
  }
}

/** A campaign of its own per test: campaign-wide steps must not see the other tests' nominations. */
let campaigns = 0;
function isolatedCampaign(deps: ReviewDeps & CampaignStepDeps, base: 'cast-2024' | 'cacs-2024') {
  campaigns += 1;
  const id = `${base}-t${campaigns}`;
  const map = new Map(BUILTIN_CAMPAIGNS);
  map.set(id, { ...builtinCampaign(base), id });
  return { id, deps: { ...deps, campaigns: map } };
}

const secretariat = (campaignId: string): Actor => ({
  role: 'secretariat',
  campaignId,
  subjectId: 'secretariat',
  name: '秘书处',
  email: 'secretariat@laurel.test',
});

async function seed(
  deps: NominationDeps,
  over: Partial<Nomination> & { campaignId: string },
  awaiting?: { step: AwaitedStep; taskToken: string },
): Promise<Nomination> {
  const id = newNominationId();
  const n: Nomination = {
    id,
    unitId: 'unit-a',
    unitType: 'national-society',
    unitName: '中国天文学会',
    unitEmail: 'unit-a@laurel.test',
    category: 'volunteer',
    status: 'submitted',
    version: 1,
    // The form of the nomination's own category: notices name the nominee from it.
    form:
      (over.category ?? 'volunteer') === 'volunteer'
        ? volunteer({ name: `候选${id.slice(-4)}` })
        : validForms[over.category as CategoryId],
    attachments: [],
    noClassifiedContent: true,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    submittedAt: NOW.toISOString(),
    ...over,
    ...(awaiting ? { awaiting: { ...awaiting, since: NOW.toISOString() } } : {}),
  };
  await deps.store.create(n, {
    nominationId: id,
    at: NOW.toISOString(),
    actor: { role: 'system', subjectId: 'test', name: 'test' },
    action: 'create',
  });
  return n;
}

const statusOf = async (deps: NominationDeps, id: string) => (await deps.store.get(id))?.status;

describe('a screening decision cut short', () => {
  it.each([
    ['before the execution is answered', 'deliver'],
    ['before the unit is told', 'send'],
  ] as const)('is finished by its repeat: crash %s', async (_, where) => {
    const { deps, delivered, mails } = world();
    const n = await seed(
      deps,
      { campaignId: 'cast-2024', version: 3 },
      { step: 'screening', taskToken: 't-screen' },
    );
    const input = { version: 3, decision: 'return', reasons: '照片不清晰，请更换活动照片。' };
    const cut =
      where === 'deliver'
        ? { ...deps, workflow: { ...deps.workflow, deliver: dying(deps.workflow.deliver, 'before') } }
        : { ...deps, send: dying(deps.send, 'before') };

    await expect(screen(cut, secretariat('cast-2024'), n.id, input)).rejects.toThrow(Crash);
    expect(await statusOf(deps, n.id)).toBe('returned');

    const again = await screen(deps, secretariat('cast-2024'), n.id, input);
    expect(again.status).toBe('returned');
    await screen(deps, secretariat('cast-2024'), n.id, input); // and once more: nothing new
    expect(delivered).toEqual([{ token: 't-screen', output: { outcome: 'return' } }]);
    expect(mails.map((m) => m.to)).toEqual(['unit-a@laurel.test']);
    const trail = await deps.store.auditTrail(n.id);
    expect(trail.filter((e) => e.action === 'screening:return')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'return-notice')).toHaveLength(1);
  });
});

describe('a resubmission cut short before its execution was answered', () => {
  it('is answered when the unit submits again from the same version', async () => {
    const { deps, delivered } = world();
    // Stored as resubmitted (version 6 → 7); the crash came before the waiting execution heard of it.
    const n = await seed(
      deps,
      { campaignId: 'cast-2024', version: 7 },
      { step: 'resubmission', taskToken: 't-re' },
    );
    const unit: Actor = {
      role: 'unit',
      campaignId: 'cast-2024',
      subjectId: 'unit-a',
      name: '中国天文学会',
      email: 'unit-a@laurel.test',
      unitType: 'national-society',
    };
    const again = await submit(deps, unit, n.id, { version: 6, consent: CONSENT, declarations: DECLARED });
    expect(again.version).toBe(7);
    // The resubmission kept its criteria: its answer says so, for the screening wait it goes back to.
    expect(delivered).toEqual([{ token: 't-re', output: { outcome: 'resubmitted', eligibilityKept: true } }]);
  });
});

/**
 * A nomination in review (its AwaitReviews token 't-rev') with experts e1–e3, each with a link and
 * declared free of conflicts, and e1's and e2's reviews in; the links' tokens and a review to post.
 */
async function twoOfThreeReviewed(deps: ReturnType<typeof world>['deps']) {
  const n = await seed(
    deps,
    { campaignId: 'cast-2024', status: 'in-review', version: 5 },
    { step: 'reviews', taskToken: 't-rev' },
  );
  const experts = ['e1', 'e2', 'e3'];
  await deps.reviews.createAssignments(
    'cast-2024',
    experts.map((e) => ({ nominationId: n.id, expertId: e, expertName: e, assignedAt: NOW.toISOString() })),
  );
  const tokens = experts.map(() => cryptoSecrets.token());
  for (const [k, e] of experts.entries()) {
    await deps.reviews.attachLink(n.id, e, cryptoSecrets.hash(tokens[k] ?? ''), '2025-03-01T00:00:00.000Z');
  }
  const review = {
    scores: Object.fromEntries(builtinCampaign('cast-2024').review.criteria.map((c) => [c.id, 8])),
    recommend: true,
    confirmed: true,
  };
  for (const token of tokens) await declareReview(deps, token, { conflict: false });
  await submitReview(deps, tokens[0] ?? '', review);
  await submitReview(deps, tokens[1] ?? '', review);
  return { n, tokens, review };
}

describe('a review link', () => {
  it("whose token names its nomination opens the review by one Query, no read of the link's item first; superseded, it still opens it (by its item); forged, nothing", async () => {
    const { deps } = world();
    const n = await seed(
      deps,
      { campaignId: 'cast-2024', status: 'in-review', version: 5 },
      { step: 'reviews', taskToken: 't-link' },
    );
    await deps.reviews.createAssignments('cast-2024', [
      { nominationId: n.id, expertId: 'e1', expertName: 'e1', assignedAt: NOW.toISOString() },
    ]);
    const attach = async () => {
      const token = reviewToken(n.id, cryptoSecrets.token());
      await deps.reviews.attachLink(n.id, 'e1', cryptoSecrets.hash(token), '2025-03-01T00:00:00.000Z');
      return token;
    };
    const mailed = await attach();
    // Each request as a container that never resolved the link: a store of its own, its requests counted.
    const sent: string[] = [];
    const counting = {
      send: (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        return documents.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const opening = async (token: string) => {
      sent.length = 0;
      const shown = await openReview({ ...deps, reviews: dynamoReviewStore(counting, TABLE) }, token);
      return { expert: shown.expert.id, requests: [...sent] };
    };
    expect(await opening(mailed)).toEqual({ expert: 'e1', requests: ['QueryCommand'] });
    // A run cut short before noting the mail: the link superseded by a new one, its mail maybe out.
    await deps.reviews.supersedeLink(n.id, 'e1', cryptoSecrets.hash(mailed));
    const newer = await attach();
    expect(await opening(newer)).toEqual({ expert: 'e1', requests: ['QueryCommand'] });
    expect(await opening(mailed)).toEqual({ expert: 'e1', requests: ['QueryCommand', 'GetCommand'] });
    // The nomination's id with a secret of one's own opens nothing.
    await expect(opening(reviewToken(n.id, cryptoSecrets.token()))).rejects.toMatchObject({
      code: 'LINK_UNKNOWN',
    });
  });
});

describe('the last review', () => {
  it('closes the nomination from what its request read, the reads recorded between the nomination and its assignments passed over: the assignments are not read again', async () => {
    const { deps, delivered } = world();
    // An expert's page read before: its record sorts between the nomination's items and its assignments.
    const reader = { role: 'expert', subjectId: 'e1', name: 'e1' } as const;
    const { n, tokens, review } = await twoOfThreeReviewed(deps);
    await dynamoAccessLog(documents, TABLE).record({
      nominationId: n.id,
      at: NOW.toISOString(),
      reader,
      read: ['form-without-contact', 'photos'],
    });
    let assignmentReads = 0;
    const counted = {
      ...deps,
      reviews: {
        ...deps.reviews,
        assignments: (id: string) => {
          assignmentReads += 1;
          return deps.reviews.assignments(id);
        },
      },
    };
    expect((await submitReview(counted, tokens[2] ?? '', review)).reviewsComplete).toBe(true);
    expect(assignmentReads).toBe(0);
    expect(await statusOf(deps, n.id)).toBe('scored');
    expect(delivered).toEqual([{ token: 't-rev', output: { outcome: 'scored' } }]);
  });
});

describe('the last review cut short', () => {
  it.each([
    // The review, its audit event and the nomination scored are one write: cut before it, nothing
    // is stored and the repeat is the review; the window after it is before the execution is answered.
    ['before its write', 'write'],
    ['before the execution is answered', 'deliver'],
  ] as const)('is finished by its repeat: crash %s', async (_, where) => {
    const { deps, delivered } = world();
    const { n, tokens, review } = await twoOfThreeReviewed(deps);
    const cut =
      where === 'write'
        ? { ...deps, reviews: { ...deps.reviews, recordReview: dying(deps.reviews.recordReview, 'before') } }
        : { ...deps, workflow: { ...deps.workflow, deliver: dying(deps.workflow.deliver, 'before') } };

    await expect(submitReview(cut, tokens[2] ?? '', review)).rejects.toThrow(Crash);
    if (where === 'write') {
      expect(await statusOf(deps, n.id)).toBe('in-review');
      expect((await submitReview(deps, tokens[2] ?? '', review)).reviewsComplete).toBe(true);
    }
    // Once more: answered as before, nothing recorded or delivered twice.
    expect((await submitReview(deps, tokens[2] ?? '', review)).reviewsComplete).toBe(true);

    expect(await statusOf(deps, n.id)).toBe('scored');
    expect(delivered).toEqual([{ token: 't-rev', output: { outcome: 'scored' } }]);
    const trail = await deps.store.auditTrail(n.id);
    expect(trail.filter((e) => e.action === 'review')).toHaveLength(3);
    expect(trail.filter((e) => e.action === 'reviews-complete')).toHaveLength(1);
  });

  it('whose nomination changed after its read (its version moved on) stores the review alone, then scores the nomination as read again', async () => {
    const { deps, delivered } = world();
    const { n, tokens, review } = await twoOfThreeReviewed(deps);
    // Between the last review's read and its write, a save of the nomination raises its version.
    const stale = {
      ...deps,
      reviews: {
        ...deps.reviews,
        recordReview: async (...args: Parameters<typeof deps.reviews.recordReview>) => {
          if (args[5]) {
            const now = await deps.store.get(n.id);
            if (now?.version === args[5].expectedVersion)
              await deps.store.changeStatus({
                nomination: { ...now, version: now.version + 1 },
                expectedVersion: now.version,
              });
          }
          return deps.reviews.recordReview(...args);
        },
      },
    };
    expect((await submitReview(stale, tokens[2] ?? '', review)).reviewsComplete).toBe(true);
    expect(await statusOf(deps, n.id)).toBe('scored');
    expect(delivered).toEqual([{ token: 't-rev', output: { outcome: 'scored' } }]);
    const trail = await deps.store.auditTrail(n.id);
    expect(trail.filter((e) => e.action === 'review')).toHaveLength(3);
    expect(trail.filter((e) => e.action === 'reviews-complete')).toHaveLength(1);
  });
});

describe('campaign-wide steps cut short', () => {
  it('a selection: the ranking is stored once; a retried task answers every execution once', async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cacs-2024');
    const seeded = [];
    for (const [k, category] of (['volunteer', 'volunteer', 'volunteer'] as const).entries()) {
      const n = await seed(
        deps,
        { campaignId: id, category, status: 'scored', version: 4, unitType: 'member' },
        { step: 'selection', taskToken: `t-sel-${k}` },
      );
      // cacs-2024 ranks only nominations with all three reviews in.
      const experts = ['e1', 'e2', 'e3'];
      await deps.reviews.createAssignments(
        id,
        experts.map((e) => ({
          nominationId: n.id,
          expertId: e,
          expertName: e,
          assignedAt: NOW.toISOString(),
        })),
      );
      for (const e of experts) {
        await deps.reviews.recordReview(n.id, e, {
          expertId: e,
          scores: Object.fromEntries(builtinCampaign('cacs-2024').review.criteria.map((c) => [c.id, 9 - k])),
          recommend: true,
          total: 90 - k,
          submittedAt: NOW.toISOString(),
        });
      }
      // As the AggregateScores task does once the reviews are in: the stored ranking's entry.
      await aggregateScores(deps, n.id);
      seeded.push(n);
    }
    const job = await confirmSelection(deps, secretariat(id), id, {});
    expect(job).toMatchObject({ status: 'running', planned: false, attempt: 1 });
    // A double click while the job runs finds it: nothing is ranked or planned again.
    expect(await confirmSelection(deps, secretariat(id), id, {})).toMatchObject({
      attempt: 1,
      startedAt: job?.startedAt,
    });
    expect(base.jobStarts).toEqual([
      `${id}-selection-organization.project.site.volunteer-1`,
      `${id}-selection-organization.project.site.volunteer-1`,
    ]);

    // The task dies after the chunk's nominations are moved (one transaction) and the first answered.
    const cut = {
      ...deps,
      workflow: { ...deps.workflow, deliver: dying(deps.workflow.deliver, 'before', 2) },
    };
    await expect(runJob(cut, job)).rejects.toThrow(Crash);
    await runJob(deps, job);
    expect(base.delivered.map((d) => d.token).sort()).toEqual(['t-sel-0', 't-sel-1', 't-sel-2']);
    // cacs-2024 selects two per category: the quota holds over the ranking made before the crash.
    expect(await Promise.all(seeded.map((n) => statusOf(deps, n.id)))).toEqual([
      'selected',
      'selected',
      'not-selected',
    ]);
    const answer = await jobAnswer(deps, await deps.jobs.job(id, job?.id ?? ''));
    expect(answer.job).toMatchObject({ status: 'done', moved: 3, total: 3 });
    const outcomes = 'outcomes' in answer ? (answer.outcomes ?? []) : [];
    expect(outcomes.map((o) => [o.nominationId, o.rank, o.selected])).toEqual([
      [seeded[0]?.id, 1, true],
      [seeded[1]?.id, 2, true],
      [seeded[2]?.id, 3, false],
    ]);
  });

  it('a selection job that gave up part-way: confirming again plans the rest and answers the moved ones', async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    for (const k of [0, 1]) {
      const n = await seed(
        deps,
        { campaignId: id, status: 'scored', version: 4 },
        { step: 'selection', taskToken: `t-gave-up-${k}` },
      );
      await deps.reviews.createAssignments(id, [
        { nominationId: n.id, expertId: 'e1', expertName: 'e1', assignedAt: NOW.toISOString() },
      ]);
      await deps.reviews.recordReview(n.id, 'e1', {
        expertId: 'e1',
        scores: Object.fromEntries(builtinCampaign('cast-2024').review.criteria.map((c) => [c.id, 8])),
        recommend: true,
        total: 80,
        submittedAt: NOW.toISOString(),
      });
      await aggregateScores(deps, n.id);
    }
    const first = await confirmSelection(deps, secretariat(id), id, {});
    // Every answer to Step Functions fails: the first nomination is moved, its execution not answered.
    const broken = {
      ...deps,
      workflow: { ...deps.workflow, deliver: dying(deps.workflow.deliver, 'before', 1) },
    };
    await expect(runJob(broken, first)).rejects.toThrow(Crash);
    if (!first) throw new Error('no job');
    await failCampaignJob(deps, { campaignId: id, jobId: first.id, attempt: 1, chunk: 0 }, 'Crash: gave up');
    expect(await deps.jobs.job(id, first.id)).toMatchObject({ status: 'failed', error: 'Crash: gave up' });

    const second = await confirmSelection(deps, secretariat(id), id, {});
    expect(second).toMatchObject({ attempt: 2, status: 'running', total: 2 });
    await runJob(deps, second);
    expect(base.delivered.map((d) => d.token).sort()).toEqual(['t-gave-up-0', 't-gave-up-1']);
    expect((await deps.jobs.job(id, first.id))?.status).toBe('done');
  });

  it('forwarding into the parent round: running the task again starts the parent execution', async () => {
    const { deps, started } = world(BEFORE_CAST_DEADLINE);
    const n = await seed(
      deps,
      { campaignId: 'cacs-2024', status: 'selected', unitType: 'member' },
      {
        step: 'selection',
        taskToken: 't-fwd',
      },
    );
    // The attachments' own item (adapters/nomination-store.ts keeps them apart from the nomination's).
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: `nomination#${n.id}`, sk: 'item#attachments', data: attachmentRecords(n, 2) },
      }),
    );
    // Dies in the parent's submission, after it was stored and before its execution was started.
    const cut = {
      ...deps,
      workflow: { ...deps.workflow, startExecution: dying(deps.workflow.startExecution, 'before') },
    };
    await expect(forward(cut, n.id)).rejects.toThrow(Crash);
    expect(await statusOf(deps, `${n.id}-p`)).toBe('submitted');
    expect(started).toEqual([]);

    expect(await forward(deps, n.id)).toEqual({ toParent: true });
    expect(started).toEqual([`${n.id}-p`]);
    expect(await statusOf(deps, n.id)).toBe('forwarded');
  });

  it("opening publicity: the period is fixed by the request; a task cut short after its chunk's moves were written is retried without moving anything twice", async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    const seeded = [];
    for (let k = 0; k < 3; k++)
      seeded.push(await seed(deps, { campaignId: id, status: 'forwarded', version: 6 }));
    const job = await openPublicity(deps, secretariat(id), id);
    const opened = await deps.campaignStore.state(id);
    // The campaign's seven days from the instant of the request, to the millisecond.
    const openedAt = opened.publicity?.openedAt ?? '';
    expect(opened.publicity).toEqual({
      openedAt,
      closesAt: new Date(Date.parse(openedAt) + 7 * 86_400_000).toISOString(),
    });
    expect(Number.isNaN(Date.parse(openedAt))).toBe(false);
    const cut = {
      ...deps,
      // The chunk's moves are written by one transaction: the task dies once it is written.
      store: { ...deps.store, changeStatuses: dying(deps.store.changeStatuses, 'after') },
    };
    await expect(runJob(cut, job)).rejects.toThrow(Crash);
    for (const n of seeded) expect(await statusOf(deps, n.id)).toBe('in-publicity');
    // Asked again while the job runs: the same job, the same period.
    expect(await openPublicity(deps, secretariat(id), id)).toMatchObject({ attempt: 1 });
    await runJob(deps, job);

    const answer = await jobAnswer(deps, await deps.jobs.job(id, 'publicity'));
    expect(answer).toMatchObject({
      job: { status: 'done', moved: 3 },
      state: { publicity: opened.publicity },
    });
    expect((await deps.campaignStore.state(id)).publicity).toEqual(opened.publicity);
    for (const n of seeded) {
      expect(await statusOf(deps, n.id)).toBe('in-publicity');
      expect((await deps.store.auditTrail(n.id)).filter((e) => e.action === 'open-publicity')).toHaveLength(
        1,
      );
    }
    expect((await deps.store.counts(id))['in-publicity']).toBe(3);
    await expect(openPublicity(deps, secretariat(id), id)).rejects.toMatchObject({ code: 'PUBLICITY_OPEN' });
  });

  /** A nomination on the notice of a campaign of its own, waiting in AwaitPublicity with `taskToken`, and an objection to it. */
  async function objectedOnTheNotice(taskToken: string) {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    const n = await seed(
      deps,
      { campaignId: id, status: 'in-publicity', version: 8 },
      { step: 'publicity', taskToken },
    );
    await deps.campaignStore.saveState({
      campaignId: id,
      publicity: { openedAt: NOW.toISOString(), closesAt: '2025-03-04T01:00:00.000Z' },
    });
    const { id: objectionId } = await submitObjection(deps, id, {
      nominationId: n.id,
      reason: '事迹材料与实际情况不符，请核实。',
      name: '张某',
      contact: 'z@x.cn',
    });
    return { base, id, deps, n, objectionId };
  }

  it('an upheld objection: resolving again withdraws the nomination and answers its execution', async () => {
    const { base, id, deps, n, objectionId } = await objectedOnTheNotice('t-obj');
    const cut = { ...deps, store: { ...deps.store, changeStatus: dying(deps.store.changeStatus, 'before') } };
    const resolution = { decision: 'uphold', note: '经核实，异议成立。' };
    await expect(resolveObjection(cut, secretariat(id), id, objectionId, resolution)).rejects.toThrow(Crash);

    // The repeat of the same decision is answered as the first would have been.
    expect(await resolveObjection(deps, secretariat(id), id, objectionId, resolution)).toMatchObject({
      id: objectionId,
      resolution,
    });
    expect(await statusOf(deps, n.id)).toBe('withdrawn-after-objection');
    expect(base.delivered).toEqual([{ token: 't-obj', output: { outcome: 'withdrawn' } }]);
    expect(base.mails.filter((m) => m.subject.includes('撤销'))).toHaveLength(1);
  });

  it("an upheld objection cut short while its notice was claimed: the repeat is told to come back until the dead sender's lease ends, then tells the unit once", async () => {
    const { base, id, deps, n, objectionId } = await objectedOnTheNotice('t-obj-mail');
    // The process dies once the notice is claimed, before it is sent: the claim stays, its holder gone.
    const cut = { ...deps, store: { ...deps.store, claimNotices: dying(deps.store.claimNotices, 'after') } };
    const resolution = { decision: 'uphold', note: '经核实，异议成立。' };
    await expect(resolveObjection(cut, secretariat(id), id, objectionId, resolution)).rejects.toThrow(Crash);
    expect(await statusOf(deps, n.id)).toBe('withdrawn-after-objection');

    // Sent again at once: the claim is live, so the request is busy (503, Retry-After), not failed.
    await expect(resolveObjection(deps, secretariat(id), id, objectionId, resolution)).rejects.toMatchObject({
      name: 'Laurel.StoreBusy',
      retryAfterSeconds: 5,
    });
    expect(base.mails.filter((m) => m.subject.includes('撤销'))).toEqual([]);

    // Sent again once the lease has passed: the claim is taken over, the unit told once.
    let ticks = 0;
    const later = {
      ...deps,
      clock: { now: () => new Date(NOW.getTime() + NOTICE_CLAIM_LEASE_MS + 1000 + ticks++) },
    };
    expect(await resolveObjection(later, secretariat(id), id, objectionId, resolution)).toMatchObject({
      resolution,
    });
    expect(await resolveObjection(later, secretariat(id), id, objectionId, resolution)).toMatchObject({
      resolution,
    });
    expect(base.mails.filter((m) => m.subject.includes('撤销'))).toHaveLength(1);
    expect(base.delivered).toEqual([{ token: 't-obj-mail', output: { outcome: 'withdrawn' } }]);
  });

  it('a release: a retried task answers every execution once; the campaign is released when the job ends', async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    for (const [k, category] of (['volunteer', 'project', 'site'] as const).entries()) {
      await seed(
        deps,
        { campaignId: id, category, status: 'in-publicity', version: 8 },
        {
          step: 'publicity',
          taskToken: `t-rel-${k}`,
        },
      );
    }
    await deps.campaignStore.saveState({
      campaignId: id,
      publicity: { openedAt: '2025-01-10T01:00:00.000Z', closesAt: '2025-01-17T01:00:00.000Z' },
    });
    const job = await release(deps, secretariat(id), id);
    const cut = {
      ...deps,
      workflow: { ...deps.workflow, deliver: dying(deps.workflow.deliver, 'before', 2) },
    };
    await expect(runJob(cut, job)).rejects.toThrow(Crash);
    expect((await deps.campaignStore.state(id)).releasedAt).toBeUndefined();
    await runJob(deps, job);

    expect(await jobAnswer(deps, await deps.jobs.job(id, 'release'))).toMatchObject({
      job: { status: 'done' },
      released: 3,
      categories: 3,
    });
    expect(base.delivered.map((d) => d.token).sort()).toEqual(['t-rel-0', 't-rel-1', 't-rel-2']);
    expect((await deps.campaignStore.state(id)).releasedAt).toBe(job?.startedAt);
    await expect(release(deps, secretariat(id), id)).rejects.toMatchObject({ code: 'ALREADY_RELEASED' });
  });
});

describe('campaign-wide jobs', () => {
  it('move a large round 100 at a time, report progress, and leave alone a nomination moved elsewhere meanwhile', async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    const seeded: Nomination[] = [];
    for (let k = 0; k < 250; k++) {
      seeded.push(
        await seed(
          deps,
          { campaignId: id, status: 'forwarded', version: 6 },
          { step: 'publicity', taskToken: `t-pub-${k}` },
        ),
      );
    }
    const job = await openPublicity(deps, secretariat(id), id);
    expect(job).toMatchObject({ status: 'running', planned: false, total: 0 });
    // The job's first task plans a page of the status index at a time, a chunk stored per page.
    const pages: unknown[] = [];
    const paging = {
      ...deps,
      store: {
        ...deps.store,
        page: (...a: Parameters<typeof deps.store.page>) => {
          pages.push(a[2]);
          return deps.store.page(...a);
        },
      },
    };
    expect(
      await planCampaignJobTask(paging, { campaignId: id, jobId: 'publicity', attempt: 1, chunk: 0 }),
    ).toMatchObject({ chunk: 0, done: false });
    expect(pages).toHaveLength(3);
    expect(pages.every((p) => (p as { limit: number }).limit === 100)).toBe(true);
    expect(await deps.jobs.job(id, 'publicity')).toMatchObject({ total: 250, chunks: 3, movedChunks: 0 });
    // Planned again (a retried task): the plan stands, nothing is read again.
    await planCampaignJobTask(paging, { campaignId: id, jobId: 'publicity', attempt: 1, chunk: 0 });
    expect(pages).toHaveLength(3);
    // Withdrawn after the plan was made (as a unit or an upheld objection could): the plan no longer concerns it.
    const gone = seeded[137] as Nomination;
    await deps.store.changeStatus({
      nomination: { ...gone, status: 'withdrawn', version: 7 },
      expectedVersion: 6,
      audit: { nominationId: gone.id, at: NOW.toISOString(), actor: secretariat(id), action: 'withdraw' },
    });

    const progress: number[] = [];
    let input: JobTaskInput = { campaignId: id, jobId: 'publicity', attempt: 1, chunk: 0 };
    for (;;) {
      const next = await runCampaignJobChunk(deps, input);
      progress.push((await jobAnswer(deps, await deps.jobs.job(id, 'publicity'))).job?.moved ?? -1);
      if (next.done) break;
      input = next;
    }
    expect(progress).toEqual([100, 200, 250]);
    const statuses = await Promise.all(seeded.map((n) => statusOf(deps, n.id)));
    expect(statuses.filter((s) => s === 'in-publicity')).toHaveLength(249);
    expect(statuses[137]).toBe('withdrawn');
    // A task run again after the job ended (a retry whose first answer was lost) changes nothing.
    const before = await deps.jobs.job(id, 'publicity');
    expect(await runCampaignJobChunk(deps, { ...input, chunk: 2 })).toMatchObject({ done: true });
    expect(await deps.jobs.job(id, 'publicity')).toEqual(before);
  }, 60_000); // 250 nominations seeded and moved: a few seconds, more on a busy machine

  it('started twice at once (a double click on a new step): one attempt, one plan, one execution', async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    for (let k = 0; k < 3; k++) await seed(deps, { campaignId: id, status: 'forwarded', version: 6 });
    const [a, b] = await Promise.all([
      openPublicity(deps, secretariat(id), id),
      openPublicity(deps, secretariat(id), id),
    ]);
    expect(a).toMatchObject({ attempt: 1, status: 'running' });
    expect(b?.planId).toBe(a?.planId);
    // One publicity window, the first request's: both answers and the campaign agree on it.
    const stored = (await deps.campaignStore.state(id)).publicity;
    expect(a?.summary.state).toEqual({ campaignId: id, publicity: stored });
    expect(b?.summary).toEqual(a?.summary);
    expect((await deps.jobs.job(id, 'publicity'))?.planId).toBe(a?.planId);
    expect(new Set(base.jobStarts)).toEqual(new Set([`${id}-publicity-1`]));
  });

  it('whose execution ended without saying so (stopped, timed out) is started again on the same plan', async () => {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    const seeded = [];
    for (let k = 0; k < 3; k++)
      seeded.push(await seed(deps, { campaignId: id, status: 'forwarded', version: 6 }));
    const first = await openPublicity(deps, secretariat(id), id);
    // The first chunk never ran; the execution is gone and the job still says running.
    base.endedExecutions.add(`${id}-publicity-1`);
    const second = await openPublicity(deps, secretariat(id), id);
    // Never planned: the next attempt plans (its first task), under the same plan id.
    expect(second).toMatchObject({ attempt: 2, status: 'running', planId: first?.planId, planned: false });
    expect(base.jobStarts.at(-1)).toBe(`${id}-publicity-2`);
    // The first attempt's task, should it still run, changes nothing; the second's moves them.
    expect(
      await runCampaignJobChunk(deps, { campaignId: id, jobId: 'publicity', attempt: 1, chunk: 0 }),
    ).toMatchObject({ done: true });
    expect(await statusOf(deps, seeded[0]?.id ?? '')).toBe('forwarded');
    await runJob(deps, second);
    for (const n of seeded) expect(await statusOf(deps, n.id)).toBe('in-publicity');
  });
});

describe('the audit trail', () => {
  it("keeps two experts' reviews of the same millisecond, and refuses one event replayed", async () => {
    const { deps } = world();
    const n = await seed(deps, { campaignId: 'cast-2024', status: 'in-review', version: 4 });
    const review = (expert: string) => ({
      nominationId: n.id,
      at: '2025-01-20T01:00:00.123Z',
      actor: { role: 'expert' as const, subjectId: expert, name: expert },
      action: 'review',
    });
    expect(await deps.store.appendAudit(review('e1'))).toBe(true);
    expect(await deps.store.appendAudit(review('e2'))).toBe(true);
    expect(await deps.store.appendAudit(review('e1'))).toBe(false);
    const reviews = (await deps.store.auditTrail(n.id)).filter((e) => e.action === 'review');
    expect(reviews.map((e) => e.actor.subjectId).sort()).toEqual(['e1', 'e2']);
  });
});

describe('review links cut short', () => {
  /** A nomination in review in a campaign of its own, with three experts and none assigned. */
  async function threeExpertsInReview() {
    const base = world();
    const { id, deps } = isolatedCampaign(base.deps, 'cast-2024');
    for (const e of ['e1', 'e2', 'e3']) {
      await dynamoReviewStore(documents, TABLE).putExpert({
        id: e,
        campaignId: id,
        name: `专家${e}`,
        email: `${e}@laurel.test`,
      });
    }
    return { base, deps, n: await seed(deps, { campaignId: id, status: 'in-review', version: 5 }) };
  }

  /** Runs AssignExperts to its end, then once more: each expert mailed once in all, every link noted. */
  async function finishedOnceEach(
    base: ReturnType<typeof world>,
    deps: ReturnType<typeof world>['deps'],
    nominationId: string,
  ) {
    await assignExperts(deps, nominationId);
    await assignExperts(deps, nominationId); // and once more: nothing new
    expect(base.mails.map((m) => m.to).sort()).toEqual([
      'e1@laurel.test',
      'e2@laurel.test',
      'e3@laurel.test',
    ]);
    const assignments = await deps.reviews.assignments(nominationId);
    expect(assignments.every((a) => a.linkHash && a.linkMailedAt)).toBe(true);
    return assignments;
  }

  /** An AssignExperts that dies once its assignments are made with their links, before any mail. */
  async function crashOnceMade(deps: ReturnType<typeof world>['deps'], nominationId: string) {
    const made = {
      ...deps,
      reviews: { ...deps.reviews, createAssignments: dying(deps.reviews.createAssignments, 'after') },
    };
    await expect(assignExperts(made, nominationId)).rejects.toThrow(Crash);
  }

  it('links attached with the assignments before a crash, none mailed, are superseded and each expert mailed once; the superseded ones still open the review', async () => {
    const { base, deps, n } = await threeExpertsInReview();
    // Dies right after the assignments are made with their links, before any mail goes out.
    await crashOnceMade(deps, n.id);
    const attached = await deps.reviews.assignments(n.id);
    expect(attached.map((a) => [Boolean(a.linkHash), Boolean(a.linkMailedAt)])).toEqual([
      [true, false],
      [true, false],
      [true, false],
    ]);
    expect(base.mails).toHaveLength(0);

    const assignments = await finishedOnceEach(base, deps, n.id);
    for (const before of attached) {
      expect((await deps.reviews.byLink(before.linkHash ?? ''))?.expertId).toBe(before.expertId);
      expect(assignments.find((a) => a.expertId === before.expertId)?.linkHash).not.toBe(before.linkHash);
    }
  });

  it('a link attached before a crash, its mail not noted as sent, is superseded and mailed once; the superseded one still opens the review', async () => {
    const { base, deps, n } = await threeExpertsInReview();
    // A first run dies once the assignments are made with their links, before any mail; its
    // repeat, which attaches new ones, dies right after the first of them, before its mail goes out.
    await crashOnceMade(deps, n.id);
    const cut = {
      ...deps,
      reviews: { ...deps.reviews, attachLink: dying(deps.reviews.attachLink, 'after') },
    };
    await expect(assignExperts(cut, n.id)).rejects.toThrow(Crash);
    // The links are mailed side by side: the other two experts' went out, the one cut short did not.
    const cutShort = (await deps.reviews.assignments(n.id)).filter((a) => a.linkHash && !a.linkMailedAt);
    expect(cutShort).toHaveLength(1);
    const [first] = cutShort;
    expect(base.mails).toHaveLength(2);
    expect(base.mails.map((m) => m.to)).not.toContain(`${first?.expertId}@laurel.test`);

    const assignments = await finishedOnceEach(base, deps, n.id);
    // A run cut short after its send but before noting it leaves a mailed link: it keeps working.
    expect((await deps.reviews.byLink(first?.linkHash ?? ''))?.expertId).toBe(first?.expertId);
    expect(assignments.find((a) => a.expertId === first?.expertId)?.linkHash).not.toBe(first?.linkHash);
  });

  it("an expert's withdrawal cut short before its mail: the repeat tells the expert once, and notes it", async () => {
    const { base, deps, n } = await threeExpertsInReview();
    await finishedOnceEach(base, deps, n.id);
    const nomination = await deps.store.get(n.id);
    const leaving = (await deps.reviews.assignments(n.id)).find((a) => a.expertId === 'e1');
    if (!nomination || !leaving) throw new Error('no assignment to withdraw');
    const at = NOW.toISOString();
    const cut = {
      ...deps,
      reviews: { ...deps.reviews, withdrawAssignment: dying(deps.reviews.withdrawAssignment, 'after') },
    };
    await expect(withdraw(cut, leaving, nomination, 'declined', '本月出国访问', at)).rejects.toThrow(Crash);
    const told = () => base.mails.filter((m) => m.to === 'e1@laurel.test' && m.subject.includes('评审安排'));
    expect(told()).toHaveLength(0);
    // Its repeat, as the expert's decline sent again runs it: from the withdrawn assignment.
    const withdrawnNow = async () =>
      (await deps.reviews.assignments(n.id)).find((a) => a.expertId === 'e1') ?? leaving;
    await withdraw(deps, await withdrawnNow(), nomination, 'declined', '本月出国访问', at);
    expect(told()).toHaveLength(1);
    expect((await withdrawnNow()).withdrawn).toMatchObject({
      reason: 'declined',
      mailedAt: expect.any(String),
    });
    await withdraw(deps, await withdrawnNow(), nomination, 'declined', '本月出国访问', at);
    expect(told()).toHaveLength(1);
  });
});
