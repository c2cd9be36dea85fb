import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { LocalCloudSeeder } from '../support/seed.js';
import { launchBrowser, newContext, type RunningBrowser, screenshot } from './support/browser.js';
import { awaiting, inviteAndSignIn, secretariatLink, secretariatOf } from './support/campaign.js';
import { poll, signInWith } from './support/pages.js';

/**
 * The screening page of a nomination that exactly matches a past honouree: passing it asks for
 * the secretariat's reason (kept in the audit trail), refuses to send without one, and passes
 * with it.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-e2e-honouree-'));
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

it('asks for the reason to pass a past honouree, refuses without it, and passes with it', async () => {
  const sec = await secretariatOf(cloud, 'cast-2024');
  // The list names the volunteer of the seeder's form: an exact match.
  const imported = await sec.call('POST', '/api/campaigns/cast-2024/honourees', {
    csv: 'name,organization,year,category\n李晓梅,杭州市科技志愿服务总队,2021,volunteer\n',
  });
  expect(imported.status).toBe(200);
  const unit = await inviteAndSignIn(cloud, sec, {
    role: 'unit',
    subjectId: 'soc-honour',
    name: '中国天文学会',
    email: 'honour@units.example.cn',
    unitType: 'national-society',
  });
  const volunteer = await new LocalCloudSeeder(cloud).submitted(unit, 'volunteer');
  await awaiting(sec, volunteer.id, 'screening');

  const context = await newContext(running.browser, { baseURL: cloud.urls.web });
  const page = await context.newPage();
  await signInWith(page, await secretariatLink(cloud, 'cast-2024'), /\/secretariat$/);
  await page.goto(`/secretariat/nominations/${volunteer.id}`);
  await page.getByRole('button', { name: '通过初核' }).click();
  const dialog = page.getByRole('dialog', { name: '确认通过初核？' });
  const reason = dialog.getByLabel('放行理由（必填，记入操作记录）');
  await reason.waitFor();
  expect(await dialog.textContent()).toContain('李晓梅（杭州市科技志愿服务总队）');
  // Without a reason nothing is sent: the field says why, in the reader's language.
  await dialog.getByRole('button', { name: '确认通过' }).click();
  await dialog.getByRole('alert').filter({ hasText: '请填写放行理由' }).waitFor();
  await screenshot(page, 'secretariat-screening-past-honouree');
  expect(
    (await sec.call<{ nomination: Nomination }>('GET', `/api/nominations/${volunteer.id}`)).body.nomination
      .status,
  ).toBe('submitted');

  await reason.fill('同名不同人：2021 年入选者为另一人，已电话核实');
  await dialog.getByRole('button', { name: '确认通过' }).click();
  await page.getByText('已通过初核，系统将自动分配评审专家。').waitFor();
  await screenshot(page, 'secretariat-screening-past-honouree-passed');
  const passedWithReason = async () =>
    (
      await sec.call<{ events: { action: string; reason?: string }[] }>(
        'GET',
        `/api/nominations/${volunteer.id}/audit`,
      )
    ).body.events.some((e) => e.action === 'screening:pass' && (e.reason ?? '').includes('已电话核实'));
  await poll(passedWithReason).toBe(true);
  await context.close();
}, 180_000);
