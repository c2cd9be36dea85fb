import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { launchBrowser, newContext, type RunningBrowser, screenshot } from './support/browser.js';
import { baseOf, opsLink, signInLinkMailedTo } from './support/campaign.js';
import { check, field, poll, signInWith } from './support/pages.js';

/**
 * Operations create a society's round from the console while Laurel runs: they start from the
 * arts-and-crafts society's round as template, forward it into CAST's round, and fill in only
 * what is the new round's own. A definition the rules refuse shows each problem under its field,
 * in Chinese; the corrected one is created, its secretariat invited, and the new round shows on
 * the public pages and on CAST's secretariat's list of rounds forwarding into it — no rebuild.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-rounds-'));
let cloud: LocalCloud;
let running: RunningBrowser;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  running = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await running?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The problem shown under a field, as a screen reader reads it with the field. */
async function problemOf(page: Page, label: string): Promise<string> {
  const input = field(page, label);
  await poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await input.getAttribute('aria-describedby')) ?? '')
    .split(' ')
    .filter((id) => id.endsWith('-problem'));
  return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(' ');
}

describe('creating a round from the console', () => {
  it('starts from a template, shows every refused rule by its field, then creates the round and invites its secretariat', async () => {
    const context = await newContext(running.browser, { baseURL: cloud.urls.web });
    const page = await context.newPage();
    await signInWith(page, await opsLink(cloud, 'cast-2024'), /\/ops$/);
    await page.getByRole('link', { name: '活动管理' }).click();
    await page.waitForURL(/\/rounds$/);
    await page.getByRole('heading', { name: '新建活动' }).waitFor();
    // Every round is listed by name, none by code.
    const listed = page.locator('section').filter({ has: page.getByRole('heading', { name: '全部活动' }) });
    expect(await listed.textContent()).toContain('中国工艺美术学会');

    // Template and parent chosen by name from lists.
    await field(page, '模板').selectOption({ label: '工艺美术领域2024年度科技志愿服务先进典型推荐' });
    await field(page, '向哪个活动推荐').selectOption({ label: '2024年度科技志愿服务先进典型宣传活动' });
    await field(page, '在上级活动中的推荐单位类型').selectOption({ label: '全国学会' });
    expect(await page.locator('#round-asUnitType-hint').textContent()).toContain('每个类别 2 名');
    await field(page, '主办单位（中文）').fill('中国农学会');
    await field(page, '主办单位（英文）').fill('Chinese Society of Agronomy');
    // The address code is suggested from the organizer's English name.
    expect(await field(page, '网址代号').inputValue()).toBe('csa-2024');
    await field(page, '承办部门（中文）').fill('中国农学会科普部');
    await field(page, '承办部门（英文）').fill('Popular science department');
    await field(page, '活动名称（中文）').fill('中国农学会2024年度科技志愿服务先进典型推荐');
    await field(page, '活动名称（英文）').fill('Chinese Society of Agronomy round 2024');
    await field(page, '每个推荐对象的评审专家人数').fill('5');
    // Broken on purpose: a last day after CAST's (24 February), more forwarded than CAST allows.
    await field(page, '报送截止日期').fill('2025-03-01');
    await field(page, '向上级推荐名额').selectOption({ label: '每个类别' });
    await page.getByRole('spinbutton', { name: '向上级推荐名额（名）' }).fill('3');
    await field(page, '秘书处名称').fill('中国农学会科普部');
    await field(page, '秘书处电子邮箱').fill('kepu@agronomy.cn');
    await screenshot(page, 'rounds-create-form');
    await page.getByRole('button', { name: '创建活动并邀请秘书处' }).click();

    await page.getByRole('alert').filter({ hasText: '活动未创建' }).waitFor();
    expect(await problemOf(page, '报送截止日期')).toContain('晚于上级活动');
    expect(await problemOf(page, '向上级推荐名额')).toContain('超过上级活动');
    await check(page, 'rounds-create-refused');
    // Nothing stored, nobody invited.
    const before = (await (await fetch(`${baseOf(cloud)}/api/campaigns`)).json()) as {
      rounds: { campaign: { id: string } }[];
    };
    expect(before.rounds.map((r) => r.campaign.id)).not.toContain('csa-2024');
    expect(await signInLinkMailedTo(cloud, 'kepu@agronomy.cn')).toBe('');

    await field(page, '报送截止日期').fill('2025-02-09');
    await page.getByRole('spinbutton', { name: '向上级推荐名额（名）' }).fill('1');
    await page.getByRole('button', { name: '创建活动并邀请秘书处' }).click();
    await page.getByRole('status').filter({ hasText: '已创建' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: '已创建' }).textContent()).toContain(
      'kepu@agronomy.cn',
    );
    await poll(() => listed.textContent()).toContain('中国农学会2024年度科技志愿服务先进典型推荐');
    await check(page, 'rounds-created');

    const stored = (await (await fetch(`${baseOf(cloud)}/api/campaigns`)).json()) as {
      rounds: { campaign: { id: string; deadline: string; review: { expertsPerNomination: number } } }[];
    };
    expect(stored.rounds.find((r) => r.campaign.id === 'csa-2024')?.campaign).toMatchObject({
      deadline: '2025-02-10T00:00:00+08:00',
      review: { expertsPerNomination: 5 },
      forwardTo: { campaignId: 'cast-2024', asUnitType: 'national-society' },
    });
    expect(await signInLinkMailedTo(cloud, 'kepu@agronomy.cn')).toMatch(/\/signin\/index\.html#/);

    // Corrected while it runs: a new version with its reason; a day after CAST's refused by its field.
    await field(page, '活动').selectOption({ label: '中国农学会2024年度科技志愿服务先进典型推荐' });
    const versions = page.getByRole('table', { name: '各版本' });
    await poll(() => versions.getByRole('row').count()).toBe(2);
    await field(page, '新的报送截止日期').fill('2025-03-01');
    await field(page, '更改原因').fill('应会员单位要求延期');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    expect(await problemOf(page, '新的报送截止日期')).toContain('晚于上级活动');
    await field(page, '新的报送截止日期').fill('2025-02-11');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();
    const second = versions.getByRole('row').filter({ hasText: '应会员单位要求延期' });
    await second.waitFor();
    expect(await second.textContent()).toContain('报送截止时间');
    expect(await second.textContent()).toContain('2025年2月11日');
    await check(page, 'rounds-corrected');

    // The round shows where the public looks, from the API, without a rebuild.
    const visitor = await (await newContext(running.browser, { baseURL: cloud.urls.web })).newPage();
    await visitor.goto('/public/csa-2024/publicity');
    await visitor.getByText('中国农学会2024年度科技志愿服务先进典型推荐').waitFor();
    await visitor.goto('/');
    await visitor.getByText('中国农学会2024年度科技志愿服务先进典型推荐').waitFor();

    // CAST's secretariat sees the society's round forwarding into its own, with its last day.
    const castSecretariat = cloud.signInLinks.find(
      (l) => l.role === 'secretariat' && l.campaignId === 'cast-2024',
    );
    const cast = await (await newContext(running.browser, { baseURL: cloud.urls.web })).newPage();
    await signInWith(cast, castSecretariat?.url ?? '', /\/secretariat$/);
    await cast.getByRole('link', { name: '下级活动' }).click();
    const row = cast.getByRole('row').filter({ hasText: '中国农学会' });
    await row.waitFor();
    expect(await row.textContent()).toContain('2025年2月11日');
    await check(cast, 'rounds-children');
  }, 180_000);
});
