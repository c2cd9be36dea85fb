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
  const sum = (list: CostLine[]) => list.reduce((s, l) => s + l.perNomination, 0);
  return { lines, perNomination: sum(lines), computeAndRequests: sum(lines.filter((l) => !l.storage)) };
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
