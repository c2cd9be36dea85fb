/**
 * What a nomination would cost in AWS, from the operations the benchmark counted and AWS's
 * published list prices for **us-east-1** (N. Virginia), in USD, without free tiers. The China
 * regions (cn-north-1, cn-northwest-1) publish their own prices in CNY and differ; us-east-1 is
 * the reference every AWS price list starts from. Issue 20's target (≤ US$0.001 per nomination)
 * is on compute and requests: every line but S3's storage, which grows with the files people send
 * and how long they are kept, not with the work done.
 */

export const PRICES = {
  region: 'us-east-1',
  asOf: '2025 list prices (DynamoDB on-demand after the November 2024 reduction)',
  /** Lambda on arm64 (Graviton), as the CDK app deploys: per GB-second, and per request. */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1_000_000,
  /** Step Functions Standard, per state transition. */
  stateTransition: 0.025 / 1000,
  /** DynamoDB on-demand, per write and read request unit. */
  writeUnit: 0.625 / 1_000_000,
  readUnit: 0.125 / 1_000_000,
  /** S3 Standard: PUT, COPY, POST, LIST per request; GET per request; storage per GB-month. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  s3GbMonth: 0.023,
  /** SES, per message sent. */
  mail: 0.1 / 1000,
  /** API Gateway HTTP API, per request (the first 300 million a month). */
  apiRequest: 1 / 1_000_000,
} as const;

export interface LambdaUse {
  name: string;
  invocations: number;
  /** Billed duration of one invocation (rounded up to the millisecond). */
  msEach: number;
  memoryMb: number;
}

export interface Usage {
  nominations: number;
  lambdas: LambdaUse[];
  apiRequests: number;
  /** The nominations' own executions: states entered and Task retries. */
  stateTransitions: number;
  /**
   * The campaign-wide jobs' executions (selection, publicity, release, the forwarding package):
   * billed the same, and run once a round rather than once a nomination.
   */
  jobStateTransitions: number;
  writeUnits: number;
  readUnits: number;
  s3Puts: number;
  s3Gets: number;
  /** Stored bytes per nomination, kept for a year. */
  storedBytesPerNomination: number;
  mails: number;
  /**
   * The round's calendar, for what waiting costs (calendarWaiting): the bench compresses the
   * clock, so no wait of its round ever lasts a real day. Absent: waiting is not priced.
   */
  calendar?: RoundCalendar;
}

export interface CostLine {
  service: string;
  basis: string;
  perNomination: number;
  /** Storage is kept apart from compute and requests (issue 20's target is on the latter). */
  storage?: boolean;
}

export interface CostEstimate {
  lines: CostLine[];
  /** Every line, storage included. */
  perNomination: number;
  /** Compute and requests only: Lambda, Step Functions, DynamoDB, S3 requests, SES, API Gateway. */
  computeAndRequests: number;
}

export function estimateCost(usage: Usage): CostEstimate {
  const n = Math.max(1, usage.nominations);
  const gbSeconds = usage.lambdas.reduce(
    (s, l) => s + l.invocations * (Math.ceil(l.msEach) / 1000) * (l.memoryMb / 1024),
    0,
  );
  const invocations = usage.lambdas.reduce((s, l) => s + l.invocations, 0);
  const transitions = usage.stateTransitions + usage.jobStateTransitions;
  const gbMonthsPerYear = (usage.storedBytesPerNomination / 1024 ** 3) * 12;
  const lines: CostLine[] = [
    {
      service: 'Lambda (arm64)',
      basis: `${fmt(invocations / n)} invocations, ${fmt(gbSeconds / n, 3)} GB-s per nomination`,
      perNomination: (gbSeconds * PRICES.lambdaGbSecond + invocations * PRICES.lambdaRequest) / n,
    },
    {
      service: 'Step Functions (Standard)',
      basis: `${fmt(transitions / n, 2)} state transitions per nomination (${fmt(usage.stateTransitions / n, 2)} its own execution's, ${fmt(usage.jobStateTransitions / n, 2)} the campaign jobs')`,
      perNomination: (transitions * PRICES.stateTransition) / n,
    },
    {
      service: 'DynamoDB (on demand)',
      basis: `${fmt(usage.writeUnits / n)} WRU + ${fmt(usage.readUnits / n)} RRU per nomination`,
      perNomination: (usage.writeUnits * PRICES.writeUnit + usage.readUnits * PRICES.readUnit) / n,
    },
    {
      service: 'S3 requests',
      basis: `${fmt(usage.s3Puts / n)} PUT/POST + ${fmt(usage.s3Gets / n)} GET per nomination`,
      perNomination: (usage.s3Puts * PRICES.s3Put + usage.s3Gets * PRICES.s3Get) / n,
    },
    {
      service: 'SES',
      basis: `${fmt(usage.mails / n)} mails per nomination`,
      perNomination: (usage.mails * PRICES.mail) / n,
    },
    {
      service: 'API Gateway (HTTP API)',
      basis: `${fmt(usage.apiRequests / n)} requests per nomination`,
      perNomination: (usage.apiRequests * PRICES.apiRequest) / n,
    },
    {
      service: 'S3 storage (Standard)',
      basis: `${fmt(usage.storedBytesPerNomination / 1e6)} MB kept 12 months`,
      perNomination: gbMonthsPerYear * PRICES.s3GbMonth,
      storage: true,
    },
  ];
  if (usage.calendar) {
    const now = calendarWaiting(usage.calendar, 'campaign clock', n);
    const before = calendarWaiting(usage.calendar, 'timers per nomination', n);
    lines.push({
      service: 'Calendar time (modelled)',
      basis: `${usage.calendar.totalDays} days of waiting (${calendarText(usage.calendar)}): ${fmt(now.transitions, 2)} transitions, ${fmt(now.invocations, 2)} invocations, ${fmt(now.readUnits)} RRU + ${fmt(now.writeUnits, 2)} WRU per nomination by the campaign's daily review clock; by timers per nomination ${dollars(before.perNomination)} (${fmt(before.transitions)} transitions)`,
      perNomination: now.perNomination,
    });
  }
  const sum = (list: CostLine[]) => list.reduce((s, l) => s + l.perNomination, 0);
  return { lines, perNomination: sum(lines), computeAndRequests: sum(lines.filter((l) => !l.storage)) };
}

/**
 * How long a nomination of a real round waits in each human step, in days. The campaign definition
 * gives the review's (`review.dueDays`: reminders and the due date run on it) and the notice's
 * (`publicity.days`); how long a nomination waits for screening and for the selection is the
 * secretariat's pace, not the definition's: `roundCalendarOf` takes two weeks each (submitted
 * in the weeks before the deadline, screened after it; scored nominations waiting for the last
 * reviews of the round, which take up to `dueDays`).
 */
export interface RoundCalendar {
  screeningDays: number;
  reviewDays: number;
  selectionDays: number;
  publicityDays: number;
  totalDays: number;
}

export function roundCalendarOf(
  campaign: { review: { dueDays: number }; publicity: { days: number } | null },
  secretariat: { screeningDays: number; selectionDays: number } = { screeningDays: 14, selectionDays: 14 },
): RoundCalendar {
  const days = {
    screeningDays: secretariat.screeningDays,
    reviewDays: campaign.review.dueDays,
    selectionDays: secretariat.selectionDays,
    // A society's round has no notice of its own: its nominations are on the parent round's.
    publicityDays: campaign.publicity?.days ?? 0,
  };
  return { ...days, totalDays: Object.values(days).reduce((a, b) => a + b, 0) };
}

const calendarText = (c: RoundCalendar) =>
  `screening ${c.screeningDays}, review ${c.reviewDays}, selection ${c.selectionDays}, publicity ${c.publicityDays}`;

/**
 * What one wait costs in store units and Lambda time, the figures both designs are priced on: the
 * await step's token stored (one UpdateItem of the nomination's small item, ~2 KB: 2 WRU) in
 * 60 ms at 256 MB (the bench's p50 of the await tasks); a nomination's review day read — the
 * nomination (a consistent GetItem of the small item, 1 RRU) and its assignments (a Query of
 * three small items, 1 RRU) — and the campaign's 100 experts (a Query of ~30 KB, 8 RRU);
 * pipeline-step's ReviewDay 100 ms at 1,024 MB; the review clock's task 1 s a chunk of 100 at
 * 1,024 MB (8 nominations at once, two reads each); a plan chunk of 100 ids (~5 KB: 5 WRU
 * written, 2 RRU read back), the job item written at each chunk (1 KB: 1 WRU), and the ids of
 * the round read from the status index (keys only, ~100 bytes each, eventually consistent).
 */
export const WAITING = {
  tokenStore: { wru: 2, ms: 60, memoryMb: 256 },
  reviewDayReads: { nominationRru: 1, assignmentsRru: 1, expertsRru: 8 },
  reviewDayTask: { ms: 100, memoryMb: 1024 },
  clockChunk: { size: 100, ms: 1000, memoryMb: 1024, planWru: 5, planRru: 2, jobWru: 1 },
  /** The campaign job's states: PlanJob, MoreChunks, Done, and ApplyChunk + MoreChunks a chunk. */
  clockJob: { fixedStates: 3, statesPerChunk: 2 },
  idsRruEach: 100 / 4096 / 2,
} as const;

export type WaitingDesign = 'timers per nomination' | 'campaign clock';

export interface WaitingCost {
  transitions: number;
  invocations: number;
  gbSeconds: number;
  readUnits: number;
  writeUnits: number;
  perNomination: number;
}

/**
 * What a nomination's waits cost over a real round's calendar, per nomination of a round of
 * `roundSize`. Timers per nomination (the definition before the review clock): a human step
 * re-armed each week of screening, selection and publicity (one transition, the await step's
 * invocation and token write each time), and each day of review a timeout into ReviewDay and back
 * (two transitions, two invocations, the day's reads and the token written again). The campaign
 * clock: nothing while a step waits but, each day of review, the nomination's reads and its
 * share of the day's job (its chunk's task, states, plan and job writes; the job's own states,
 * the schedule's invocation and the index read shared by the round).
 */
export function calendarWaiting(
  calendar: RoundCalendar,
  design: WaitingDesign,
  roundSize: number,
): WaitingCost {
  const gb = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024);
  const { tokenStore, reviewDayReads, reviewDayTask, clockChunk, clockJob } = WAITING;
  const dayReads = reviewDayReads.nominationRru + reviewDayReads.assignmentsRru;
  let cost: Omit<WaitingCost, 'perNomination'>;
  if (design === 'timers per nomination') {
    const rearms =
      Math.floor(calendar.screeningDays / 7) +
      Math.floor(calendar.selectionDays / 7) +
      Math.floor(calendar.publicityDays / 7);
    const days = calendar.reviewDays;
    cost = {
      transitions: rearms + 2 * days,
      invocations: rearms + 2 * days,
      gbSeconds:
        (rearms + days) * gb(tokenStore.ms, tokenStore.memoryMb) +
        days * gb(reviewDayTask.ms, reviewDayTask.memoryMb),
      readUnits: days * (dayReads + reviewDayReads.expertsRru),
      writeUnits: (rearms + days) * tokenStore.wru,
    };
  } else {
    const chunks = Math.max(1, Math.ceil(roundSize / clockChunk.size));
    const perDay = {
      transitions: (clockJob.fixedStates + chunks * clockJob.statesPerChunk) / roundSize,
      // The schedule, PlanJob and a task a chunk.
      invocations: (2 + chunks) / roundSize,
      gbSeconds: (chunks * gb(clockChunk.ms, clockChunk.memoryMb)) / roundSize,
      readUnits:
        dayReads +
        (chunks * (reviewDayReads.expertsRru + clockChunk.planRru)) / roundSize +
        WAITING.idsRruEach,
      writeUnits: (chunks * (clockChunk.planWru + clockChunk.jobWru)) / roundSize,
    };
    const days = calendar.reviewDays;
    cost = {
      transitions: perDay.transitions * days,
      invocations: perDay.invocations * days,
      gbSeconds: perDay.gbSeconds * days,
      readUnits: perDay.readUnits * days,
      writeUnits: perDay.writeUnits * days,
    };
  }
  return {
    ...cost,
    perNomination:
      cost.transitions * PRICES.stateTransition +
      cost.invocations * PRICES.lambdaRequest +
      cost.gbSeconds * PRICES.lambdaGbSecond +
      cost.readUnits * PRICES.readUnit +
      cost.writeUnits * PRICES.writeUnit,
  };
}

/** The function that builds the forwarding package (functions/routes.ts), and its state machine's one state. */
export const PACKAGE_JOB = { functionName: 'package-job', statesPerBuild: 1 } as const;

/**
 * `usage` with one build of the forwarding package of the whole round: the bench times the package
 * job's task over a round of its own (`built.nominations`), which grows with the nominations it
 * packs, so the round's build is that time scaled to `usage.nominations` — one invocation, one
 * state transition (BuildPackage). A package built again (per category, after a late withdrawal)
 * costs as much again.
 */
export function withPackageBuild(
  usage: Usage,
  built: { nominations: number; seconds: number; memoryMb: number },
): Usage {
  const ms = (built.seconds * 1000 * usage.nominations) / Math.max(1, built.nominations);
  return {
    ...usage,
    lambdas: [
      ...usage.lambdas,
      { name: PACKAGE_JOB.functionName, invocations: 1, msEach: ms, memoryMb: built.memoryMb },
    ],
    jobStateTransitions: usage.jobStateTransitions + PACKAGE_JOB.statesPerBuild,
  };
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

export const dollars = (value: number): string =>
  value >= 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(6)}`;
