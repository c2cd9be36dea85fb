import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { LocalCloudSeeder } from '../support/seed.js';
import { launchBrowser, newContext, type RunningBrowser, screenshot } from './support/browser.js';
import { awaiting, inviteAndSignIn, secretariatLink, secretariatOf } from './support/campaign.js';
import { check, poll, signInWith } from './support/pages.js';

/**
 * A person's requests on the secretariat's nomination page: 更正个人信息 corrects the nominee's
 * fields with the form's own inputs and checks; 删除此人的个人信息 says in plain words what the
 * deletion does, asks for a written reason, and after it the page says the data is gone. No id or
 * code stands in the officer's way.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-requests-'));
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

/** Nothing an officer should have to read: a nomination id, an error code, a stack. */
const NO_IDS_OR_CODES = /\bn-[0-9a-z]{10,}|[A-Z]{3,}_[A-Z_]{3,}|at \w+ \(/;

it("corrects a nominee's phone, then deletes the nominee's data after showing what that does", async () => {
  const sec = await secretariatOf(cloud, 'cast-2024');
  const unit = await inviteAndSignIn(cloud, sec, {
    role: 'unit',
    subjectId: 'soc-requests',
    name: '中国天文学会',
    email: 'requests@units.example.cn',
    unitType: 'national-society',
  });
  const nominee = await new LocalCloudSeeder(cloud).submitted(unit, 'volunteer');
  await awaiting(sec, nominee.id, 'screening');
  const stored = async () =>
    (await sec.call<{ nomination: Nomination }>('GET', `/api/nominations/${nominee.id}`)).body.nomination;

  const context = await newContext(running.browser, { baseURL: cloud.urls.web });
  const page = await context.newPage();
  await signInWith(page, await secretariatLink(cloud, 'cast-2024'), /\/secretariat$/);
  await page.goto(`/secretariat/nominations/${nominee.id}`);
  const requests = page.getByRole('region', { name: '本人请求：更正或删除个人信息' });

  // Correct: the form's own inputs; a wrong phone is refused by name, a right one saved.
  await requests.getByRole('button', { name: '更正个人信息' }).click();
  const correction = page.getByRole('dialog', { name: '更正个人信息' });
  const phone = correction.getByLabel('联系方式');
  await phone.fill('12');
  await correction.getByRole('button', { name: '保存更正' }).click();
  await correction
    .getByText(/联系方式/)
    .last()
    .waitFor();
  await screenshot(page, 'secretariat-correct-personal-information');
  expect(await correction.textContent()).not.toMatch(NO_IDS_OR_CODES);
  expect((await stored()).form.contact).toBe('13800138000');
  await phone.fill('13900139000');
  await correction.getByRole('button', { name: '保存更正' }).click();
  await requests.getByText(/^已更正：联系方式/).waitFor();
  await poll(async () => (await stored()).form.contact).toBe('13900139000');
  await page.locator('.timeline li').filter({ hasText: '秘书处更正个人信息' }).first().waitFor();
  await screenshot(page, 'secretariat-corrected-personal-information');

  // Delete: the consequence in words, a reason required, a confirmation.
  await requests.getByRole('button', { name: '删除此人的个人信息' }).click();
  const deletion = page.getByRole('dialog', { name: '删除此人的个人信息？' });
  await deletion.getByText('被推荐人退出本次活动', { exact: false }).waitFor();
  const said = (await deletion.textContent()) ?? '';
  for (const words of [
    '此推荐撤回',
    '中国天文学会的推荐名额空出一个',
    '办理流程立即终止',
    '全部附件（含所有历史版本）被永久删除',
    '删除后无法恢复',
  ])
    expect(said).toContain(words);
  expect(said).not.toMatch(NO_IDS_OR_CODES);
  await deletion.getByRole('button', { name: '确认删除' }).click();
  await deletion.getByRole('alert').filter({ hasText: '请写明删除理由' }).waitFor();
  expect((await stored()).status).toBe('submitted');
  await deletion.getByLabel('删除理由（必填）').fill('本人 2025 年 2 月 3 日书面申请删除');
  await screenshot(page, 'secretariat-delete-personal-information');
  await check(page, 'secretariat-delete-dialog');
  await deletion.getByRole('button', { name: '确认删除' }).click();
  await requests.getByText('此人的个人信息已应其请求删除', { exact: false }).waitFor();
  await screenshot(page, 'secretariat-deleted-personal-information');
  expect(await requests.textContent()).not.toMatch(NO_IDS_OR_CODES);
  const after = await stored();
  expect(after).toMatchObject({ status: 'withdrawn', form: {}, attachments: [] });
  await context.close();
}, 120_000);
