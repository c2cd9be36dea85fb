import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import {
  calendarWaiting,
  estimateCost,
  PRICES,
  roundCalendarOf,
  type Usage,
  WAITING,
  withPackageBuild,
} from '../../scripts/bench/cost.js';
import { mailKindsOf } from '../../scripts/bench/report.js';

/** The cost model's lines from counted usage: the campaign jobs and the package build are priced too. */

const usage = (over: Partial<Usage> = {}): Usage => ({
  nominations: 200,
  lambdas: [],
  apiRequests: 0,
  stateTransitions: 0,
  jobStateTransitions: 0,
  writeUnits: 0,
  readUnits: 0,
  s3Puts: 0,
  s3Gets: 0,
  storedBytesPerNomination: 0,
  mails: 0,
  ...over,
});

const line = (u: Usage, service: string) => {
  const found = estimateCost(u).lines.find((l) => l.service.startsWith(service));
  if (!found) throw new Error(`no ${service} line`);
  return found;
};

describe('cost model', () => {
  it("prices the campaign jobs' state transitions with the nominations' own, and names both", () => {
    const stepFunctions = line(usage({ stateTransitions: 2600, jobStateTransitions: 24 }), 'Step Functions');
    // (2,600 + 24) × $0.000025 over 200 nominations.
    expect(stepFunctions.perNomination).toBeCloseTo(0.000328, 9);
    expect(stepFunctions.basis).toBe(
      "13.12 state transitions per nomination (13.00 its own execution's, 0.12 the campaign jobs')",
    );
  });

  it("counts the jobs' transitions against the compute-and-requests figure", () => {
    const without = estimateCost(usage({ stateTransitions: 2600 })).computeAndRequests;
    const withJobs = estimateCost(
      usage({ stateTransitions: 2600, jobStateTransitions: 40 }),
    ).computeAndRequests;
    expect(withJobs - without).toBeCloseTo((40 * PRICES.stateTransition) / 200, 12);
  });

  it("adds one build of the round's package, its time scaled from the bench's package round to this round", () => {
    const before = usage({ jobStateTransitions: 10 });
    const after = withPackageBuild(before, { nominations: 20, seconds: 2, memoryMb: 1024 });
    // 2 s for 20 nominations → 20 s for the round's 200, one invocation at 1 GB.
    expect(after.lambdas).toEqual([{ name: 'package-job', invocations: 1, msEach: 20_000, memoryMb: 1024 }]);
    expect(after.jobStateTransitions).toBe(11);
    expect(before.lambdas).toEqual([]);
    const lambda = line(after, 'Lambda');
    expect(lambda.perNomination).toBeCloseTo((20 * PRICES.lambdaGbSecond + PRICES.lambdaRequest) / 200, 12);
    expect(lambda.basis).toBe('0.0 invocations, 0.100 GB-s per nomination');
  });

  it('bills Lambda by the millisecond rounded up, at the memory given', () => {
    const lambda = line(
      usage({
        nominations: 1,
        lambdas: [{ name: 'campaign-job', invocations: 2, msEach: 99.2, memoryMb: 512 }],
      }),
      'Lambda',
    );
    // 2 × 0.100 s × 0.5 GB = 0.1 GB-s, and two requests.
    expect(lambda.perNomination).toBeCloseTo(0.1 * PRICES.lambdaGbSecond + 2 * PRICES.lambdaRequest, 12);
  });
});

describe('calendar time', () => {
  const cast = BUILTIN_CAMPAIGNS.get('cast-2024');
  if (!cast) throw new Error('no cast-2024');
  const calendar = roundCalendarOf(cast);

  it("takes the review's and the notice's days from the campaign, the secretariat's pace two weeks each", () => {
    expect(calendar).toEqual({
      screeningDays: 14,
      reviewDays: 14,
      selectionDays: 14,
      publicityDays: 7,
      totalDays: 49,
    });
  });

  it('counts what timers per nomination cost: a re-arm a week of screening, selection and publicity, a timeout and ReviewDay each day of review', () => {
    const timers = calendarWaiting(calendar, 'timers per nomination', 3000);
    // 2 + 2 + 1 weekly re-arms, 14 days × (ReviewDay + AwaitReviews).
    expect(timers.transitions).toBe(5 + 28);
    expect(timers.invocations).toBe(5 + 28);
    expect(timers.writeUnits).toBe((5 + 14) * WAITING.tokenStore.wru);
    expect(timers.readUnits).toBe(14 * 10);
    expect(timers.perNomination).toBeGreaterThan(33 * PRICES.stateTransition);
    expect(timers.perNomination).toBeCloseTo(0.000895, 6);
  });

  it("counts the campaign clock's day as two reads a nomination and its share of one job, a chunk of 100 a task", () => {
    const clock = calendarWaiting(calendar, 'campaign clock', 3000);
    // 30 chunks a day: (3 + 2 × 30) states, (2 + 30) invocations over 3,000, for 14 days.
    expect(clock.transitions).toBeCloseTo((14 * 63) / 3000, 12);
    expect(clock.invocations).toBeCloseTo((14 * 32) / 3000, 12);
    expect(clock.readUnits).toBeGreaterThan(14 * 2);
    expect(clock.readUnits).toBeLessThan(14 * 2.2);
    expect(clock.perNomination).toBeLessThan(0.00002);
    // A small round shares the job's fixed states among fewer.
    expect(calendarWaiting(calendar, 'campaign clock', 300).transitions).toBeGreaterThan(clock.transitions);
  });

  it('prices the campaign clock as a line of its own, counted in compute and requests, naming what timers would cost', () => {
    const without = estimateCost(usage({ nominations: 3000 }));
    const withCalendar = estimateCost(usage({ nominations: 3000, calendar }));
    const waiting = withCalendar.lines.find((l) => l.service === 'Calendar time (modelled)');
    expect(without.lines.some((l) => l.service === 'Calendar time (modelled)')).toBe(false);
    expect(waiting?.perNomination).toBeCloseTo(
      calendarWaiting(calendar, 'campaign clock', 3000).perNomination,
      15,
    );
    expect(withCalendar.computeAndRequests - without.computeAndRequests).toBeCloseTo(
      waiting?.perNomination ?? 0,
      15,
    );
    expect(waiting?.basis).toContain(
      '49 days of waiting (screening 14, review 14, selection 14, publicity 7)',
    );
    expect(waiting?.basis).toContain('by timers per nomination $0.000895 (33.0 transitions)');
  });
});

describe('mails by kind', () => {
  it("counts mails by their subject's English words, without the nominee, most first", () => {
    const kinds = mailKindsOf([
      '【2024年度科技志愿服务先进典型宣传活动】评审邀请：张三（最美科技志愿者） · Review request',
      '【2024年度科技志愿服务先进典型宣传活动】推荐已入选：李四（最佳科技志愿服务项目） · Selected',
      '【2024年度科技志愿服务先进典型宣传活动】评审邀请：李四（最佳科技志愿服务项目） · Review request',
      'a subject without its English part',
    ]);
    expect([...kinds]).toEqual([
      ['Review request', 2],
      ['a subject without its English part', 1],
      ['Selected', 1],
    ]);
  });
});
