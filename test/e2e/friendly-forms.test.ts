import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { launchBrowser, newContext, type RunningBrowser, screenshot } from './support/browser.js';
import { invite, secretariatOf } from './support/campaign.js';
import { field, signInWith } from './support/pages.js';

/**
 * What a person who is not technical meets first: dates typed the way they write them, and a
 * refusal said in one sentence of their own language, its code folded away.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-friendly-'));
let cloud: LocalCloud;
let running: RunningBrowser;

beforeAll(async () => {
  [cloud, running] = await Promise.all([startLocalCloud({ dataDir, port: 0 }), launchBrowser()]);
}, 90_000);

afterAll(async () => {
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('friendly forms and errors', () => {
  it('takes a year-month typed as 1978年5月, 1978.5 or 1978/05, and says once what is wrong with 1978-13', async () => {
    const secretariat = await secretariatOf(cloud, 'cast-2024');
    const link = await invite(cloud, secretariat, {
      role: 'unit',
      subjectId: 'gd-kexie',
      name: '广东省科学技术协会',
      email: 'gd-kexie@units.example.cn',
      unitType: 'provincial-association',
    });
    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const page = await context.newPage();
    await signInWith(page, link, /\/unit$/);
    await page.getByRole('button', { name: /^新建推荐\s*：最美科技志愿者$/ }).click();
    await page.waitForURL(/\/unit\/nominations\//);
    const birth = field(page, '出生年月');
    const since = field(page, '何时起参加科技志愿服务活动');
    await birth.waitFor();

    for (const typed of ['1978年5月', '1978.5', '1978/05']) {
      await birth.fill('');
      await birth.pressSequentially(typed);
      await expect.poll(() => birth.getAttribute('aria-invalid'), { timeout: 3000 }).not.toBe('true');
      await since.focus(); // leaving the field shows the value as the form keeps it
      await expect.poll(() => birth.inputValue()).toBe('1978-05');
    }
    expect(await page.locator('.unit-form').textContent()).toContain('也可写作 2021年3月、2021.3 或 2021/03');

    await birth.fill('');
    await birth.pressSequentially('1978-13');
    await since.focus();
    await expect.poll(() => birth.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await birth.getAttribute('aria-describedby')) ?? '';
    const problemId = describedBy.split(' ').find((part) => part.endsWith('-problem')) as string;
    const problems = await page.locator(`#${problemId} .problem`).allTextContents();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('出生年月');
    await screenshot(page, 'friendly-date-entry');
    await context.close();
  }, 90_000);

  it('says a refusal in one sentence of the reader’s language, with the code only behind 详情 / Details', async () => {
    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const page = await context.newPage();
    await page.goto(`/review/index.html#${'x'.repeat(43)}`);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    const sentence = alert.locator('p').first();
    const zh = (await sentence.textContent()) ?? '';
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(zh).not.toMatch(/[A-Za-z]{3,}|HTTP|_/);
    expect(zh).toMatch(/。$/);
    // The code is there for whoever helps, folded away until asked for.
    const details = alert.locator('details');
    expect(await details.locator('summary').textContent()).toBe('详情');
    expect(await details.locator('p').isVisible()).toBe(false);
    await details.locator('summary').click();
    await expect.poll(() => details.locator('p').textContent()).toMatch(/^[A-Z_]+ · HTTP 4\d\d/);
    await screenshot(page, 'friendly-error-zh');

    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => sentence.textContent()).toMatch(/^[^\u4e00-\u9fff]+\.$/);
    expect(await alert.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await details.locator('summary').textContent()).toBe('Details');
    await screenshot(page, 'friendly-error-en');
    await context.close();
  }, 60_000);

  it('on a phone, the save bar never covers the field being filled in', async () => {
    const secretariat = await secretariatOf(cloud, 'cast-2024');
    const link = await invite(cloud, secretariat, {
      role: 'unit',
      subjectId: 'hn-kexie',
      name: '湖南省科学技术协会',
      email: 'hn-kexie@units.example.cn',
      unitType: 'provincial-association',
    });
    const context = await newContext(running.browser, { baseURL: cloud.urls.web, phone: true });
    const page = await context.newPage();
    await signInWith(page, link, /\/unit$/);
    await page.getByRole('button', { name: /^新建推荐\s*：最美科技志愿者$/ }).click();
    await page.waitForURL(/\/unit\/nominations\//);
    await field(page, '姓名').waitFor();
    const bar = page.locator('.unit-savebar');
    const inputs = page.locator('.unit-form input[type="text"], .unit-form textarea, .unit-form select');
    const count = await inputs.count();
    expect(count).toBeGreaterThan(8);
    for (let i = 0; i < count; i += 1) {
      const input = inputs.nth(i);
      await input.focus();
      const [box, barBox] = await Promise.all([input.boundingBox(), bar.boundingBox()]);
      if (!box || !barBox) throw new Error('no layout box');
      const overlaps = box.y < barBox.y + barBox.height && barBox.y < box.y + box.height;
      expect(overlaps, `field ${i} under the save bar`).toBe(false);
    }
    await screenshot(page, 'friendly-phone-unit-form');
    await context.close();
  }, 90_000);
});
