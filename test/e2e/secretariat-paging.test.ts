import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoCampaignStore } from '../../functions/adapters/campaign-store.js';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { CRITERIA } from '../support/memory/people.js';
import { LocalCloudSeeder } from '../support/seed.js';
import { inBatches, putSeeded, seededNomination, uniformReviews } from '../support/seeded.js';
import { launchBrowser, newContext, type RunningBrowser } from './support/browser.js';
import { secretariatLink } from './support/campaign.js';
import { check, poll, signInWith } from './support/pages.js';

/**
 * The secretariat's list of a round bigger than one page, in Chromium: 130 submitted nominations
 * put straight into the store. The page shows the server's pages one at a time (100, then 30),
 * next and back, with the total from the aggregate; the search goes to the server and finds a
 * name by its start, typed in traditional characters.
 *
 * The ranking likewise, in the society round (cacs-2024): 130 scored volunteers put straight into
 * the store with their stored ranking's entries (as the AggregateScores task writes them), the
 * server's page size of 100 — one category's ranking in rank order a page at a time, searched on
 * the server by the start of the name and by unit.
 */

const TOTAL = 130;
const RANKED = 130;
const SOCIETY = 'cacs-2024';
const ZHANG = 5;
const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-paging-'));
let cloud: LocalCloud;
let running: RunningBrowser;
let page: Page;
const rows = () => page.locator('table.nominations tbody tr');

beforeAll(async () => {
  [cloud, running] = await Promise.all([startLocalCloud({ dataDir, port: 0 }), launchBrowser()]);
  const seeder = new LocalCloudSeeder(cloud);
  const at = new Date('2025-02-01T00:00:00.000Z').getTime();
  await inBatches(TOTAL, 26, (i) =>
    putSeeded(
      seeder.store,
      seededNomination({
        id: `n-paging${String(i).padStart(4, '0')}`,
        campaignId: 'cast-2024',
        unitId: `prov-${i % 10}`,
        unitName: `第${i % 10}省科协`,
        category: 'volunteer',
        status: 'submitted',
        at: new Date(at + i * 60_000).toISOString(),
        name: i < ZHANG ? `张伟${i}` : `志愿者${i}`,
      }),
    ),
  );
  await seedRanking(seeder);
  seeder.destroy();
  const context = await newContext(running.browser, { baseURL: cloud.urls.web });
  page = await context.newPage();
}, 180_000);

/** Scored volunteers of the society round, nomination i ranked i + 1 (its experts' marks fall with i). */
async function seedRanking(seeder: LocalCloudSeeder) {
  const reviews = dynamoReviewStore(seeder.documents, 'laurel');
  const campaigns = dynamoCampaignStore(seeder.documents, 'laurel');
  for (let u = 0; u < 10; u += 1)
    await campaigns.saveUnit(SOCIETY, { id: `member-${u}`, name: `第${u}会员单位`, unitType: 'member' });
  const at = new Date('2025-02-01T00:00:00.000Z').getTime();
  await inBatches(RANKED, 26, async (i) => {
    const nomination = await putSeeded(
      seeder.store,
      seededNomination({
        id: `n-ranking${String(i).padStart(4, '0')}`,
        campaignId: SOCIETY,
        unitId: `member-${i % 10}`,
        unitType: 'member',
        unitName: `第${i % 10}会员单位`,
        category: 'volunteer',
        status: 'scored',
        at: new Date(at + i * 60_000).toISOString(),
        name: i < ZHANG ? `张伟${i}` : `志愿者${i}`,
      }),
    );
    await reviews.putRankingEntry(SOCIETY, {
      nominationId: nomination.id,
      category: 'volunteer',
      submittedAt: nomination.createdAt,
      reviews: uniformReviews(CRITERIA, 9.9 - i / 100),
    });
  });
}

afterAll(async () => {
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the secretariat list of a round larger than a page', () => {
  it('pages through the server’s pages and searches on the server', async () => {
    const lists: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/nominations?') || request.url().endsWith('/nominations'))
        lists.push(request.url());
    });
    await signInWith(page, await secretariatLink(cloud, 'cast-2024'), /\/secretariat$/);
    await poll(() => rows().count()).toBe(100);
    await page
      .getByRole('status')
      .filter({ hasText: `显示第 1–100 份，共 ${TOTAL} 份` })
      .waitFor();
    const pager = page.getByRole('navigation', { name: '翻页' });
    expect(await pager.getByRole('button', { name: /上一页/ }).isDisabled()).toBe(true);
    await check(page, 'secretariat-list-page-1');

    await pager.getByRole('button', { name: /下一页/ }).click();
    await poll(() => rows().count()).toBe(TOTAL - 100);
    await page
      .getByRole('status')
      .filter({ hasText: `显示第 101–${TOTAL} 份，共 ${TOTAL} 份` })
      .waitFor();
    expect(await pager.getByText('第 2 页').count()).toBe(1);
    expect(await pager.getByRole('button', { name: /下一页/ }).isDisabled()).toBe(true);
    await check(page, 'secretariat-list-page-2');
    // The second page came with the server's cursor: one request a page, never every page at once.
    expect(lists.filter((u) => u.includes('cursor=')).length).toBe(1);

    await pager.getByRole('button', { name: /上一页/ }).click();
    await poll(() => rows().count()).toBe(100);

    // 張偉 in traditional characters finds 张伟… by the start of the name, on the server.
    await page.getByLabel('按名称搜索').fill('張偉');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await poll(() => rows().count()).toBe(ZHANG);
    expect(lists.some((u) => u.includes(`q=${encodeURIComponent('張偉')}`))).toBe(true);
    expect(await page.getByRole('navigation', { name: '翻页' }).count()).toBe(0);
    await check(page, 'secretariat-list-searched');
    // A part of a name that is not its start finds nothing, and says so.
    await page.getByLabel('按名称搜索').fill('伟');
    await page.getByLabel('按名称搜索').press('Enter');
    await page.getByText('没有符合筛选条件的推荐。').waitFor();
  }, 120_000);

  it('pages the ranking of a category in rank order and searches it on the server', async () => {
    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const officer = await context.newPage();
    const rankings: string[] = [];
    officer.on('request', (request) => {
      if (request.url().includes('/ranking')) rankings.push(request.url());
      // Never every nomination: the ranking page reads no nomination list.
      if (request.url().includes('/nominations')) rankings.push(`LIST ${request.url()}`);
    });
    const ranked = officer.locator('table.ranking tbody tr:not(.quota-line-label)');
    // The sign-in lands on the list page, which reads its own first page and its count of
    // submitted ones: both answered before counting what the ranking page asks for. (The landing
    // is a route change inside the app, so the page's load state does not wait for them.)
    const listPageReads = Promise.all([
      officer.waitForResponse((r) => /\/api\/campaigns\/[^/]+\/nominations$/.test(r.url())),
      officer.waitForResponse((r) => r.url().includes('/nominations?status=submitted&limit=1')),
    ]);
    await signInWith(officer, await secretariatLink(cloud, SOCIETY), /\/secretariat$/);
    await listPageReads;
    rankings.length = 0;
    await officer.goto('/secretariat/ranking');
    await poll(() => ranked.count()).toBe(100);
    await officer
      .getByRole('status')
      .filter({ hasText: `显示第 1–100 份，共 ${RANKED} 份` })
      .waitFor();
    expect(await ranked.nth(0).locator('td.rank').textContent()).toBe('1');
    expect(await ranked.nth(0).textContent()).toContain('张伟0');
    expect(await ranked.nth(0).textContent()).toContain('第0会员单位');
    expect(await ranked.nth(99).locator('td.rank').textContent()).toBe('100');
    // The quota (2 a category) is drawn under the second, once.
    expect(await officer.locator('tr.quota-line-label').count()).toBe(1);
    expect(await ranked.nth(1).getAttribute('class')).toBe('quota-line');
    const pager = officer.getByRole('navigation', { name: '排名翻页' }).first();
    expect(await pager.getByRole('button', { name: /上一页/ }).isDisabled()).toBe(true);
    await check(officer, 'secretariat-ranking-page-1');

    await pager.getByRole('button', { name: /下一页/ }).click();
    await poll(() => ranked.count()).toBe(RANKED - 100);
    await officer
      .getByRole('status')
      .filter({ hasText: `显示第 101–${RANKED} 份，共 ${RANKED} 份` })
      .waitFor();
    expect(await ranked.nth(0).locator('td.rank').textContent()).toBe('101');
    expect(await ranked.nth(0).textContent()).toContain('志愿者100');
    // The line fell on the first page: none on this one.
    expect(await officer.locator('tr.quota-line-label').count()).toBe(0);
    expect(await pager.getByText('第 2 页').count()).toBe(1);
    expect(await pager.getByRole('button', { name: /下一页/ }).isDisabled()).toBe(true);
    await check(officer, 'secretariat-ranking-page-2');
    expect(rankings.filter((u) => u.includes('cursor=')).length).toBe(1);
    await pager.getByRole('button', { name: /上一页/ }).click();
    await poll(() => ranked.count()).toBe(100);

    // 張偉 in traditional characters finds the five 张伟… by the start of the name, on the server,
    // with the ranks of the whole category.
    await officer.getByLabel('按名称搜索').fill('張偉');
    await officer.getByRole('button', { name: '搜索', exact: true }).click();
    await poll(() => ranked.count()).toBe(ZHANG);
    expect(await officer.locator('table.ranking td.rank').allTextContents()).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(rankings.some((u) => u.includes(`q=${encodeURIComponent('張偉')}`))).toBe(true);
    await officer
      .getByRole('status')
      .filter({ hasText: `共 ${ZHANG} 份符合查找条件` })
      .waitFor();
    expect(await officer.getByRole('navigation', { name: '排名翻页' }).count()).toBe(0);
    await check(officer, 'secretariat-ranking-searched');

    // By unit, chosen by its name: the 13 of 第3会员单位, ranked 4, 14, 24…
    await officer.getByLabel('按名称搜索').fill('');
    await officer.getByLabel('推荐单位').selectOption({ label: '第3会员单位' });
    await poll(() => ranked.count()).toBe(RANKED / 10);
    expect((await officer.locator('table.ranking td.rank').allTextContents()).slice(0, 3)).toEqual([
      '4',
      '14',
      '24',
    ]);
    expect(rankings.some((u) => u.includes('unit=member-3'))).toBe(true);
    // A part of a name that is not its start finds nothing, and says so.
    await officer.getByLabel('按名称搜索').fill('伟');
    await officer.getByLabel('按名称搜索').press('Enter');
    await officer.getByText('没有符合查找条件的推荐。').waitFor();
    expect(rankings.filter((u) => u.startsWith('LIST'))).toEqual([]);
    await context.close();
  }, 120_000);
});
