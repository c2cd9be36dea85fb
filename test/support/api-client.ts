/** A tiny HTTP client for integration tests: JSON in and out, one session cookie per client. */
export class ApiClient {
  private cookie = '';
  constructor(readonly baseUrl: string) {}

  /** The session cookie, for requests made without this client (file downloads). */
  get sessionCookie(): string {
    return this.cookie;
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        // As the web page asks where a route offers it (the record-attachment route).
        prefer: 'return=minimal',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Signs in with the token of a sign-in link (`…/signin/index.html#<token>`). */
  async signIn(link: string): Promise<void> {
    const token = link.split('#')[1] ?? '';
    const { status, body } = await this.call('POST', '/api/sessions', { token });
    if (status !== 201) throw new Error(`sign-in failed: ${status} ${JSON.stringify(body)}`);
  }
}

/** Polls until `check` returns a value, failing after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
