import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertPanelSchema } from '../../functions/rules/expert-panel.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { nominationDetailSchema, reviewViewSchema } from '../../functions/rules/nomination-view-schemas.js';
import { campaignOverviewSchema } from '../../functions/rules/overview-schema.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { ApiClient } from '../support/api-client.js';
import {
  baseOf,
  inviteAndSignIn,
  opsLink,
  reviewLinkHeader,
  reviewLinksMailedTo,
  secretariatOf,
  signedIn,
} from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * The read routes the browser UI needs, over HTTP in the local cloud: the campaign overview
 * (unit and secretariat), one nomination for screening (files and the past-honouree check), the
 * expert panel with conflicts of interest, and the expert's review page. Every answer is parsed
 * with the zod schema the OpenAPI document publishes, so the description cannot drift.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-reads-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
const base = () => baseOf(cloud);

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  seeder = new LocalCloudSeeder(cloud);
}, 60_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const bytesAt = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
};

describe('the read routes of the browser UI', () => {
  // One campaign story, told in order: each test builds on the one before.
  let sec: ApiClient;
  let unit: ApiClient;
  let volunteer: Nomination;

  it('gives a unit its quotas, its deadline (with its extension) and the server time', async () => {
    sec = await secretariatOf(cloud, 'cast-2024');
    unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'soc-astro',
      name: '中国天文学会',
      email: 'astro@units.example.cn',
      unitType: 'national-society',
    });
    const anonymous = await new ApiClient(base()).call<{ error: { code: string; message: { zh: string } } }>(
      'GET',
      '/api/campaigns/cast-2024/overview',
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('NOT_SIGNED_IN');
    expect(anonymous.body.error.message.zh).toMatch(/登录/);

    const before = await unit.call('GET', '/api/campaigns/cast-2024/overview');
    expect(before.status).toBe(200);
    const first = campaignOverviewSchema.parse(before.body);
    expect(first.campaign).toMatchObject({ id: 'cast-2024', round: 'national', forwardsTo: null });
    expect(first.categories.find((c) => c.id === 'volunteer')?.quota).toMatchObject({ limit: 2, used: 0 });
    expect(first.deadline).toMatchObject({ at: '2025-02-24T00:00:00+08:00', extended: false, open: true });
    expect(first.now).toMatch(/^2025-01-2\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(first.stats).toBeNull();

    // The 2019–2023 list names the volunteer of the fixture: the screening view must show it.
    const imported = await sec.call('POST', '/api/campaigns/cast-2024/honourees', {
      csv: 'name,organization,year,category\n李晓梅,杭州市科技志愿服务总队,2021,volunteer\n',
    });
    expect(imported.status).toBe(200);
    const extended = await sec.call('POST', '/api/campaigns/cast-2024/extensions', {
      unitId: 'soc-astro',
      until: '2025-03-01T00:00:00+08:00',
      reason: '公章补办中',
    });
    expect(extended.status).toBe(201);
    volunteer = await seeder.submitted(unit, 'volunteer');
    await unit.call('POST', '/api/nominations', { category: 'project' }); // a draft stays a draft

    const after = campaignOverviewSchema.parse(
      (await unit.call('GET', '/api/campaigns/cast-2024/overview')).body,
    );
    expect(after.deadline).toMatchObject({
      at: '2025-03-01T00:00:00+08:00',
      campaignDeadline: '2025-02-24T00:00:00+08:00',
      extended: true,
    });
    expect(after.categories.find((c) => c.id === 'volunteer')?.quota).toMatchObject({
      used: 1,
      remaining: 1,
    });
    expect(after.categories.find((c) => c.id === 'project')?.quota?.used).toBe(0);
  }, 90_000);

  it('gives the secretariat counts by status and category, submissions per day and the funnel', async () => {
    const answer = await sec.call('GET', '/api/campaigns/cast-2024/overview');
    expect(answer.status).toBe(200);
    const overview = campaignOverviewSchema.parse(answer.body);
    const stats = overview.stats;
    expect(stats?.total).toBe(2);
    expect(stats?.byStatus.filter((s) => s.count > 0).map((s) => [s.status, s.count])).toEqual([
      ['draft', 1],
      ['submitted', 1],
    ]);
    expect(stats?.byCategory.find((c) => c.category === 'volunteer')).toMatchObject({
      total: 1,
      submitted: 1,
    });
    expect(stats?.submissionsPerDay).toEqual([{ date: overview.now.slice(0, 10), count: 1 }]);
    expect(stats?.funnel.map((f) => f.count)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(overview.categories.every((c) => c.quota === null)).toBe(true);

    // Others: an expert 403, a unit of another round 403, an unknown round 404.
    const expert = await inviteAndSignIn(cloud, sec, {
      role: 'expert',
      subjectId: 'expert-1',
      name: '专家一',
      email: 'expert1@review.cn',
      affiliation: 'soc-astro',
    });
    const refused = await expert.call<{ error: { code: string } }>(
      'GET',
      '/api/campaigns/cast-2024/overview',
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await unit.call('GET', '/api/campaigns/cacs-2024/overview')).status).toBe(403);
    const unknown = await unit.call<{ error: { code: string } }>(
      'GET',
      '/api/campaigns/no-such-round/overview',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  }, 60_000);

  it('shows the screening view its files and the past-honouree match; the unit its files only', async () => {
    await seeder.waitingIn(volunteer.id, 'screening'); // the submit (or the screening wait) has stored the [auto] checks
    const { scanPdf, jpegPhoto } = await seeder.seedFiles(); // what the seeder put in the bucket

    const bySecretariat = await sec.call('GET', `/api/nominations/${volunteer.id}`);
    expect(bySecretariat.status).toBe(200);
    const shown = nominationDetailSchema.parse(bySecretariat.body);
    expect(shown.pastHonouree).toMatchObject({
      checked: true,
      match: 'exact',
      honouree: { name: '李晓梅', organization: '杭州市科技志愿服务总队', year: 2021 },
    });
    expect(shown.nomination.attachments.map((a) => a.kind)).toEqual([
      'word',
      'scan',
      'photo',
      'photo',
      'photo',
    ]);
    expect(Object.keys(shown.downloads).sort()).toEqual(volunteer.attachments.map((a) => a.id).sort());
    const scan = volunteer.attachments.find((a) => a.kind === 'scan');
    expect(await bytesAt(shown.downloads[scan?.id ?? ''] ?? '')).toEqual(scanPdf);
    expect(JSON.stringify(bySecretariat.body)).not.toContain('taskToken');

    const byUnit = nominationDetailSchema.parse(
      (await unit.call('GET', `/api/nominations/${volunteer.id}`)).body,
    );
    expect(byUnit.pastHonouree).toBeUndefined();
    const photo = volunteer.attachments.find((a) => a.kind === 'photo');
    expect(await bytesAt(byUnit.downloads[photo?.id ?? ''] ?? '')).toEqual(jpegPhoto);

    // Operations watch executions; a nomination's record (contacts, files) is not theirs to open.
    const ops = await signedIn(cloud, await opsLink(cloud));
    const byOps = await ops.call<{ error: { code: string } }>('GET', `/api/nominations/${volunteer.id}`);
    expect(byOps.status).toBe(403);
    expect(byOps.body.error.code).toBe('FORBIDDEN');
  }, 60_000);

  it('shows the expert pool, each nomination’s reviewers and the experts its unit’s affiliation excludes', async () => {
    for (const i of ['2', '3', '4']) {
      await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: `expert-${i}`,
        name: `专家${i}`,
        email: `expert${i}@review.cn`,
      });
    }
    const n = await seeder.waitingIn(volunteer.id, 'screening');
    // The nominee matches a past honouree exactly: a plain pass is refused, an audited override passes.
    const refused = await sec.call<{ error: { code: string } }>(
      'POST',
      `/api/nominations/${volunteer.id}/screening`,
      {
        version: n.version,
        decision: 'pass',
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('PAST_HONOUREE');
    const passed = await sec.call('POST', `/api/nominations/${volunteer.id}/screening`, {
      version: n.version,
      decision: 'pass',
      pastHonoureeOverride: '同名不同人：2021 年入选者为另一人，已电话核实',
    });
    expect(passed.status).toBe(200);
    await seeder.waitingIn(volunteer.id, 'reviews');

    const answer = await sec.call('GET', '/api/campaigns/cast-2024/experts');
    expect(answer.status).toBe(200);
    const panel = expertPanelSchema().parse(answer.body);
    expect(panel.experts.map((e) => [e.id, e.affiliation, e.assigned, e.done])).toEqual([
      ['expert-1', 'soc-astro', 0, 0],
      ['expert-2', null, 1, 0],
      ['expert-3', null, 1, 0],
      ['expert-4', null, 1, 0],
    ]);
    expect(panel.nominations).toHaveLength(1);
    expect(panel.nominations[0]).toMatchObject({
      id: volunteer.id,
      displayName: '李晓梅',
      unitId: 'soc-astro',
      excludedByConflict: [{ expertId: 'expert-1', name: '专家一' }],
      awaitingExperts: false,
    });
    expect(panel.nominations[0]?.reviewers.map((r) => [r.expertId, r.done, r.conflict])).toEqual([
      ['expert-2', false, false],
      ['expert-3', false, false],
      ['expert-4', false, false],
    ]);

    expect((await unit.call('GET', '/api/campaigns/cast-2024/experts')).status).toBe(403);
    expect((await new ApiClient(base()).call('GET', '/api/campaigns/cast-2024/experts')).status).toBe(401);
    expect((await sec.call('GET', '/api/campaigns/no-such-round/experts')).status).toBe(404);
  }, 90_000);

  it('gives the expert’s page, once they declared no conflict, the form, the photos, the weighted rubric and the recommendation values', async () => {
    const { jpegPhoto } = await seeder.seedFiles();
    const [link = ''] = await reviewLinksMailedTo(cloud, 'expert2@review.cn');
    const headers = reviewLinkHeader(link);
    // Before the declaration: who, which category, which unit — no form, no files, no links.
    const first = reviewViewSchema.parse(await (await fetch(`${base()}/api/review`, { headers })).json());
    expect(first.nomination).toMatchObject({ displayName: '李晓梅', form: null, attachments: null });
    expect(first.downloads).toEqual({});
    expect(first.open).toBe(false);
    const declared = await fetch(`${base()}/api/review/declaration`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ conflict: false }),
    });
    expect(declared.status).toBe(201);
    const page = await fetch(`${base()}/api/review`, { headers });
    expect(page.status).toBe(200);
    const view = reviewViewSchema.parse(await page.json());
    expect(view.nomination).toMatchObject({
      id: volunteer.id,
      displayName: '李晓梅',
      unitName: '中国天文学会',
    });
    expect(view.nomination.form).toMatchObject({ name: '李晓梅' });
    expect(view.rubric.reduce((sum, c) => sum + c.weight, 0)).toBe(100);
    expect(view.recommendations.map((r) => r.value)).toEqual([true, false]);
    expect(view.expert.linkExpiresAt).toMatch(/^2025-02-/);
    expect(view.open).toBe(true);
    // The photos only: the Word form and the stamped scan print the nominee's phone, address and
    // birth month, which an expert does not need (nor are they in the form the expert gets).
    const files = view.nomination.attachments ?? [];
    expect(files.map((a) => a.kind)).toEqual(['photo', 'photo', 'photo']);
    expect(Object.keys(view.downloads).sort()).toEqual(files.map((a) => a.id).sort());
    expect(await bytesAt(view.downloads[files[0]?.id ?? ''] ?? '')).toEqual(jpegPhoto);

    const scores = Object.fromEntries(view.rubric.map((c) => [c.id, c.maxScore]));
    const posted = await fetch(`${base()}/api/review`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ scores, recommend: view.recommendations[0]?.value, confirmed: true }),
    });
    expect(posted.status).toBe(201);
    const panel = expertPanelSchema().parse((await sec.call('GET', '/api/campaigns/cast-2024/experts')).body);
    expect(panel.experts.find((e) => e.id === 'expert-2')).toMatchObject({ assigned: 1, done: 1 });
    expect(panel.nominations[0]?.reviewers.find((r) => r.expertId === 'expert-2')?.done).toBe(true);

    const overview = campaignOverviewSchema.parse(
      (await sec.call('GET', '/api/campaigns/cast-2024/overview')).body,
    );
    expect(overview.stats?.funnel.map((f) => [f.stage, f.count])).toEqual([
      ['submitted', 1],
      ['passed-screening', 1],
      ['reviewed', 0],
      ['selected', 0],
      ['published', 0],
      ['released', 0],
    ]);
  }, 60_000);
});
