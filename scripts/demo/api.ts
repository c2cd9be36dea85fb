/**
 * The demo's HTTP client: JSON in and out, one session cookie per person, and errors that say
 * who asked what and what Laurel answered.
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

const errorOf = (body: unknown): ErrorBody['error'] | undefined =>
  body && typeof body === 'object' && 'error' in body ? (body as ErrorBody).error : undefined;

export class Person {
  private cookie = '';

  constructor(
    readonly baseUrl: string,
    /** Who this is, for messages: "secretariat of cacs-2024", "unit js-arts-society". */
    readonly who: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
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
  ): Promise<T> {
    const answer = await this.call<T>(method, path, body, headers);
    if (answer.status !== status) throw unexpected(this.who, method, path, status, answer);
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
