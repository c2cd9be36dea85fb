import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { DomainError, type ErrorKind, StoreBusyError } from '../rules/errors.js';
import type { Bilingual } from '../rules/i18n.js';
import { logger } from './logger.js';

/**
 * The HTTP edge of every API handler: the middy stack and the one table that maps domain
 * errors to HTTP statuses. The domain knows nothing of HTTP; this file knows nothing of rules.
 */

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  'too-many': 429,
  gone: 410,
};

/** Body of every error answer: a stable code, a message in Chinese and English, the field. */
export interface ErrorBody {
  error: { code: string; message: Bilingual; path: (string | number)[]; details?: Record<string, unknown> };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(
  statusCode: number,
  code: string,
  message: Bilingual,
  path: (string | number)[] = [],
  details?: Record<string, unknown>,
): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = { error: { code, message, path, ...(details ? { details } : {}) } };
  return json(statusCode, body);
}

interface HttpLikeError {
  statusCode?: number;
  message?: string;
  cause?: { package?: string; message?: string };
}

const PROTO_KEY = 'a field named __proto__';

/**
 * An AWS service (or the mail relay behind a mailer's `Laurel.MailFailed`, its cause) that still
 * throttles, times out or fails on its side after the SDK's retries — classified as the SDK's own
 * retry strategy classifies them, by error name, status and network code (most throttling errors
 * carry no `$retryable` trait) — or a plain write that met an item under another transaction.
 */
function isTransientService(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  return (
    error.name === 'TransactionConflictException' ||
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError) ||
    isTransientService(error.cause, depth + 1)
  );
}

/** What a throttled or failing AWS call asks of the caller: a short wait, as the SDK's own backoff. */
const TRANSIENT_RETRY_AFTER_SECONDS = 2;

/** Maps any thrown error to the documented JSON answer; what it does not know becomes a 500 without detail. */
export function toErrorResponse(error: unknown): APIGatewayProxyResultV2 {
  if (error instanceof DomainError) {
    const details = Object.keys(error.details).length > 0 ? error.details : undefined;
    const response = errorResponse(
      STATUS_BY_KIND[error.kind],
      error.code,
      error.messages,
      error.path,
      details,
    );
    // A refusal for too many requests says when to come back (RFC 9110 Retry-After).
    const retryAfter = error.details.retryAfterSeconds;
    return typeof retryAfter === 'number' ? withRetryAfter(response, retryAfter) : response;
  }
  if (error instanceof StoreBusyError) {
    // Another run holds this very matter, or the table stayed busy: nothing this request could
    // not repeat was done, and sent again as it is it finishes the rest. Clients resend it.
    const seconds = error.retryAfterSeconds;
    return withRetryAfter(
      errorResponse(503, 'BUSY', {
        zh: `系统正忙，请约 ${seconds} 秒后再提交一次`,
        en: `The system is busy; send it again in about ${seconds} seconds`,
      }),
      seconds,
    );
  }
  if (isTransientService(error)) {
    // Transient, but part of the request may have been done before the service failed: the
    // person checks before sending again, as after a lost answer. Not resent by the clients.
    logger.error('a service failed for a moment', { error: error as Error });
    return withRetryAfter(
      errorResponse(503, 'SERVICE_UNAVAILABLE', {
        zh: '系统所依赖的服务暂时没有响应，请稍候片刻，刷新页面确认后再操作',
        en: 'A service Laurel relies on did not answer for a moment; wait a little, reload the page to check, then try again',
      }),
      TRANSIENT_RETRY_AFTER_SECONDS,
    );
  }
  const http = error as HttpLikeError;
  if (http?.cause?.package === '@middy/http-json-body-parser') {
    return http.message === 'Unsupported Media Type'
      ? errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', {
          zh: '请求须为 JSON（Content-Type: application/json）',
          en: 'The request body must be JSON (Content-Type: application/json)',
        })
      : http.cause.message === PROTO_KEY
        ? errorResponse(400, 'FORBIDDEN_FIELD_NAME', {
            zh: '请求中不能有名为“__proto__”的字段',
            en: 'The request may not have a field named "__proto__"',
          })
        : errorResponse(400, 'MALFORMED_JSON', {
            zh: '请求体不是有效的 JSON',
            en: 'The request body is not valid JSON',
          });
  }
  logger.error('unhandled error', { error: error as Error });
  return errorResponse(500, 'INTERNAL', {
    zh: '服务器内部错误，请稍后再试',
    en: 'Internal error; please try again later',
  });
}

function withRetryAfter(response: APIGatewayProxyStructuredResultV2, seconds: number) {
  response.headers = { ...response.headers, 'retry-after': String(seconds) };
  return response;
}

const bilingualErrors = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  onError: async (request) => {
    if (request.response !== undefined) return;
    request.response = toErrorResponse(request.error);
  },
});

/**
 * The largest JSON body any route takes: the biggest legitimate one, a 2019–2023 honouree list of
 * 350,000 characters, is about 1 MB. Bigger bodies are refused here in the error envelope, well
 * below the gateway's own 10 MB and Lambda's 6 MB, whose refusals the handlers never see.
 */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/** Parses a JSON body when the request has one (GET and DELETE have none); a body must be JSON. */
const jsonBodyWhenPresent = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => {
  // No body names a field "__proto__": JSON.parse keeps it as an own key, and the first spread or
  // assignment of it would set a prototype. Refused as the request's error, wherever it sits.
  const parser = httpJsonBodyParser({
    reviver: (key: string, value: unknown) => {
      if (key === '__proto__') throw new Error(PROTO_KEY);
      return value;
    },
  });
  return {
    before: async (request): Promise<APIGatewayProxyResultV2 | undefined> => {
      if (request.event.body === undefined || request.event.body === '') return undefined;
      const bytes = request.event.isBase64Encoded
        ? Math.floor((request.event.body.length * 3) / 4)
        : Buffer.byteLength(request.event.body, 'utf8');
      if (bytes > MAX_JSON_BODY_BYTES) {
        request.response = errorResponse(413, 'PAYLOAD_TOO_LARGE', {
          zh: `请求内容过大（${(bytes / 1024 / 1024).toFixed(1)} MB），不能超过 ${MAX_JSON_BODY_BYTES / 1024 / 1024} MB；附件请通过上传链接提交`,
          en: `The request is too large (${(bytes / 1024 / 1024).toFixed(1)} MB); at most ${MAX_JSON_BODY_BYTES / 1024 / 1024} MB. Files go through the upload link`,
        });
        return request.response;
      }
      await parser.before?.(request as Parameters<NonNullable<typeof parser.before>>[0]);
      return undefined;
    },
  };
};

export type HttpHandler<E = APIGatewayProxyEventV2> = (
  event: E,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * Wraps an API handler: logger context first, JSON body parsing where the route takes a body,
 * then the error mapping. middy runs onError in reverse order, so the bilingual mapping (used
 * last) answers first and http-error-handler stays as the last safety net.
 */
export function httpHandler<B = never>(
  handler: HttpHandler<Omit<APIGatewayProxyEventV2, 'body'> & { body: B }>,
  options: { body?: 'json' | 'none' } = {},
) {
  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger))
    .use(
      httpErrorHandler({ logger: false, fallbackMessage: JSON.stringify({ error: { code: 'INTERNAL' } }) }),
    )
    .use(bilingualErrors());
  if (options.body === 'json') stack.use(jsonBodyWhenPresent());
  return stack.handler(handler as unknown as HttpHandler);
}
