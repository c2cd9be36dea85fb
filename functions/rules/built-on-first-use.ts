/**
 * A value built the first time it is asked for, then kept: for the zod schemas that a cold start
 * need not build (the cost issue: a function's import ≤ 3 × a bare `node`). Every function bundles
 * the rules, and a schema built at import is paid by every cold start of every function, whether
 * or not it ever parses with it; built here, by the requests that use it. The schema itself is
 * still written once, where it was: only when it is built changes.
 */
export function builtOnFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
