import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { validForms } from '../fixtures/forms.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import { executionArn, LocalCloudSeeder } from '../support/seed.js';
import {
  launchBrowser,
  newContext,
  type RunningBrowser,
  screenshot,
  seriousViolations,
} from './support/browser.js';
import {
  baseOf,
  CRITERIA,
  closeSubmissionsEarly,
  evenReview,
  finishCampaignStep,
  inviteAndSignIn,
  opsLink,
  postReview,
  reviewLinksMailedTo,
  secretariatOf,
  signedIn,
} from './support/campaign.js';
import { check, followMailLink, signInWith, viewportShot } from './support/pages.js';

/**
 * The expert page, the public pages and the ops view in Chromium against a local cloud: an
 * expert opens the e-mailed link on a phone and scores once; the public objects through the
 * notice's form and reads the final list without phone numbers or addresses; operations read
 * executions by status and a history, and restart an aborted execution from the page.
 * Preconditions are seeded through the HTTP API, as test/integration/full-pipeline.test.ts does.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-epo-'));
let cloud: LocalCloud;
let running: RunningBrowser;
let seeder: LocalCloudSeeder;
const base = () => baseOf(cloud);

/** The seeded form's personal details: they must never reach a public page. */
const PHONE = validForms.volunteer.contact;
const ADDRESS = validForms.volunteer.postalAddress;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  running = await launchBrowser();
  seeder = new LocalCloudSeeder(cloud);
}, 90_000);

afterAll(async () => {
  await running?.close();
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function passScreening(sec: ApiClient, id: string): Promise<void> {
  const n = await seeder.waitingIn(id, 'screening');
  const passed = await sec.call('POST', `/api/nominations/${id}/screening`, {
    version: n.version,
    decision: 'pass',
  });
  expect(passed.status, JSON.stringify(passed.body)).toBe(200);
}

/** Nothing wider than the screen: neither the page nor a table inside its scrolling wrapper. */
async function noHorizontalScroll(page: Page): Promise<void> {
  const overflowing = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll('.table-wrap')]
      .filter((e) => e.scrollWidth > e.clientWidth)
      .map((e) => e.className || e.tagName),
  );
  expect(overflowing).toEqual([]);
}

describe('expert page, public pages and ops view', () => {
  let sec: ApiClient;
  let nominationId = '';

  it('an expert opens the e-mailed link on a phone, scores, confirms and submits once', async () => {
    sec = await secretariatOf(cloud, 'cast-2024');
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'cas-astro',
      name: '中国天文学会',
      email: 'astro@cas.cn',
      unitType: 'national-society',
    });
    for (const i of ['a', 'b', 'c']) {
      await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: `expert-${i}`,
        name: `专家${i.toUpperCase()}`,
        email: `expert-${i}@review.cn`,
      });
    }
    nominationId = (await seeder.submitted(unit, 'volunteer')).id;
    await passScreening(sec, nominationId);
    await seeder.waitingIn(nominationId, 'reviews');

    const context = await newContext(running.browser, { baseURL: cloud.urls.web, phone: true });
    const page = await context.newPage();
    // The expert opens the message in the mail page and follows the link in it.
    await followMailLink(page, cloud, { to: 'expert-a@review.cn', subject: '评审邀请', path: 'review' });
    const reviewUrl = page.url();
    // First only who is nominated, in which category, by which unit: the declaration of conflicts.
    await expect.poll(() => page.getByRole('heading', { name: '推荐对象' }).isVisible()).toBe(true);
    const before = (await page.locator('main').textContent()) ?? '';
    expect(before).toContain('李晓梅');
    expect(before).toContain('中国天文学会');
    expect(before).not.toContain('通讯地址');
    expect(await page.getByRole('heading', { name: '推荐材料' }).count()).toBe(0);
    await page.getByRole('radio', { name: '我存在应回避的情形' }).check();
    await page.getByRole('combobox', { name: '回避情形' }).waitFor();
    await check(page, 'expert-review-declaration');
    await page.getByRole('radio', { name: '我与此推荐不存在应回避的情形' }).check();
    // The declaration's answer is the page with the materials: the page asks the API for it no more.
    const pageRequests: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) pageRequests.push(`${request.method()} ${pathname}`);
    });
    await page.getByRole('button', { name: '声明并查看材料' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '推荐材料' }).isVisible()).toBe(true);
    expect(pageRequests).toEqual(['POST /api/review/declaration']);

    // The materials: the form read-only with its labels and the photos — without the phone, the
    // address or the birth month, and without the Word form and the scan that print them.
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('李晓梅');
    const text = (await main.textContent()) ?? '';
    expect(text).toContain('主要事迹');
    expect(text).toContain('十年来坚持走进乡村学校开展手工艺科普。');
    expect(text).toContain('中共党员'); // the option's name, not its value
    expect(text).toContain('不向评审专家提供：出生年月、通讯地址、联系方式');
    for (const personal of [PHONE, ADDRESS, validForms.volunteer.birthYearMonth])
      expect(await page.content()).not.toContain(personal);
    expect(await page.getByRole('link', { name: /盖章扫描/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Word/ }).count()).toBe(0);
    const photos = page.getByRole('img', { name: /照片/ });
    expect(await photos.count()).toBe(3);
    await expect
      .poll(() => photos.first().evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(400);
    // The rubric with weights.
    expect(text).toContain('先进性：事迹突出、群众公认');
    expect(text).toContain('权重 30%，满分 10 分');
    await noHorizontalScroll(page);
    await check(page, 'expert-review-phone');

    // A second tab on the same link, opened before the first submits.
    const second = await context.newPage();
    await second.goto(reviewUrl);
    await second.locator('#score-exemplary').waitFor();

    // Submitting without every score names what is missing.
    await page.getByRole('button', { name: '提交评审…' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请先完成以下各项');
    for (const [c, mark] of [
      ['exemplary', '9'],
      ['st-character', '9'],
      ['representative', '8'],
      ['sound-practice', '8'],
    ] as const) {
      await page.locator(`#score-${c}`).fill(mark);
    }
    await page.getByRole('radio', { name: '推荐', exact: true }).check();
    await page.getByLabel('评审意见（选填）').fill('事迹突出，<script>alert(1)</script> 值得推荐。');
    await page.getByRole('button', { name: '提交评审…' }).click();
    const dialog = page.getByRole('dialog', { name: '确认提交评审' });
    await dialog.waitFor();
    const summary = await dialog.textContent();
    expect(summary).toContain('85.50'); // (30×9 + 25×9 + 25×8 + 20×8) ÷ 10
    expect(summary).toContain('<script>alert(1)</script>'); // text, never markup
    await noHorizontalScroll(page);
    await viewportShot(page, 'expert-review-confirm');
    expect(await seriousViolations(page)).toEqual([]);
    // A double click sends once: the button is disabled while sending.
    await dialog.getByRole('button', { name: '确认提交' }).dblclick();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('已提交，感谢您的评审！');
    expect(await page.locator('#score-exemplary').count()).toBe(0);
    await screenshot(page, 'expert-review-submitted');
    const view = await fetch(`${base()}/api/review`, {
      headers: { 'x-laurel-review-link': decodeURIComponent(reviewUrl.split('#')[1] ?? '') },
    });
    const shown = (await view.json()) as { decided: { total: number; comment: string } | null };
    expect(shown.decided?.total).toBe(85.5);

    // The second tab submits too: the API's 409 ALREADY_DECIDED, in both languages.
    for (const c of CRITERIA) await second.locator(`#score-${c}`).fill('5');
    await second.getByRole('radio', { name: '不推荐' }).check();
    await second.getByRole('button', { name: '提交评审…' }).click();
    await second.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await expect
      .poll(() => second.getByRole('alert').locator('p').first().textContent())
      .toContain('您已提交过此评审，不能重复提交');
    // One sentence in the reader's language; the code only behind 详情.
    const refusal = second.getByRole('alert');
    const refusalSentence = (await refusal.locator('p').first().textContent()) ?? '';
    expect(refusalSentence).not.toContain('You have already submitted this review');
    expect(refusalSentence).not.toContain('ALREADY_DECIDED');
    const refusalDetails = refusal.locator('details');
    expect(await refusalDetails.locator('summary').textContent()).toBe('详情');
    expect(await refusalDetails.locator('p').isVisible()).toBe(false);
    await refusalDetails.locator('summary').click();
    await expect
      .poll(() => refusalDetails.locator('p').textContent())
      .toContain('ALREADY_DECIDED · HTTP 409');
    await screenshot(second, 'expert-review-already-decided-409');
    await second.getByRole('button', { name: '刷新，查看评审状态' }).click();
    await expect.poll(() => second.locator('main').textContent()).toContain('您已提交过此评审，感谢！');

    // The link opened again: already decided, nothing to submit.
    await page.reload();
    await expect.poll(() => page.locator('main').textContent()).toContain('您已提交过此评审，感谢！');
    expect(await page.locator('#score-exemplary').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('85.50');
    await check(page, 'expert-review-reopened');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Rubric and weights' }).waitFor();
    const english = (await page.locator('main').textContent()) ?? '';
    expect(english).toContain('You have already submitted this review — thank you!');
    expect(english).toContain('Postal address');
    expect(english).toContain('CPC member');
    await noHorizontalScroll(page);
    await screenshot(page, 'expert-review-reopened-en');

    // A forged link: the API's answer.
    await page.goto(`${base()}/review/index.html#forged-link-token`);
    // The reader chose English above: the sentence is in English only, then in Chinese only.
    const forged = page.getByRole('alert').locator('p').first();
    await expect.poll(() => forged.textContent()).toContain('This review link is not valid');
    expect(await forged.textContent()).not.toContain('评审链接无效');
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => forged.textContent()).toContain('评审链接无效');
    expect(await forged.textContent()).not.toContain('This review link is not valid');
    await check(page, 'expert-review-forged');
    await context.close();

    // The two other experts decide through the API.
    for (const e of ['b', 'c']) {
      const [link = ''] = await reviewLinksMailedTo(cloud, `expert-${e}@review.cn`);
      expect(await postReview(cloud, link, evenReview(8))).toBe(201);
    }
    await seeder.waitingIn(nominationId, 'selection');
  }, 90_000);

  it('the public notice takes an objection from its form; the final list shows no phone or address', async () => {
    await closeSubmissionsEarly(sec, 'cast-2024');
    // Each campaign-wide step answers 202 with its job, followed to its end as the console does.
    expect((await finishCampaignStep(sec, '/api/campaigns/cast-2024/selection', {})).body.job).toMatchObject({
      status: 'done',
    });
    await seeder.waitingIn(nominationId, 'publicity');
    expect((await finishCampaignStep(sec, '/api/campaigns/cast-2024/publicity')).body.job).toMatchObject({
      status: 'done',
    });

    const context = await newContext(running.browser, { baseURL: cloud.urls.web, phone: true });
    const page = await context.newPage();
    await page.goto('/public/cast-2024/publicity');
    await page.getByRole('heading', { name: /最美科技志愿者/ }).waitFor();
    const notice = await page.locator('body').textContent();
    expect(notice).toContain('李晓梅');
    expect(notice).toContain('中国天文学会');
    expect(notice).toContain('公示期');
    expect(notice).not.toContain(PHONE);
    expect(notice).not.toContain(ADDRESS);
    await noHorizontalScroll(page);
    await check(page, 'public-publicity');

    await page.getByRole('button', { name: '对“李晓梅”提出异议' }).click();
    expect(await page.getByLabel('异议对象').inputValue()).toBe(nominationId);
    await page.getByLabel('异议理由').fill('该同志参加活动次数与实际情况不符，请核实。');
    await page.getByLabel('您的姓名').fill('王五');
    await page.getByLabel('联系方式（电话或电子邮箱）').fill('wangwu@example.cn');
    await page.getByRole('button', { name: '提交异议' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('异议已收到');
    await check(page, 'public-objection-received');

    // The secretariat sees it.
    const { body } = await sec.call<{
      objections: { id: string; nominationId: string; reason: string; contact: string }[];
    }>('GET', '/api/campaigns/cast-2024/objections');
    const objection = body.objections.find((o) => o.nominationId === nominationId);
    expect(objection).toMatchObject({
      reason: '该同志参加活动次数与实际情况不符，请核实。',
      contact: 'wangwu@example.cn',
    });

    // The publicity period passes: the form shows the API's refusal.
    await seeder.endPublicity('cast-2024');
    await page.getByLabel('异议理由').fill('公示期结束后提出的异议，应当被拒绝。');
    await page.getByRole('button', { name: '提交异议' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('当前不在公示期内，不能提出异议');
    await screenshot(page, 'public-objection-closed');

    const dismissed = await sec.call(
      'POST',
      `/api/campaigns/cast-2024/objections/${objection?.id}/resolution`,
      {
        decision: 'dismiss',
        note: '经核实材料无误',
      },
    );
    expect(dismissed.status).toBe(200);
    const released = await finishCampaignStep(sec, '/api/campaigns/cast-2024/release');
    expect(released.firstStatus, JSON.stringify(released.body)).toBe(202);
    expect(released.body.job).toMatchObject({ status: 'done' });

    await page.goto('/public/cast-2024/released');
    await page.getByRole('heading', { name: /最美科技志愿者/ }).waitFor();
    const finalList = await page.locator('body').textContent();
    expect(finalList).toContain('李晓梅');
    expect(finalList).toContain('中国天文学会');
    expect(finalList).not.toContain(PHONE);
    expect(finalList).not.toContain(ADDRESS);
    expect(finalList).not.toContain('文三路');
    expect(await page.content()).not.toContain(PHONE);
    await noHorizontalScroll(page);
    await check(page, 'public-released');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Final list' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Outstanding S&T volunteer');
    await screenshot(page, 'public-released-en');
    await context.close();
  }, 60_000);

  it('ops read executions by status and a history with failures, and restart an aborted execution', async () => {
    // A society round without experts: AssignExperts fails and retries, then operations stop it.
    const society = await secretariatOf(cloud, 'cacs-2024');
    const member = await inviteAndSignIn(cloud, society, {
      role: 'unit',
      subjectId: 'member-1',
      name: '会员单位一',
      email: 'm1@arts.cn',
      unitType: 'member',
    });
    const stuck = (await seeder.submitted(member, 'volunteer')).id;
    await passScreening(society, stuck);
    const ops = await signedIn(cloud, await opsLink(cloud, 'cacs-2024'));
    await eventually(
      async () => {
        const { body } = await ops.call<{ events: { type: string }[] }>(
          'GET',
          `/api/ops/executions/${stuck}/history`,
        );
        return body.events.some((e) => e.type === 'TaskFailed') ? true : undefined;
      },
      20_000,
      'AssignExperts failing',
    );
    await seeder.sfn.send(new StopExecutionCommand({ executionArn: executionArn(stuck) }));
    await eventually(async () => {
      const d = await seeder.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(stuck) }));
      return d.status === 'ABORTED' ? d : undefined;
    });
    // Operations fix the cause: the society invites its experts.
    for (const i of ['5', '6', '7']) {
      await inviteAndSignIn(cloud, society, {
        role: 'expert',
        subjectId: `arts-expert-${i}`,
        name: `工艺美术专家${i}`,
        email: `ae${i}@arts.cn`,
      });
    }

    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const page = await context.newPage();
    await signInWith(page, await opsLink(cloud, 'cacs-2024'), /\/ops$/);
    await page.getByRole('heading', { name: /已中止（1）/ }).waitFor();
    const abortedSection = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: /已中止/ }) });
    expect(await abortedSection.getByRole('link', { name: stuck }).count()).toBe(1);
    // Each row names whom the execution is about, and the campaign is named above the list.
    expect(await abortedSection.getByRole('link', { name: stuck }).textContent()).toContain('会员单位一');
    expect(await page.locator('main').textContent()).toContain('活动：');
    // Operations see their own campaign's executions only: CAST's released nomination is not here.
    expect(await page.getByRole('link', { name: nominationId }).count()).toBe(0);
    await check(page, 'ops-executions');

    // Filter by status.
    await page.getByRole('radio', { name: '运行中' }).check();
    await page.getByRole('heading', { name: /^运行中（/ }).waitFor();
    expect(await page.getByRole('heading', { name: /已完成/ }).count()).toBe(0);
    await page.getByRole('radio', { name: '全部' }).check();
    await page.getByRole('heading', { name: /已中止（1）/ }).waitFor();

    // The released nomination's whole run, as CAST's operations see it.
    const castContext = await newContext(running.browser, { baseURL: cloud.urls.web });
    const castPage = await castContext.newPage();
    await signInWith(castPage, await opsLink(cloud, 'cast-2024'), /\/ops$/);
    const doneSection = castPage
      .locator('section')
      .filter({ has: castPage.getByRole('heading', { name: /已完成/ }) });
    await doneSection.first().waitFor();
    expect(await doneSection.getByRole('link', { name: nominationId }).count()).toBe(1);
    expect(await castPage.getByRole('link', { name: stuck }).count()).toBe(0);
    await castPage.getByRole('link', { name: nominationId }).click();
    await castPage.waitForURL(new RegExp(`/ops/executions/${nominationId}$`));
    await castPage.getByRole('heading', { name: '状态历史' }).waitFor();
    const done = await castPage.locator('main').textContent();
    expect(done).toContain('已完成');
    expect(done).toContain('AwaitReviews');
    expect(done).toContain('已发布（Released）');
    expect(done).toContain('流程完成');
    expect(await castPage.getByRole('button', { name: '重启流程…' }).count()).toBe(0);
    await check(castPage, 'ops-history-succeeded');
    await castContext.close();

    // The aborted one: its failures and retries highlighted, then restarted from the page.
    await page.goto('/ops');
    await page.getByRole('link', { name: stuck }).click();
    await page.waitForURL(new RegExp(`/ops/executions/${stuck}$`));
    await page.getByRole('heading', { name: '状态历史' }).waitFor();
    const failedVisit = page.locator('.timeline > li.ops-failed').filter({ hasText: 'AssignExperts' });
    expect(await failedVisit.count()).toBe(1);
    const visitText = await failedVisit.textContent();
    expect(visitText).toContain('任务失败');
    expect(visitText).toContain('Laurel.NotEnoughExperts');
    expect(await page.locator('main').textContent()).toContain('流程被中止');
    await check(page, 'ops-history-aborted');

    await page.getByRole('button', { name: '重启流程…' }).click();
    const dialog = page.getByRole('dialog', { name: '确认重启流程' });
    await dialog.waitFor();
    await viewportShot(page, 'ops-restart-confirm');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '确认重启' }).dblclick();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已重启');
    await page.getByRole('link', { name: `${stuck}-r1` }).click();
    await page.waitForURL(new RegExp(`/ops/executions/${stuck}-r1$`));
    // The new execution moves on to where the nomination stands: experts assigned, awaiting reviews.
    await seeder.waitingIn(stuck, 'reviews');
    await page.reload();
    await page.getByRole('heading', { name: '状态历史' }).waitFor();
    const restarted = await page.locator('main').textContent();
    expect(restarted).toContain('运行中');
    expect(restarted).toContain('等待专家评审（AwaitReviews）');
    await check(page, 'ops-history-restarted');
    await context.close();
  }, 60_000);
});
