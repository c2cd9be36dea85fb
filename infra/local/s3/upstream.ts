import { createReadStream } from 'node:fs';
import {
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream/promises';
import { S3Error, sendS3Error } from './s3-error.js';
import { uriEncode } from './sigv4.js';

/** s3rver, on its internal port. */
export interface Upstream {
  host: string;
  port: number;
  agent: Agent;
}

/** Hop-by-hop headers belong to one connection and are not passed along. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'expect', 'proxy-connection', 'te', 'upgrade']);

function forwardable(headers: IncomingHttpHeaders, drop: (name: string) => boolean): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !drop(name)));
}

/**
 * Passes a request through to s3rver and its answer back, both streamed. s3rver's own CORS
 * headers are dropped: the gateway sets CORS for every answer (already on `res`).
 */
export function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: Upstream,
  rewrite: { path?: string; answerHeaders?: (headers: IncomingHttpHeaders) => IncomingHttpHeaders } = {},
): Promise<void> {
  const answerHeaders = rewrite.answerHeaders ?? ((headers) => headers);
  return new Promise((resolve) => {
    const outgoing = request({
      host: upstream.host,
      port: upstream.port,
      agent: upstream.agent,
      method: req.method,
      path: rewrite.path ?? req.url,
      headers: forwardable(req.headers, () => false),
    });
    const failed = () => {
      if (!res.headersSent) {
        sendS3Error(res, req.method, new S3Error('InternalError', 'The local S3 store did not answer.'));
      } else {
        res.destroy();
      }
      resolve();
    };
    outgoing.on('response', (answer) => {
      res.writeHead(
        answer.statusCode ?? 502,
        answerHeaders(forwardable(answer.headers, (name) => name.startsWith('access-control-'))),
      );
      pipeline(answer, res).then(resolve, () => {
        res.destroy();
        resolve();
      });
    });
    outgoing.on('error', failed);
    // A browser that goes away mid-upload aborts the request to s3rver too.
    pipeline(req, outgoing).catch(() => outgoing.destroy());
  });
}

export interface StoredAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** `a b/c` → `a%20b/c`: each key segment encoded, the slashes kept. */
export const keyPath = (bucket: string, key: string) =>
  `/${uriEncode(bucket)}/${key.split('/').map(uriEncode).join('/')}`;

/**
 * Stores a fully received, checked upload in s3rver as a plain PutObject, with its length
 * known. s3rver's answer (success or its XML error) is returned whole: it is small.
 */
export async function putObject(
  upstream: Upstream,
  target: { bucket: string; key: string; headers: Record<string, string> },
  file: { path: string; size: number },
): Promise<StoredAnswer> {
  try {
    return await putObjectOnce(upstream, target, file);
  } catch (error) {
    // s3rver closes a kept-alive socket after 5 s idle; a request sent on it at that moment (more
    // likely on a busy machine, whose timers run late) fails with ECONNRESET before s3rver read
    // it. Node's documented remedy: send it once more, on a fresh socket. The file is on disk.
    if (!(error as { raced?: boolean }).raced) throw error;
    return putObjectOnce(upstream, target, file);
  }
}

function putObjectOnce(
  upstream: Upstream,
  target: { bucket: string; key: string; headers: Record<string, string> },
  file: { path: string; size: number },
): Promise<StoredAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: upstream.host,
      port: upstream.port,
      agent: upstream.agent,
      method: 'PUT',
      path: keyPath(target.bucket, target.key),
      headers: { ...target.headers, 'content-length': String(file.size) },
    });
    outgoing.on('response', (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () =>
        resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }),
      );
      answer.on('error', reject);
    });
    const failed = (error: NodeJS.ErrnoException) =>
      reject(Object.assign(error, { raced: outgoing.reusedSocket && error.code === 'ECONNRESET' }));
    outgoing.on('error', failed);
    pipeline(createReadStream(file.path), outgoing).catch(failed);
  });
}
