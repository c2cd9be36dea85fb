import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { launchBrowser, newContext, type RunningBrowser, screenshot } from './support/browser.js';

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-smoke-'));
let cloud: LocalCloud;
let running: RunningBrowser;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  running = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('signs the secretariat in through the printed link and switches language', async () => {
  const context = await newContext(running.browser, { baseURL: cloud.urls.web });
  const page = await context.newPage();
  const link = cloud.signInLinks.find((l) => l.role === 'secretariat')?.url ?? '';
  await page.goto(link);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/secretariat$/);
  await expect.poll(() => page.getByRole('button', { name: '退出' }).isVisible()).toBe(true);
  await page.getByRole('button', { name: 'English' }).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  // The page itself is in English now, not only its lang attribute: the menu, the buttons.
  await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  await expect.poll(() => page.getByRole('button', { name: '中文' }).isVisible()).toBe(true);
  await expect.poll(() => page.getByRole('navigation', { name: 'Main menu' }).isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: '退出' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'English' }).count()).toBe(0);
  await screenshot(page, 'smoke-secretariat');
  await context.close();
}, 60_000);
