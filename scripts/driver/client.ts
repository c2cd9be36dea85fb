import type { Bilingual } from '../../functions/rules/i18n.js';
import { BUSY_RETRIES, busyRetryAfter } from '../../web/src/busy.js';
import { fetchTransport, type RawAnswer, type Transport } from './transport.js';

/**
 * One person's client of Laurel's HTTP API, shared by `npm run demo` and `npm run bench`: a
 * session cookie from a sign-in link, JSON in and out, refusals read from Laurel's error
 * envelope into an ApiError that says who asked what, and campaign-wide steps followed from
 * their 202 to the end of their job.
 *
 * Two optional hooks: a RequestTimer times every request under its route (the benchmark's
 * latencies), and a Connection lets a request whose answer was lost to a killed cloud wait for
 * the cloud to be back, then find out whether it took effect (its Recover) or send it again
 * (the crash-recovery test).
 */

/** Laurel's answer to a refused request. */
export interface ErrorEnvelope {
  error: { code: string; message: Bilingual; path?: unknown[]; details?: unknown };
}

/** A request answered otherwise than expected, with what Laurel said about it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The envelope's code ('VERSION_CONFLICT'), or '' when the answer was no envelope. */
    readonly code: string,
    message: string,
    /** The envelope's message, both languages. */
    readonly said: Bilingual = { zh: '', en: '' },
    /** The envelope's path: the field of the request it is about. */
    readonly path: unknown[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Answer<T> {
  status: number;
  body: T;
}

/** How people reach a local cloud that may be killed and started again under them. */
export interface Connection {
  /** Told of every request before it is sent (the crash-recovery test kills the cloud at chosen ones). */
  sending?(method: string, path: string): void;
  /**
   * A request got no answer (refused, reset, cut off): resolves once the cloud answers again if
   * it was killed on purpose, else throws the error.
   */
  lost(error: unknown): Promise<void>;
}

/**
 * After a lost answer, with the cloud back: find out whether the request took effect and answer
 * as it would have (re-reading state, or sending it again and reading a refusal as done), or
 * undefined to send it again as it was.
 */
export type Recover<T> = () => Promise<Answer<T> | undefined>;

/** Times a request under a name; the benchmark's Latencies is one. */
export interface RequestTimer {
  time<T>(name: string, call: () => Promise<T>): Promise<T>;
}

export interface RequestOptions<T> {
  headers?: Record<string, string>;
  /** The name the timer files it under ('POST /api/nominations/{id}/submit'); default method and path. */
  route?: string;
  /** With a Connection: what to do once the cloud is back after a lost answer. */
  recover?: Recover<T>;
}

export interface ClientOptions {
  /** Default fetchTransport; the benchmark's long requests need keepAliveTransport. */
  transport?: Transport;
  timer?: RequestTimer;
  connection?: Connection;
}

/** A campaign-wide step's job, in its answers (selection, publicity, release). */
export interface CampaignJob {
  id: string;
  status: 'running' | 'done' | 'failed' | string;
}

/** How often a campaign job is looked at while it runs, by default. */
const JOB_POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiClient {
  private cookie = '';
  readonly baseUrl: string;
  private readonly transport: Transport;

  constructor(
    baseUrl: string,
    /** Who this is, for messages: "secretariat of cacs-2024", "unit js-arts-society". */
    readonly who: string,
    private readonly options: ClientOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.transport = options.transport ?? fetchTransport;
  }

  get connection(): Connection | undefined {
    return this.options.connection;
  }

  /** Times `call` under `name` when there is a timer. */
  timed<T>(name: string, call: () => Promise<T>): Promise<T> {
    return this.options.timer ? this.options.timer.time(name, call) : call();
  }

  /** One request; answers whatever status came back. */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions<T> = {},
  ): Promise<Answer<T>> {
    const route = options.route ?? `${method} ${path.split('?')[0]}`;
    return this.timed(route, async () => {
      const sent = await this.send(method, path, body, options);
      if ('recovered' in sent) return sent.recovered;
      const { raw } = sent;
      if (raw.setCookie) this.cookie = raw.setCookie.split(';')[0] ?? '';
      return { status: raw.status, body: parseBody(raw.body) as T };
    });
  }

  /** The request, which must answer `status`; anything else throws an ApiError naming the request. */
  async must<T = Record<string, unknown>>(
    status: number,
    method: string,
    path: string,
    body?: unknown,
    options?: RequestOptions<T>,
  ): Promise<T> {
    const answer = await this.call<T>(method, path, body, options);
    if (answer.status !== status) throw unexpected(this.who, method, path, status, answer);
    return answer.body;
  }

  /** A GET answered with a file (a Word form): its bytes. */
  async bytes(path: string, options: Omit<RequestOptions<never>, 'recover'> = {}): Promise<Uint8Array> {
    const route = options.route ?? `GET ${path.split('?')[0]}`;
    return this.timed(route, async () => {
      const sent = await this.send<never>('GET', path, undefined, options);
      if (!('raw' in sent)) throw new Error('unreachable: a download has no recovery');
      const { raw } = sent;
      if (raw.status !== 200) {
        throw unexpected(this.who, 'GET', path, 200, { status: raw.status, body: parseBody(raw.body) });
      }
      return raw.body;
    });
  }

  /** Signs in with a sign-in link (`…/signin/index.html#<token>`); answers the role the session has. */
  async signIn(link: string): Promise<string> {
    const token = link.split('#')[1] ?? '';
    const session = await this.must<{ actor: { role: string } }>(
      201,
      'POST',
      '/api/sessions',
      { token },
      { route: 'POST /api/sessions' },
    );
    return session.actor.role;
  }

  /**
   * A campaign-wide step (selection, publicity, release), which must end 200: a 202 means its job
   * outlasted the request's wait, so the job is followed at `GET …/jobs/{jobId}` until it is done.
   * A job that fails throws.
   */
  async finish<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    options: RequestOptions<T> & { pollMs?: number } = {},
  ): Promise<T> {
    type WithJob = T & { job?: CampaignJob | null };
    let answer = await this.call<WithJob>('POST', path, body, options as RequestOptions<WithJob>);
    if (answer.status !== 200 && answer.status !== 202) throw unexpected(this.who, 'POST', path, 200, answer);
    const jobs = `${path.slice(0, path.lastIndexOf('/'))}/jobs/`;
    while (answer.body.job?.status === 'running') {
      await sleep(options.pollMs ?? JOB_POLL_MS);
      const jobPath = `${jobs}${encodeURIComponent(answer.body.job.id)}`;
      answer = await this.call<WithJob>('GET', jobPath, undefined, {
        route: 'GET /api/campaigns/{campaignId}/jobs/{jobId}',
      });
      if (answer.status !== 200) throw unexpected(this.who, 'GET', jobPath, 200, answer);
    }
    if (answer.body.job && answer.body.job.status !== 'done') {
      throw new ApiError(
        answer.status,
        'JOB_NOT_DONE',
        `${this.who}: POST ${path}: its job ended ${JSON.stringify(answer.body.job).slice(0, 400)}`,
      );
    }
    return answer.body;
  }

  /**
   * Sends the request; with a Connection, a lost answer waits for the cloud and then answers the
   * Recover's reading, or sends the request again.
   */
  private async send<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions<T>,
  ): Promise<{ raw: RawAnswer } | { recovered: Answer<T> }> {
    const payload = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));
    const connection = this.options.connection;
    for (let busy = 0; ; ) {
      connection?.sending?.(method, path);
      try {
        const raw = await this.transport({
          url: `${this.baseUrl}${path}`,
          method,
          headers: {
            // As the web page asks where a route offers it (the record-attachment route).
            prefer: 'return=minimal',
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...options.headers,
          },
          ...(payload ? { body: payload } : {}),
        });
        // Laurel's 503 BUSY is sent again as it is, after its Retry-After, as the web page does
        // (web/src/busy.ts: the one rule for both) — never a SERVICE_UNAVAILABLE, part of which
        // may be done, nor a gateway's 503 (an integration timeout: the request may have run).
        const wait = busyRetryAfter(raw.status, codeOf(parseBody(raw.body)), raw.retryAfter ?? null);
        if (wait !== undefined && busy < BUSY_RETRIES) {
          busy += 1;
          await sleep(wait * 1000);
          continue;
        }
        return { raw };
      } catch (error) {
        if (!connection || !isConnectionError(error)) throw error;
        await connection.lost(error);
        const recovered = await options.recover?.();
        if (recovered) return { recovered };
      }
    }
  }
}

/** JSON when it is JSON; null for nothing; the text otherwise (a proxy's error page). */
function parseBody(bytes: Uint8Array): unknown {
  const text = new TextDecoder().decode(bytes);
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

/**
 * Runs `work` again whenever it fails for want of the cloud (killed on purpose): for steps that
 * may repeat as a whole and read the cloud's addresses afresh — those of its mail outbox and of
 * storage change with every start. Without a Connection, runs it once.
 */
export async function again<T>(connection: Connection | undefined, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!connection || !isConnectionError(error)) throw error;
      await connection.lost(error);
    }
  }
}

/** fetch's own failure — no answer at all — as opposed to an answer saying no. */
export const isConnectionError = (error: unknown): boolean =>
  error instanceof TypeError && /fetch failed|terminated|other side closed|socket/i.test(error.message);

const errorOf = (body: unknown): ErrorEnvelope['error'] | undefined =>
  body && typeof body === 'object' && 'error' in body ? (body as ErrorEnvelope).error : undefined;

/** The error code of an answer, or '' when it is not an error. */
export const codeOf = (body: unknown): string => errorOf(body)?.code ?? '';
export const messageOf = (body: unknown): Bilingual => errorOf(body)?.message ?? { zh: '', en: '' };

/** The ApiError for an answer that was not `expected`: who asked what, and what Laurel said. */
export function unexpected(
  who: string,
  method: string,
  path: string,
  expected: number,
  answer: { status: number; body: unknown },
): ApiError {
  const error = errorOf(answer.body);
  const said = error
    ? `${error.code}: ${error.message.en}${error.details ? ` ${JSON.stringify(error.details).slice(0, 400)}` : ''}`
    : JSON.stringify(answer.body).slice(0, 400);
  return new ApiError(
    answer.status,
    error?.code ?? '',
    `${who}: ${method} ${path} answered ${answer.status} (expected ${expected}) — ${said}`,
    error?.message,
    error?.path,
  );
}
