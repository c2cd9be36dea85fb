import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { organization, volunteer } from '../fixtures/forms.js';
import { realPdf } from '../fixtures/real-files.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import {
  ARTIFACTS,
  launchBrowser,
  newContext,
  type RunningBrowser,
  screenshot,
  seriousViolations,
} from './support/browser.js';
import {
  awaiting,
  baseOf,
  closeSubmissionsEarly,
  endPublicity,
  evenReview,
  finishCampaignStep,
  invite,
  inviteAndSignIn,
  mails,
  postReview,
  reviewLinkHeader,
  reviewLinksMailedTo,
  secretariatLink,
  secretariatOf,
} from './support/campaign.js';
import { check, paddedJpeg, poll, resolveObjection, signInWith } from './support/pages.js';

/**
 * The secretariat console in Chromium, on a campaign seeded through the HTTP API: the society
 * round (cacs-2024, two per category) from the list through screening, experts and the ranking
 * with its quota line to the selection; then the CAST round (cast-2024), where the forwarded
 * nominations go through publicity with objections to release.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-secretariat-'));
let cloud: LocalCloud;
let running: RunningBrowser;
let page: Page;
const base = () => baseOf(cloud);

const photo = () => paddedJpeg(1_100_000); // a real JPEG, padded over the 1 MB minimum
let scanPdf: Uint8Array;
const CACS = builtinCampaign('cacs-2024');

// Every campaign-wide step answers at once with its job's progress (202): the console follows
// each job, showing its progress, to the outcome.
const SOCIETY_OPINION = '该同志扎根基层一线，事迹突出，同意推荐。';

beforeAll(async () => {
  [cloud, running, scanPdf] = await Promise.all([
    startLocalCloud({ dataDir, port: 0 }),
    launchBrowser(),
    realPdf(2),
  ]);
  const context = await newContext(running.browser, { baseURL: cloud.urls.web });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function invitedUnit(sec: ApiClient, subjectId: string, name: string): Promise<ApiClient> {
  const email = `${subjectId}@units.example.cn`;
  return inviteAndSignIn(cloud, sec, { role: 'unit', subjectId, name, email, unitType: 'member' });
}

/** One attachment through the presigned POST, as the browser uploads it, then recorded. */
async function upload(
  unit: ApiClient,
  id: string,
  file: { kind: string; type: string; name: string; bytes: Uint8Array },
  version: number,
): Promise<{ version: number }> {
  const policy = await unit.call<{ url: string; fields: Record<string, string>; attachmentId: string }>(
    'POST',
    `/api/nominations/${id}/uploads`,
    { kind: file.kind, contentType: file.type, fileName: file.name },
  );
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(policy.body.fields)) form.append(name, value);
  form.append('file', new Blob([file.bytes as BlobPart], { type: file.type }), file.name);
  expect((await fetch(policy.body.url, { method: 'POST', body: form })).status).toBe(204);
  // The file's record and the version it raised (the client asks for the minimal answer).
  const recorded = await unit.call<{ version: number }>('POST', `/api/nominations/${id}/attachments`, {
    attachmentId: policy.body.attachmentId,
    kind: file.kind,
    fileName: file.name,
    version,
  });
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
  return { version: recorded.body.version };
}

/** A nomination filled in, with its Word form, stamped scan and two photos uploaded, then submitted. */
async function submitted(
  unit: ApiClient,
  unitName: string,
  category: CategoryId,
  form: Record<string, unknown>,
): Promise<string> {
  const created = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', { category });
  const id = created.body.nomination.id;
  const saved = await unit.call<{ nomination: Nomination }>('PUT', `/api/nominations/${id}/form`, {
    version: 1,
    form,
    noClassifiedContent: true,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const word = await renderFormDocx({ campaign: CACS, category, form: form as never, unitName });
  const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  let n: { version: number } = saved.body.nomination;
  n = await upload(unit, id, { kind: 'word', type: docx, name: '推荐表.docx', bytes: word }, n.version);
  n = await upload(
    unit,
    id,
    { kind: 'scan', type: 'application/pdf', name: '盖章扫描件.pdf', bytes: scanPdf },
    n.version,
  );
  for (const i of [1, 2]) {
    n = await upload(
      unit,
      id,
      { kind: 'photo', type: 'image/jpeg', name: `照片${i}.jpg`, bytes: photo() },
      n.version,
    );
  }
  const answer = await unit.call('POST', `/api/nominations/${id}/submit`, {
    version: n.version,
    consent: CONSENT,
    declarations: DECLARED,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return id;
}

/** Every review link mailed to `email` is answered with the same mark on each criterion. */
async function reviewAll(email: string, markOf: (nominationId: string) => number): Promise<number> {
  let count = 0;
  for (const link of await reviewLinksMailedTo(cloud, email)) {
    const headers = reviewLinkHeader(link);
    const shown = (await (await fetch(`${base()}/api/review`, { headers })).json()) as {
      nomination: { id: string };
      decided: unknown;
    };
    if (shown.decided) continue;
    expect(await postReview(cloud, link, evenReview(markOf(shown.nomination.id)))).toBe(201);
    count += 1;
  }
  return count;
}

const signInAs = (link: string) => signInWith(page, link, /\/secretariat$/);

const expectAccessible = (name: string) => check(page, name);

const ids: Record<string, string> = {};
let sec: ApiClient;
let memberB: ApiClient;

describe('the secretariat console', () => {
  it('lists the submitted nominations with counts, charts and filters', async () => {
    sec = await secretariatOf(cloud, 'cacs-2024');
    const memberA = await invitedUnit(sec, 'ceramics', '中国工艺美术学会陶瓷艺术专业委员会');
    memberB = await invitedUnit(sec, 'lacquer', '中国工艺美术学会漆艺专业委员会');
    // Three experts now, one of them from the ceramics committee; a fourth is invited on the page.
    await invite(cloud, sec, {
      role: 'expert',
      subjectId: 'arts-e1',
      name: '陶瓷专家甲',
      email: 'e1@arts.cn',
      affiliation: 'ceramics',
    });
    await invite(cloud, sec, {
      role: 'expert',
      subjectId: 'arts-e2',
      name: '工艺专家乙',
      email: 'e2@arts.cn',
    });
    await invite(cloud, sec, {
      role: 'expert',
      subjectId: 'arts-e3',
      name: '工艺专家丙',
      email: 'e3@arts.cn',
    });

    [ids.v1, ids.o1, ids.v2, ids.v3] = await Promise.all([
      submitted(memberA, '陶瓷艺术专业委员会', 'volunteer', volunteer()),
      submitted(memberA, '陶瓷艺术专业委员会', 'organization', organization()),
      submitted(memberB, '漆艺专业委员会', 'volunteer', volunteer({ name: '王海燕' })),
      submitted(memberB, '漆艺专业委员会', 'volunteer', volunteer({ name: '赵志强' })),
    ]);
    await Promise.all(Object.values(ids).map((id) => awaiting(sec, id, 'screening')));

    await signInAs(await secretariatLink(cloud, 'cacs-2024'));
    await poll(() => page.locator('table.nominations tbody tr').count()).toBe(4);
    await poll(() => page.getByRole('button', { name: /已提交，待初核\s*4/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /最美科技志愿者\s*3/ }).count()).toBe(1);
    await page.getByRole('figure', { name: '各类别推荐数' }).waitFor();
    await page.getByRole('figure', { name: '各环节数量' }).waitFor();
    expect(await page.locator('svg.day-chart rect.column').count()).toBeGreaterThan(0);
    await expectAccessible('secretariat-list');

    await page.getByLabel('类别', { exact: true }).selectOption('volunteer');
    await poll(() => page.locator('table.nominations tbody tr').count()).toBe(3);
    // The search is the server's: the start of the name, sent with Enter.
    await page.getByLabel('按名称搜索').fill('王海');
    await page.getByLabel('按名称搜索').press('Enter');
    await poll(() => page.locator('table.nominations tbody tr').count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: '显示第 1–1 份' }).count()).toBe(1);
    expect(page.url()).toContain(`q=${encodeURIComponent('王海')}`);
    expect(page.url()).toContain('category=volunteer');
    await screenshot(page, 'secretariat-list-filtered');
    await page.getByRole('button', { name: '清除筛选' }).click();
    await poll(() => page.locator('table.nominations tbody tr').count()).toBe(4);
  }, 90_000);

  it('invites an expert and a unit from the experts page', async () => {
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '评审专家' }).click();
    await page.getByRole('heading', { name: /专家库/ }).waitFor();
    await page.getByLabel('专家姓名').fill('工艺专家丁');
    // No made-up id is asked: the server derives it from the e-mail (a unit's from its name).
    expect(await page.locator('form.invite-form').getByLabel(/编号/).count()).toBe(0);
    // The expert's own unit is chosen by name; its id never shows.
    const affiliation = page.getByLabel('所在推荐单位（如有）');
    expect(await affiliation.locator('option').allTextContents()).toContain('中国工艺美术学会漆艺专业委员会');
    expect((await affiliation.locator('option').allTextContents()).join()).not.toContain('lacquer');
    await page.getByLabel('电子邮箱').fill('e4@arts.cn');
    await page.getByRole('button', { name: '发送邀请' }).click();
    await page.getByRole('status').filter({ hasText: 'e4@arts.cn' }).waitFor();
    await poll(() => page.getByRole('heading', { name: '专家库（4）' }).count()).toBe(1);
    expect(await mails(cloud, 'e4@arts.cn')).toHaveLength(1);

    await page.getByLabel('推荐单位', { exact: true }).check();
    await page.getByLabel('单位名称').fill('中国工艺美术学会刺绣专业委员会');
    await page.getByLabel('电子邮箱').fill('embroidery@units.example.cn');
    await page.getByLabel('推荐单位类型').selectOption('member');
    await page.getByRole('button', { name: '发送邀请' }).click();
    await page.getByRole('status').filter({ hasText: 'embroidery@units.example.cn' }).waitFor();
    // The pool names experts and units only: no internal id is printed under a name.
    const pool = page.getByRole('region', { name: '专家库', exact: true });
    expect(await pool.textContent()).not.toMatch(/arts-e\d|expert-[0-9a-f]{16}|lacquer/);
    await screenshot(page, 'secretariat-experts-invite');
  }, 30_000);

  it('screens side by side: returns one with reasons, passes the others', async () => {
    await page.goto(`/secretariat/nominations/${ids.v3}`);
    await page.getByRole('heading', { name: '赵志强', level: 1 }).waitFor();
    const scan = page.locator('iframe[title="盖章扫描件预览"]');
    await scan.waitFor({ state: 'visible' });
    expect(await scan.getAttribute('src')).toMatch(/^blob:/);
    expect((await scan.boundingBox())?.height).toBeGreaterThan(300);
    const photos = page.locator('.photo-list img');
    await poll(() => photos.count()).toBe(2);
    await poll(() =>
      photos.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth === 800)),
    ).toBe(true);
    await page.getByRole('heading', { name: '“科技志愿者”先进典型推荐表' }).waitFor();
    expect(await page.getByText('杭州市科技志愿服务总队').count()).toBeGreaterThan(0);
    // The round's version it was submitted under (the seeded round, never corrected: 1).
    expect(await page.locator('dl.facts').first().textContent()).toContain('按活动第 1 版规则');
    await page.locator('.timeline li').first().waitFor();
    // Who read the nominee's personal information: this very reading is listed; the person's copy exports.
    const reads = page.getByRole('region', { name: '个人信息查阅记录' });
    await reads
      .getByText('推荐表（含联系方式等个人信息）、附件下载链接（Word 版、盖章扫描件、照片）')
      .first()
      .waitFor();
    await reads.getByRole('button', { name: '导出个人信息副本' }).click();
    await reads.getByRole('link', { name: /^下载（/ }).waitFor();
    await screenshot(page, 'secretariat-personal-information');
    await expectAccessible('secretariat-screening');

    // A photo opens large in a dialog.
    await page.getByRole('button', { name: /放大查看照片 1/ }).click();
    await page.getByRole('dialog', { name: '照片1.jpg' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();

    // Return: reasons are required before anything is sent.
    await page.getByRole('button', { name: '退回修改' }).click();
    const dialog = page.getByRole('dialog', { name: '退回修改' });
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await dialog.getByRole('alert').filter({ hasText: '请填写理由' }).waitFor();
    await dialog.getByLabel('照片数量或质量不符合要求').check();
    await dialog.getByLabel(/理由（必填/).fill('请补充志愿服务现场照片');
    await screenshot(page, 'secretariat-screening-return-dialog');
    await dialog.getByRole('button', { name: '确认退回' }).dblclick();
    await page.getByRole('status').filter({ hasText: '已退回修改' }).waitFor();
    await page.locator('.timeline').getByText('照片数量或质量不符合要求；请补充志愿服务现场照片').waitFor();
    const audit = await sec.call<{ events: { action: string }[] }>('GET', `/api/nominations/${ids.v3}/audit`);
    expect(audit.body.events.filter((e) => e.action === 'screening:return')).toHaveLength(1);
    await screenshot(page, 'secretariat-screening-returned');

    for (const key of ['v1', 'v2', 'o1']) {
      await page.goto(`/secretariat/nominations/${ids[key]}`);
      await page.getByRole('button', { name: '通过初核' }).click();
      const passing = page.getByRole('dialog', { name: '确认通过初核？' });
      if (key === 'v1') {
        // The secretariat confirms the grassroots mark with the pass; the ranking shows it.
        await passing.getByLabel(/确认：被推荐对象立足基层一线/).check();
        await screenshot(page, 'secretariat-pass-grassroots');
      }
      await passing.getByRole('button', { name: '确认通过' }).click();
      await page.getByRole('status').filter({ hasText: '已通过初核' }).waitFor();
    }
    // The unit corrects and resubmits; the secretariat passes it the second time.
    const returned = await awaiting(memberB, ids.v3 ?? '', 'resubmission');
    expect(returned.reasons).toContain('请补充志愿服务现场照片');
    const again = await memberB.call('POST', `/api/nominations/${ids.v3}/submit`, {
      version: returned.version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await awaiting(sec, ids.v3 ?? '', 'screening');
    await page.goto(`/secretariat/nominations/${ids.v3}`);
    await page.getByRole('button', { name: '通过初核' }).click();
    await page
      .getByRole('dialog', { name: '确认通过初核？' })
      .getByRole('button', { name: '确认通过' })
      .click();
    await page.getByRole('status').filter({ hasText: '没有其他待初核的推荐' }).waitFor();
  }, 60_000);

  it('shows the experts each nomination got and who was kept off by a conflict of interest', async () => {
    await Promise.all(Object.values(ids).map((id) => awaiting(sec, id, 'reviews')));
    await page.goto('/secretariat/experts');
    const rows = page.locator('section[aria-labelledby="assignments-title"] tbody tr');
    await poll(() => rows.count()).toBe(4);
    const v1 = rows.filter({ hasText: '李晓梅' });
    expect(await v1.getByText('回避：陶瓷专家甲').count()).toBe(1);
    expect(await v1.getByText('陶瓷专家甲', { exact: true }).count()).toBe(0);
    expect(await v1.locator('ul.plain li').count()).toBe(3);
    await page.getByRole('heading', { name: '需要注意' }).waitFor();
    expect(await page.getByText('陶瓷专家甲 ↛ 李晓梅').count()).toBe(1);
    await expectAccessible('secretariat-experts');

    // The experts × nominations table: 李晓梅's row marks the ceramics expert kept off by the
    // conflict (dismissable) and three reviewers in review (each may be swapped or given more days).
    const matrix = page.locator('section[aria-labelledby="matrix-title"]');
    const row = matrix.locator('tbody tr').filter({ hasText: '李晓梅' });
    expect(await row.getByRole('button', { name: '排除误判' }).count()).toBe(1);
    expect(await row.getByText('评审中').count()).toBe(3);
    expect(
      await matrix
        .locator('thead th')
        .filter({ hasText: /陶瓷专家甲（\d+）/ })
        .count(),
    ).toBe(1);
    await row.getByRole('button', { name: '延长' }).first().click();
    const form = page.locator('form.change-form');
    await form.getByRole('heading', { name: /延长评审期限/ }).waitFor();
    await form.getByLabel('延长天数（在活动规定的期限上）').fill('7');
    // No reason: the server names the field in the page's language.
    await form.getByLabel('理由（记入审计记录）').fill(' ');
    await form.evaluate((f) => f.querySelector('textarea')?.removeAttribute('required'));
    await form.getByRole('button', { name: '延长评审期限' }).click();
    await form.locator('.problem').first().waitFor();
    expect(await form.locator('.problem').first().textContent()).toMatch(/理由/);
    await form.getByLabel('理由（记入审计记录）').fill('专家出差，已电话沟通');
    await form.getByRole('button', { name: '延长评审期限' }).click();
    await poll(() => row.getByText('延长 7 天').count()).toBe(1);
    await screenshot(page, 'secretariat-experts-matrix');
  }, 60_000);

  it('ranks each category with the quota line and confirms the selection', async () => {
    const marks: Record<string, number> = {
      [ids.v1 ?? '']: 9,
      [ids.v2 ?? '']: 8,
      [ids.v3 ?? '']: 7,
      [ids.o1 ?? '']: 8,
    };
    let reviews = 0;
    for (const e of ['e1', 'e2', 'e3', 'e4'])
      reviews += await reviewAll(`${e}@arts.cn`, (id) => marks[id] ?? 6);
    expect(reviews).toBe(12);
    await Promise.all(Object.values(ids).map((id) => awaiting(sec, id, 'selection')));

    await page.goto('/secretariat/ranking');
    const volunteers = page.locator('section[aria-labelledby="ranking-volunteer"] tbody tr');
    await poll(() => volunteers.count()).toBe(4); // three ranked and the quota line
    expect(await volunteers.nth(0).textContent()).toContain('李晓梅');
    expect(await volunteers.nth(0).locator('th .badge').textContent()).toBe('基层一线');
    expect(await volunteers.nth(1).textContent()).toContain('王海燕');
    expect(await volunteers.nth(1).locator('th .badge').count()).toBe(0);
    expect(await volunteers.nth(1).getAttribute('class')).toBe('quota-line');
    expect(await volunteers.nth(2).textContent()).toContain('名额线');
    expect(await volunteers.nth(3).textContent()).toContain('赵志强');
    expect(await volunteers.nth(3).textContent()).toContain('未入选');
    // The panel's statistics side by side: the mean ranks (the campaign names no other), the
    // median, the trimmed mean (under five reviews: none), the normalised mean and the spread.
    const headers = await page
      .locator('section[aria-labelledby="ranking-volunteer"] thead th')
      .allTextContents();
    expect(headers).toEqual(
      expect.arrayContaining(['平均分（排名依据）', '中位数', '截尾均值', '标准化均值', '分差']),
    );
    expect(await volunteers.nth(0).textContent()).toContain('不足 5 份');
    await screenshot(page, 'secretariat-ranking-statistics');
    await expectAccessible('secretariat-ranking');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Ranking and selection', level: 1 }).waitFor();
    expect(await volunteers.nth(2).textContent()).toContain('Quota line');
    await screenshot(page, 'secretariat-ranking-en');
    await page.getByRole('button', { name: '中文' }).click();

    // 择优 is a decision: the third is included against the score order, with a reason the page
    // shows with who decided; the second gives up its place. Then the decision is taken back.
    await volunteers
      .nth(3)
      .getByRole('button', { name: /择优决定/ })
      .click();
    const decision = page.getByRole('dialog', { name: /择优决定：赵志强/ });
    expect(await decision.textContent()).toContain('按评分排名第 3 名');
    await decision.getByLabel('选入（不按名次）', { exact: true }).check();
    await decision.getByLabel(/理由/).fill('长期扎根乡村一线，事迹突出');
    await decision.getByRole('button', { name: '记录决定' }).click();
    await poll(() => page.locator('.against-ranking').count()).toBe(2);
    const zhao = volunteers.filter({ hasText: '赵志强' });
    expect(await zhao.textContent()).toContain('入选（秘书处择优决定，未按名次）');
    expect(await zhao.locator('.against-ranking').textContent()).toContain('长期扎根乡村一线，事迹突出');
    expect(await volunteers.filter({ hasText: '王海燕' }).textContent()).toContain('未入选');
    await expectAccessible('secretariat-ranking-decided');
    await screenshot(page, 'secretariat-ranking-decided');
    await zhao.getByRole('button', { name: /改变择优决定/ }).click();
    await decision.getByLabel('按名次（撤销此前的决定）', { exact: true }).check();
    await decision.getByLabel(/理由/).fill('经复议，按名次推荐');
    await decision.getByRole('button', { name: '记录决定' }).click();
    await poll(() => page.locator('.against-ranking').count()).toBe(0);

    await closeSubmissionsEarly(sec, 'cacs-2024');
    await page.getByRole('button', { name: '确认择优…' }).click();
    const dialog = page.getByRole('dialog', { name: '确认择优结果？' });
    // Each category's counts come from its whole ranking on the server, read as the dialog opens.
    await poll(() => dialog.textContent()).toContain('最美科技志愿者：入选 2 份，未入选 1 份');
    await dialog.getByRole('button', { name: '确认择优' }).click();
    // 202: the dialog shows the job's progress while the console follows it — first while the job
    // plans (no total yet), then the server's counts.
    await dialog.getByRole('progressbar', { name: '处理进度' }).waitFor();
    expect(await dialog.getByRole('status').textContent()).toMatch(
      /正在准备：确定需要处理的推荐|正在处理：已完成 \d+ \/ 4 份/,
    );
    await page.getByRole('status').filter({ hasText: '已确认择优：入选 3 份，未入选 1 份' }).waitFor();
    // One category's ranking at a time: the volunteers', then the organizations', both confirmed.
    await poll(() => page.getByText('已确认', { exact: true }).count()).toBe(1);
    await screenshot(page, 'secretariat-ranking-confirmed');
    await page.getByRole('button', { name: /最佳科技志愿服务组织/ }).click();
    await page.getByRole('heading', { name: /最佳科技志愿服务组织\s*已确认/ }).waitFor();
  }, 60_000);

  it('builds the package, runs publicity with objections in the CAST round, and releases', async () => {
    // The society's forwarding package holds what it forwarded.
    await eventually(async () => {
      const { body } = await sec.call<{ counts: Record<string, number> }>(
        'GET',
        '/api/campaigns/cacs-2024/nominations?status=forwarded',
      );
      return body.counts.forwarded === 3 ? true : undefined;
    }, 30_000);
    // The society hands a forwarded nomination to CAST as its recommending unit: its opinion, the
    // form that prints it (downloaded to stamp), and its stamped scan.
    await page.goto(`/secretariat/nominations/${ids.v1}`);
    await page.getByText('请先保存推荐意见。').waitFor();
    await page.getByLabel('① 推荐意见').fill(SOCIETY_OPINION);
    await page.getByRole('button', { name: '保存推荐意见' }).click();
    await page.getByRole('status').filter({ hasText: '记录推荐意见' }).waitFor();
    const [word] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载印有推荐意见的推荐表（Word）' }).click(),
    ]);
    expect(word.suggestedFilename()).toMatch(/中国工艺美术学会.*\.docx$/);
    await word.saveAs(join(ARTIFACTS, 'society-form-for-cast.docx'));
    await page.getByLabel('选择盖章扫描 PDF 文件').setInputFiles({
      name: '学会盖章推荐表.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(scanPdf),
    });
    await page.getByRole('link', { name: '学会盖章推荐表.pdf' }).waitFor();
    await screenshot(page, 'secretariat-society-handoff');
    await expectAccessible('secretariat-society-handoff');
    await page.goto('/secretariat/publicity');
    await page.getByText('本轮为学会推荐轮').waitFor();
    // The package is built by a job: the page shows its progress with the server's counts while it
    // runs. Each read of the job is held back here so the page is seen waiting.
    await page.route('**/api/campaigns/*/package/*', async (route) => {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.fulfill({ response });
    });
    await page.getByRole('button', { name: '生成材料包' }).click();
    const building = page.getByRole('progressbar', { name: '处理进度' });
    await building.waitFor();
    // 202: the job answers before it has listed the forwarded nominations (total 0: the 'preparing'
    // line, no made-up '0 / 0'), then the server's counts — a job of 3 may be done before a held
    // read sees them, so either line is the page showing the job's progress.
    await page
      .getByRole('status')
      .filter({ hasText: /正在准备：确定需要处理的推荐|正在处理：已完成 \d+ \/ 3 份/ })
      .waitFor();
    await screenshot(page, 'secretariat-package-progress');
    const download = page.getByRole('link', { name: /下载材料包（3 份/ });
    await download.waitFor({ timeout: 30_000 });
    // Let any held read go out before the route goes (a plain unroute would hand it on twice).
    await page.unrouteAll({ behavior: 'wait' });
    expect((await fetch((await download.getAttribute('href')) ?? '')).status).toBe(200);
    // The package stays downloadable from the page for a day: after a reload the page reads the
    // job again and signs a fresh link.
    await page.reload();
    await download.waitFor();
    await page.getByRole('status').filter({ hasText: '材料包可下载至' }).waitFor();
    const [zip] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(zip.suggestedFilename()).toMatch(/推荐材料\.zip$/);
    await screenshot(page, 'secretariat-package-again');
    await expectAccessible('secretariat-publicity-society');

    // The past-honouree list: a bad row is named and nothing is kept; a good list is imported.
    const csv = page.getByLabel('或粘贴 CSV 内容');
    await csv.fill('姓名,单位,年度,类别\n李晓梅,杭州市科技志愿服务总队,2018,最美科技志愿者\n');
    await page.getByRole('button', { name: '导入名单' }).click();
    await page.locator('.problem-list li').filter({ hasText: '第 2 行' }).waitFor();
    await csv.fill('姓名,单位,年度,类别\n李晓梅,杭州市科技志愿服务总队,2021,最美科技志愿者\n');
    await page.getByRole('button', { name: '导入名单' }).click();
    await page.getByRole('status').filter({ hasText: '已导入 1 条' }).waitFor();
    // A deadline extension: not before the campaign's own deadline, then granted.
    // The unit is chosen by its name; the id travels unseen.
    await page
      .getByLabel('推荐单位', { exact: true })
      .selectOption({ label: '中国工艺美术学会漆艺专业委员会' });
    await page.getByLabel('延期至（北京时间）').fill('2025-02-10T00:00');
    await page.getByLabel('延期理由').fill('公章因灾损毁，补办中');
    await page.getByRole('button', { name: '延长截止时间' }).click();
    await page.locator('#extension-until-problem').filter({ hasText: '须晚于原截止时间' }).waitFor();
    await page.getByLabel('延期至（北京时间）').fill('2025-02-20T00:00');
    await page.getByRole('button', { name: '延长截止时间' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '已将“中国工艺美术学会漆艺专业委员会”的截止时间延至 2025年2月20日 00:00' })
      .waitFor();

    // In the CAST round the forwarded four are screened, reviewed and selected through the API.
    const cast = await secretariatOf(cloud, 'cast-2024');
    for (const i of ['1', '2', '3']) {
      await invite(cloud, cast, {
        role: 'expert',
        subjectId: `cast-e${i}`,
        name: `科协专家${i}`,
        email: `c${i}@cast.cn`,
      });
    }
    const forwarded = ['v1', 'v2', 'o1'].map((k) => `${ids[k]}-p`);
    for (const id of forwarded) {
      const n = await awaiting(cast, id, 'screening');
      expect(
        (
          await cast.call('POST', `/api/nominations/${id}/screening`, {
            version: n.version,
            decision: 'pass',
          })
        ).status,
      ).toBe(200);
    }
    await Promise.all(forwarded.map((id) => awaiting(cast, id, 'reviews')));
    for (const i of ['1', '2', '3']) await reviewAll(`c${i}@cast.cn`, () => 8);
    await Promise.all(forwarded.map((id) => awaiting(cast, id, 'selection')));
    await closeSubmissionsEarly(cast, 'cast-2024');
    const selected = await finishCampaignStep(cast, '/api/campaigns/cast-2024/selection', {});
    expect([selected.firstStatus, selected.status, selected.body.job?.status]).toEqual([202, 200, 'done']);
    await Promise.all(forwarded.map((id) => awaiting(cast, id, 'publicity')));

    await signInAs(await secretariatLink(cloud, 'cast-2024'));
    // CAST reads the copy the society endorsed: the society's opinion and stamped scan come first.
    await page.goto(`/secretariat/nominations/${ids.v1}-p`);
    await page.getByRole('link', { name: /下载推荐单位盖章扫描件/ }).waitFor();
    expect(await page.locator('.society-opinion').textContent()).toBe(SOCIETY_OPINION);
    await page.getByRole('heading', { name: /成员单位盖章扫描件/ }).waitFor();
    await screenshot(page, 'secretariat-cast-society-endorsement');
    await page.goto('/secretariat/publicity');
    await page.getByRole('button', { name: '开始公示…' }).click();
    const open = page.getByRole('dialog', { name: '开始公示？' });
    expect(await open.textContent()).toContain('公示期 7 天');
    await open.getByRole('button', { name: '开始公示' }).click();
    const onNotice = page.locator('table').filter({ hasText: '公示名单' }).locator('tbody tr');
    await poll(() => onNotice.count()).toBe(3);

    const object = (nominationId: string, reason: string) =>
      fetch(`${base()}/api/public/cast-2024/objections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nominationId, reason, name: '张三', contact: 'zhang@example.cn' }),
      });
    expect((await object(`${ids.o1}-p`, '该组织成立时间与申报材料不符，请核实。')).status).toBe(201);
    expect((await object(`${ids.v1}-p`, '<script>alert(1)</script>事迹有夸大之处。')).status).toBe(201);
    await page.reload();
    await page.getByRole('heading', { name: /异议（2 条待处理/ }).waitFor();
    // A payload in an objection stays text.
    expect(await page.getByText('<script>alert(1)</script>事迹有夸大之处。').count()).toBe(1);
    await expectAccessible('secretariat-publicity');
    expect(await page.getByRole('button', { name: '正式发布…' }).isDisabled()).toBe(true);

    await resolveObjection(page, '该组织成立时间', 'uphold', '经核实，成立时间与材料不符');
    await page.locator('.objection').filter({ hasText: '异议成立，已撤销' }).waitFor();

    const volunteerObjection = page.locator('.objection').filter({ hasText: '事迹有夸大之处' });
    await volunteerObjection.getByRole('radio', { name: '异议不成立' }).check();
    await volunteerObjection.getByRole('button', { name: '提交处理结论…' }).click();
    await volunteerObjection.getByRole('alert').filter({ hasText: '请填写处理说明' }).waitFor();
    await resolveObjection(page, '事迹有夸大之处', 'dismiss', '经核实，事迹材料属实');
    await page.getByRole('heading', { name: /异议（0 条待处理/ }).waitFor();

    // The seven days of publicity pass (as in the full-pipeline test: the period's end is moved back).
    await endPublicity(cloud, 'cast-2024', '2025-01-01T00:00:00.000Z');
    await page.reload();
    const release = page.getByRole('button', { name: '正式发布…' });
    await release.waitFor();
    expect(await release.isDisabled()).toBe(false);
    await release.click();
    await page
      .getByRole('dialog', { name: '正式发布名单？' })
      .getByRole('button', { name: '确认发布' })
      .click();
    await page.getByRole('status').filter({ hasText: '已正式发布 2 份推荐（1 个类别）' }).waitFor();
    await screenshot(page, 'secretariat-publicity-released');
    const finalList = (await (await fetch(`${base()}/published/cast-2024/released.json`)).json()) as {
      entries: { nominationId: string }[];
    };
    expect(finalList.entries.map((e) => e.nominationId).sort()).toEqual(
      [`${ids.v1}-p`, `${ids.v2}-p`].sort(),
    );
  }, 90_000);

  it('fits a phone: the list and the screening view at 390 px', async () => {
    const phone = await newContext(running.browser, { baseURL: cloud.urls.web, phone: true });
    const small = await phone.newPage();
    await small.goto(await secretariatLink(cloud, 'cacs-2024'));
    await small.getByRole('button', { name: '登录', exact: true }).click();
    await small.waitForURL(/\/secretariat$/);
    await small.locator('table.nominations').waitFor();
    const overflow = () => small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(1);
    await screenshot(small, 'secretariat-list-phone');
    await small.goto(`/secretariat/nominations/${ids.v3}`);
    await small.locator('.timeline li').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(1);
    // No empty dark box where the scan would be: a phone gets the scan as a link to open or download.
    await small.getByText(/此设备不能在页面内显示 PDF/).waitFor();
    expect(await small.locator('iframe.scan-frame').count()).toBe(0);
    expect(await small.getByRole('link', { name: /下载扫描件/ }).count()).toBe(1);
    await screenshot(small, 'secretariat-screening-phone');
    expect(await seriousViolations(small)).toEqual([]);
    // The other console pages fit too: wide tables scroll inside their own named region only.
    for (const [path, ready, shot] of [
      ['/secretariat/experts', 'form.invite-form', 'secretariat-experts-phone'],
      ['/secretariat/ranking', 'table.ranking', 'secretariat-ranking-phone'],
      ['/secretariat/publicity', '#extensions', 'secretariat-publicity-phone'],
    ] as const) {
      await small.goto(path);
      await small.locator(ready).first().waitFor();
      expect(await overflow()).toBeLessThanOrEqual(1);
      await screenshot(small, shot);
    }
    // The ranking's result sits beside the name, inside the phone's width before any scrolling.
    await small.goto('/secretariat/ranking');
    const result = small.locator('table.ranking td.result').first();
    await result.waitFor();
    const box = await result.boundingBox();
    expect((box?.x ?? 999) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    expect(await result.textContent()).toMatch(/入选/);
    await phone.close();
  }, 60_000);

  it('lays the screening view out in English: labels wrap, values keep their width', async () => {
    const desktop = await newContext(running.browser, { baseURL: cloud.urls.web });
    const english = await desktop.newPage();
    await english.goto(await secretariatLink(cloud, 'cacs-2024'));
    await english.getByRole('button', { name: '登录', exact: true }).click();
    await english.waitForURL(/\/secretariat$/);
    await english.getByRole('button', { name: 'English' }).click();
    await english.goto(`/secretariat/nominations/${ids.v3}`);
    await english.locator('.timeline li').first().waitFor();
    // The facts load after the page's frame and timeline: wait for them, in English.
    await english.locator('dl.facts dt').filter({ hasText: 'Category' }).first().waitFor();
    // In every list of facts, no value column is narrower than its label column.
    const squeezed = await english.evaluate(() =>
      [...document.querySelectorAll('dl.facts')].flatMap((dl) => {
        const dt = dl.querySelector('dt');
        const dd = dl.querySelector('dd');
        if (!dt || !dd) return [];
        const [label, value] = [dt.getBoundingClientRect().width, dd.getBoundingClientRect().width];
        return value < label ? [`${dt.textContent}: ${Math.round(label)} > ${Math.round(value)}`] : [];
      }),
    );
    expect(squeezed).toEqual([]);
    expect(await english.locator('main').textContent()).toContain('Category');
    await screenshot(english, 'secretariat-screening-english');
    await desktop.close();
  }, 30_000);
});
