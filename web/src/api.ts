import { busyRetryAfter, sentUntilNotBusy } from './busy.js';
import type { Bilingual } from './i18n.js';
import { decoded } from './paths.js';

/** The body of every error answer of the API. */
export interface ApiErrorBody {
  code: string;
  message: Bilingual;
  path: (string | number)[];
  details?: Record<string, unknown>;
}

/** A refused request, with the server's bilingual message and the field it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    /** A busy answer's wait before it is sent again (busy.ts); undefined for any other refusal. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${status} ${body.code}: ${body.message.en}`);
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The browser's cache mode: 'no-cache' revalidates a cached file (e.g. a published list). */
  cache?: RequestCache;
}

const NETWORK_ERROR: ApiErrorBody = {
  code: 'NETWORK',
  message: {
    zh: '无法连接服务器，请检查网络后重试',
    en: 'Cannot reach the server; check the network and try again',
  },
  path: [],
};

/** Calls the Laurel API with the session cookie; JSON in, JSON out, errors as ApiError; a busy answer sent again (busy.ts). */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const text = await (await answered(method, path, options)).text();
  return (text ? safeJson(text) : undefined) as T;
}

/** The API's 2xx answer to a request, sent again after a BUSY (busy.ts); any other as an ApiError. */
function answered(method: string, path: string, options: RequestOptions): Promise<Response> {
  return sentUntilNotBusy(
    () => answeredOnce(method, path, options),
    (error) => (error instanceof ApiError ? error.retryAfterSeconds : undefined),
    options.signal,
  );
}

async function answeredOnce(method: string, path: string, options: RequestOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, NETWORK_ERROR);
  }
  if (response.ok) return response;
  const text = await response.text();
  const body = (text ? (safeJson(text) as { error?: ApiErrorBody } | undefined) : undefined)?.error;
  const busyFor = busyRetryAfter(response.status, body?.code, response.headers.get('retry-after'));
  throw new ApiError(
    response.status,
    body ?? {
      code: `HTTP_${response.status}`,
      message: { zh: `请求失败（${response.status}）`, en: `Request failed (${response.status})` },
      path: [],
    },
    busyFor,
  );
}

/**
 * Downloads a file the API builds (the Word form) as the file the server names, and throws an
 * ApiError when it refuses — the session ended, say — so the page can say so: a plain link would
 * save the refusal's JSON as a file ("true.json") and tell the person nothing.
 */
export async function download(path: string): Promise<void> {
  const response = await answered('GET', path, { headers: { accept: '*/*' } });
  const named = /filename\*=UTF-8''([^;]+)/i.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = (named && decoded(named)) || (path.split('/').pop() ?? 'download');
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const get = <T>(path: string, options?: RequestOptions) => api<T>('GET', path, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  api<T>('POST', path, { ...options, body: body ?? {} });
export const put = <T>(path: string, body: unknown, options?: RequestOptions) =>
  api<T>('PUT', path, { ...options, body });
export const del = <T>(path: string, options?: RequestOptions) => api<T>('DELETE', path, options);
