/**
 * The AWS JSON 1.0 protocol as `@aws-sdk/client-sfn` speaks it: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body; errors are HTTP 400 with
 * `{"__type": "<ErrorName>", "message": "…"}`, which the SDK turns into the exception class of
 * that name. Requests are not signature-checked (the service binds to loopback by default), but
 * the caller's access key is: `authorize` checks it against the caller's grants (infra/local/iam.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Operation } from './engine.js';
import { ServiceError } from './service-errors.js';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Inputs and outputs are capped at 256 KiB; anything much larger is not a request we serve. */
const MAX_BODY_BYTES = 1024 * 1024;

/** IAM: the refusal's message when the caller may not do `states:<operation>`, else undefined. */
export type Authorize = (
  authorization: string | undefined,
  operation: string,
  body: Record<string, unknown>,
) => string | undefined;

export function createJsonProtocolServer(
  operations: Record<string, Operation>,
  log: (message: string, error?: unknown) => void,
  authorize?: Authorize,
): Server {
  return createServer((request, response) => {
    handle(operations, request, response, authorize).catch((error: unknown) => {
      log('request failed', error);
      respond(response, 500, { __type: 'InternalFailure', message: 'internal error' });
    });
  });
}

async function handle(
  operations: Record<string, Operation>,
  request: IncomingMessage,
  response: ServerResponse,
  authorize: Authorize | undefined,
): Promise<void> {
  try {
    const target = request.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : '';
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (request.method !== 'POST' || !operation) {
      throw new ServiceError('UnknownOperationException', `Unknown operation ${String(target)}`);
    }
    const body = await readJsonObject(request);
    const denied = authorize?.(request.headers.authorization, name, body);
    if (denied !== undefined) throw new ServiceError('AccessDeniedException', denied);
    respond(response, 200, await operation(body));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    respond(response, error.statusCode, { __type: error.code, message: error.message });
  }
}

async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ServiceError('ValidationException', 'Request body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'Request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function respond(response: ServerResponse, statusCode: number, body: Record<string, unknown>): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}
