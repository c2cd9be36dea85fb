import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { validForms } from '../fixtures/forms.js';
import { realPdf, realPng } from '../fixtures/real-files.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import { launchBrowser, newContext, type RunningBrowser, screenshot } from './support/browser.js';
import { invite, secretariatOf } from './support/campaign.js';
import {
  confirmDeclarations,
  downloadWordForm,
  escapeRegExp,
  expectAccessible,
  expectThousandCharacterLimit,
  field,
  fileIn,
  paddedJpeg,
  signInWith,
  typeVolunteerForm,
  uploadFiles,
} from './support/pages.js';

/**
 * The unit portal in Chromium against the whole local cloud: a provincial association invited
 * by the secretariat signs in through its e-mailed link, sees its quota and deadline, fills a
 * volunteer form by typing (live checks, the 1,000-character limit, eligibility), downloads the
 * Word file, has a too-small photo and a renamed PNG refused in the browser without a single
 * request, uploads real files with progress bars, declares and submits; then the secretariat
 * returns it with reasons, which the unit reads in the timeline before resubmitting.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-unit-'));
const files = mkdtempSync(join(tmpdir(), 'laurel-e2e-unit-files-'));
let cloud: LocalCloud;
let running: RunningBrowser;
const campaign = builtinCampaign('cast-2024');

beforeAll(async () => {
  [cloud, running] = await Promise.all([startLocalCloud({ dataDir, port: 0 }), launchBrowser()]);
}, 90_000);

afterAll(async () => {
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

/** A real JPEG padded after its end marker to `size` bytes, as a file to choose. */
const photo = (name: string, size: number) => fileIn(files, name, paddedJpeg(size));

const signedInSecretariat = () => secretariatOf(cloud, 'cast-2024');

/** Invites a provincial association to cast-2024; the sign-in link mailed to it. */
const inviteUnit = (secretariat: ApiClient, subjectId: string) =>
  invite(cloud, secretariat, {
    role: 'unit',
    subjectId,
    name: '浙江省科学技术协会',
    email: `${subjectId}@units.example.cn`,
    unitType: 'provincial-association',
  });

describe('unit portal', () => {
  it('takes a volunteer nomination from sign-in through upload, submission, return and resubmission', async () => {
    const secretariat = await signedInSecretariat();
    const link = await inviteUnit(secretariat, 'zj-kexie');

    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));

    // Sign in through the e-mailed link: it lands on the unit's desk.
    await signInWith(page, link, /\/unit$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('我的推荐');
    const timer = page.getByRole('timer');
    await expect.poll(() => timer.textContent()).toMatch(/^\d+ 天 \d\d 小时 \d\d 分 \d\d 秒$/);
    const first = await timer.textContent();
    await expect.poll(() => timer.textContent(), { timeout: 3000 }).not.toBe(first); // it ticks
    // The deadline is the campaign's (the end of 23 Feb 2025, China time), counted from the campaign clock.
    expect(await page.locator('.unit-deadline time').getAttribute('datetime')).toBe(
      '2025-02-24T00:00:00+08:00',
    );
    const volunteerCard = page.locator('section.unit-quota', {
      has: page.getByRole('heading', { name: '最美科技志愿者' }),
    });
    expect(await volunteerCard.textContent()).toContain('已用名额 0 / 5');
    expect(await volunteerCard.textContent()).toContain('每个类别推荐不超过 5 个');
    await screenshot(page, 'unit-dashboard');
    await expectAccessible(page, 'dashboard');

    // A new volunteer nomination.
    await page.getByRole('button', { name: /^新建推荐\s*：最美科技志愿者$/ }).click();
    await page.waitForURL(/\/unit\/nominations\/n-/);
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    await field(page, '姓名').waitFor();

    // Fields in the official order, labelled in Chinese.
    const labels = await page.locator('.unit-form label').allTextContents();
    expect(labels.map((l) => l.replace(/\s*\*$/, ''))).toEqual([
      '姓名',
      '性别',
      '出生年月',
      '政治面貌',
      '通讯地址',
      '联系方式',
      '所在科技志愿服务组织',
      '主要服务项目',
      '何时起参加科技志愿服务活动',
      '参加科技志愿服务活动次数',
      '主要事迹',
      '已在“大美志愿”微信小程序注册',
    ]);

    // Live validation on every change, under the field, with aria-invalid and aria-describedby.
    const contact = field(page, '联系方式');
    await contact.pressSequentially('12345');
    await expect.poll(() => contact.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await contact.getAttribute('aria-describedby')) ?? '';
    const problemId = describedBy.split(' ').find((part) => part.endsWith('-problem')) as string;
    expect(await page.locator(`#${problemId}`).textContent()).toContain('联系方式：格式不正确');
    await contact.fill('');

    // Fill the whole form by typing.
    const form = validForms.volunteer;
    await typeVolunteerForm(page, form);
    const deeds = field(page, '主要事迹');
    expect(await contact.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => page.locator('#unit-issues').textContent()).toContain('推荐表已填写完整、无错误');

    // Eligibility while typing: the years of service against the campaign's reference date.
    const eligibility = page.locator('.unit-eligibility');
    await expect
      .poll(() => eligibility.textContent())
      .toContain('参加科技志愿服务年限：9 年（要求不少于 3 年），符合');
    const since = field(page, '何时起参加科技志愿服务活动');
    await since.fill('2023-01');
    await expect
      .poll(() => eligibility.textContent())
      .toContain('参加科技志愿服务年限：1 年（要求不少于 3 年），不符合');
    await since.fill(form.volunteeringSince);

    // The 1,000-character limit: the 1,001st character is refused, pasted or typed.
    const counter = page.locator(`#${(await deeds.getAttribute('id')) as string}-count`);
    await expectThousandCharacterLimit(page, deeds);
    await deeds.fill('愿'.repeat(999));
    await deeds.press('End');
    await deeds.pressSequentially('服务'); // the 1,000th goes in, the 1,001st does not
    expect([...(await deeds.inputValue())]).toHaveLength(1000);
    expect(await deeds.inputValue()).toBe(`${'愿'.repeat(999)}服`);
    expect(await counter.textContent()).toContain('已输入 1000 / 1000 字');
    // Emoji count as one character each, as the server counts them.
    await deeds.fill('愿'.repeat(998));
    await deeds.press('End');
    await page.keyboard.insertText('🌱🌱🌱');
    expect([...(await deeds.inputValue())]).toHaveLength(1000);
    await deeds.fill(form.mainDeeds);
    expect(await counter.textContent()).toContain(`已输入 ${[...form.mainDeeds].length} / 1000 字`);

    // Save the draft.
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect
      .poll(() => page.locator('.notice.ok').first().textContent())
      .toContain('草稿已保存，推荐表已填写完整。');

    // The English switch relabels the form, its counter and the checks.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => field(page, 'Name').inputValue()).toBe(form.name);
    expect(await counter.textContent()).toContain(`${[...form.mainDeeds].length} / 1000 characters`);
    expect(await eligibility.textContent()).toContain(
      'Years in S&T volunteer service: 9 years (at least 3 years required) — met',
    );
    await page.getByRole('button', { name: '中文' }).click();
    await field(page, '姓名').waitFor();

    // A change made in another window meanwhile: the save says so and keeps what was typed.
    await page.evaluate(async (nominationId) => {
      const current = await (await fetch(`/api/nominations/${nominationId}`)).json();
      await fetch(`/api/nominations/${nominationId}/form`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: current.nomination.version, form: current.nomination.form }),
      });
    }, id);
    await field(page, '主要服务项目').fill('乡村非遗手工艺科普课堂（线上线下）');
    await page.getByRole('button', { name: '保存草稿' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: '保存未成功' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('您在本页的输入仍然保留');
    await page.getByRole('button', { name: '用本页内容覆盖' }).click();
    await expect.poll(() => page.locator('.notice.ok').first().textContent()).toContain('已用本页内容保存');

    await screenshot(page, 'unit-form-desktop');
    await expectAccessible(page, 'form page');

    // The same page at phone width.
    const phone = await newContext(running.browser, { baseURL: cloud.urls.web, phone: true });
    await phone.addCookies(await context.cookies());
    const phonePage = await phone.newPage();
    await phonePage.goto(`/unit/nominations/${id}`);
    await field(phonePage, '姓名').waitFor();
    expect(await field(phonePage, '姓名').inputValue()).toBe(form.name);
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phonePage, 'unit-form-phone');
    await expectAccessible(phonePage, 'form page at phone width');
    await phone.close();

    // The Word file: a plain download link.
    const wordPath = await downloadWordForm(page, files);

    // Files refused in the browser: clear Chinese reasons, and nothing sent anywhere.
    const uploadRequests: string[] = [];
    const countUpload = (request: Request) => {
      const url = request.url();
      if (url.includes('/uploads') || url.includes('/attachments') || url.startsWith(cloud.urls.s3)) {
        uploadRequests.push(`${request.method()} ${url}`);
      }
    };
    page.on('request', countUpload);
    const minPhoto = campaign.attachments.photo.minBytes;
    await page
      .getByLabel('选择照片（可多选）')
      .setInputFiles(photo('小照片.jpg', Math.round(minPhoto * 0.9)));
    const smallPhoto = page.getByRole('alert').filter({ hasText: '照片文件过小' });
    await smallPhoto.waitFor();
    expect(await smallPhoto.textContent()).toBe('照片文件过小：0.9 MB，要求不小于 1 MB');
    const pngPath = fileIn(files, '盖章扫描件.pdf', realPng(640, 480));
    await page.getByLabel('选择扫描 PDF 文件').setInputFiles(pngPath);
    const notPdf = page.getByRole('alert').filter({ hasText: '不是 PDF' });
    await notPdf.waitFor();
    expect(await notPdf.textContent()).toBe('文件内容是 PNG 图片，不是 PDF：请上传盖章后的扫描 PDF');
    await page.waitForTimeout(500);
    expect(uploadRequests).toEqual([]);

    // Real files go up with a progress bar each, then are recorded.
    const progress = await uploadFiles(page, {
      photos: [photo('工作照1.jpg', minPhoto + 150_000), photo('工作照2.jpg', 2 * minPhoto)],
      scan: fileIn(files, '推荐表盖章扫描件.pdf', await realPdf(2)),
      word: wordPath,
    });
    expect(progress).toContainEqual({ value: 100, name: '上传进度：工作照1.jpg' });
    expect(progress.every((p) => p.value === 100)).toBe(true);
    expect(await page.locator('.unit-percent').allTextContents()).toContain('100%');
    expect(
      uploadRequests.filter((r) => r.startsWith('POST') && r.startsWith(`POST ${cloud.urls.s3}`)),
    ).toHaveLength(4);
    expect(await page.getByRole('img', { name: '照片：工作照1.jpg' }).count()).toBe(1);
    page.off('request', countUpload);
    const photos = page.locator('section.unit-upload-kind', {
      has: page.getByRole('heading', { name: /^照片/ }),
    });
    expect(await photos.locator('h3').textContent()).toContain('已传 2 张');
    // A third photo, then removed again.
    await page.getByLabel('选择照片（可多选）').setInputFiles(photo('工作照3.jpg', minPhoto + 50_000));
    await expect.poll(() => photos.locator('h3').textContent(), { timeout: 20_000 }).toContain('已传 3 张');
    await page.getByRole('button', { name: /^删除\s*工作照3\.jpg$/ }).click();
    await expect.poll(() => photos.locator('h3').textContent()).toContain('已传 2 张');
    expect(await page.getByRole('img', { name: '照片：工作照3.jpg' }).count()).toBe(0);
    // Each recorded file has its (presigned) download link.
    await expect
      .poll(() => page.getByRole('link', { name: /^下载\s*推荐表盖章扫描件\.pdf$/ }).getAttribute('href'))
      .toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=/);
    await screenshot(page, 'unit-uploads');

    // Declare, confirm the nominee's notice and consent, and submit: not before the confirmation.
    // The unit also marks the nominee as from the grassroots and the front line (optional).
    await page.getByLabel('被推荐对象立足基层一线（选填）').check();
    await page.getByLabel('本单位声明：上传的推荐材料不含涉密内容').check();
    const notice = page.getByRole('region', { name: /^个人信息告知书（第 1 版）$/ });
    expect(await notice.textContent()).toContain(
      '被推荐人可通过推荐单位向主办方秘书处查阅、复制、更正或删除',
    );
    await expect
      .poll(() => page.locator('.unit-checklist .fail').allTextContents())
      .toEqual([
        '✗ 未满足：尚未确认被推荐人已知悉个人信息告知书并同意',
        '✗ 未满足：尚未确认提交承诺（1 项）',
      ]);
    await page.getByLabel('本单位确认：已将上述告知书告知被推荐人，并取得其同意').check();
    // A volunteer's unit declares its materials objective, accurate and complete (the notice's words).
    expect(await confirmDeclarations(page)).toEqual([
      '本单位承诺：所报推荐材料客观、真实、准确、完整，涉及国家秘密的已严格遵守保密相关规定',
    ]);
    await expect.poll(() => page.locator('.unit-checklist .fail').count()).toBe(0);
    await notice.scrollIntoViewIfNeeded();
    await screenshot(page, 'unit-consent');
    await page.getByRole('button', { name: '提交推荐' }).click();
    await expect
      .poll(() => page.locator('.notice.ok').first().textContent())
      .toContain('已提交，等待秘书处初核。');
    expect(await page.locator('.unit-status .badge').textContent()).toBe('已提交，待初核');
    await expect.poll(() => page.locator('#unit-history').textContent()).toContain('提交推荐');
    // What the unit ticked reached the secretariat: the mark it confirms at screening.
    await expect
      .poll(() => page.locator('.unit-form, main').first().textContent())
      .toContain('✓ 已声明立足基层一线');
    const declaredToSecretariat = await secretariat.call<{ nomination: Nomination }>(
      'GET',
      `/api/nominations/${id}`,
    );
    expect(declaredToSecretariat.body.nomination).toMatchObject({
      grassroots: true,
      declarations: { items: [{ id: 'materials-accurate' }] },
    });

    // The secretariat returns it with reasons.
    const reasons = '照片不够清晰，请补充一张近期开展服务的工作照；主要事迹请写明累计服务时长。';
    const waiting = await eventually(
      async () => {
        const { body } = await secretariat.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`);
        return body.nomination.awaiting?.step === 'screening' ? body.nomination : undefined;
      },
      20_000,
      'awaiting screening',
    );
    const returned = await secretariat.call('POST', `/api/nominations/${id}/screening`, {
      version: waiting.version,
      decision: 'return',
      reasons,
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);

    // The unit sees the reasons at the top and in the timeline, and resubmits.
    await page.reload();
    const returnedNotice = page.getByRole('region', { name: '秘书处退回修改意见' });
    await returnedNotice.waitFor();
    expect(await returnedNotice.textContent()).toContain(reasons);
    const history = page.locator('#unit-history');
    await expect.poll(() => history.textContent()).toContain('秘书处退回修改');
    // The reasons, then the correction window the return gave.
    expect(await history.locator('.unit-reason').textContent()).toMatch(
      new RegExp(
        `^退回修改意见：${reasons.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}（修改截止 \\d{4}-\\d\\d-\\d\\d 24:00`,
      ),
    );
    const steps = await history.locator('.unit-timeline-head').allTextContents();
    expect(steps).toEqual(['创建草稿', '提交推荐', '秘书处退回修改', '已向推荐单位发送退回通知邮件']);
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'unit-timeline');
    await expectAccessible(page, 'returned nomination');
    await field(page, '主要事迹').fill(`${form.mainDeeds}累计服务时长 1,200 小时。`);
    await page.getByLabel('本单位确认：已将上述告知书告知被推荐人，并取得其同意').check();
    await confirmDeclarations(page);
    await page.getByRole('button', { name: '重新提交' }).click();
    await expect.poll(() => page.locator('.notice.ok').first().textContent()).toContain('已重新提交');
    await expect.poll(() => history.textContent()).toContain('修改后重新提交');
    expect(await page.locator('.unit-status .badge').textContent()).toBe('已提交，待初核');

    // Back on the desk: the nomination with its status; the slot is held once.
    await page.getByRole('link', { name: '← 返回我的推荐' }).click();
    await page.waitForURL(/\/unit$/);
    const row = page.getByRole('row', { name: new RegExp(form.name) });
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('已提交，待初核');
    await expect
      .poll(() =>
        page
          .locator('section.unit-quota', { has: page.getByRole('heading', { name: '最美科技志愿者' }) })
          .textContent(),
      )
      .toContain('已用名额 1 / 5');
    const saved = await secretariat.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`);
    expect(saved.body.nomination.form.mainDeeds).toContain('累计服务时长');
    expect(saved.body.nomination.attachments.map((a) => a.kind).sort()).toEqual([
      'photo',
      'photo',
      'scan',
      'word',
    ]);
    expect(browserErrors).toEqual([]);
    await context.close();
  }, 170_000);

  it('renders the organization, project and site forms with their lists, choices and live criteria', async () => {
    const link = await inviteUnit(await signedInSecretariat(), 'js-kexie');
    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await signInWith(page, link, /\/unit$/);

    /** A new draft of `category` from the desk, saved with `form` as another window would, then opened. */
    const openDraft = async (categoryName: string, form: object) => {
      await page.goto('/unit');
      await page
        .getByRole('button', { name: new RegExp(`^新建推荐\\s*：${escapeRegExp(categoryName)}$`) })
        .click();
      await page.waitForURL(/\/unit\/nominations\/n-/);
      const id = new URL(page.url()).pathname.split('/').pop() as string;
      const status = await page.evaluate(
        async ({ nominationId, body }) =>
          (
            await fetch(`/api/nominations/${nominationId}/form`, {
              method: 'PUT',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ version: 1, form: body }),
            })
          ).status,
        { nominationId: id, body: form },
      );
      expect(status).toBe(200);
      await page.reload();
      await page.locator('.unit-form').waitFor();
      return id;
    };
    const eligibility = page.locator('.unit-eligibility');
    const formCheck = page.locator('#unit-issues');

    // Site: a group of place names, a list of activity categories (a choice with "other"), a list of teams.
    await openDraft('最美科技志愿服务点（社区或村）', validForms.site);
    await expect.poll(() => formCheck.textContent()).toContain('推荐表已填写完整、无错误');
    expect(await page.getByRole('group', { name: '服务点名称' }).count()).toBe(1);
    expect(await field(page, '社区（村）').inputValue()).toBe('陶溪川社区');
    expect(await field(page, '活动类别 第 5 项').inputValue()).toBe('other');
    expect(await field(page, '其他类别名称').inputValue()).toBe('陶瓷工艺体验');
    expect(await eligibility.textContent()).toContain('科技志愿服务活动类别：5 种（要求不少于 5 种），符合');
    // A category listed twice is named under that entry, and the criterion counts distinct ones.
    await field(page, '活动类别 第 2 项').selectOption('science-lectures');
    const second = field(page, '活动类别 第 2 项');
    await expect.poll(() => second.getAttribute('aria-invalid')).toBe('true');
    expect(await formCheck.textContent()).toContain('还有 1 处需要填写或更正');
    await second.selectOption('st-training');
    // Removing a team drops the registered teams below five, at once.
    await page.getByRole('button', { name: /^删除\s*服务队 第 5 项$/ }).click();
    await expect
      .poll(() => eligibility.textContent())
      .toContain('在“大美志愿”注册的科技志愿服务队：4 支（要求不少于 5 支），不符合');
    await page.getByRole('button', { name: '添加服务队' }).click();
    const newTeam = field(page, '服务队名称').nth(4);
    await expect.poll(() => newTeam.evaluate((el) => el === document.activeElement)).toBe(true);
    await newTeam.pressSequentially('科普宣讲队');
    await page.getByRole('group', { name: '服务队 第 5 项' }).getByLabel('已在“大美志愿”注册').check();
    await expect.poll(() => eligibility.textContent()).toContain('5 支（要求不少于 5 支），符合');
    await screenshot(page, 'unit-form-site');
    await expectAccessible(page, 'site form');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('.notice.ok').first().textContent()).toContain('推荐表已填写完整');

    // Organization: projects with a brand flag; hours per person checked against the totals.
    await openDraft('最佳科技志愿服务组织', validForms.organization);
    await expect.poll(() => formCheck.textContent()).toContain('推荐表已填写完整、无错误');
    expect(await eligibility.textContent()).toContain(
      '持续运行的志愿服务品牌项目：2 个（要求不少于 2 个），符合',
    );
    // 成立时间 is a year and month, as the notice's table asks, typed as people write it.
    const founded = field(page, '成立时间');
    expect(await founded.inputValue()).toBe('2018-06');
    await founded.fill('2019年3月');
    await founded.blur();
    await expect.poll(() => founded.inputValue()).toBe('2019-03');
    expect(await page.locator('#uf-foundedOn-problem').count()).toBe(0);
    await founded.scrollIntoViewIfNeeded();
    await screenshot(page, 'unit-form-organization-founded');
    // 人均时数 off the quotient is a hint beside the form, never an error that blocks.
    await field(page, '人均开展科技志愿服务时数').fill('150');
    const hint = page.locator('.unit-editor-aside [role="note"]');
    await expect
      .poll(() => hint.textContent())
      .toContain('提示：人均时数 150 与累计时数 ÷ 注册人数（120）不一致');
    expect(await page.locator('#uf-serviceHoursPerPerson-problem').count()).toBe(0);
    await field(page, '人均开展科技志愿服务时数').fill('120');
    await page.getByRole('group', { name: '项目 第 2 项' }).getByLabel('品牌项目').uncheck();
    await expect.poll(() => eligibility.textContent()).toContain('1 个（要求不少于 2 个），不符合');

    // Project: valid as saved; then withdrawn from the page.
    await openDraft('最佳科技志愿服务项目', validForms.project);
    await expect.poll(() => formCheck.textContent()).toContain('推荐表已填写完整、无错误');
    expect(await eligibility.textContent()).toContain(
      '项目团队科技志愿者人数：36 人（要求不少于 10 人），符合',
    );
    await page.getByRole('button', { name: '撤回推荐' }).click();
    await page.getByRole('button', { name: '确认撤回' }).click();
    await expect.poll(() => page.locator('.unit-status .badge').textContent()).toBe('已撤回');
    expect(await field(page, '项目名称').isDisabled()).toBe(true);
    await expect.poll(() => page.locator('#unit-history').textContent()).toContain('撤回推荐');

    expect(browserErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
