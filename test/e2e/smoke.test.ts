import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { mails } from '../support/people.js';
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

it('says a used link cannot sign in again and mails a fresh one to the invited address', async () => {
  const printed = cloud.signInLinks.find((l) => l.role === 'ops' && l.campaignId === 'cast-2024');
  const link = printed?.url ?? '';
  const first = await newContext(running.browser, { baseURL: cloud.urls.web });
  const firstPage = await first.newPage();
  await firstPage.goto(link);
  await firstPage.getByRole('button', { name: '登录' }).click();
  await firstPage.waitForURL(/\/ops$/);

  // The same link in another browser: refused, said plainly, with the way to a fresh link.
  const second = await newContext(running.browser, { baseURL: cloud.urls.web });
  const page = await second.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: '登录' }).click();
  const notice = page.getByRole('alert');
  await expect.poll(() => notice.textContent()).toContain('此登录链接已经用过一次，不能再次登录');
  expect(await page.getByRole('button', { name: '登录', exact: true }).count()).toBe(0);
  // No code, id or stack trace in the officer's way.
  const shown = (await page.locator('main').textContent()) ?? '';
  expect(shown).not.toMatch(/LINK_USED|403|[A-Za-z0-9_-]{30,}/);
  await screenshot(page, 'signin-used-link');

  const before = (await mails(cloud, 'operations@cast-2024.localhost')).length;
  await page.getByRole('button', { name: '发送新的登录链接到我的邮箱' }).click();
  const answer = page.getByRole('status');
  await expect.poll(() => answer.first().textContent()).toContain('新的登录链接已发送到受邀时的邮箱');
  await screenshot(page, 'signin-used-link-sent');
  const after = await mails(cloud, 'operations@cast-2024.localhost');
  expect(after).toHaveLength(before + 1);
  const fresh = /(http:\/\/\S+\/signin\/index\.html#\S+)/.exec(after.at(-1) ?? '')?.[1] ?? '';
  expect(fresh).not.toBe(link);

  // The fresh link signs in; the first browser's session still works.
  await page.goto(fresh);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/ops$/);
  const stillIn = await firstPage.evaluate(async () => (await fetch('/api/session')).status);
  expect(stillIn).toBe(200);

  // In English too.
  const english = await newContext(running.browser, { baseURL: cloud.urls.web });
  const englishPage = await english.newPage();
  await englishPage.goto(link);
  await englishPage.getByRole('button', { name: 'English' }).click();
  await englishPage.getByRole('button', { name: 'Sign in' }).click();
  await expect
    .poll(() => englishPage.getByRole('alert').textContent())
    .toContain('This sign-in link has already been used and cannot sign in again');
  await expect
    .poll(() => englishPage.getByRole('button', { name: 'Mail me a fresh link' }).isVisible())
    .toBe(true);
  await screenshot(englishPage, 'signin-used-link-en');
  await Promise.all([first.close(), second.close(), english.close()]);
}, 90_000);
