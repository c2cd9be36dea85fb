/**
 * The page a location path names: a file key of the built site that opens the app
 * (`/review/index.html`, where mailed links point so S3 can serve them as they are:
 * functions/rules/links.ts) names its folder's page (`/review/`).
 */
export const pagePath = (pathname: string) => pathname.replace(/\/index\.html$/, '/');

/** Matches a pattern like `/unit/nominations/:id` against a path; the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i] as string;
    if (w.startsWith(':')) {
      const value = decoded(h);
      // A part that is not valid percent-encoding names nothing here: the page not found.
      if (value === undefined) return null;
      params[w.slice(1)] = value;
    } else if (w !== h) return null;
  }
  return params;
}

/** Percent-decoded text; undefined when it is not valid percent-encoding (a mangled link). */
export function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The token in a link's fragment (`#<token>`); none when the fragment does not decode. */
export const fragmentToken = (hash: string): string => decoded(hash.replace(/^#/, '')) ?? '';
