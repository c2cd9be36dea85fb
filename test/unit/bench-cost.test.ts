import { describe, expect, it } from 'vitest';
import { estimateCost, PRICES, type Usage, withPackageBuild } from '../../scripts/bench/cost.js';
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
