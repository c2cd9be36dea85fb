import * as z from 'zod';
import type { RateLimit } from './ports/rate-limits.js';
import type { RouteAccess } from './rules/access.js';
import { CATEGORY_IDS } from './rules/categories.js';
import type { Bilingual } from './rules/i18n.js';
import type { JsonSchema } from './rules/validation.js';

/**
 * The one table of Laurel's Lambda functions and HTTP routes. Everything else is derived from it:
 * - the CDK app: one function per entry with its limits, one IAM role with exactly its grants,
 *   one HTTP API route per route (infra/stacks/);
 * - the local cloud: the same functions and routes, served by the local API gateway (infra/local/);
 * - the OpenAPI document served at /api/openapi.json (functions/lib/api-spec.ts), whose roles are
 *   the enforced ones;
 * - the role and scope check that runs before any handler code, and dispatch by route key
 *   (functions/lib/api.ts): a route key the table does not give the function answers 404, a
 *   known path with a method it does not serve answers 405 with `Allow`.
 * A route is added here and served by one entry of its handler's route map; nowhere else.
 *
 * Every function bundles this table, so it neither builds nor imports a schema: a route names its
 * body and response schemas by name (`routeSchema('name')`, exported by functions/route-schemas.ts),
 * taken from that module by whoever reads them (the OpenAPI document, the tests). A function's
 * bundle then holds, and its cold start builds, only the schemas its own code imports, not the
 * forms, views and steps of every other function: zod's construction is most of a cold import's
 * evaluation, and the module with every route's schema was ~23 kB of each bundle (the cost issue:
 * a function's import ≤ 3 × a bare `node`). test/unit/route-table-import.test.ts counts that none
 * is built.
 */

/** The module of every route's schemas, as a type: the table never imports it. */
export type RouteSchemas = typeof import('./route-schemas.js');

/** A zod schema the table names without building it: taken from the route schemas' module when read. */
export type SchemaRef = (schemas: RouteSchemas) => z.ZodType;

/**
 * The schema functions/route-schemas.ts exports as `name` (TypeScript checks that it does), built
 * then if its module builds it on first use (rules/built-on-first-use.ts).
 */
export const routeSchema =
  (name: keyof RouteSchemas): SchemaRef =>
  (schemas) => {
    const schema = schemas[name];
    return typeof schema === 'function' ? schema() : schema;
  };

/** What a function may touch in AWS: its IAM grants (and, locally, what the local cloud allows it). */
export interface Grants {
  /** Items of the table and its indexes (Get/Put/Update/Delete/Query, transactions). */
  table?: 'read-write';
  /** Uploads-bucket key prefixes and what may be done there (a presigned URL carries the signer's rights). */
  uploads?: Partial<Record<UploadPrefix, readonly UploadAction[]>>;
  /** SendTaskSuccess/Failure/Heartbeat for the nomination state machine's tokens. */
  answersTasks?: boolean;
  /** StartExecution on the nomination state machine. */
  startsExecutions?: boolean;
  /** StopExecution on the nomination state machine's executions (a deleted nominee's). */
  stopsExecutions?: boolean;
  /** StartExecution on the campaign-job state machine. */
  startsJobs?: boolean;
  /** StartExecution on the forwarding-package state machine. */
  startsPackageJobs?: boolean;
  /** ListExecutions, DescribeExecution, GetExecutionHistory on the nomination state machine. */
  readsExecutions?: boolean;
  /** ses:SendEmail from the mail identity. */
  sendsMail?: boolean;
  /**
   * PutObject under published/ of the web bucket: the public notice and the final list as static
   * files, which CloudFront serves and caches (no function, no table read per visitor).
   */
  publishes?: boolean;
  /** The health probes: DescribeTable, HeadBucket, ListStateMachines, SES GetAccount. */
  probesHealth?: boolean;
}

export type UploadPrefix = 'nominations/' | 'packages/';
/** `erase`: every version of an object removed for good (the deletion job), which needs listing versions too. */
export type UploadAction = 'read' | 'write' | 'delete' | 'erase';

/**
 * Memory and time. API handlers answer within API Gateway's 30 s integration limit; task handlers
 * stay below their state's TimeoutSeconds in the ASL so Step Functions sees the Lambda's own
 * error. Lambda gives CPU in proportion to memory: the functions that hold whole files get more.
 */
export interface Limits {
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * Reserved concurrency: at most this many invocations at once; Lambda throttles the next one
   * (TooManyRequestsException, which every Task state retries with jittered backoff) and the local
   * cloud does the same. For functions whose concurrent invocations contend on the same items, and
   * so that a burst of executions cannot take the account's whole pool from the API. Reserving
   * needs an account whose concurrency quota leaves 100 unreserved (README, Deploy).
   */
  reservedConcurrency?: number;
}

/** 'public' routes need no session (a review link is checked by its own use case). */
export type Access = 'public' | RouteAccess;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  /** 'METHOD /path' with {param} placeholders: API Gateway HTTP API's route key. */
  route: `${HttpMethod} /api/${string}`;
  summary: Bilingual;
  access: Access;
  /** The input schema: the same zod schema the use case parses the body with. */
  body?: SchemaRef;
  /**
   * The body's fields are all optional: a request without a body is served as `{}` (a JSON `null`
   * stays a body, for the schema to refuse). Said here because the function does not load its
   * route schemas; test/unit/route-table.test.ts checks it against each body schema.
   */
  bodyOptional?: true;
  /** Replaces the generated body schema's properties in the OpenAPI (to reference the four forms). */
  bodyOverrides?: Record<string, JsonSchema>;
  query?: { name: string; description: string; schema: JsonSchema; required?: boolean }[];
  success: { status: number; description: Bilingual };
  /** The JSON the success answers with, where a zod schema describes it. */
  response?: SchemaRef;
  /** A campaign-wide step: 202 with the job's progress when it outlasts the request's wait. */
  accepted?: Bilingual;
  /** A repeat of a request that created something: 200 with what the first one created. */
  repeated?: Bilingual;
  /** Error statuses beyond 400/401/403 that this operation answers. */
  errors?: readonly (404 | 409 | 410 | 413 | 415 | 422 | 429 | 503)[];
  /**
   * Requests one client address may make in a window (anonymous routes that write). Counted by
   * the handler in the table, so AWS and the local cloud refuse at exactly the same numbers (429).
   */
  rateLimit?: RateLimit;
}

export interface FunctionSpec {
  /** Short name, used in resource names and in the ASL substitution map. */
  name: string;
  /** Handler file, relative to the repository root; it exports `handler`. */
  entry: string;
  grants: Grants;
  limits: Limits;
  /** Its HTTP routes; none for the tasks of the state machines. */
  routes: readonly RouteSpec[];
  /**
   * Run on a schedule as well: an EventBridge rule's schedule expression in AWS (UTC); the local
   * cloud invokes it as often, on its scaled clock.
   */
  schedule?: { expression: `cron(${string})`; everyMs: number; description: string };
}

/**
 * Anonymous objections per client address: 10 in 10 minutes. Someone objecting to several
 * nominations stays well inside it; a script posting in a loop is refused after the tenth. Ten is
 * the lowest limit an AWS WAF rate-based rule takes, and the global stack's CloudFront web ACL
 * refuses at these same numbers (infra/stacks/firewall.ts), before the handler counts.
 */
export const OBJECTION_RATE_LIMIT: RateLimit = { requests: 10, windowSeconds: 600 };

/**
 * Requests for a fresh sign-in link per client address: 10 in 10 minutes, counted in the table like
 * the objections. Each person is also mailed at most FRESH_LINKS_PER_PERSON an hour
 * (functions/use-cases/sign-in.ts), whoever asks.
 */
export const FRESH_LINK_RATE_LIMIT: RateLimit = { requests: 10, windowSeconds: 600 };

/** A campaign-wide step's answer: its job (null when there was nothing to move) and, once done, what it gave. */
export const jobAnswerSchema =
  (outcome: () => z.ZodRawShape = () => ({}), extra: 'strip' | 'loose' = 'strip'): SchemaRef =>
  ({ campaignJobViewSchema }) => {
    const answer = z.object({ job: campaignJobViewSchema().nullable(), ...outcome() });
    return extra === 'loose' ? answer.loose() : answer;
  };

/**
 * A finished selection's answer: how many were selected and not (all of them), and its outcomes a
 * page at a time (at most 100; the next at `GET …/jobs/{jobId}?cursor=…`).
 */
const selectionAnswer = () => ({
  counts: z
    .object({ selected: z.number().int(), notSelected: z.number().int() })
    .optional()
    .describe('Every outcome of the selection, counted'),
  outcomes: z
    .array(
      z.object({
        nominationId: z.string(),
        category: z.string(),
        rank: z.number().int().nullable(),
        selected: z.boolean(),
        message: z.object({ zh: z.string(), en: z.string() }),
      }),
    )
    .optional()
    .describe('One page of the outcomes, in ranking order'),
  cursor: z.string().nullable().optional().describe('The next page of outcomes; null on the last'),
});

const JOB_RUNNING = {
  zh: '仍在处理：返回批处理进度，请随后查询 GET …/jobs/{jobId}',
  en: 'Still working: the job’s progress; follow it at GET …/jobs/{jobId}',
};

/** The query of every paged list: at most 100 a page, and the cursor the previous page gave. */
const PAGE_QUERY: NonNullable<RouteSpec['query']> = [
  {
    name: 'limit',
    description: 'Items per page, 1–100 (100 unless given)',
    schema: { type: 'integer', minimum: 1, maximum: 100 },
    required: false,
  },
  {
    name: 'cursor',
    description: 'The `cursor` of the previous page (opaque); absent for the first page',
    schema: { type: 'string' },
    required: false,
  },
];

export const formComponentName = (id: string) => `${id[0]?.toUpperCase()}${id.slice(1)}Form`;

const FORM_REFS = {
  oneOf: CATEGORY_IDS.map((id) => ({ $ref: `#/components/schemas/${formComponentName(id)}` })),
};

/**
 * The function that answers what no route serves: API Gateway's `$default` route (404) and an
 * `ANY` route on every path of the table (405 with `Allow`, for a method the path lacks).
 */
export const FALLBACK_FUNCTION = 'not-found';

export const FUNCTIONS: readonly FunctionSpec[] = [
  // validate-submission reads the nomination and the honouree lists, stores the [auto] checks. The
  // nomination machine's ValidateSubmission state is gone (AwaitScreening's task evaluates them
  // now); it stays deployed, and invocable by the machine's role (infra/state-machines.ts
  // earlierTasks), for executions started on the definition before, which AWS runs to their end
  // on it — one waiting weeks in AwaitResubmission goes back to ValidateSubmission.
  {
    name: 'validate-submission',
    entry: 'functions/handlers/tasks/validate-submission.ts',
    grants: { table: 'read-write' },
    limits: { memoryMb: 512, timeoutSeconds: 50 },
    routes: [],
  },
  // await-step stores the token, answers at once when the decision is already known, and reminds a
  // unit whose correction period is about to end. Before selection it aggregates the scores, and
  // before publicity it forwards (in a society's round a new execution in the parent round:
  // startsExecutions) — work that had a Task state each, every state a billed transition.
  {
    name: 'await-step',
    entry: 'functions/handlers/tasks/await-step.ts',
    grants: { table: 'read-write', answersTasks: true, sendsMail: true, startsExecutions: true },
    // Forwarding writes, starts an execution and mails: room for a slow relay's answer, which a
    // kill mid-send would turn into a retry waiting out the notice's claim.
    limits: { memoryMb: 256, timeoutSeconds: 60 },
    routes: [],
  },
  // pipeline-step assigns experts (mails their links), aggregates, forwards (a new execution in the
  // parent round; a Forward run again after its answer was lost submits the parent nomination again,
  // which answers the parent execution's waiting step when its outcome is known: answersTasks).
  {
    name: 'pipeline-step',
    entry: 'functions/handlers/tasks/pipeline-step.ts',
    grants: { table: 'read-write', sendsMail: true, startsExecutions: true, answersTasks: true },
    // Ten at once: every assignment updates the round's expert load, so more would mostly conflict
    // and retry (ten assign ~7 nominations a second, a whole round of 3,000 in minutes). Measured at
    // 20 (the bench at 300, ten experts, one run each): 0.74 throttled attempts a nomination for
    // 1.18, but AssignExperts' requests 5.8 → 7.6, its write units 31.8 → 41.1, the stage's refused
    // transactions 0.19 → 0.66 and its median run 1.5 → 3.9 s.
    limits: { memoryMb: 1024, timeoutSeconds: 100, reservedConcurrency: 10 },
    routes: [],
  },
  // campaign-job: applies a job's plan a chunk at a time, answering the waiting executions and
  // telling each unit whether its nomination was selected; a publicity or release job ends by
  // publishing the public lists; an erasure job erases each nomination's personal information.
  {
    name: 'campaign-job',
    entry: 'functions/handlers/tasks/campaign-job.ts',
    // erase: the deletion job removes every version of a nomination's files and of the round's packages.
    grants: {
      table: 'read-write',
      answersTasks: true,
      publishes: true,
      sendsMail: true,
      uploads: { 'nominations/': ['erase'], 'packages/': ['erase'] },
    },
    limits: { memoryMb: 1024, timeoutSeconds: 150 },
    routes: [],
  },
  // retention-schedule: each day, starts the deletion job of every round past its retention.
  {
    name: 'retention-schedule',
    entry: 'functions/handlers/tasks/retention-schedule.ts',
    grants: { table: 'read-write', startsJobs: true },
    limits: { memoryMb: 256, timeoutSeconds: 60 },
    routes: [],
    schedule: {
      // 02:00 China time (18:00 UTC), when no one works on a campaign.
      expression: 'cron(0 18 * * ? *)',
      everyMs: 86_400_000,
      description: 'Starts the deletion job of every round whose retention period is over (PIPL art. 19)',
    },
  },
  // review-clock: each day, starts the day of the review clock of every campaign with nominations
  // in review or returned (a campaign job: reminders, due dates, overdue reviews, correction reminders).
  {
    name: 'review-clock',
    entry: 'functions/handlers/tasks/review-clock.ts',
    grants: { table: 'read-write', startsJobs: true },
    limits: { memoryMb: 256, timeoutSeconds: 60 },
    routes: [],
    schedule: {
      // 08:00 China time (00:00 UTC): reminders reach the experts and units as their day begins.
      expression: 'cron(0 0 * * ? *)',
      everyMs: 86_400_000,
      description:
        'Counts one day of the review clock for every nomination in review, and reminds units whose correction window ends soon',
    },
  },
  {
    name: 'health',
    entry: 'functions/handlers/health.ts',
    grants: { probesHealth: true },
    limits: { memoryMb: 256, timeoutSeconds: 10 },
    routes: [
      {
        route: 'GET /api/health',
        summary: { zh: '各组件状态', en: 'State of every component' },
        access: 'public',
        success: { status: 200, description: { zh: '全部正常', en: 'All components up' } },
        errors: [503],
      },
    ],
  },
  {
    name: 'openapi',
    entry: 'functions/handlers/openapi.ts',
    grants: {},
    limits: { memoryMb: 256, timeoutSeconds: 10 },
    routes: [
      {
        route: 'GET /api/openapi.json',
        summary: { zh: '本接口说明（OpenAPI 3.1）', en: 'This API description (OpenAPI 3.1)' },
        access: 'public',
        success: { status: 200, description: { zh: 'OpenAPI 文档', en: 'The OpenAPI document' } },
      },
    ],
  },
  {
    name: 'sessions',
    entry: 'functions/handlers/sessions.ts',
    grants: { table: 'read-write' },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'POST /api/sessions',
        summary: { zh: '用登录链接登录', en: 'Sign in with a sign-in link' },
        access: 'public',
        body: routeSchema('signInRequestSchema'),
        success: {
          status: 201,
          description: { zh: '已登录，会话 Cookie 已设置', en: 'Signed in; the session cookie is set' },
        },
        errors: [415],
      },
      {
        route: 'GET /api/session',
        summary: { zh: '当前登录者', en: 'Who is signed in' },
        access: { roles: ['secretariat', 'unit', 'expert', 'ops'], scope: 'signed-in' },
        success: { status: 200, description: { zh: '当前登录者', en: 'The signed-in person' } },
      },
      {
        route: 'DELETE /api/session',
        summary: { zh: '退出登录', en: 'Sign out' },
        access: { roles: ['secretariat', 'unit', 'expert', 'ops'], scope: 'signed-in' },
        success: { status: 204, description: { zh: '已退出', en: 'Signed out' } },
      },
    ],
  },
  // nominations: drafts, submit (starts the execution), resubmit/withdraw (answers the waiting step), downloads.
  {
    name: 'nominations',
    entry: 'functions/handlers/nominations.ts',
    grants: {
      table: 'read-write',
      uploads: { 'nominations/': ['read'] },
      startsExecutions: true,
      answersTasks: true,
    },
    limits: { memoryMb: 1024, timeoutSeconds: 29 },
    routes: [
      {
        route: 'POST /api/nominations',
        summary: { zh: '新建推荐（草稿）', en: 'Create a nomination (draft)' },
        access: { roles: ['unit'], scope: 'signed-in' },
        body: routeSchema('createDraftSchema'),
        success: { status: 201, description: { zh: '草稿已创建', en: 'Draft created' } },
      },
      {
        route: 'GET /api/nominations',
        summary: {
          zh: '本单位的推荐及各类别名额使用情况',
          en: "The unit's nominations and quota use per category",
        },
        access: { roles: ['unit'], scope: 'signed-in' },
        query: PAGE_QUERY,
        success: {
          status: 200,
          description: {
            zh: '一页推荐（列表行，不含表单与附件）及下一页标记，各类别名额与草稿数',
            en: 'One page of nominations (list rows, without forms or files) and the next cursor; quotas and drafts per category',
          },
        },
      },
      {
        route: 'GET /api/nominations/{id}',
        summary: { zh: '一份推荐及其即时检查结果', en: 'One nomination with its live check' },
        access: { roles: ['unit', 'secretariat'], scope: 'nomination' },
        success: {
          status: 200,
          description: {
            zh: '推荐、表单问题、资格条件、附件及下载链接；秘书处另见往届入选比对',
            en: 'Nomination, form issues, eligibility, attachments with download links; for the secretariat the past-honouree check',
          },
        },
        response: routeSchema('nominationDetailSchema'),
        errors: [404],
      },
      {
        route: 'GET /api/nominations/{id}/audit',
        summary: {
          zh: '推荐的操作记录（谁、何时、何事、理由）',
          en: "The nomination's audit trail (who, when, what, why)",
        },
        access: { roles: ['unit', 'secretariat'], scope: 'nomination' },
        success: { status: 200, description: { zh: '操作记录', en: 'Audit events' } },
        errors: [404],
      },
      {
        route: 'GET /api/nominations/{id}/reads',
        summary: {
          zh: '个人信息查阅记录（谁、何时、查阅了什么）',
          en: "Who read the nomination's personal information, when, and what",
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        success: { status: 200, description: { zh: '查阅记录', en: 'Access records' } },
        response: routeSchema('accessRecordsSchema'),
        errors: [404],
      },
      {
        route: 'PUT /api/nominations/{id}/form',
        summary: {
          zh: '保存推荐表（草稿可不完整），返回即时检查',
          en: 'Save the form (a draft may be incomplete); answers with the live check',
        },
        access: { roles: ['unit'], scope: 'nomination' },
        body: routeSchema('saveFormSchema'),
        bodyOverrides: { form: FORM_REFS },
        success: { status: 200, description: { zh: '已保存', en: 'Saved' } },
        errors: [404, 409],
      },
      {
        route: 'POST /api/nominations/{id}/submit',
        summary: {
          zh: '提交或退回后重新提交（名额、截止时间、完整性一并检查）；须确认已按活动当前版本的个人信息告知书告知被推荐人并取得同意（`consent`），并确认该类别的提交承诺（`declarations`：材料客观、准确、完整；组织和服务点无任何不良记录），缺少或版本已过时则 422，并指明缺少的承诺',
          en: "Submit, or resubmit after a return (quota, deadline, completeness decided together); confirms that the nominee was informed under the campaign's current privacy notice and consented (`consent`) and makes the category's declarations (`declarations`: materials objective, accurate and complete; no bad record for organizations and sites); missing or an earlier version: 422 naming the declaration",
        },
        access: { roles: ['unit'], scope: 'nomination' },
        body: routeSchema('submitSchema'),
        success: { status: 200, description: { zh: '已提交', en: 'Submitted' } },
        errors: [404, 409, 422],
      },
      {
        route: 'POST /api/nominations/{id}/withdraw',
        summary: { zh: '初核前撤回', en: 'Withdraw before screening' },
        access: { roles: ['unit'], scope: 'nomination' },
        body: routeSchema('versionOnlySchema'),
        success: { status: 200, description: { zh: '已撤回', en: 'Withdrawn' } },
        errors: [404, 409],
      },
    ],
  },
  // uploads: presigned POST (signed with this role, so it needs write), removal.
  {
    name: 'uploads',
    entry: 'functions/handlers/uploads.ts',
    grants: { table: 'read-write', uploads: { 'nominations/': ['write', 'delete'] } },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'POST /api/nominations/{id}/uploads',
        summary: { zh: '获取一个附件的预签名上传（POST）', en: 'A presigned POST for one attachment' },
        access: { roles: ['unit'], scope: 'nomination' },
        body: routeSchema('uploadRequestSchema'),
        success: { status: 201, description: { zh: '上传地址与表单字段', en: 'Upload URL and form fields' } },
        errors: [404, 409, 422],
      },
      {
        route: 'DELETE /api/nominations/{id}/attachments/{attachmentId}',
        summary: { zh: '删除一个附件', en: 'Remove an attachment' },
        access: { roles: ['unit'], scope: 'nomination' },
        query: [
          {
            name: 'version',
            description: 'The nomination version read',
            schema: { type: 'integer', minimum: 1 },
          },
        ],
        success: { status: 200, description: { zh: '已删除', en: 'Removed' } },
        errors: [404, 409],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/forwarded/{nominationId}/stamped-scan/uploads',
        summary: {
          zh: '学会作为推荐单位：获取学会盖章扫描件（PDF）的预签名上传（须先填写推荐意见）',
          en: 'The society as recommending unit: a presigned POST for its stamped scan (PDF; the opinion comes first)',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('societyScanRequestSchema'),
        success: { status: 201, description: { zh: '上传地址与表单字段', en: 'Upload URL and form fields' } },
        errors: [404, 409],
      },
    ],
  },
  // attachments: reads the uploaded file back to inspect it, deletes a refused one.
  {
    name: 'attachments',
    entry: 'functions/handlers/attachments.ts',
    grants: { table: 'read-write', uploads: { 'nominations/': ['read', 'delete'] } },
    limits: { memoryMb: 1536, timeoutSeconds: 29 },
    routes: [
      {
        route: 'POST /api/nominations/{id}/attachments',
        summary: {
          zh: '登记已上传的附件（服务器检查文件内容）；请求带 `Prefer: return=minimal` 时答复该附件的登记与推荐的新版本号（本页面如此请求），否则答复整条推荐（与以前相同）',
          en: "Record an uploaded attachment (the server inspects its content); with `Prefer: return=minimal` (as the web page asks) answers the file's record and the nomination's new version, otherwise the whole nomination as before (`{nomination}`, read after the write)",
        },
        // The write's own condition checks the unit's draft: nothing is read before it.
        access: { roles: ['unit'], scope: 'nomination-by-condition' },
        body: routeSchema('recordAttachmentSchema'),
        response: routeSchema('attachmentRecordedSchema'),
        success: {
          status: 200,
          description: {
            zh: '已登记（同一文件再次登记，答复相同，不重复登记）',
            en: 'Recorded (the same file recorded again gets the same answer and is not recorded twice)',
          },
        },
        errors: [404, 409, 422],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/forwarded/{nominationId}/endorsement',
        summary: {
          zh: '学会为报送中国科协的推荐记录的推荐意见与盖章扫描件（扫描件下载链接 15 分钟内有效）',
          en: "The society's opinion and stamped scan on a nomination it forwarded (the scan's link lasts 15 minutes)",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '推荐意见与扫描件', en: 'The opinion and the scan' } },
        errors: [404, 409],
      },
      {
        route: 'PUT /api/campaigns/{campaignId}/forwarded/{nominationId}/stamped-scan',
        summary: {
          zh: '登记学会盖章扫描件（服务器检查文件内容）：中国科协收到的推荐带有学会盖章的推荐表；重新上传即替换，中国科协初核后不能再替换（409）',
          en: "Record the society's stamped scan (the server inspects it): the nomination CAST receives carries the society's stamped form; a later one replaces it until CAST has screened the nomination (then 409)",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('societyScanRecordSchema'),
        success: {
          status: 200,
          description: { zh: '已登记；推荐意见与扫描件', en: 'Recorded; the opinion and the scan' },
        },
        errors: [404, 409, 422],
      },
    ],
  },
  {
    name: 'invitations',
    entry: 'functions/handlers/invitations.ts',
    grants: { table: 'read-write', sendsMail: true },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'POST /api/invitations',
        summary: {
          zh: '邀请推荐单位或评审专家（登录链接通过邮件发送）',
          en: 'Invite a unit or an expert (the link is e-mailed)',
        },
        access: { roles: ['secretariat', 'ops'], scope: 'signed-in' },
        body: routeSchema('invitationRequestSchema'),
        success: { status: 201, description: { zh: '邀请已发送', en: 'Invitation sent' } },
      },
      {
        route: 'POST /api/invitations/revocations',
        summary: {
          zh: '撤销以某邮箱邀请的人的登录权限（其全部登录链接失效，已登录的随即退出）',
          en: 'Revoke the access of whoever was invited at an address (every link of theirs dies, their sessions end)',
        },
        access: { roles: ['secretariat', 'ops'], scope: 'signed-in' },
        body: routeSchema('revocationRequestSchema'),
        success: {
          status: 200,
          description: {
            zh: '已撤销：涉及的人（身份与姓名）、本次撤销的链接数与结束的登录数',
            en: 'Revoked: whom (role and name), and how many links and sessions this request ended',
          },
        },
        errors: [404],
      },
      {
        route: 'POST /api/invitations/fresh-link',
        summary: {
          zh: '已用过的登录链接：把新的登录链接发送到受邀邮箱',
          en: 'A used sign-in link: mail a fresh link to the invited address',
        },
        access: 'public',
        body: routeSchema('signInRequestSchema'),
        success: {
          status: 202,
          description: {
            zh: '同一答复，无论链接或邮箱是否存在；只有已用过且仍有效的链接才会发出新链接',
            en: 'The same answer whether or not the link or address exists; only a used, still valid link gets a fresh one mailed',
          },
        },
        errors: [415, 429],
        rateLimit: FRESH_LINK_RATE_LIMIT,
      },
    ],
  },
  // campaigns: the rounds themselves — listed for the site, created and corrected at runtime.
  {
    name: 'campaigns',
    entry: 'functions/handlers/campaigns.ts',
    grants: { table: 'read-write', sendsMail: true },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'GET /api/campaigns',
        summary: {
          zh: '全部活动（各活动当前版本的定义）',
          en: 'Every round (the current version of each definition)',
        },
        access: 'public',
        success: { status: 200, description: { zh: '活动列表', en: 'The rounds' } },
        response: routeSchema('roundListSchema'),
      },
      {
        route: 'POST /api/campaigns',
        summary: {
          zh: '新建活动（运维；或上级活动秘书处新建向其推荐的活动），并邮件邀请其秘书处',
          en: 'Create a round (operations; or the secretariat of the round it forwards to), inviting its secretariat by e-mail',
        },
        access: { roles: ['ops', 'secretariat'], scope: 'signed-in' },
        body: routeSchema('roundCreationSchema'),
        success: {
          status: 201,
          description: { zh: '活动已新建，秘书处已受邀', en: 'Round created, secretariat invited' },
        },
        response: routeSchema('roundCreatedSchema'),
        errors: [409],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/versions',
        summary: {
          zh: '活动的各版本（谁、何时、为何更改）',
          en: "A round's versions (who changed what, when and why)",
        },
        access: { roles: ['ops', 'secretariat'], scope: 'signed-in' },
        success: { status: 200, description: { zh: '各版本', en: 'The versions' } },
        response: routeSchema('roundVersionsSchema'),
        errors: [404],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/versions',
        summary: {
          zh: '更正进行中的活动（新版本；已有提交时：截止时间只能推迟，名额不能低于已推荐数，推荐表不能更改）',
          en: 'Correct a running round (a new version; once submitted: a later deadline only, no quota below use, no form change)',
        },
        access: { roles: ['ops', 'secretariat'], scope: 'signed-in' },
        body: routeSchema('roundCorrectionSchema'),
        success: { status: 201, description: { zh: '新版本已保存', en: 'New version saved' } },
        response: routeSchema('roundCorrectedSchema'),
        errors: [404, 409],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/children',
        summary: {
          zh: '向本活动推荐的下级活动：截止时间、已报送数',
          en: 'The rounds forwarding into this one: deadlines, nominations forwarded',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '下级活动', en: 'The rounds forwarding here' } },
        response: routeSchema('childRoundsSchema'),
      },
    ],
  },
  // secretariat: lists, overview, experts, honourees, extensions.
  {
    name: 'secretariat',
    entry: 'functions/handlers/secretariat.ts',
    grants: { table: 'read-write' },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'GET /api/campaigns/{campaignId}/nominations',
        summary: {
          zh: '推荐列表（按状态、类别、单位筛选，按名称开头搜索，分页）及各状态数量',
          en: 'Nominations filtered by status, category, unit, searched by the start of the name, one page at a time, with counts',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        query: [
          { name: 'status', description: 'Nomination status', schema: { type: 'string' }, required: false },
          { name: 'category', description: 'Category', schema: { type: 'string' }, required: false },
          {
            name: 'unit',
            description: "The recommending unit's id (as GET …/units lists them): only its nominations",
            schema: { type: 'string', maxLength: 64 },
            required: false,
          },
          {
            name: 'q',
            description:
              "Search by name: nominations whose nominee's name (person, organization, project or site) STARTS with it, compared with full- and half-width forms, case, spaces, traditional and simplified characters and middle-dot variants folded alike; answered from the name index of each category (by name order), with status, category and unit as further filters",
            schema: { type: 'string', maxLength: 50 },
            required: false,
          },
          ...PAGE_QUERY,
        ],
        success: {
          status: 200,
          description: {
            zh: '一页推荐（不含表单内容）、下一页标记与各状态数量',
            en: 'One page of nominations (without their forms), the next cursor, counts per status',
          },
        },
      },
      {
        route: 'GET /api/campaigns/{campaignId}/overview',
        summary: {
          zh: '活动概览：类别与名额使用、适用的截止时间与服务器时间；秘书处另见统计与各环节数量',
          en: 'Campaign overview: categories and quota use, the deadline that applies and the server time; for the secretariat counts, submissions per day and the funnel',
        },
        access: { roles: ['unit', 'secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '活动概览', en: 'The overview' } },
        response: routeSchema('campaignOverviewSchema'),
        errors: [404],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/experts',
        summary: {
          zh: '评审专家库：各专家评审任务与完成情况，各推荐的评审专家及因回避排除的专家',
          en: "The expert pool: each expert's reviews assigned and done; each nomination's reviewers and the experts excluded by conflict of interest",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '专家与分配情况', en: 'Experts and assignments' } },
        response: routeSchema('expertPanelSchema'),
        errors: [404],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/honourees',
        summary: { zh: '导入2019—2023年度入选名单（CSV）', en: 'Import the 2019–2023 honouree list (CSV)' },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('honoureeImportSchema'),
        success: { status: 200, description: { zh: '已导入', en: 'Imported' } },
      },
      {
        route: 'GET /api/campaigns/{campaignId}/units',
        summary: {
          zh: '本活动已邀请的推荐单位（名称与类型），供按名称选择',
          en: "The campaign's invited units (name and type), to choose one by name",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '推荐单位', en: 'Units' } },
        errors: [404],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/extensions',
        summary: {
          zh: '为一个推荐单位延长截止时间（附理由）',
          en: "Extend one unit's deadline, with a reason",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('deadlineExtensionSchema'),
        success: { status: 201, description: { zh: '已延期', en: 'Extended' } },
        errors: [422],
      },
      {
        route: 'PUT /api/campaigns/{campaignId}/forwarded/{nominationId}/opinion',
        summary: {
          zh: '学会作为推荐单位，为报送中国科协的推荐填写推荐意见（印在推荐表盖章处）；中国科协初核后不能再修改（409）',
          en: "The society's opinion as recommending unit on a nomination it forwarded (printed above its stamp); fixed once CAST has screened the nomination (then 409)",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('endorsementSchema'),
        success: {
          status: 200,
          description: { zh: '已记录；上级活动中的推荐', en: 'Recorded; the nomination in the parent round' },
        },
        errors: [404, 409],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/close-submissions',
        summary: {
          zh: '提前截止报送（附理由）：此后不能新建或提交推荐，可以开始择优',
          en: 'Close submissions early, with a reason: no more drafts or submissions; selection may start',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('closeSubmissionsSchema'),
        success: { status: 200, description: { zh: '已提前截止', en: 'Closed' } },
        errors: [409],
      },
    ],
  },
  // reviews: the expert's page (attachment downloads), the declaration before the materials, a
  // decline (the next expert is assigned and mailed), and the confirmed review (answers AwaitReviews);
  // the secretariat's changes to a nomination's reviewers (each mails the experts concerned).
  {
    name: 'reviews',
    entry: 'functions/handlers/reviews.ts',
    grants: {
      table: 'read-write',
      uploads: { 'nominations/': ['read'] },
      answersTasks: true,
      sendsMail: true,
    },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'GET /api/review',
        summary: {
          zh: '评审链接所示内容（需 x-laurel-review-link 头；不做任何更改）',
          en: 'What a review link shows (header x-laurel-review-link; changes nothing)',
        },
        access: 'public',
        success: {
          status: 200,
          description: {
            zh: '推荐材料与下载链接、评审指标与权重、推荐选项',
            en: 'Materials with download links, rubric and weights, recommendation values',
          },
        },
        response: routeSchema('reviewViewSchema'),
        errors: [409, 410],
      },
      {
        route: 'POST /api/review',
        summary: {
          zh: '提交确认后的评审（每个链接仅一次）',
          en: 'Submit the confirmed review (once per link)',
        },
        access: 'public',
        body: routeSchema('reviewSubmissionSchema'),
        success: {
          status: 201,
          description: {
            zh: '评审已记录；同一评审再次提交（未收到答复时）得到同样的答复，不同的评审为 409',
            en: 'Review recorded; the same review sent again (an answer lost) gets the same answer, a different one 409',
          },
        },
        errors: [409, 410],
      },
      {
        route: 'POST /api/review/declaration',
        summary: {
          zh: '声明是否存在应回避的情形（先于查看材料；声明回避即改派其他专家）',
          en: 'Declare a conflict of interest or none (before the materials; a conflict recuses and reassigns)',
        },
        access: 'public',
        body: routeSchema('declarationSchema'),
        success: {
          status: 201,
          description: {
            zh: '声明已记录；声明无回避时附上随后显示的评审页面（含材料与下载链接）',
            en: 'Declaration recorded; after one of no conflict, with the review page shown next (materials and download links)',
          },
        },
        response: routeSchema('declarationAnswerSchema'),
        errors: [409, 410],
      },
      {
        route: 'POST /api/review/decline',
        summary: {
          zh: '谢绝评审（附原因；改派下一位符合条件的专家）',
          en: 'Decline to review, with a reason (the next eligible expert is assigned)',
        },
        access: 'public',
        body: routeSchema('declineSchema'),
        success: { status: 201, description: { zh: '已谢绝', en: 'Declined' } },
        errors: [409, 410],
      },
      {
        route: 'POST /api/nominations/{id}/reviewers/swap',
        summary: {
          zh: '更换一位评审专家（附理由；换上的专家须无回避情形、未满额）',
          en: 'Swap one reviewer for another expert, with a reason (no conflict, within cap)',
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        body: routeSchema('swapReviewerSchema'),
        success: { status: 201, description: { zh: '已更换', en: 'Swapped' } },
        errors: [404, 409, 422],
      },
      {
        route: 'POST /api/nominations/{id}/reviewers/conflict-dismissals',
        summary: {
          zh: '排除系统判定的回避误判（附理由；此后该专家可评审此推荐）',
          en: 'Dismiss a false-positive automatic conflict, with a reason (the expert may then review it)',
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        body: routeSchema('dismissConflictSchema'),
        success: { status: 201, description: { zh: '已排除', en: 'Dismissed' } },
        errors: [404, 409, 422],
      },
      {
        route: 'POST /api/nominations/{id}/reviewers/extensions',
        summary: {
          zh: '延长一位专家的评审期限（附理由）',
          en: "Extend one expert's review due date, with a reason",
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        body: routeSchema('extendReviewSchema'),
        success: { status: 201, description: { zh: '已延长', en: 'Extended' } },
        errors: [404, 409],
      },
    ],
  },
  // campaign-steps: selection, publicity, release plan the moves and start their job; an upheld
  // objection withdraws its nomination, answers its execution and publishes the notice again.
  // The notice and the final list are static files (published/ of the web bucket), not routes.
  {
    name: 'campaign-steps',
    entry: 'functions/handlers/campaign-steps.ts',
    // sendsMail: an upheld objection is mailed to the unit whose nomination it withdraws.
    grants: { table: 'read-write', startsJobs: true, answersTasks: true, publishes: true, sendsMail: true },
    limits: { memoryMb: 1024, timeoutSeconds: 29 },
    routes: [
      {
        route: 'GET /api/campaigns/{campaignId}/ranking',
        summary: {
          zh: '各类别排名与拟入选结果（预览）',
          en: 'Ranking per category and the selection it gives (preview)',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        query: [
          { name: 'category', description: 'Category', schema: { type: 'string' }, required: false },
          {
            name: 'q',
            description:
              "Search by name: the ranked nominations whose nominee's name STARTS with it (folded as the nominations list folds names); the ranks stay those of the whole category",
            schema: { type: 'string', maxLength: 50 },
            required: false,
          },
          {
            name: 'unit',
            description:
              "The recommending unit's id (as GET …/units lists them): only its ranked nominations",
            schema: { type: 'string', maxLength: 64 },
            required: false,
          },
          ...PAGE_QUERY,
        ],
        success: {
          status: 200,
          description: {
            zh: '一页排名（预览与已确认的结果，含名称、推荐单位与状态）及理由（取自存储的排名），下一页标记，以及该类别拟入选、未入选、已确认的数量',
            en: 'One page of the ranking (previews and confirmed verdicts, with name, unit and status) with reasons (from the stored ranking), the next cursor, and how many the category would select, leave out, or has confirmed',
          },
        },
      },
      {
        route: 'POST /api/campaigns/{campaignId}/selection',
        summary: {
          zh: '确认择优结果（不超过推荐名额）',
          en: 'Confirm the selection (within the forwarding quota)',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('categoriesSchema'),
        bodyOptional: true,
        success: {
          status: 200,
          description: { zh: '已确认，各推荐已入选或未入选', en: 'Confirmed; every nomination moved' },
        },
        response: jobAnswerSchema(selectionAnswer),
        accepted: JOB_RUNNING,
        errors: [409],
      },
      {
        route: 'PUT /api/campaigns/{campaignId}/selection-decisions/{nominationId}',
        summary: {
          zh: '择优决定：不按名次选入或不选入一份推荐，或恢复按名次（附理由）',
          en: 'Selection decision: include or leave out a nomination against the score order, or follow the ranking again (with a reason)',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('selectionDecisionSchema'),
        success: {
          status: 200,
          description: {
            zh: '已记录；该推荐在预览中的结果',
            en: "Recorded; the nomination's outcome in the preview",
          },
        },
        errors: [404, 409],
      },
      {
        route: 'PUT /api/campaigns/{campaignId}/selection-limits/{category}',
        summary: {
          zh: '某类别少于名额报送（附理由；null 为按名额报送）',
          en: 'Forward fewer than the quota in a category, with a reason (null: the full quota)',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('forwardLimitSchema'),
        success: {
          status: 200,
          description: { zh: '已记录；该类别的预览结果', en: "Recorded; the category's preview" },
        },
        errors: [404, 409, 422],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/publicity',
        summary: { zh: '开始公示', en: 'Open publicity' },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '公示已开始', en: 'Publicity opened' } },
        response: jobAnswerSchema(() => ({
          state: z.object({ publicity: z.object({ openedAt: z.string(), closesAt: z.string() }) }).optional(),
        })),
        accepted: JOB_RUNNING,
        errors: [409],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/jobs/{jobId}',
        summary: {
          zh: '批处理（择优确认、公示、发布）的进度与结果',
          en: 'A campaign-wide job (selection, publicity, release): progress and outcome',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        query: PAGE_QUERY,
        success: {
          status: 200,
          description: {
            zh: '进度；完成后含结果（择优确认：各结果的数量，及一页结果与下一页标记）',
            en: "Progress; the outcome once done (a selection: its counts, one page of its outcomes and the next page's cursor)",
          },
        },
        response: jobAnswerSchema(selectionAnswer, 'loose'),
        errors: [404],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/objections',
        summary: { zh: '异议列表', en: 'Objections' },
        access: { roles: ['secretariat'], scope: 'campaign' },
        query: PAGE_QUERY,
        success: {
          status: 200,
          description: {
            zh: '一页异议及处理情况（每页最多 100 条）与下一页标记',
            en: "One page of objections and their resolutions (at most 100) and the next page's cursor",
          },
        },
      },
      {
        route: 'POST /api/campaigns/{campaignId}/objections/{objectionId}/resolution',
        summary: {
          zh: '处理异议：成立（撤销）或不成立',
          en: 'Resolve an objection: uphold (withdraw) or dismiss',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('resolutionSchema'),
        success: {
          status: 200,
          description: {
            zh: '已处理；同一结论再次提交（如应答丢失后重发）时答复首次的处理结果',
            en: 'Resolved; the same decision sent again (say, after a lost answer) gets the first resolution',
          },
        },
        errors: [404, 409],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/release',
        summary: {
          zh: '公示期满且异议处理完毕后正式发布',
          en: 'Release after publicity, all objections resolved',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '已发布', en: 'Released' } },
        response: jobAnswerSchema(() => ({ released: z.number().int(), categories: z.number().int() })),
        accepted: JOB_RUNNING,
        errors: [409],
      },
      {
        route: 'POST /api/campaigns/{campaignId}/erasure',
        summary: {
          zh: '保存期满后删除本轮个人信息（仅保留公布的名单和匿名评分）',
          en: "Delete the round's personal information once its retention is over (the published list and anonymised scores stay)",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: {
          status: 200,
          description: {
            zh: '已删除：每份推荐的个人字段、文件（所有版本）、评审意见和查阅记录中的姓名；每份推荐记有删除时间和数量。每日定时任务也会自动执行',
            en: "Deleted: every nomination's personal fields, files (every version), review comments and the names in its reads; each nomination records when and how much. A daily schedule does the same on its own",
          },
        },
        response: jobAnswerSchema(),
        accepted: JOB_RUNNING,
        errors: [409],
      },
      {
        route: 'POST /api/public/{campaignId}/objections',
        summary: { zh: '对公示对象提出异议', en: 'Object to a nomination on the notice' },
        access: 'public',
        body: routeSchema('objectionSchema'),
        success: { status: 201, description: { zh: '异议已收到', en: 'Objection received' } },
        errors: [404, 409, 429],
        rateLimit: OBJECTION_RATE_LIMIT,
      },
    ],
  },
  // ops: executions by status, their history, and a restart under a new name.
  {
    name: 'ops',
    entry: 'functions/handlers/ops.ts',
    grants: { table: 'read-write', readsExecutions: true, startsExecutions: true },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'GET /api/ops/executions',
        summary: {
          zh: '流程执行列表（按状态），及各自等待的环节',
          en: 'Executions by status, with the step each waits in',
        },
        access: { roles: ['ops', 'secretariat'], scope: 'signed-in' },
        query: [
          {
            name: 'status',
            description: 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED',
            schema: { type: 'string' },
            required: false,
          },
          { name: 'nextToken', description: 'Next page', schema: { type: 'string' }, required: false },
        ],
        success: { status: 200, description: { zh: '执行列表', en: 'Executions' } },
      },
      {
        route: 'GET /api/ops/executions/{name}/history',
        summary: {
          zh: '一个流程执行的历史（分页，每页至多 500 个事件）',
          en: "One execution's history (paged, at most 500 events a page)",
        },
        access: { roles: ['ops', 'secretariat'], scope: 'execution' },
        query: [
          {
            name: 'nextToken',
            description: 'Next page (the nextToken of the page before)',
            schema: { type: 'string' },
            required: false,
          },
        ],
        success: {
          status: 200,
          description: {
            zh: '事件列表及下一页标记',
            en: 'Events, and the cursor of the next page (null at the end)',
          },
        },
        errors: [404],
      },
      {
        route: 'POST /api/ops/executions/{name}/restart',
        summary: {
          zh: '重启失败的流程（从推荐当前所处环节继续）',
          en: 'Restart a failed execution (it moves on to where the nomination stands)',
        },
        access: { roles: ['ops', 'secretariat'], scope: 'execution' },
        success: { status: 201, description: { zh: '已重启', en: 'Restarted' } },
        repeated: {
          zh: '此前已重启：返回那次重启的流程，不再重启',
          en: 'Restarted before: that restart, not another one',
        },
        errors: [404, 409],
      },
    ],
  },
  // screening: pass, return or reject; a return or a rejection is mailed to the unit with its reasons.
  {
    name: 'screening',
    entry: 'functions/handlers/screening.ts',
    grants: { table: 'read-write', answersTasks: true, sendsMail: true },
    limits: { memoryMb: 512, timeoutSeconds: 15 },
    routes: [
      {
        route: 'POST /api/nominations/{id}/screening',
        summary: {
          zh: '初核：通过、退回修改（附理由）或不予通过（附理由）；与往届入选者完全一致的推荐须附放行理由才能通过',
          en: 'Screening: pass, return with reasons, or reject with reasons; an exact past-honouree match passes only with a reason',
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        body: routeSchema('screeningDecisionSchema'),
        success: {
          status: 200,
          description: { zh: '已记录并通知流程', en: 'Recorded; the workflow is answered' },
        },
        errors: [404, 409, 422],
      },
    ],
  },
  // form-docx: renders the nomination's form from the table.
  {
    name: 'form-docx',
    entry: 'functions/handlers/form-docx.ts',
    grants: { table: 'read-write' },
    limits: { memoryMb: 1024, timeoutSeconds: 29 },
    routes: [
      {
        route: 'GET /api/nominations/{id}/form.docx',
        summary: {
          zh: '下载推荐表 Word 版（官方表格样式，宋体）',
          en: 'Download the form as Word (official table layout, SimSun)',
        },
        access: { roles: ['unit', 'secretariat'], scope: 'nomination' },
        success: { status: 200, description: { zh: 'Word 文件', en: 'The Word file' } },
        errors: [404],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/forwarded/{nominationId}/form.docx',
        summary: {
          zh: '学会下载报送中国科协的推荐表 Word 版：学会为推荐单位，印有学会的推荐意见，供盖章扫描',
          en: "The society's Word form for CAST: the society as recommending unit, its opinion printed, to stamp and scan",
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: 'Word 文件', en: 'The Word file' } },
        errors: [404, 409],
      },
    ],
  },
  // forwarding-package: starts the package job and reads its progress (once done, presigns the
  // download); exports one person's data.
  {
    name: 'forwarding-package',
    entry: 'functions/handlers/forwarding-package.ts',
    // The package's job is started here; one person's data export is still built in the request
    // (one nomination's files): it reads nominations/ and writes packages/.
    grants: {
      table: 'read-write',
      uploads: { 'nominations/': ['read'], 'packages/': ['read', 'write'] },
      startsPackageJobs: true,
    },
    limits: { memoryMb: 1536, timeoutSeconds: 29 },
    routes: [
      {
        route: 'POST /api/campaigns/{campaignId}/package',
        summary: {
          zh: '生成推荐材料包（ZIP：推荐表、盖章扫描件、照片、汇总表），全部或某一类别',
          en: 'Build the forwarding package (ZIP: forms, scans, photos, summary), whole or of one category',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        body: routeSchema('packageRequestSchema'),
        bodyOptional: true,
        success: {
          status: 202,
          description: {
            zh: '已开始生成（或正在生成）：返回进度，请随后查询 GET …/package/{jobId}',
            en: 'Started (or already under way): its progress; follow it at GET …/package/{jobId}',
          },
        },
        response: routeSchema('packageAnswerSchema'),
        errors: [415],
      },
      {
        route: 'GET /api/campaigns/{campaignId}/package/{jobId}',
        summary: {
          zh: '材料包的生成进度；完成后 24 小时内可下载',
          en: 'The package job’s progress; once done, its download for 24 hours',
        },
        access: { roles: ['secretariat'], scope: 'campaign' },
        success: { status: 200, description: { zh: '进度与下载链接', en: 'Progress and download link' } },
        response: routeSchema('packageAnswerSchema'),
        errors: [404],
      },
      {
        route: 'POST /api/nominations/{id}/personal-data',
        summary: {
          zh: '导出一名被推荐人的个人信息副本（ZIP：JSON 与附件；专家、异议人等他人只以角色出现）',
          en: "Export one person's data (ZIP: JSON and files; experts, objectors and staff appear by role only)",
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        success: {
          status: 201,
          description: { zh: '下载链接（15 分钟内有效）', en: 'Download link (valid for 15 minutes)' },
        },
        errors: [404],
      },
    ],
  },
  // personal-requests: a person's requests to the secretariat (PIPL arts. 46–47): correct their
  // personal fields, or delete their data — the nominee leaves the campaign: the slot freed, the
  // execution stopped, every file version erased, the public lists published again.
  {
    name: 'personal-requests',
    entry: 'functions/handlers/personal-requests.ts',
    grants: {
      table: 'read-write',
      uploads: { 'nominations/': ['erase'], 'packages/': ['erase'] },
      stopsExecutions: true,
      publishes: true,
    },
    limits: { memoryMb: 512, timeoutSeconds: 29 },
    routes: [
      {
        route: 'GET /api/nominations/{id}/deletion',
        summary: {
          zh: '删除被推荐人个人信息的后果（退出活动、名额、流程、评审、公示名单），或不能删除的原因；可更正的个人信息字段',
          en: "What deleting the nominee's data would do (leaving the campaign, the place, the workflow, reviews, public lists), or why it may not be done here; the fields a correction may change",
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        success: { status: 200, description: { zh: '删除的后果', en: 'The consequence' } },
        response: routeSchema('deletionViewSchema'),
        errors: [404],
      },
      {
        route: 'PUT /api/nominations/{id}/personal-fields',
        summary: {
          zh: '应本人请求更正个人信息（被推荐人，或组织、项目、服务点的负责人）：按推荐表的同一校验，记录更正了哪些字段（不记录内容）；Word 版随之更新',
          en: "Correct a person's fields at their request (the nominee, or the leader of an organisation, project or site): checked as the form is, the corrected fields recorded by name (never their values); the Word form follows",
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        body: routeSchema('personalCorrectionSchema'),
        success: {
          status: 200,
          description: { zh: '已更正（重复请求答复相同）', en: 'Corrected (a repeat answers the same)' },
        },
        response: routeSchema('correctionAnswerSchema'),
        errors: [404, 409, 410],
      },
      {
        route: 'POST /api/nominations/{id}/deletion',
        summary: {
          zh: '应本人请求删除被推荐人的个人信息（须写明理由）：退出本次活动（撤回、名额空出、流程终止、评审意见移出排名、评审链接失效），表中个人信息与全部附件的所有版本永久删除，公示或发布名单重新发布；已报送上级活动的，须先由上级删除其副本',
          en: "Delete the nominee's data at their request (with a written reason): the nominee leaves the campaign (withdrawn, the place freed, the workflow stopped, reviews out of the ranking, review links dead), the personal fields and every version of every file erased, the public lists published again; once forwarded, the parent round deletes its copy first",
        },
        access: { roles: ['secretariat'], scope: 'nomination' },
        body: routeSchema('deletionRequestSchema'),
        success: {
          status: 200,
          description: { zh: '已删除（重复请求答复相同）', en: 'Deleted (a repeat answers the same)' },
        },
        response: routeSchema('deletionAnswerSchema'),
        errors: [404, 409],
      },
    ],
  },
  // package-job: the forwarding package's job task — streams the ZIP into the bucket by multipart
  // upload, one nomination at a time (memory bounded whatever the size: 512 MB is plenty).
  {
    name: 'package-job',
    entry: 'functions/handlers/tasks/package-job.ts',
    grants: { table: 'read-write', uploads: { 'nominations/': ['read'], 'packages/': ['write'] } },
    limits: { memoryMb: 1024, timeoutSeconds: 890 },
    routes: [],
  },
  {
    name: FALLBACK_FUNCTION,
    entry: 'functions/handlers/not-found.ts',
    grants: {},
    limits: { memoryMb: 256, timeoutSeconds: 5 },
    routes: [],
  },
];

/** The function of that name; throws for a name not in the table. */
export function functionSpec(name: string, table: readonly FunctionSpec[] = FUNCTIONS): FunctionSpec {
  const spec = table.find((f) => f.name === name);
  if (!spec) throw new Error(`no function "${name}" in the route table`);
  return spec;
}

/** Every route of the table with the function that serves it. */
export const allRoutes = (table: readonly FunctionSpec[] = FUNCTIONS) =>
  table.flatMap((fn) => fn.routes.map((route) => ({ fn, route })));
