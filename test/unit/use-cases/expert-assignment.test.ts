import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/rules/access.js';
import type { Campaign } from '../../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../../functions/rules/categories.js';
import { chooseExperts } from '../../../functions/rules/review.js';
import { expertPanel } from '../../../functions/use-cases/expert-panel.js';
import { executionHistory, restartExecution } from '../../../functions/use-cases/operations.js';
import {
  assignExperts,
  openReview,
  type ReviewDeps,
  ROUND_WINDOW,
} from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, NOMINATION_MACHINE, type World } from '../../support/memory/index.js';
import {
  expertEmail,
  inviteExperts,
  inviteUnit,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

/**
 * The AssignExperts task (assignExperts in functions/use-cases/reviews.ts): the campaign’s number
 * of experts per nomination, never one affiliated with the nominating unit, the least loaded
 * first (ties by id, or a seeded draw the audit keeps), each mailed a personal link once; too
 * small a pool holds the nomination until experts are invited. Nominations waiting together are
 * planned as one round (functions/rules/round-assignment.ts), each task taking its own share.
 */

const sec = secretariatOf('cast-2024');

/** A nomination of `unit` passed at screening, its execution caught up. */
async function passed(world: World, unit: Actor, category: CategoryId = 'volunteer') {
  const n = await submitted(world, unit, category);
  await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
  await world.settle();
  return n.id;
}

const assigned = async (world: World, id: string) =>
  (await world.deps.reviews.assignments(id)).map((a) => a.expertId);

describe('expert assignment', () => {
  it('never assigns an expert of the nominating unit, and mails each assigned expert one link', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [
      { id: 'e1', affiliation: 'cas-astro' },
      { id: 'e2' },
      { id: 'e3' },
      { id: 'e4' },
    ]);
    const id = await passed(world, unit);
    expect(await assigned(world, id)).toEqual(['e2', 'e3', 'e4']);
    for (const expert of ['e2', 'e3', 'e4']) expect(reviewTokens(world, expert)).toHaveLength(1);
    expect(reviewTokens(world, 'e1')).toEqual([]);
    const panel = await expertPanel(world.deps, sec, 'cast-2024');
    expect(panel.nominations).toEqual([
      expect.objectContaining({
        id,
        excludedByConflict: [{ expertId: 'e1', name: '专家 e1', kinds: ['nominating-unit'] }],
        eligibleExperts: 3,
        awaitingExperts: false,
      }),
    ]);
    expect(panel.experts.map((e) => [e.id, e.assigned])).toEqual([
      ['e1', 0],
      ['e2', 1],
      ['e3', 1],
      ['e4', 1],
    ]);
  });

  it('gives each nomination the least-loaded experts, ties broken by id', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    await inviteExperts(world, 'cast-2024', [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]);
    const first = await passed(world, unit, 'volunteer');
    const second = await passed(world, unit, 'project');
    const third = await passed(world, unit, 'site');
    expect(await assigned(world, first)).toEqual(['a', 'b', 'c']);
    // Loads a1 b1 c1 d0: d first, then a and b by id.
    expect(await assigned(world, second)).toEqual(['a', 'b', 'd']);
    // Loads a2 b2 c1 d1.
    expect(await assigned(world, third)).toEqual(['a', 'c', 'd']);
    expect((await world.deps.reviews.listExperts('cast-2024')).map((e) => e.load)).toEqual([3, 2, 2, 2]);
  });

  it('holds a nomination while the pool lacks experts, and assigns them once the secretariat invites more', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [
      { id: 'e1', affiliation: 'cas-astro' },
      { id: 'e2' },
      { id: 'e3' },
    ]);
    const id = await passed(world, unit);
    // Two experts may review it, three are needed: the task waits an hour and tries again.
    expect(world.workflow.execution(id)).toMatchObject({
      status: 'RUNNING',
      current: 'AssignExperts',
      retryPending: { Error: 'Laurel.NotEnoughExperts' },
    });
    expect(await assigned(world, id)).toEqual([]);
    expect((await expertPanel(world.deps, sec, 'cast-2024')).nominations[0]?.awaitingExperts).toBe(true);
    await inviteExperts(world, 'cast-2024', [{ id: 'e4' }]);
    world.machines.retryNow(NOMINATION_MACHINE, id);
    await world.settle();
    expect(world.workflow.execution(id)?.current).toBe('AwaitReviews');
    expect(await assigned(world, id)).toEqual(['e2', 'e3', 'e4']);
  });

  it('assigns every expert when the table stays busy past the adapter’s retries: the task is retried, never taken for done', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    // The assignments' transaction, then a link's, give up once each.
    world.deps.reviews.stayBusy(2);
    const id = await passed(world, unit);
    expect(world.workflow.execution(id)?.current).toBe('AwaitReviews');
    expect(await assigned(world, id)).toEqual(['e1', 'e2', 'e3']);
    for (const expert of ['e1', 'e2', 'e3']) expect(reviewTokens(world, expert)).toHaveLength(1);
    expect(world.machines.execution(NOMINATION_MACHINE, id)?.errors).toEqual([
      expect.objectContaining({ state: 'AssignExperts', Error: 'Laurel.StoreBusy' }),
      expect.objectContaining({ state: 'AssignExperts', Error: 'Laurel.StoreBusy' }),
    ]);
  });

  it('run again, keeps the assignments and mails no one twice', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const id = await passed(world, unit);
    const mailsBefore = world.outbox.sent.length;
    const again = await assignExperts(world.deps, id);
    expect(again.map((a) => a.expertId)).toEqual(['e1', 'e2', 'e3']);
    expect(world.outbox.sent.length).toBe(mailsBefore);
    expect((await world.deps.reviews.listExperts('cast-2024')).map((e) => e.load)).toEqual([1, 1, 1]);
  });

  it('sends again a review mail SES throttled: the task is retried and each expert gets one link', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
    // SES refuses the first expert's mail twice; the others' go out on the first try.
    world.outbox.failNext(2, undefined, (m) => m.to === expertEmail('e1'));
    await world.settle();
    expect(world.workflow.execution(n.id)).toMatchObject({
      status: 'RUNNING',
      current: 'AwaitReviews',
      errors: [
        expect.objectContaining({ state: 'AssignExperts', Error: 'Laurel.MailFailed' }),
        expect.objectContaining({ state: 'AssignExperts', Error: 'Laurel.MailFailed' }),
      ],
    });
    for (const expert of ['e1', 'e2', 'e3']) expect(reviewTokens(world, expert)).toHaveLength(1);
    expect((await world.deps.reviews.assignments(n.id)).every((a) => a.linkMailedAt)).toBe(true);
  });

  it('mails each expert once when two runs assign at the same moment (two declines topping up together): the run that made the links mails them', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
    // Both read no assignments, both choose; one makes them, the other's write is refused.
    const runs = await Promise.allSettled([assignExperts(world.deps, n.id), assignExperts(world.deps, n.id)]);
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    for (const expert of ['e1', 'e2', 'e3']) expect(reviewTokens(world, expert), expert).toHaveLength(1);
    expect((await world.deps.reviews.assignments(n.id)).every((a) => a.linkMailedAt)).toBe(true);
  });

  it('keeps a mailed link working when the run that sent it was cut short before noting it: the retry mails a second link, and either opens the review', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
    // The first mail goes out, then the run stops before it notes it (a timed-out function).
    const note = world.deps.reviews.markLinksMailed;
    let cut = 1;
    world.deps.reviews.markLinksMailed = async (...args) => {
      if (cut-- > 0) throw Object.assign(new Error('cut short'), { name: 'Laurel.StoreBusy' });
      return note(...args);
    };
    await world.settle();
    expect(world.workflow.execution(n.id)?.current).toBe('AwaitReviews');
    const tokens = reviewTokens(world, 'e1');
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect((await openReview(world.deps, token)).expert.id).toBe('e1');
  });

  it('mails a new link to the expert whose mail failed when operations restart the failed execution', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
    // The first expert's mail refused on the first try and on each of the state's six retries.
    world.outbox.failNext(7, undefined, (m) => m.to === expertEmail('e1'));
    await world.settle();
    // Its link was taken back and the task failed for good; the other two were mailed once, at once.
    expect(world.workflow.execution(n.id)).toMatchObject({ status: 'FAILED', current: 'SystemFailure' });
    expect(
      (await world.deps.reviews.assignments(n.id)).map((a) => [
        a.expertId,
        Boolean(a.linkHash),
        Boolean(a.linkMailedAt),
      ]),
    ).toEqual([
      ['e1', false, false],
      ['e2', true, true],
      ['e3', true, true],
    ]);
    expect((await executionHistory(world.deps, sec, n.id, {})).events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
    });
    await restartExecution(world.deps, n.id);
    await world.settle();
    // The restart moved straight on to where the nomination stood: in review, every expert mailed once.
    expect(world.workflow.execution(`${n.id}-r1`)?.current).toBe('AwaitReviews');
    expect((await stored(world, n.id)).awaiting?.step).toBe('reviews');
    for (const expert of ['e1', 'e2', 'e3']) expect(world.outbox.to(expertEmail(expert))).toHaveLength(2);
  });
});

describe('a round assigned at once', () => {
  /** Nominations of several units passed at screening together, their AssignExperts not yet run. */
  async function passedTogether(world: World, count: number) {
    const units = [
      await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association'),
      await inviteUnit(world, 'cast-2024', 'prov-js', 'provincial-association'),
    ];
    const nominations = [];
    for (let i = 0; i < count; i += 1)
      nominations.push(await submitted(world, units[i % 2] as Actor, 'volunteer'));
    for (const n of nominations)
      await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
    return nominations.map((n) => n.id);
  }

  it('assigns a batch passed together as one round: every expert at 4 within the cap, where one nomination at a time left 5 and 3', async () => {
    const base = BUILTIN_CAMPAIGNS.get('cast-2024') as Campaign;
    const campaigns = new Map(BUILTIN_CAMPAIGNS);
    campaigns.set('cast-2024', { ...base, review: { ...base.review, maxLoadPerExpert: 5 } });
    const world = memoryWorld({ campaigns });
    await inviteExperts(world, 'cast-2024', [
      { id: 'a', affiliation: 'prov-zj' },
      { id: 'b' },
      { id: 'c' },
      { id: 'd' },
      { id: 'e' },
      { id: 'f', affiliation: 'prov-js' },
    ]);
    const ids = await passedTogether(world, 8);
    // Eight AssignExperts tasks at once, as Lambda runs them when a batch passes screening. a may
    // not review prov-zj's, f not prov-js's: chosen one nomination at a time, b took a fifth and f
    // kept three; planned as a round, f takes prov-zj's share early.
    await Promise.all(ids.map((id) => assignExperts(world.deps, id)));
    await world.settle();
    const loads = (await world.deps.reviews.listExperts('cast-2024')).map((e) => e.load);
    expect(loads.reduce((sum, l) => sum + l, 0)).toBe(24);
    expect(Math.max(...loads)).toBeLessThanOrEqual(5);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    for (const [i, id] of ids.entries()) {
      const experts = await assigned(world, id);
      expect(experts).toHaveLength(3);
      expect(experts).not.toContain(i % 2 === 0 ? 'a' : 'f');
      expect(world.workflow.execution(id)?.current).toBe('AwaitReviews');
    }
  });

  it('draws experts at random among the least loaded when the campaign says so, and writes down the seed that repeats the draw', async () => {
    const base = BUILTIN_CAMPAIGNS.get('cast-2024') as Campaign;
    const campaigns = new Map(BUILTIN_CAMPAIGNS);
    campaigns.set('cast-2024', { ...base, review: { ...base.review, drawAtRandom: true } });
    const world = memoryWorld({ campaigns });
    const pool = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    await inviteExperts(
      world,
      'cast-2024',
      pool.map((id) => ({ id })),
    );
    const before = await world.deps.reviews.listExperts('cast-2024');
    const [id] = await passedTogether(world, 1);
    await world.settle();
    const drawn = (await world.deps.store.auditTrail(id ?? '')).filter(
      (e) => e.action === 'review-experts-drawn',
    );
    expect(drawn).toHaveLength(1);
    expect(drawn[0]?.reason).toContain('从 8 位可评审的专家中随机抽取');
    const seed = Number(/抽签种子 (\d+)/.exec(drawn[0]?.reason ?? '')?.[1]);
    // Anyone with the pool as it was and the seed draws the same experts.
    const again = chooseExperts(before, { id: id ?? '', unitId: 'prov-zj', unitName: '浙江省科协' }, 3, {
      category: 'volunteer',
      randomSeed: seed,
    });
    expect(await assigned(world, id ?? '')).toEqual(again.map((e) => e.id).sort());
    // Not simply the first three by id every time: over several seeds the draw varies.
    const draws = new Set(
      [1, 2, 3, 4, 5].map((s) =>
        chooseExperts(before, { id: 'x', unitId: 'u' }, 3, { randomSeed: s })
          .map((e) => e.id)
          .join(),
      ),
    );
    expect(draws.size).toBeGreaterThan(1);
  });
});

describe('the cost of one AssignExperts', () => {
  /**
   * The ports as the store's client sees them: one request per call (every call of these
   * adapters is one DynamoDB request or transaction, bar a query's further pages), and how many
   * records each answer carried — the size of what was read.
   */
  function counted<T extends object>(port: T, log: { requests: string[]; records: number }): T {
    return new Proxy(port, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          log.requests.push(String(name));
          const answer = await value.apply(target, args);
          log.records += Array.isArray(answer) ? answer.length : answer === undefined ? 0 : 1;
          return answer;
        };
      },
    });
  }

  /** The store requests of the AssignExperts of one nomination while `inReview` others wait for theirs. */
  async function costWith(inReview: number) {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    await inviteExperts(
      world,
      'cast-2024',
      Array.from({ length: 20 }, (_, i) => ({ id: `e${String(i).padStart(2, '0')}` })),
    );
    // Copies of a submitted nomination put in review through the store, as screening does
    // (quicker than 300 submissions; the quota is not what this counts). None has experts yet.
    const template = await submitted(world, unit, 'volunteer');
    const ids: string[] = [];
    for (let i = 0; i <= inReview; i += 1) {
      const copy = { ...template, id: `${template.id}-${String(i).padStart(3, '0')}` };
      await world.deps.store.create(copy, {
        nominationId: copy.id,
        at: copy.createdAt,
        actor: { role: 'system', subjectId: 'test', name: 'test' },
        action: 'created',
      });
      await world.deps.store.changeStatus({
        nomination: { ...copy, status: 'in-review', version: copy.version + 1 },
        expectedVersion: copy.version,
      });
      ids.push(copy.id);
    }
    const log = { requests: [] as string[], records: 0 };
    const deps: ReviewDeps = {
      ...world.deps,
      store: counted(world.deps.store, log),
      reviews: counted(world.deps.reviews, log),
    };
    // The last in the index's order: the window of the first ROUND_WINDOW does not hold it.
    const chosen = await assignExperts(deps, ids[ids.length - 1] as string);
    return { chosen, ...log };
  }

  it('makes the same store requests with 10 or 300 nominations in review, and reads at most one window of them', async () => {
    const few = await costWith(10);
    const many = await costWith(300);
    expect(few.chosen).toHaveLength(3);
    expect(many.chosen).toHaveLength(3);
    expect(many.requests).toEqual(few.requests);
    // The nomination with its assignments by one read (those it made are taken as written, not
    // read again), the pool with the round's dismissals (its own among them), the waiting window,
    // the write (the assignments with their links, leaving the window), and the links noted as
    // mailed: 5 — not the nomination and its assignments apart (6), the dismissals apart, a link
    // attached and a mail noted per expert and a marker (13).
    expect(many.requests).toHaveLength(5);
    expect(many.requests.filter((r) => r === 'withAssignments')).toHaveLength(1);
    expect(many.requests.filter((r) => r === 'expertsAndDismissals')).toHaveLength(1);
    expect(many.requests).not.toContain('conflictDismissals');
    expect(many.requests).not.toContain('listExperts');
    expect(many.requests).not.toContain('assignments');
    expect(many.requests).not.toContain('get');
    expect(many.requests).not.toContain('listByStatus');
    expect(many.requests).not.toContain('assignmentsOfExpert');
    // What was read grows with the window at most, never with the campaign.
    expect(many.records - few.records).toBeLessThanOrEqual(ROUND_WINDOW - 10);
    expect(many.records).toBeLessThan(ROUND_WINDOW + 60);
  });
});
