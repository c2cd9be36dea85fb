import { Agent, request as httpRequest } from 'node:http';

/**
 * How the driver's requests travel: one request out, the whole answer back as bytes. Two ways,
 * for two needs:
 * - fetchTransport (the default): fetch, as a browser sends. The demo uses it, and the
 *   crash-recovery test relies on it never sending a request twice on its own.
 * - keepAliveTransport: node:http over one shared keep-alive agent, for the benchmark. Not fetch:
 *   its client gives up on an answer after 300 s, and a campaign-wide step over thousands of
 *   nominations may take longer locally. It sends a request again when it met a socket the
 *   server had just closed (so the server never read it).
 */

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface RawAnswer {
  status: number;
  /** The first Set-Cookie header, if any. */
  setCookie: string | undefined;
  contentType: string;
  /** The Retry-After header, when the answer says when to come back (a 503 BUSY, a 429). */
  retryAfter: string | undefined;
  body: Uint8Array;
}

export type Transport = (request: SentRequest) => Promise<RawAnswer>;

export const fetchTransport: Transport = async ({ url, method, headers, body }) => {
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    setCookie: response.headers.getSetCookie()[0],
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after') ?? undefined,
    body: bytes,
  };
};

/**
 * Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout; a request that
 * still meets a socket the server has just closed (ECONNRESET on a reused socket) is sent again
 * on a fresh one, at most twice.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 });

export const keepAliveTransport: Transport = (request) => sendOnce(request, 0);

function sendOnce({ url, method, headers, body }: SentRequest, attempt: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      url,
      {
        method,
        agent,
        headers: { ...headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            setCookie: response.headers['set-cookie']?.[0],
            contentType: String(response.headers['content-type'] ?? ''),
            retryAfter: response.headers['retry-after'],
            body: new Uint8Array(Buffer.concat(chunks)),
          }),
        );
        response.on('error', reject);
      },
    );
    sent.on('error', (error: NodeJS.ErrnoException) => {
      if (sent.reusedSocket && error.code === 'ECONNRESET' && attempt < 2) {
        resolve(sendOnce({ url, method, headers, ...(body ? { body } : {}) }, attempt + 1));
      } else reject(error);
    });
    sent.end(body);
  });
}
