import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { VolunteerForm } from '../../../functions/rules/forms/volunteer.js';
import type { LocalCloud } from '../../../infra/local/cloud.js';
import { realJpeg } from '../../fixtures/real-files.js';
import { ARTIFACTS, screenshot, seriousViolations } from './browser.js';

/**
 * What a person does in the web UI, shared by the browser tests: signing in with a link,
 * following a link from the mail page, typing the volunteer form, pasting past a character
 * limit, downloading the Word form and uploading files with their progress bars.
 */

/** Waits for the page to show what is expected (vitest's default of 1 s is too short on a loaded machine). */
export const poll = <T>(check: () => Promise<T>, timeout = 20_000) =>
  expect.poll(check, { timeout, interval: 100 });

/** No serious or critical axe violation on the page as it is. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** A screenshot named `name`, and no serious or critical axe violation on the page. */
export async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page, name);
}

/** What the screen shows (a modal dialog sits in the viewport, not on the full page). */
export async function viewportShot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Opens a personal sign-in link, presses 登录 and waits for the role's home page. */
export async function signInWith(page: Page, link: string, home: RegExp, shot?: string): Promise<void> {
  await page.goto(link);
  const button = page.getByRole('button', { name: '登录', exact: true });
  await button.waitFor();
  if (shot) await screenshot(page, shot);
  await button.click();
  await page.waitForURL(home);
}

/**
 * Opens the local outbox's web page, finds the newest message to `to` whose text has `subject`,
 * and clicks the first link to `/<path>/index.html#…` in it, as a person reading their mail would.
 */
export async function followMailLink(
  page: Page,
  cloud: LocalCloud,
  message: { to: string; subject: string; path: string },
  shot?: string,
): Promise<void> {
  await page.goto(cloud.urls.mail);
  const article = page
    .locator('article')
    .filter({ hasText: message.to })
    .filter({ hasText: message.subject });
  const link = article.getByRole('link', { name: new RegExp(`/${message.path}/index\\.html#`) }).first();
  await link.waitFor();
  if (shot) await screenshot(page, shot);
  // The click event itself: on a phone the long link wraps and runs past the screen's edge, where
  // a pointer click at its box's centre can land beside it.
  await link.dispatchEvent('click');
  await page.waitForURL(new RegExp(`/${message.path}/index\\.html#`));
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form field by its label; a required field's label ends with a (screen-reader-hidden) asterisk. */
export const field = (page: Page, label: string) =>
  page.getByLabel(new RegExp(`^${escapeRegExp(label)}(\\s*\\*)?$`));

/** Types the whole volunteer form into the unit's nomination page, field by field in order. */
export async function typeVolunteerForm(page: Page, form: VolunteerForm): Promise<void> {
  await field(page, '姓名').pressSequentially(form.name);
  await field(page, '性别').selectOption(form.gender);
  await field(page, '出生年月').pressSequentially(form.birthYearMonth);
  await field(page, '政治面貌').selectOption(form.politicalStatus);
  await field(page, '通讯地址').pressSequentially(form.postalAddress);
  await field(page, '联系方式').pressSequentially(form.contact);
  await field(page, '所在科技志愿服务组织').pressSequentially(form.volunteerOrganization);
  await field(page, '主要服务项目').pressSequentially(form.mainServiceProject);
  await field(page, '何时起参加科技志愿服务活动').pressSequentially(form.volunteeringSince);
  await field(page, '参加科技志愿服务活动次数').pressSequentially(String(form.activitiesTakenPart));
  await field(page, '主要事迹').pressSequentially(form.mainDeeds);
  if (form.registeredOnDaMei) await field(page, '已在“大美志愿”微信小程序注册').check();
}

/** The character counter under a limited text field. */
export async function counterOf(page: Page, input: Locator): Promise<Locator> {
  return page.locator(`#${(await input.getAttribute('id')) as string}-count`);
}

/**
 * A paste of 1,001 characters into a 1,000-character field: the 1,001st is refused, the value
 * keeps 1,000 and the counter says so. The field is left holding the 1,000.
 */
export async function expectThousandCharacterLimit(page: Page, input: Locator): Promise<void> {
  const counter = await counterOf(page, input);
  await input.fill('');
  await input.focus();
  await page.keyboard.insertText('志'.repeat(1001)); // a paste of 1,001 characters
  await poll(() => input.inputValue()).toBe('志'.repeat(1000));
  expect(await counter.textContent()).toContain('已输入 1000 / 1000 字');
}

/** A real JPEG padded after its end marker to `size` bytes (how a large camera photo weighs). */
export function paddedJpeg(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(realJpeg(800, 600));
  return bytes;
}

/** Clicks 下载推荐表（Word）and keeps the file in `dir`: its path (a .docx, not empty). */
export async function downloadWordForm(page: Page, dir: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '下载推荐表（Word）' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const path = join(dir, '推荐表.docx');
  await download.saveAs(path);
  expect(statSync(path).size).toBeGreaterThan(0);
  return path;
}

/** Writes `bytes` to `dir/name`; the path, for a file input. */
export function fileIn(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export interface UploadProgress {
  value: number;
  name: string | null;
}

/**
 * Chooses files in the unit's upload inputs, waits until each is uploaded and checked by the
 * server, and returns every progress bar on the page (its value and accessible name).
 */
export async function uploadFiles(
  page: Page,
  files: { photos?: string[]; scan?: string; word?: string },
): Promise<UploadProgress[]> {
  const done = page.locator('.unit-job').filter({ hasText: '已上传并核验' });
  const before = await done.count();
  const count = (files.photos?.length ?? 0) + (files.scan ? 1 : 0) + (files.word ? 1 : 0);
  if (files.photos?.length) await page.getByLabel('选择照片（可多选）').setInputFiles(files.photos);
  if (files.scan) await page.getByLabel('选择扫描 PDF 文件').setInputFiles(files.scan);
  if (files.word) await page.getByLabel('选择 Word 文件（.docx、.doc 或 .wps）').setInputFiles(files.word);
  await poll(() => done.count(), 60_000).toBe(before + count);
  return page.locator('progress').evaluateAll((bars) =>
    bars.map((bar) => ({
      value: (bar as HTMLProgressElement).value,
      name: bar.getAttribute('aria-label'),
    })),
  );
}

/**
 * The secretariat resolves the objection whose card mentions `about`, from the publicity page:
 * the decision, the note, the confirmation dialog. Leaves checking the outcome to the caller.
 */
export async function resolveObjection(
  page: Page,
  about: string,
  decision: 'uphold' | 'dismiss',
  note: string,
): Promise<void> {
  const card = page.locator('.objection').filter({ hasText: about });
  const choice = decision === 'uphold' ? '异议成立（撤销该推荐）' : '异议不成立';
  await card.getByRole('radio', { name: choice }).check();
  await card.getByLabel('处理说明（必填）').fill(note);
  await card.getByRole('button', { name: '提交处理结论…' }).click();
  const [dialog, confirm] =
    decision === 'uphold' ? ['确认异议成立？', '确认成立并撤销'] : ['确认异议不成立？', '确认不成立'];
  await page.getByRole('dialog', { name: dialog }).getByRole('button', { name: confirm }).click();
}

/** Ticks every declaration the unit's submit step asks of this category (提交承诺), each by its label. */
export async function confirmDeclarations(page: Page): Promise<string[]> {
  const section = page.getByRole('region', { name: /^提交承诺（第 \d+ 版）$/ });
  const labels = await section.locator('label').allTextContents();
  for (const label of labels) await section.getByLabel(label).check();
  return labels;
}
