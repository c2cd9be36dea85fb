import * as z from 'zod';
import { invitationRequestSchema, ROLE_NAMES, type Role } from '../rules/access.js';
import { deadlineExtensionSchema } from '../rules/deadline.js';
import { expertPanelSchema } from '../rules/expert-panel.js';
import { FORM_IDS, FORMS, formJsonSchema } from '../rules/forms/index.js';
import type { Bilingual } from '../rules/i18n.js';
import { nominationDetailSchema, reviewViewSchema } from '../rules/nomination-view.js';
import { campaignOverviewSchema } from '../rules/overview.js';
import { reviewSubmissionSchema } from '../rules/review.js';
import { type JsonSchema, jsonSchemaOf } from '../rules/validation.js';
import { campaignJobViewSchema, objectionSchema, resolutionSchema } from '../use-cases/campaign-steps.js';
import { createDraftSchema, saveFormSchema, versionOnlySchema } from '../use-cases/nominations.js';
import { screeningDecisionSchema } from '../use-cases/screening.js';
import { honoureeImportSchema } from '../use-cases/secretariat.js';
import { signInRequestSchema } from '../use-cases/sign-in.js';
import { recordAttachmentSchema, uploadRequestSchema } from '../use-cases/uploads.js';

/**
 * Every operation of the HTTP API, once: its route, who may call it, its body schema (the same
 * zod schema the handler parses with) and its answers. The OpenAPI 3.1 document served at
 * /api/openapi.json is generated from this table, never written by hand.
 */

interface Operation {
  route: string;
  summary: Bilingual;
  roles: readonly Role[] | 'public';
  body?: z.ZodType;
  /** Replaces the generated body schema's properties (to reference the four forms). */
  bodyOverrides?: Record<string, JsonSchema>;
  query?: { name: string; description: string; schema: JsonSchema; required?: boolean }[];
  success: { status: number; description: Bilingual };
  /** The JSON the success answers with, where it is described by a zod schema. */
  response?: z.ZodType;
  /** A campaign-wide step: 202 with the job's progress when it outlasts the request's wait. */
  accepted?: Bilingual;
  /** Error statuses beyond 400/401/403 that this operation answers. */
  errors?: readonly (404 | 409 | 413 | 415 | 422 | 503)[];
}

/** A campaign-wide step's answer: its job (null when there was nothing to move) and, once done, what it gave. */
const jobAnswerSchema = <T extends z.ZodRawShape>(outcome: T) =>
  z.object({ job: campaignJobViewSchema.nullable(), ...outcome });

const JOB_RUNNING = {
  zh: '仍在处理：返回批处理进度，请随后查询 GET …/jobs/{jobId}',
  en: 'Still working: the job’s progress; follow it at GET …/jobs/{jobId}',
};

const FORM_REFS = {
  oneOf: FORM_IDS.map((id) => ({ $ref: `#/components/schemas/${formComponentName(id)}` })),
};

export const OPERATIONS: readonly Operation[] = [
  {
    route: 'GET /api/health',
    summary: { zh: '各组件状态', en: 'State of every component' },
    roles: 'public',
    success: { status: 200, description: { zh: '全部正常', en: 'All components up' } },
    errors: [503],
  },
  {
    route: 'GET /api/openapi.json',
    summary: { zh: '本接口说明（OpenAPI 3.1）', en: 'This API description (OpenAPI 3.1)' },
    roles: 'public',
    success: { status: 200, description: { zh: 'OpenAPI 文档', en: 'The OpenAPI document' } },
  },
  {
    route: 'POST /api/sessions',
    summary: { zh: '用登录链接登录', en: 'Sign in with a sign-in link' },
    roles: 'public',
    body: signInRequestSchema,
    success: {
      status: 201,
      description: { zh: '已登录，会话 Cookie 已设置', en: 'Signed in; the session cookie is set' },
    },
    errors: [415],
  },
  {
    route: 'GET /api/session',
    summary: { zh: '当前登录者', en: 'Who is signed in' },
    roles: ['secretariat', 'unit', 'expert', 'ops'],
    success: { status: 200, description: { zh: '当前登录者', en: 'The signed-in person' } },
  },
  {
    route: 'DELETE /api/session',
    summary: { zh: '退出登录', en: 'Sign out' },
    roles: ['secretariat', 'unit', 'expert', 'ops'],
    success: { status: 204, description: { zh: '已退出', en: 'Signed out' } },
  },
  {
    route: 'POST /api/invitations',
    summary: {
      zh: '邀请推荐单位或评审专家（登录链接通过邮件发送）',
      en: 'Invite a unit or an expert (the link is e-mailed)',
    },
    roles: ['secretariat', 'ops'],
    body: invitationRequestSchema,
    success: { status: 201, description: { zh: '邀请已发送', en: 'Invitation sent' } },
  },
  {
    route: 'POST /api/nominations',
    summary: { zh: '新建推荐（草稿）', en: 'Create a nomination (draft)' },
    roles: ['unit'],
    body: createDraftSchema,
    success: { status: 201, description: { zh: '草稿已创建', en: 'Draft created' } },
  },
  {
    route: 'GET /api/nominations',
    summary: {
      zh: '本单位的推荐及各类别名额使用情况',
      en: "The unit's nominations and quota use per category",
    },
    roles: ['unit'],
    success: { status: 200, description: { zh: '推荐列表与名额', en: 'Nominations and quotas' } },
  },
  {
    route: 'GET /api/nominations/{id}',
    summary: { zh: '一份推荐及其即时检查结果', en: 'One nomination with its live check' },
    roles: ['unit', 'secretariat'],
    success: {
      status: 200,
      description: {
        zh: '推荐、表单问题、资格条件、附件及下载链接；秘书处另见往届入选比对',
        en: 'Nomination, form issues, eligibility, attachments with download links; for the secretariat the past-honouree check',
      },
    },
    response: nominationDetailSchema,
    errors: [404],
  },
  {
    route: 'GET /api/nominations/{id}/form.docx',
    summary: {
      zh: '下载推荐表 Word 版（官方表格样式，宋体）',
      en: 'Download the form as Word (official table layout, SimSun)',
    },
    roles: ['unit', 'secretariat'],
    success: { status: 200, description: { zh: 'Word 文件', en: 'The Word file' } },
    errors: [404],
  },
  {
    route: 'GET /api/nominations/{id}/audit',
    summary: {
      zh: '推荐的操作记录（谁、何时、何事、理由）',
      en: "The nomination's audit trail (who, when, what, why)",
    },
    roles: ['unit', 'secretariat'],
    success: { status: 200, description: { zh: '操作记录', en: 'Audit events' } },
    errors: [404],
  },
  {
    route: 'PUT /api/nominations/{id}/form',
    summary: {
      zh: '保存推荐表（草稿可不完整），返回即时检查',
      en: 'Save the form (a draft may be incomplete); answers with the live check',
    },
    roles: ['unit'],
    body: saveFormSchema,
    bodyOverrides: { form: FORM_REFS },
    success: { status: 200, description: { zh: '已保存', en: 'Saved' } },
    errors: [404, 409],
  },
  {
    route: 'POST /api/nominations/{id}/submit',
    summary: {
      zh: '提交或退回后重新提交（名额、截止时间、完整性一并检查）',
      en: 'Submit, or resubmit after a return (quota, deadline, completeness decided together)',
    },
    roles: ['unit'],
    body: versionOnlySchema,
    success: { status: 200, description: { zh: '已提交', en: 'Submitted' } },
    errors: [404, 409, 422],
  },
  {
    route: 'POST /api/nominations/{id}/withdraw',
    summary: { zh: '初核前撤回', en: 'Withdraw before screening' },
    roles: ['unit'],
    body: versionOnlySchema,
    success: { status: 200, description: { zh: '已撤回', en: 'Withdrawn' } },
    errors: [404, 409],
  },
  {
    route: 'POST /api/nominations/{id}/uploads',
    summary: { zh: '获取一个附件的预签名上传（POST）', en: 'A presigned POST for one attachment' },
    roles: ['unit'],
    body: uploadRequestSchema,
    success: { status: 201, description: { zh: '上传地址与表单字段', en: 'Upload URL and form fields' } },
    errors: [404, 409, 422],
  },
  {
    route: 'POST /api/nominations/{id}/attachments',
    summary: {
      zh: '登记已上传的附件（服务器检查文件内容）',
      en: 'Record an uploaded attachment (the server inspects its content)',
    },
    roles: ['unit'],
    body: recordAttachmentSchema,
    success: { status: 200, description: { zh: '已登记', en: 'Recorded' } },
    errors: [404, 409, 422],
  },
  {
    route: 'DELETE /api/nominations/{id}/attachments/{attachmentId}',
    summary: { zh: '删除一个附件', en: 'Remove an attachment' },
    roles: ['unit'],
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
    route: 'POST /api/nominations/{id}/screening',
    summary: {
      zh: '初核：通过、退回修改（附理由）或不予通过（附理由）',
      en: 'Screening: pass, return with reasons, or reject with reasons',
    },
    roles: ['secretariat'],
    body: screeningDecisionSchema,
    success: {
      status: 200,
      description: { zh: '已记录并通知流程', en: 'Recorded; the workflow is answered' },
    },
    errors: [404, 409],
  },
  {
    route: 'GET /api/review',
    summary: {
      zh: '评审链接所示内容（需 x-laurel-review-link 头；不做任何更改）',
      en: 'What a review link shows (header x-laurel-review-link; changes nothing)',
    },
    roles: 'public',
    success: {
      status: 200,
      description: {
        zh: '推荐材料与下载链接、评审指标与权重、推荐选项',
        en: 'Materials with download links, rubric and weights, recommendation values',
      },
    },
    response: reviewViewSchema,
    errors: [409],
  },
  {
    route: 'POST /api/review',
    summary: { zh: '提交确认后的评审（每个链接仅一次）', en: 'Submit the confirmed review (once per link)' },
    roles: 'public',
    body: reviewSubmissionSchema,
    success: { status: 201, description: { zh: '评审已记录', en: 'Review recorded' } },
    errors: [409],
  },
  {
    route: 'GET /api/campaigns/{campaignId}/nominations',
    summary: {
      zh: '推荐列表（按状态、类别、单位筛选）及各状态数量',
      en: 'Nominations filtered by status, category, unit, with counts',
    },
    roles: ['secretariat'],
    query: [
      { name: 'status', description: 'Nomination status', schema: { type: 'string' }, required: false },
      { name: 'category', description: 'Category', schema: { type: 'string' }, required: false },
      { name: 'unit', description: 'Unit id', schema: { type: 'string' }, required: false },
    ],
    success: { status: 200, description: { zh: '推荐与计数', en: 'Nominations and counts' } },
  },
  {
    route: 'GET /api/campaigns/{campaignId}/overview',
    summary: {
      zh: '活动概览：类别与名额使用、适用的截止时间与服务器时间；秘书处另见统计与各环节数量',
      en: 'Campaign overview: categories and quota use, the deadline that applies and the server time; for the secretariat counts, submissions per day and the funnel',
    },
    roles: ['unit', 'secretariat'],
    success: { status: 200, description: { zh: '活动概览', en: 'The overview' } },
    response: campaignOverviewSchema,
    errors: [404],
  },
  {
    route: 'GET /api/campaigns/{campaignId}/experts',
    summary: {
      zh: '评审专家库：各专家评审任务与完成情况，各推荐的评审专家及因回避排除的专家',
      en: "The expert pool: each expert's reviews assigned and done; each nomination's reviewers and the experts excluded by conflict of interest",
    },
    roles: ['secretariat'],
    success: { status: 200, description: { zh: '专家与分配情况', en: 'Experts and assignments' } },
    response: expertPanelSchema,
    errors: [404],
  },
  {
    route: 'POST /api/campaigns/{campaignId}/honourees',
    summary: { zh: '导入2019—2023年度入选名单（CSV）', en: 'Import the 2019–2023 honouree list (CSV)' },
    roles: ['secretariat'],
    body: honoureeImportSchema,
    success: { status: 200, description: { zh: '已导入', en: 'Imported' } },
  },
  {
    route: 'POST /api/campaigns/{campaignId}/extensions',
    summary: { zh: '为一个推荐单位延长截止时间（附理由）', en: "Extend one unit's deadline, with a reason" },
    roles: ['secretariat'],
    body: deadlineExtensionSchema,
    success: { status: 201, description: { zh: '已延期', en: 'Extended' } },
    errors: [422],
  },
  {
    route: 'POST /api/campaigns/{campaignId}/package',
    summary: {
      zh: '生成推荐材料包（ZIP：推荐表、盖章扫描件、照片、汇总表）',
      en: 'Build the forwarding package (ZIP: forms, scans, photos, summary)',
    },
    roles: ['secretariat'],
    success: { status: 201, description: { zh: '下载链接', en: 'Download link' } },
  },
  {
    route: 'GET /api/campaigns/{campaignId}/ranking',
    summary: {
      zh: '各类别排名与拟入选结果（预览）',
      en: 'Ranking per category and the selection it gives (preview)',
    },
    roles: ['secretariat'],
    success: { status: 200, description: { zh: '排名与理由', en: 'Ranking with reasons' } },
  },
  {
    route: 'POST /api/campaigns/{campaignId}/selection',
    summary: {
      zh: '确认择优结果（不超过推荐名额）',
      en: 'Confirm the selection (within the forwarding quota)',
    },
    roles: ['secretariat'],
    body: z.strictObject({ categories: z.array(z.string()).optional() }),
    success: {
      status: 200,
      description: { zh: '已确认，各推荐已入选或未入选', en: 'Confirmed; every nomination moved' },
    },
    response: jobAnswerSchema({
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
        .optional(),
    }),
    accepted: JOB_RUNNING,
    errors: [409],
  },
  {
    route: 'POST /api/campaigns/{campaignId}/publicity',
    summary: { zh: '开始公示', en: 'Open publicity' },
    roles: ['secretariat'],
    success: { status: 200, description: { zh: '公示已开始', en: 'Publicity opened' } },
    response: jobAnswerSchema({
      state: z.object({ publicity: z.object({ openedAt: z.string(), closesAt: z.string() }) }).optional(),
    }),
    accepted: JOB_RUNNING,
    errors: [409],
  },
  {
    route: 'GET /api/campaigns/{campaignId}/jobs/{jobId}',
    summary: {
      zh: '批处理（择优确认、公示、发布）的进度与结果',
      en: 'A campaign-wide job (selection, publicity, release): progress and outcome',
    },
    roles: ['secretariat'],
    success: {
      status: 200,
      description: { zh: '进度；完成后含结果', en: 'Progress; the outcome once done' },
    },
    response: jobAnswerSchema({}).loose(),
    errors: [404],
  },
  {
    route: 'GET /api/campaigns/{campaignId}/objections',
    summary: { zh: '异议列表', en: 'Objections' },
    roles: ['secretariat'],
    success: { status: 200, description: { zh: '异议及处理情况', en: 'Objections and resolutions' } },
  },
  {
    route: 'POST /api/campaigns/{campaignId}/objections/{objectionId}/resolution',
    summary: {
      zh: '处理异议：成立（撤销）或不成立',
      en: 'Resolve an objection: uphold (withdraw) or dismiss',
    },
    roles: ['secretariat'],
    body: resolutionSchema,
    success: { status: 200, description: { zh: '已处理', en: 'Resolved' } },
    errors: [404, 409],
  },
  {
    route: 'POST /api/campaigns/{campaignId}/release',
    summary: {
      zh: '公示期满且异议处理完毕后正式发布',
      en: 'Release after publicity, all objections resolved',
    },
    roles: ['secretariat'],
    success: { status: 200, description: { zh: '已发布', en: 'Released' } },
    response: jobAnswerSchema({ released: z.number().int(), categories: z.number().int() }),
    accepted: JOB_RUNNING,
    errors: [409],
  },
  {
    route: 'GET /api/ops/executions',
    summary: {
      zh: '流程执行列表（按状态），及各自等待的环节',
      en: 'Executions by status, with the step each waits in',
    },
    roles: ['ops', 'secretariat'],
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
    summary: { zh: '一个流程执行的历史', en: "One execution's history" },
    roles: ['ops', 'secretariat'],
    success: { status: 200, description: { zh: '事件列表', en: 'Events' } },
    errors: [404],
  },
  {
    route: 'POST /api/ops/executions/{name}/restart',
    summary: {
      zh: '重启失败的流程（从推荐当前所处环节继续）',
      en: 'Restart a failed execution (it moves on to where the nomination stands)',
    },
    roles: ['ops', 'secretariat'],
    success: { status: 201, description: { zh: '已重启', en: 'Restarted' } },
    errors: [404, 409],
  },
  {
    route: 'GET /api/public/{campaignId}/publicity',
    summary: {
      zh: '公示名单（不含联系方式和地址）',
      en: 'The public notice (no phone numbers or addresses)',
    },
    roles: 'public',
    success: { status: 200, description: { zh: '公示名单', en: 'The notice' } },
    errors: [404],
  },
  {
    route: 'POST /api/public/{campaignId}/objections',
    summary: { zh: '对公示对象提出异议', en: 'Object to a nomination on the notice' },
    roles: 'public',
    body: objectionSchema,
    success: { status: 201, description: { zh: '异议已收到', en: 'Objection received' } },
    errors: [404, 409],
  },
  {
    route: 'GET /api/public/{campaignId}/released',
    summary: { zh: '正式发布名单', en: 'The final list' },
    roles: 'public',
    success: { status: 200, description: { zh: '正式名单', en: 'The final list' } },
    errors: [404],
  },
];

function formComponentName(id: string): string {
  return `${id[0]?.toUpperCase()}${id.slice(1)}Form`;
}

const STATUS_TEXT: Record<number, Bilingual> = {
  400: { zh: '请求格式或字段错误（逐项说明）', en: 'Malformed request or invalid fields (each named)' },
  401: { zh: '未登录', en: 'Not signed in' },
  403: { zh: '无权操作', en: 'Not allowed' },
  404: { zh: '不存在', en: 'Not found' },
  409: { zh: '状态或版本冲突', en: 'Wrong status or a newer version exists' },
  413: { zh: '请求过大', en: 'Payload too large' },
  415: { zh: '请求须为 JSON', en: 'Body must be JSON' },
  422: {
    zh: '违反活动规则（名额、截止时间、附件等）',
    en: 'A campaign rule is broken (quota, deadline, attachments…)',
  },
  503: { zh: '部分组件不可用', en: 'Some component is down' },
};

const text = (b: Bilingual) => `${b.zh} · ${b.en}`;

/** A component schema without the `$schema` key zod adds at the top of a standalone JSON Schema. */
function component(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** A response as JSON Schema: what the server sends (zod's output side). */
function responseSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
}

export function openApiDocument(serverUrl = '/'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const [method = 'GET', path = '/'] = op.route.split(' ');
    const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = (op.query ?? []).map((q) => ({
      name: q.name,
      in: 'query',
      required: q.required ?? true,
      description: q.description,
      schema: q.schema,
    }));
    let bodySchema: JsonSchema | undefined = op.body ? component(jsonSchemaOf(op.body)) : undefined;
    if (bodySchema && op.bodyOverrides) {
      bodySchema = {
        ...bodySchema,
        properties: { ...(bodySchema.properties as object), ...op.bodyOverrides },
      };
    }
    const errorStatuses = [
      ...(op.body ? [400] : []),
      ...(op.roles === 'public' ? [] : [401, 403]),
      ...(op.errors ?? []),
    ];
    const operation: Record<string, unknown> = {
      operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: op.summary.en,
      description: `${op.summary.zh}\n\n${op.roles === 'public' ? 'Public.' : `Roles: ${op.roles.map((r) => `${r} (${ROLE_NAMES[r].zh})`).join(', ')}.`}`,
      tags: [path.split('/')[2] ?? 'api'],
      ...(pathParameters.length + query.length > 0 ? { parameters: [...pathParameters, ...query] } : {}),
      ...(op.roles === 'public' ? { security: [] } : {}),
      ...(bodySchema
        ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema } } } }
        : {}),
      responses: {
        [op.success.status]: {
          description: text(op.success.description),
          ...(op.response
            ? { content: { 'application/json': { schema: component(responseSchemaOf(op.response)) } } }
            : {}),
        },
        ...(op.accepted
          ? {
              202: {
                description: text(op.accepted),
                content: {
                  'application/json': {
                    schema: component(responseSchemaOf(jobAnswerSchema({}).loose())),
                  },
                },
              },
            }
          : {}),
        ...Object.fromEntries(
          [...new Set(errorStatuses)].map((status) => [
            status,
            {
              description: text(STATUS_TEXT[status] ?? { zh: '错误', en: 'Error' }),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
    };
    paths[path] = { ...(paths[path] ?? {}), [method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Laurel API',
      version: '0.1.0',
      description:
        '科技志愿服务先进典型推荐系统 · The nomination system for CAST S&T volunteer service models. Every error answers `{ error: { code, message: { zh, en }, path } }`.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'laurel_session' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'path'],
              properties: {
                code: { type: 'string', examples: ['QUOTA_EXCEEDED'] },
                message: {
                  type: 'object',
                  required: ['zh', 'en'],
                  properties: { zh: { type: 'string' }, en: { type: 'string' } },
                },
                path: { type: 'array', items: { type: ['string', 'integer'] } },
                details: { type: 'object' },
              },
            },
          },
        },
        ...Object.fromEntries(
          FORM_IDS.map((id) => [
            formComponentName(id),
            { ...component(formJsonSchema(id)), title: FORMS[id].title.zh },
          ]),
        ),
      },
    },
    security: [{ session: [] }],
    paths,
  };
}
