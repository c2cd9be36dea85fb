import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { validForms } from '../fixtures/forms.js';
import { realPdf } from '../fixtures/real-files.js';
import type { ApiClient } from '../support/api-client.js';
import { ARTIFACTS, launchBrowser, newContext, type RunningBrowser } from './support/browser.js';
import {
  awaiting,
  closeSubmissionsEarly,
  endPublicity,
  evenReview,
  invite,
  postReview,
  reviewLinksMailedTo,
  secretariatLink,
  secretariatOf,
} from './support/campaign.js';
import {
  check,
  confirmDeclarations,
  counterOf,
  downloadWordForm,
  expectAccessible,
  expectThousandCharacterLimit,
  field,
  fileIn,
  followMailLink,
  paddedJpeg,
  poll,
  resolveObjection,
  signInWith,
  typeVolunteerForm,
  uploadFiles,
  viewportShot,
} from './support/pages.js';

/**
 * Issue 6's acceptance line as one story, on one local cloud, with every person's step taken in
 * Chromium: a provincial association signs in from its invitation, fills a volunteer form (the
 * 1,001st character refused), downloads the Word file, uploads photos and the stamped scan with
 * progress bars, declares and submits; the secretariat screens it and sees the experts assigned;
 * an expert follows the review link from the mail page and scores with a confirmation; the
 * secretariat confirms the selection from the ranking and opens publicity; the public objects
 * through the notice's form; the secretariat dismisses the objection and, the period over,
 * releases; the public final list names the nominee and unit, never the phone or the address.
 *
 * Only what no person does in this story goes through the API: the invitations, the two other
 * experts' scores, and the end of the seven-day publicity period (moved into the past in the table).
 * Screenshots: test-artifacts/e2e/journey-NN-*.png.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-journey-'));
const files = mkdtempSync(join(tmpdir(), 'laurel-e2e-journey-files-'));
let cloud: LocalCloud;
let running: RunningBrowser;
let sec: ApiClient;
const contexts: BrowserContext[] = [];
const browserErrors: string[] = [];

const CAMPAIGN = 'cast-2024';
const UNIT = { subjectId: 'zj-kexie', name: '浙江省科学技术协会', email: 'zj-kexie@units.example.cn' };
const form = validForms.volunteer;
/** The form's personal details: they must never reach a public page. */
const PHONE = form.contact;
const ADDRESS = form.postalAddress;
/** The three experts who review (one belongs to another unit) and one kept off by a conflict. */
const EXPERTS = [
  { subjectId: 'journey-e1', name: '评审专家甲', email: 'e1@review.example.cn' },
  { subjectId: 'journey-e2', name: '评审专家乙', email: 'e2@review.example.cn', affiliation: 'js-kexie' },
  { subjectId: 'journey-e3', name: '评审专家丙', email: 'e3@review.example.cn' },
  { subjectId: 'journey-e4', name: '评审专家丁', email: 'e4@review.example.cn', affiliation: UNIT.subjectId },
];
const STEP = 90_000;

let unitLink = '';
let nominationId = '';
let secretariat: Page;

/** A fresh browser window (its own cookies) whose page errors are collected. */
async function windowFor(options: { phone?: boolean } = {}): Promise<Page> {
  const context = await newContext(running.browser, { baseURL: cloud.urls.web, ...options });
  contexts.push(context);
  context.setDefaultTimeout(45_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

/** A link of the secretariat's main menu. */
const menu = (page: Page, name: string) =>
  page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true });

beforeAll(async () => {
  [cloud, running] = await Promise.all([startLocalCloud({ dataDir, port: 0 }), launchBrowser()]);
  // Setup no person does in the story: the secretariat invites the unit and the experts.
  sec = await secretariatOf(cloud, CAMPAIGN);
  unitLink = await invite(cloud, sec, { role: 'unit', ...UNIT, unitType: 'provincial-association' });
  for (const expert of EXPERTS) await invite(cloud, sec, { role: 'expert', ...expert });
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('a nomination from invitation to the public final list', () => {
  it(
    '1. the unit signs in, fills the form, uploads with progress, declares and submits',
    async () => {
      const page = await windowFor();
      await signInWith(page, unitLink, /\/unit$/, 'journey-01-unit-signin');
      const volunteerCard = page.locator('section.unit-quota', {
        has: page.getByRole('heading', { name: '最美科技志愿者' }),
      });
      await poll(() => volunteerCard.textContent()).toContain('已用名额 0 / 5');
      await poll(() => page.getByRole('timer').textContent()).toMatch(/^\d+ 天/);
      await check(page, 'journey-02-unit-dashboard');

      await page.getByRole('button', { name: /^新建推荐\s*：最美科技志愿者$/ }).click();
      await page.waitForURL(/\/unit\/nominations\/n-/);
      nominationId = new URL(page.url()).pathname.split('/').pop() as string;
      await field(page, '姓名').waitFor();
      await typeVolunteerForm(page, form);

      // 主要事迹 takes 1,000 characters: a paste of 1,001 keeps 1,000, and one more typed is refused.
      const deeds = field(page, '主要事迹');
      await expectThousandCharacterLimit(page, deeds);
      await deeds.press('End');
      await deeds.pressSequentially('愿');
      expect([...(await deeds.inputValue())]).toHaveLength(1000);
      expect(await deeds.inputValue()).toBe('志'.repeat(1000));
      const counter = await counterOf(page, deeds);
      expect(await counter.textContent()).toContain('已输入 1000 / 1000 字');
      await check(page, 'journey-03-unit-limit-reached');
      await deeds.fill(form.mainDeeds);
      await poll(() => counter.textContent()).toContain(`已输入 ${[...form.mainDeeds].length} / 1000 字`);
      await poll(() => page.locator('#unit-issues').textContent()).toContain('推荐表已填写完整、无错误');
      await page.getByRole('button', { name: '保存草稿' }).click();
      await poll(() => page.locator('.notice.ok').first().textContent()).toContain('草稿已保存');

      // The Word file, then two photos, the stamped scan and the Word file up, each bar to 100 %.
      const word = await downloadWordForm(page, files);
      const minPhoto = builtinCampaign(CAMPAIGN).attachments.photo.minBytes;
      const progress = await uploadFiles(page, {
        photos: [
          fileIn(files, '服务现场1.jpg', paddedJpeg(minPhoto + 120_000)),
          fileIn(files, '服务现场2.jpg', paddedJpeg(minPhoto + 240_000)),
        ],
        scan: fileIn(files, '推荐表盖章扫描件.pdf', await realPdf(2)),
        word,
      });
      for (const name of ['服务现场1.jpg', '服务现场2.jpg', '推荐表盖章扫描件.pdf', '推荐表.docx']) {
        expect(progress).toContainEqual({ value: 100, name: `上传进度：${name}` });
        expect(await page.getByRole('progressbar', { name: `上传进度：${name}` }).isVisible()).toBe(true);
      }
      expect(await page.locator('.unit-percent').allTextContents()).toEqual(Array(4).fill('100%'));
      await check(page, 'journey-04-unit-uploads');

      // No classified content, declared; then submitted.
      await page.getByLabel('本单位声明：上传的推荐材料不含涉密内容').check();
      await page.getByLabel('本单位确认：已将上述告知书告知被推荐人，并取得其同意').check();
      await confirmDeclarations(page);
      await poll(() => page.locator('.unit-checklist .fail').count()).toBe(0);
      await page.getByRole('button', { name: '提交推荐' }).click();
      await poll(() => page.locator('.notice.ok').first().textContent()).toContain(
        '已提交，等待秘书处初核。',
      );
      expect(await page.locator('.unit-status .badge').textContent()).toBe('已提交，待初核');
      await poll(() => page.locator('#unit-history').textContent()).toContain('提交推荐');
      await check(page, 'journey-05-unit-submitted');
    },
    STEP,
  );

  it(
    '2. the secretariat screens it (pass) and sees the three experts assigned',
    async () => {
      await awaiting(sec, nominationId, 'screening');
      secretariat = await windowFor();
      const page = secretariat;
      await signInWith(
        page,
        await secretariatLink(cloud, CAMPAIGN),
        /\/secretariat$/,
        'journey-06-secretariat-signin',
      );
      const row = page.locator('table.nominations tbody tr').filter({ hasText: form.name });
      await row.waitFor();
      expect(await row.textContent()).toContain(UNIT.name);
      await check(page, 'journey-07-secretariat-list');

      await row.getByRole('link', { name: form.name }).click();
      await page.getByRole('heading', { name: form.name, level: 1 }).waitFor();
      await page.locator('iframe[title="盖章扫描件预览"]').waitFor();
      await poll(() => page.locator('.photo-list img').count()).toBe(2);
      await page.locator('.timeline li').first().waitFor();
      await check(page, 'journey-08-secretariat-screening');
      await page.getByRole('button', { name: '通过初核' }).click();
      await page
        .getByRole('dialog', { name: '确认通过初核？' })
        .getByRole('button', { name: '确认通过' })
        .click();
      await page.getByRole('status').filter({ hasText: '已通过初核' }).waitFor();

      // Passing assigns three experts; the one from the nominating unit is kept off.
      await awaiting(sec, nominationId, 'reviews');
      await menu(page, '评审专家').click();
      const assigned = page
        .locator('section[aria-labelledby="assignments-title"] tbody tr')
        .filter({ hasText: form.name });
      await poll(() => assigned.locator('ul.plain li').count()).toBe(3);
      const reviewers = await assigned.locator('ul.plain li').allTextContents();
      for (const expert of EXPERTS.slice(0, 3)) {
        expect(reviewers.some((r) => r.includes(expert.name))).toBe(true);
      }
      expect(await assigned.getByText(`回避：${EXPERTS[3]?.name}`).count()).toBe(1);
      await check(page, 'journey-09-secretariat-experts');
    },
    STEP,
  );

  it(
    '3. an expert opens the review link from the mail page and scores with a confirmation',
    async () => {
      const page = await windowFor({ phone: true });
      const expert = EXPERTS[0]?.email ?? '';
      await followMailLink(
        page,
        cloud,
        { to: expert, subject: '评审邀请', path: 'review' },
        'journey-10-mail-review-invitation',
      );
      // First the declaration of conflicts: who is nominated and by which unit, not the materials.
      await page.getByRole('heading', { name: '推荐对象' }).waitFor();
      expect(await page.getByRole('heading', { name: '推荐材料' }).count()).toBe(0);
      await poll(() => page.locator('main').textContent()).toContain(form.name);
      await page.getByRole('radio', { name: '我与此推荐不存在应回避的情形' }).check();
      await page.getByRole('button', { name: '声明并查看材料' }).click();
      await page.getByRole('heading', { name: '推荐材料' }).waitFor();
      await poll(() => page.locator('main').textContent()).toContain(form.name);
      await check(page, 'journey-11-expert-review');

      for (const [criterion, mark] of [
        ['exemplary', '9'],
        ['st-character', '9'],
        ['representative', '8'],
        ['sound-practice', '8'],
      ] as const) {
        await page.locator(`#score-${criterion}`).fill(mark);
      }
      await page.getByRole('radio', { name: '推荐', exact: true }).check();
      await page.getByLabel('评审意见（选填）').fill('长期扎根乡村开展科普，事迹突出。');
      await page.getByRole('button', { name: '提交评审…' }).click();
      const dialog = page.getByRole('dialog', { name: '确认提交评审' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('85.50'); // (30×9 + 25×9 + 25×8 + 20×8) ÷ 10
      await viewportShot(page, 'journey-12-expert-confirm');
      await expectAccessible(page, 'expert confirmation');
      await dialog.getByRole('button', { name: '确认提交' }).click();
      await poll(() => page.getByRole('status').first().textContent()).toContain('已提交，感谢您的评审！');
      await check(page, 'journey-13-expert-submitted');

      // The two other experts' scores, through the API.
      for (const other of EXPERTS.slice(1, 3)) {
        const [link] = await reviewLinksMailedTo(cloud, other.email);
        expect(link, other.email).toBeTruthy();
        expect(await postReview(cloud, link ?? '', evenReview(8))).toBe(201);
      }
      await awaiting(sec, nominationId, 'selection');
    },
    STEP,
  );

  it(
    '4. the secretariat confirms the selection from the ranking and opens publicity',
    async () => {
      const page = secretariat;
      await menu(page, '评审结果').click();
      const rows = page.locator('section[aria-labelledby="ranking-volunteer"] tbody tr');
      const ranked = rows.filter({ hasText: form.name });
      await ranked.waitFor();
      // CAST's round selects without a quota: every ranked nomination is within it, so no line is drawn.
      expect(await page.getByText('本轮择优不限名额。').count()).toBe(1);
      expect(await ranked.locator('td.rank').textContent()).toBe('1');
      expect(await ranked.textContent()).toContain('入选');
      expect(await ranked.textContent()).not.toContain('未入选');
      await check(page, 'journey-14-secretariat-ranking');
      // Before CAST's deadline the selection waits: every unit has submitted, so the round closes early.
      await closeSubmissionsEarly(sec, CAMPAIGN);
      await page.getByRole('button', { name: '确认择优…' }).click();
      const confirm = page.getByRole('dialog', { name: '确认择优结果？' });
      await poll(() => confirm.textContent()).toContain('最美科技志愿者：入选 1 份，未入选 0 份');
      await confirm.getByRole('button', { name: '确认择优' }).click();
      await page.getByRole('status').filter({ hasText: '已确认择优' }).waitFor();
      await poll(() => page.getByText('已确认', { exact: true }).count()).toBe(1);

      await awaiting(sec, nominationId, 'publicity');
      await menu(page, '公示与发布').click();
      await page.getByRole('button', { name: '开始公示…' }).click();
      const open = page.getByRole('dialog', { name: '开始公示？' });
      expect(await open.textContent()).toContain('公示期 7 天');
      await open.getByRole('button', { name: '开始公示' }).click();
      const onNotice = page.locator('table').filter({ hasText: '公示名单' }).locator('tbody tr');
      await poll(() => onNotice.count()).toBe(1);
      expect(await onNotice.textContent()).toContain(form.name);
      await check(page, 'journey-15-secretariat-publicity-open');
    },
    STEP,
  );

  it(
    '5. the public reads the notice and objects through its form',
    async () => {
      const page = await windowFor();
      await page.goto(`/public/${CAMPAIGN}/publicity`);
      await page.getByRole('heading', { name: /最美科技志愿者/ }).waitFor();
      const notice = (await page.locator('body').textContent()) ?? '';
      expect(notice).toContain(form.name);
      expect(notice).toContain(UNIT.name);
      expect(notice).not.toContain(PHONE);
      expect(notice).not.toContain(ADDRESS);
      await check(page, 'journey-16-public-publicity');

      await page.getByRole('button', { name: `对“${form.name}”提出异议` }).click();
      expect(await page.getByLabel('异议对象').inputValue()).toBe(nominationId);
      await page.getByLabel('异议理由').fill('该同志参加活动次数与实际情况不符，请核实。');
      await page.getByLabel('您的姓名').fill('王五');
      await page.getByLabel('联系方式（电话或电子邮箱）').fill('wangwu@example.cn');
      await page.getByRole('button', { name: '提交异议' }).click();
      await poll(() => page.getByRole('status').first().textContent()).toContain('异议已收到');
      await check(page, 'journey-17-public-objection-received');
    },
    STEP,
  );

  it(
    '6. the secretariat dismisses the objection and, the period over, releases',
    async () => {
      const page = secretariat;
      await page.reload();
      await page.getByRole('heading', { name: /异议（1 条待处理/ }).waitFor();
      await resolveObjection(page, '参加活动次数与实际情况不符', 'dismiss', '经核实，活动记录与材料一致');
      await page.getByRole('heading', { name: /异议（0 条待处理/ }).waitFor();
      await check(page, 'journey-18-secretariat-objection-dismissed');

      // The seven days pass: the period's end is moved into the past, as the other tests do.
      await endPublicity(cloud, CAMPAIGN);
      await page.reload();
      const release = page.getByRole('button', { name: '正式发布…' });
      await poll(() => release.isEnabled()).toBe(true);
      await release.click();
      await page
        .getByRole('dialog', { name: '正式发布名单？' })
        .getByRole('button', { name: '确认发布' })
        .click();
      await page.getByRole('status').filter({ hasText: '已正式发布 1 份推荐（1 个类别）' }).waitFor();
      await check(page, 'journey-19-secretariat-released');

      // The retention section as an officer reads it: the period, the date the server computed
      // (the overview's, one rule with the deletion job), no ids or codes, no deletion offered yet.
      await page.reload();
      const { body: overview } = await sec.call<{
        now: string;
        privacy: { retentionDays: number; erasureDueAt: string | null };
      }>('GET', `/api/campaigns/${CAMPAIGN}/overview`);
      const dueAt = overview.privacy.erasureDueAt ?? '';
      expect(Date.parse(dueAt)).toBeGreaterThan(Date.parse(overview.now));
      const dueDate = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' });
      const retention = page.getByRole('region', { name: '个人信息保存期限' });
      await poll(() => retention.textContent()).toContain(
        `本轮个人信息自${dueDate.format(new Date(dueAt))}起删除`,
      );
      const shown = (await retention.textContent()) ?? '';
      expect(shown).toContain(`正式发布后保存 ${overview.privacy.retentionDays} 天`);
      expect(shown).not.toMatch(/cast-2024|[A-Z]{2,}_[A-Z]+|erasure|retention|\d{4}-\d{2}-\d{2}T/);
      expect(await retention.getByRole('button').count()).toBe(0);
      await retention.scrollIntoViewIfNeeded();
      await retention.screenshot({ path: join(ARTIFACTS, 'journey-19b-secretariat-retention.png') });
    },
    STEP,
  );

  it(
    '7. the public final list names the nominee and unit, never the phone or the address',
    async () => {
      const page = await windowFor();
      await page.goto(`/public/${CAMPAIGN}/released`);
      await page.getByRole('heading', { name: /最美科技志愿者/ }).waitFor();
      await poll(() => page.locator('main').textContent()).toContain(form.name);
      const text = (await page.locator('body').textContent()) ?? '';
      const html = await page.content();
      expect(text).toContain(UNIT.name);
      for (const secret of [PHONE, ADDRESS, '文三路']) {
        expect(text).not.toContain(secret);
        expect(html).not.toContain(secret);
      }
      await check(page, 'journey-20-public-released');
      expect(browserErrors).toEqual([]);
    },
    STEP,
  );
});
