import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPageLink, LINKED_PAGES, reviewLink, signInLink } from '../../functions/rules/links.js';
import { screen } from '../../functions/use-cases/screening.js';
import { REPO_ROOT } from '../../infra/stacks/lambdas.js';
import { SPA_INDEX_CODE, WEB_DIST } from '../../infra/stacks/web.js';
import { match, pagePath } from '../../web/src/paths.js';
import { memoryWorld, WEB_URL } from '../support/memory/index.js';
import { inviteExperts, inviteUnit, secretariatOf, submitted } from '../support/memory/people.js';
import { fromBucket } from '../support/web-bucket.js';

/**
 * Every link Laurel mails or prints opens the app from a private bucket as it is, in both homes:
 * resolved against the freshly built web/dist (the integration tier's global setup builds it)
 * the way CloudFront reads S3's REST endpoint through an origin access identity or control —
 * the path is the key, exactly; the default root object applies to `/` alone; no index
 * documents, no single-page-app fallback (a missing key is 403 without s3:ListBucket). In the
 * China regions nothing rewrites the path first; in the global one the CloudFront Function
 * runs before, and must leave these paths alone.
 */

/** The global stack's CloudFront Function, run as CloudFront runs it. */
const globalFunction = (uri: string): string => {
  const handler = new Function(`${SPA_INDEX_CODE}; return handler;`)() as (event: {
    request: { uri: string };
  }) => { uri: string };
  return handler({ request: { uri } }).uri;
};

const HOMES = [
  ['China (origin access identity, no function)', undefined],
  ['global (origin access control, the CloudFront Function)', globalFunction],
] as const;

/** Every URL under the site in the mails of a whole round: invitations, screening, review requests. */
async function mailedLinks(): Promise<string[]> {
  const world = memoryWorld();
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  const passed = await submitted(world, unit, 'volunteer');
  await screen(world.deps, secretariatOf('cast-2024'), passed.id, {
    version: passed.version,
    decision: 'pass',
  });
  const returned = await submitted(world, unit, 'organization');
  await screen(world.deps, secretariatOf('cast-2024'), returned.id, {
    version: returned.version,
    decision: 'return',
    reasons: '请补充近三年服务数据。',
  });
  await world.settle();
  // Up to a space, a quote, a bracket or the backslash of an escaped line break in the JSON.
  const site = new RegExp(`${WEB_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s"'<>）)\\\\]*`, 'g');
  return world.outbox.sent.flatMap((mail) => JSON.stringify(mail).match(site) ?? []);
}

/** Source files of the server side, the scripts and the local cloud. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('mailed and printed links', () => {
  it('are built only by functions/rules/links.ts', () => {
    const builders = ['functions', 'infra', 'scripts']
      .flatMap((dir) => sources(join(REPO_ROOT, dir)))
      .map((file) => relative(REPO_ROOT, file))
      .filter((file) => file !== join('functions', 'rules', 'links.ts'))
      // A link to a page of the site with something after `#`: what links.ts shapes.
      .filter((file) =>
        /\$\{[^}]*url\}\/[^`\s]*#|\/(signin|review)\/#/i.test(readFileSync(join(REPO_ROOT, file), 'utf8')),
      );
    expect(builders).toEqual([]);
  });

  it('include a sign-in, a review and a unit page link in the mails of a round', async () => {
    const links = await mailedLinks();
    // The secretariat's page is mailed only at a release of forwarded nominations (documents-and-mails.test.ts).
    for (const page of LINKED_PAGES.filter((p) => p !== 'secretariat')) {
      expect(links.some((link) => new URL(link).pathname.startsWith(`/${page}/`))).toBe(true);
    }
  });

  const app = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const templates = [
    ['sign-in (invitations, npm run invite, npm start)', signInLink(WEB_URL, 'TOKEN_abc-123')],
    ['review', reviewLink(WEB_URL, 'TOKEN_abc-123')],
    ['unit (notices to units)', appPageLink(WEB_URL, 'unit')],
    ['secretariat (notices to a secretariat)', appPageLink(WEB_URL, 'secretariat')],
  ] as const;

  describe.each(HOMES)('from the bucket in the %s home', (_, rewrite) => {
    it.each(templates)('%s: the app’s HTML, whose assets are keys too', (_, link) => {
      const resolved = fromBucket(link, rewrite);
      expect(resolved).toMatchObject({ status: 200, body: app });
      expect(app).toContain('<div id="app"></div>');
      const assets = [...app.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) expect(fromBucket(`${WEB_URL}${asset}`, rewrite).status).toBe(200);
    });

    it('every link a round mails', async () => {
      for (const link of await mailedLinks()) {
        expect({ link, ...fromBucket(link, rewrite) }).toMatchObject({ link, status: 200, body: app });
      }
    });
  });

  it('open the page they name in the app, with the token in the fragment only', () => {
    for (const page of LINKED_PAGES) {
      const url = new URL(signInLink(WEB_URL, 'T').replace('/signin/', `/${page}/`));
      expect(match(`/${page}`, pagePath(url.pathname))).toEqual({});
      expect(url.hash).toBe('#T');
      expect(url.search).toBe('');
    }
    const routes = [
      'web/src/routes.tsx',
      'web/src/pages/expert/routes.tsx',
      'web/src/pages/unit/routes.tsx',
      'web/src/pages/secretariat/routes.tsx',
    ]
      .map((file) => readFileSync(join(REPO_ROOT, file), 'utf8'))
      .join('\n');
    for (const page of LINKED_PAGES) expect(routes).toContain(`path: '/${page}'`);
  });

  it('would fail without the copies: S3 has no index documents', () => {
    expect(fromBucket(`${WEB_URL}/signin/#T`).status).toBe(403);
    expect(fromBucket(`${WEB_URL}/review/`).status).toBe(403);
    expect(fromBucket(`${WEB_URL}/`).status).toBe(200);
  });
});
