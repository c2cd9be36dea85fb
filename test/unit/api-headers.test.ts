import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_REQUEST_HEADERS, ORIGIN_PROOF_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/lib/api.js';

/**
 * CloudFront passes the API only the headers of API_REQUEST_HEADERS (and its own viewer
 * address, and adds the origin proof): a handler reading another header would read nothing in
 * AWS while working locally.
 */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [readFileSync(join(dir, entry.name), 'utf8')]
        : [],
  );

describe('the request headers the API reads', () => {
  it('are all passed by CloudFront: every header a handler reads is listed', () => {
    const text = sources('functions').join('\n');
    const constants = Object.fromEntries(
      [...text.matchAll(/const (\w+_HEADER) = '([a-z-]+)'/g)].map((m) => [m[1], m[2]]),
    );
    const read = new Set<string>();
    for (const m of text.matchAll(/headers\??\.\[\s*'([a-z-]+)'\s*\]/g)) read.add(m[1] as string);
    for (const m of text.matchAll(/headers\??\.\[\s*([A-Z_]+_HEADER)\s*\]/g))
      read.add(constants[m[1] as string] ?? (m[1] as string));
    for (const m of text.matchAll(/headers\??\.([a-z]+)\b/g)) read.add(m[1] as string);
    // Reads of the whole header object (spreads, the local cloud) are not header names.
    read.delete('headers');
    expect(read.size).toBeGreaterThanOrEqual(4);
    const passed = new Set<string>([...API_REQUEST_HEADERS, VIEWER_ADDRESS_HEADER, ORIGIN_PROOF_HEADER]);
    expect([...read].filter((name) => !passed.has(name))).toEqual([]);
  });
});
