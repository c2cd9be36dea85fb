import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { volunteer } from '../fixtures/forms.js';
import { LocalCloudSeeder } from '../support/seed.js';
import { launchBrowser, newContext, type RunningBrowser } from './support/browser.js';
import { secretariatLink } from './support/campaign.js';
import { check, poll, signInWith } from './support/pages.js';

/**
 * The secretariat's list of a round bigger than one page, in Chromium: 130 submitted nominations
 * put straight into the store. The page shows the server's pages one at a time (100, then 30),
 * next and back, with the total from the aggregate; the search goes to the server and finds a
 * name by its start, typed in traditional characters.
 */

const TOTAL = 130;
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
  const one = async (i: number) => {
    const stamp = new Date(at + i * 60_000).toISOString();
    const id = `n-paging${String(i).padStart(4, '0')}`;
    const nomination: Nomination = {
      id,
      campaignId: 'cast-2024',
      unitId: `prov-${i % 10}`,
      unitType: 'provincial-association',
      unitName: `第${i % 10}省科协`,
      category: 'volunteer',
      status: 'submitted',
      version: 1,
      form: volunteer({ name: i < ZHANG ? `张伟${i}` : `志愿者${i}` }) as unknown as Record<string, unknown>,
      attachments: [],
      noClassifiedContent: true,
      createdAt: stamp,
      updatedAt: stamp,
      submittedAt: stamp,
    };
    await seeder.store.create(nomination, {
      nominationId: id,
      at: stamp,
      actor: { role: 'system', subjectId: 'seed', name: 'seed' },
      action: 'seeded',
    });
  };
  for (let start = 0; start < TOTAL; start += 26) {
    await Promise.all(Array.from({ length: 26 }, (_, k) => one(start + k)));
  }
  seeder.destroy();
  const context = await newContext(running.browser, { baseURL: cloud.urls.web });
  page = await context.newPage();
}, 180_000);

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
});
