/** How many requests one client may make to a route in a fixed window (routes.ts `rateLimit`). */
export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one request under `key` in the current window; not allowed once the window is full. */
  take(key: string, limit: RateLimit): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}
