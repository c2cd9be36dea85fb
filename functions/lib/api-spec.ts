import * as z from 'zod';
import { allRoutes, FUNCTIONS, type FunctionSpec, formComponentName, jobAnswerSchema } from '../routes.js';
import { ROLE_NAMES } from '../rules/access.js';
import { FORM_IDS, FORMS, formJsonSchema } from '../rules/forms/index.js';
import type { Bilingual } from '../rules/i18n.js';
import { type JsonSchema, jsonSchemaOf } from '../rules/validation.js';

/**
 * The OpenAPI 3.1 document served at /api/openapi.json, generated from the route table
 * (functions/routes.ts), never written by hand. Each operation's roles are the ones the table
 * enforces; `x-laurel-access` carries them with their scope for tools and tests.
 */

const STATUS_TEXT: Record<number, Bilingual> = {
  400: { zh: '请求格式或字段错误（逐项说明）', en: 'Malformed request or invalid fields (each named)' },
  401: { zh: '未登录', en: 'Not signed in' },
  403: { zh: '无权操作', en: 'Not allowed' },
  404: { zh: '不存在', en: 'Not found' },
  409: { zh: '状态或版本冲突', en: 'Wrong status or a newer version exists' },
  410: {
    zh: '已删除（被推荐人的个人信息已按其请求删除）',
    en: "Gone (the nominee's data was deleted at their request)",
  },
  413: { zh: '请求过大', en: 'Payload too large' },
  415: { zh: '请求须为 JSON', en: 'Body must be JSON' },
  422: {
    zh: '违反活动规则（名额、截止时间、附件等）',
    en: 'A campaign rule is broken (quota, deadline, attachments…)',
  },
  429: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  503: {
    zh: 'BUSY：暂时繁忙，请按 Retry-After 所示秒数后原样重发（重发会完成首次未完成的部分）；SERVICE_UNAVAILABLE：所依赖的服务暂时没有响应，请先查看结果再决定是否重发；或部分组件不可用',
    en: 'BUSY: send the request again as it was after Retry-After seconds (the repeat finishes what the first left undone); SERVICE_UNAVAILABLE: a service did not answer for a moment — check the outcome before sending again; or a component is down',
  },
};

/** When to send a refused or busy request again (RFC 9110); absent when no time is known. */
const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: '重发前等待的秒数 · Seconds to wait before sending the request again',
    schema: { type: 'integer', minimum: 0 },
  },
};

const SCOPE_TEXT = {
  'signed-in': 'their own campaign',
  campaign: 'the campaign in the path must be their own',
  nomination: "a unit's own nomination, or one of the secretariat's campaign",
  execution: 'an execution of a nomination in their own campaign',
  'nomination-by-condition':
    "a unit's own nomination, checked by the route's write itself (its condition), the nomination read only to explain a refusal",
} as const;

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

/**
 * The document, with every route's schemas loaded (the route table names them by module: only the
 * openapi function, on its first request, builds them all).
 */
export async function openApiDocument(
  serverUrl = '/',
  table: readonly FunctionSpec[] = FUNCTIONS,
): Promise<Record<string, unknown>> {
  // Imported here, on the openapi function's first request: no other function bundles this module.
  const schemas = await import('../route-schemas.js');
  const jobProgress = jobAnswerSchema(undefined, 'loose')(schemas);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { route: op } of allRoutes(table)) {
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
    const body = op.body?.(schemas);
    const response = op.response?.(schemas);
    let bodySchema: JsonSchema | undefined = body ? component(jsonSchemaOf(body)) : undefined;
    if (bodySchema && op.bodyOverrides) {
      bodySchema = {
        ...bodySchema,
        properties: { ...(bodySchema.properties as object), ...op.bodyOverrides },
      };
    }
    const errorStatuses = [
      ...(op.body ? [400] : []),
      ...(op.access === 'public' ? [] : [401, 403]),
      ...(op.errors ?? []),
      // Any route may answer 503 with Retry-After: BUSY (StoreBusyError) or SERVICE_UNAVAILABLE (an
      // AWS service or the mail relay failing past the SDK's retries), lib/http.ts.
      503,
    ];
    const operation: Record<string, unknown> = {
      operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: op.summary.en,
      description: `${op.summary.zh}\n\n${op.access === 'public' ? 'Public.' : `Roles: ${op.access.roles.map((r) => `${r} (${ROLE_NAMES[r].zh})`).join(', ')}; scope: ${SCOPE_TEXT[op.access.scope]}.`}`,
      'x-laurel-access': op.access,
      tags: [path.split('/')[2] ?? 'api'],
      ...(pathParameters.length + query.length > 0 ? { parameters: [...pathParameters, ...query] } : {}),
      ...(op.access === 'public' ? { security: [] } : {}),
      ...(bodySchema
        ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema } } } }
        : {}),
      responses: {
        [op.success.status]: {
          description: text(op.success.description),
          ...(response
            ? { content: { 'application/json': { schema: component(responseSchemaOf(response)) } } }
            : {}),
        },
        ...(op.repeated ? { 200: { description: text(op.repeated) } } : {}),
        ...(op.accepted
          ? {
              202: {
                description: text(op.accepted),
                content: {
                  'application/json': {
                    schema: component(responseSchemaOf(jobProgress)),
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
              ...(status === 429 || status === 503 ? { headers: RETRY_AFTER_HEADER } : {}),
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
