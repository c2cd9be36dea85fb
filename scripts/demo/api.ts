/**
 * The demo's HTTP client: JSON in and out, one session cookie per person, and errors that say
 * who asked what and what Laurel answered. With a Connection (the crash-recovery test), a
 * request whose answer is lost to a killed cloud waits for the cloud to be back, then finds out
 * whether it took effect (its Recover) or is sent again.
 */

export interface ErrorBody {
  error: { code: string; message: { zh: string; en: string }; path?: unknown[]; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
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

/**
 * Runs `work` again whenever it fails for want of the cloud (killed on purpose): for steps that
 * may repeat as a whole and read the cloud's addresses afresh — those of its mail outbox and of
 * storage change with every start.
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

const errorOf = (body: unknown): ErrorBody['error'] | undefined =>
  body && typeof body === 'object' && 'error' in body ? (body as ErrorBody).error : undefined;

export class Person {
  private cookie = '';

  constructor(
    readonly baseUrl: string,
    /** Who this is, for messages: "secretariat of cacs-2024", "unit js-arts-society". */
    readonly who: string,
    readonly connection?: Connection,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    recover?: Recover<T>,
  ): Promise<Answer<T>> {
    let response: Response;
    let text: string;
    for (;;) {
      this.connection?.sending?.(method, path);
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        text = await response.text();
        break;
      } catch (error) {
        if (!this.connection || !isConnectionError(error)) throw error;
        await this.connection.lost(error);
        const recovered = await recover?.();
        if (recovered) return recovered;
      }
    }
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** The call, which must answer `status`; anything else throws an ApiError naming the request. */
  async must<T = Record<string, unknown>>(
    status: number,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    recover?: Recover<T>,
  ): Promise<T> {
    const answer = await this.call<T>(method, path, body, headers, recover);
    if (answer.status !== status) throw unexpected(this.who, method, path, status, answer);
    return answer.body;
  }

  /**
   * A campaign-wide step (selection, publicity, release), which must end 200: a 202 means its job
   * outlasted the request's wait, so the job is followed at `GET …/jobs/{jobId}` until it is done.
   */
  async mustFinish<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    recover?: Recover<T>,
  ): Promise<T> {
    let answer = await this.call<T & { job?: { id: string; status: string } | null }>(
      'POST',
      path,
      body,
      undefined,
      recover as Recover<T & { job?: { id: string; status: string } | null }> | undefined,
    );
    const jobs = `${path.slice(0, path.lastIndexOf('/'))}/jobs/`;
    while (answer.status === 202 && answer.body.job) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await this.call('GET', `${jobs}${encodeURIComponent(answer.body.job.id)}`);
    }
    if (answer.status !== 200 || (answer.body.job && answer.body.job.status !== 'done')) {
      throw unexpected(this.who, 'POST', path, 200, answer);
    }
    return answer.body;
  }

  /** Signs in with a sign-in link (`…/signin/#<token>`); answers the role the session has. */
  async signIn(link: string): Promise<string> {
    const token = link.split('#')[1] ?? '';
    const session = await this.must<{ actor: { role: string } }>(201, 'POST', '/api/sessions', { token });
    return session.actor.role;
  }
}

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
  );
}

/** The error code of an answer, or '' when it is not an error. */
export const codeOf = (body: unknown): string => errorOf(body)?.code ?? '';
export const messageOf = (body: unknown): { zh: string; en: string } =>
  errorOf(body)?.message ?? { zh: '', en: '' };

/**
 * Runs a write that names the nomination version it read, reading the version afresh and trying
 * again when the answer is 409 VERSION_CONFLICT: the workflow stores its task token on the
 * nomination, so the version can move between a read and a write, as it would under a person's
 * browser.
 */
export async function withFreshVersion<T>(
  person: Person,
  nominationId: string,
  request: { method: string; path: string; expected: number },
  write: (version: number) => Promise<Answer<T>>,
): Promise<T> {
  let answer: Answer<T> | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const { nomination } = await person.must<{ nomination: { version: number } }>(
      200,
      'GET',
      `/api/nominations/${nominationId}`,
    );
    answer = await write(nomination.version);
    if (answer.status === request.expected) return answer.body;
    if (codeOf(answer.body) !== 'VERSION_CONFLICT') break;
  }
  throw unexpected(
    person.who,
    request.method,
    request.path,
    request.expected,
    answer ?? { status: 0, body: null },
  );
}
