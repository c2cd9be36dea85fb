import { describe, expect, it } from 'vitest';
import { reviewClockDayOf, reviewClockJobId } from '../../../functions/rules/review-clock.js';
import { startReviewClocks } from '../../../functions/use-cases/review-clock.js';
import { declareReview, submitReview } from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { pipelineStep } from '../../../functions/use-cases/tasks.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  evenReview,
  expertEmail,
  inviteExperts,
  inviteUnit,
  reviewClockRuns,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * The campaign-wide review clock (functions/use-cases/review-clock.ts): one job a campaign a day,
 * counting every nomination in review, whatever the schedule's delivery does — delivered twice,
 * retried after a crash half-way — and leaving the nominations of executions on the definition
 * before it to their own ReviewDay.
 */

const CAMPAIGN = 'cast-2024';

/** Nominations in review (at most two: the unit's quota), each with three experts of whom the last stays silent. */
async function inReview(world: World, count: number) {
  const unit = await inviteUnit(world, CAMPAIGN, 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(
    world,
    CAMPAIGN,
    ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((id) => ({ id })),
  );
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, secretariatOf(CAMPAIGN), n.id, { version: n.version, decision: 'pass' });
    ids.push(n.id);
  }
  await world.settle();
  const silent: string[] = [];
  for (const id of ids) {
    const [first, second, third] = await world.deps.reviews.assignments(id);
    for (const a of [first, second]) {
      const token = reviewTokens(world, a?.expertId ?? '').at(-1) ?? '';
      await declareReview(world.deps, token, { conflict: false });
      await submitReview(world.deps, token, evenReview(8));
    }
    silent.push(third?.expertId ?? '');
    expect((await stored(world, id)).status).toBe('in-review');
  }
  return { ids, silent };
}

/** Every review reminder sent, to anyone. */
const reminders = (world: World) => world.outbox.sent.filter((m) => m.subject.includes('评审提醒'));

const scheduled = (world: World) => ({ time: world.clock.now().toISOString() });

describe('the review clock’s day', () => {
  it('is the China calendar day of the instant the schedule was for', () => {
    expect(reviewClockDayOf('2025-02-01T15:59:59Z')).toBe(reviewClockDayOf('2025-02-01T00:00:00+08:00'));
    expect(reviewClockDayOf('2025-02-01T16:00:00Z')).toBe(reviewClockDayOf('2025-02-01T15:59:59Z') + 1);
    expect(reviewClockJobId(20_120)).toBe('review-clock-20120');
    expect(() => reviewClockDayOf('yesterday')).toThrow(RangeError);
  });
});

describe('the campaign-wide review clock', () => {
  it('starts no job for a campaign with nothing in review or returned', async () => {
    const world = memoryWorld();
    expect((await reviewClockRuns(world)).campaigns).toEqual([]);
  });

  it('counts a day once however often its schedule is delivered: one job, no mail twice', async () => {
    const world = memoryWorld();
    await inReview(world, 2);
    for (let day = 1; day <= 11; day += 1) {
      world.clock.advance(DAY_MS);
      await reviewClockRuns(world);
    }
    expect(reminders(world)).toHaveLength(0);
    world.clock.advance(DAY_MS); // day 12: 3 days left for both
    const first = await reviewClockRuns(world);
    expect(first.campaigns).toEqual([CAMPAIGN]);
    expect(reminders(world)).toHaveLength(2);
    // The same day's event again (EventBridge delivers at least once), and later that day.
    await reviewClockRuns(world);
    world.clock.advance(DAY_MS / 3);
    expect((await reviewClockRuns(world)).day).toBe(first.day);
    expect(reminders(world)).toHaveLength(2);
    const job = await world.deps.jobs.job(CAMPAIGN, reviewClockJobId(first.day));
    expect(job).toMatchObject({ status: 'done', attempt: 1, total: 2, step: 'review-clock' });
  });

  it('after a task that crashed half-way, the retried chunk skips no nomination and mails nobody twice', async () => {
    const world = memoryWorld();
    const { ids } = await inReview(world, 2);
    for (let day = 1; day <= 11; day += 1) {
      world.clock.advance(DAY_MS);
      await reviewClockRuns(world);
    }
    // Day 12: the mail relay fails once, after the first reminder went out: the task fails and is retried.
    const send = world.deps.send;
    let sent = 0;
    world.deps.send = async (mail) => {
      sent += 1;
      if (sent === 2) throw Object.assign(new Error('relay busy'), { name: 'Laurel.StoreBusy' });
      return send(mail);
    };
    world.clock.advance(DAY_MS);
    const { day } = await reviewClockRuns(world);
    world.deps.send = send;
    expect(sent).toBeGreaterThan(ids.length);
    expect(reminders(world)).toHaveLength(ids.length);
    expect(new Set(reminders(world).map((m) => m.key)).size).toBe(ids.length);
    expect(await world.deps.jobs.job(CAMPAIGN, reviewClockJobId(day))).toMatchObject({ status: 'done' });
  });

  it('leaves a nomination on an older execution’s own clock to its ReviewDay, which still counts it', async () => {
    const world = memoryWorld();
    const {
      ids: [id = ''],
      silent: [expert = ''],
    } = await inReview(world, 1);
    // As the definition before the campaign clock stored it: no reviewClock on the awaiting record.
    const { reviewClock: _dropped, ...older } = (await stored(world, id)).awaiting ?? {
      step: 'reviews' as const,
      taskToken: '',
      since: '',
    };
    await world.deps.store.storeAwaiting(id, older);
    for (let day = 1; day <= 15; day += 1) {
      world.clock.advance(DAY_MS);
      await startReviewClocks(world.deps, scheduled(world));
      await world.settle();
    }
    expect(reminders(world)).toHaveLength(0);
    // Its own ReviewDay (pipeline-step 'review-day'), as the older definition calls it each day.
    let clock = { day: 0 };
    for (let day = 1; day <= 13; day += 1)
      clock = (await pipelineStep(world.deps, { nominationId: id, step: 'review-day', day: clock.day })) as {
        day: number;
      };
    expect(clock.day).toBe(13);
    expect(
      world.outbox
        .to(expertEmail(expert))
        .filter((m) => m.subject.includes('评审提醒'))
        .map((m) => m.subject),
    ).toEqual([expect.stringContaining('还有 3 天'), expect.stringContaining('还有 1 天')]);
  });
});
