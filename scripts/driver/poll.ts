/**
 * Doing many things at once, and waiting for many things: a bounded worker pool, and the wait
 * for every one of a set of executions (or anything named) to reach a point — polled briefly,
 * ended as soon as all are there, failed at once when one ends elsewhere, and given up after a
 * timeout naming those still behind and where they are.
 */

/** Runs `work` over every item with at most `concurrency` at once; the first failure stops it. */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}

export interface WaitForEach<V> {
  /** What is waited for, for messages: "to reach AwaitScreening". */
  what: string;
  timeoutMs: number;
  pollMs: number;
  /** At most this many looks at once. */
  concurrency: number;
  /** One look at where `name` is. */
  look(name: string): Promise<V>;
  done(view: V): boolean;
  /** Not done: the error to fail with if it can no longer get there (it ended elsewhere). */
  failure(name: string, view: V): Error | undefined;
  /** Where it is, for the timeout's message. */
  where(view: V): string;
}

/** How many of those behind a timeout names. */
const NAMED_BEHIND = 10;

/** Waits until every name is done; answers the look that found each one done. */
export async function waitForEach<V>(
  names: readonly string[],
  wait: WaitForEach<V>,
): Promise<Map<string, V>> {
  const deadline = Date.now() + wait.timeoutMs;
  const finished = new Map<string, V>();
  for (;;) {
    const behind = new Map<string, V>();
    await inPool(
      names.filter((n) => !finished.has(n)),
      wait.concurrency,
      async (name) => {
        const view = await wait.look(name);
        if (wait.done(view)) {
          finished.set(name, view);
          return;
        }
        const failure = wait.failure(name, view);
        if (failure) throw failure;
        behind.set(name, view);
      },
    );
    if (finished.size === names.length) return new Map(names.map((n) => [n, finished.get(n) as V]));
    if (Date.now() > deadline) {
      const named = [...behind]
        .slice(0, NAMED_BEHIND)
        .map(([name, view]) => `${name} (in ${wait.where(view)})`);
      throw new Error(
        `timed out after ${wait.timeoutMs / 1000} s waiting for ${behind.size} execution(s) ${wait.what}: ${named.join(', ')}${behind.size > NAMED_BEHIND ? ', …' : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}
