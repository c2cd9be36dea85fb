import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_DIST } from '../../infra/stacks/web.js';

/**
 * What CloudFront answers for a URL of the site from the private web bucket, read through S3's
 * REST endpoint with an origin access identity or control: the path is the key, exactly; the
 * default root object applies to `/` alone; no index documents, no single-page-app fallback (a
 * missing key is 403 without s3:ListBucket). `rewrite` is the viewer-request function, if any
 * (the global stack's; the China regions have none).
 */
export type Resolved = { status: 200; key: string; body: string } | { status: 403; key: string };

export function fromBucket(url: string, rewrite: (uri: string) => string = (uri) => uri): Resolved {
  const uri = rewrite(new URL(url).pathname);
  const key = uri === '/' ? 'index.html' : decodeURIComponent(uri.slice(1));
  const file = join(WEB_DIST, key);
  if (!key || key.endsWith('/') || !existsSync(file) || !statSync(file).isFile()) return { status: 403, key };
  return { status: 200, key, body: readFileSync(file, 'utf8') };
}

/** The app's own page, as built into web/dist. */
export const appHtml = () => readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
