import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cacs2024 from '../../functions/rules/campaigns/cacs-2024.json' with { type: 'json' };
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import type { FieldIssue } from '../../functions/rules/errors.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import {
  childRoundsSchema,
  roundCorrectedSchema,
  roundCreatedSchema,
  roundListSchema,
  roundVersionsSchema,
} from '../../functions/rules/round-view-schemas.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import {
  baseOf,
  closeSubmissionsEarly,
  evenReview,
  finishCampaignStep,
  inviteAndSignIn,
  opsLink,
  postReview,
  reviewLinkHeader,
  reviewLinksMailedTo,
  secretariatOf,
  signedIn,
  signInLinkMailedTo,
} from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * A third society's round, created while Laurel runs — no code changed, no restart: the Chinese
 * Society of Agronomy's internal round, with its own deadline and five experts per nomination,
 * forwarding its best to CAST as a national society. Its functions' containers are warm before
 * the round exists; they find it at first use. A broken definition is refused with each problem
 * named; the round's deadline is extended in a new version while nominations exist, and a
 * lowered quota is refused while a unit is over it.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-rounds-'));
const previousCacheSeconds = process.env.LAUREL_CAMPAIGN_CACHE_SECONDS;
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let ops: ApiClient;
let cast: ApiClient;
let society: ApiClient;
let unit: ApiClient;
const ids: string[] = [];

const EXPERTS = ['1', '2', '3', '4', '5'];

/** The society's round as its secretariat wrote it: the arts-and-crafts round's forms, its own rules. */
const agronomy = {
  ...cacs2024,
  id: 'csa-2024',
  name: { zh: '中国农学会2024年度科技志愿服务先进典型推荐', en: 'Chinese Society of Agronomy round 2024' },
  summaryTitle: '中国农学会2024年度科技志愿服务先进典型推荐汇总表',
  organizer: {
    name: { zh: '中国农学会', en: 'Chinese Society of Agronomy' },
    office: { zh: '中国农学会科普部', en: 'Chinese Society of Agronomy, popular science department' },
  },
  unitTypes: [
    {
      id: 'member-unit',
      name: { zh: '会员单位', en: 'Member unit' },
      quota: { scope: 'per-category', limit: 2 },
    },
  ],
  deadline: '2025-02-10T00:00:00+08:00',
  review: { ...cacs2024.review, expertsPerNomination: 5 },
  selection: { quota: { scope: 'per-category', limit: 1 } },
  forwardTo: { campaignId: 'cast-2024', asUnitType: 'national-society' },
};

type ErrorBody = {
  error: { code: string; message: { zh: string; en: string }; details: { issues: FieldIssue[] } };
};
type RoundBody = { round: { campaign: typeof agronomy; version: number; changed: string[] } };

beforeAll(async () => {
  // A correction made in one function reaches the others within this (60 s in AWS by default).
  process.env.LAUREL_CAMPAIGN_CACHE_SECONDS = '2';
  cloud = await startLocalCloud({ dataDir, port: 0 });
  seeder = new LocalCloudSeeder(cloud);
  ops = await signedIn(cloud, await opsLink(cloud, 'cast-2024'));
  cast = await secretariatOf(cloud, 'cast-2024');
  // Warm containers before the round exists: sessions, invitations, nominations, the console.
  const castUnit = await inviteAndSignIn(cloud, cast, {
    role: 'unit',
    subjectId: 'cas-astronomy',
    name: '中国天文学会',
    email: 'office@astronomy.cn',
    unitType: 'national-society',
  });
  expect((await castUnit.call('POST', '/api/nominations', { category: 'volunteer' })).status).toBe(201);
  expect((await cast.call('GET', '/api/campaigns/cast-2024/overview')).status).toBe(200);
}, 90_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  if (previousCacheSeconds === undefined) delete process.env.LAUREL_CAMPAIGN_CACHE_SECONDS;
  else process.env.LAUREL_CAMPAIGN_CACHE_SECONDS = previousCacheSeconds;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the web app reads the rounds from the API', () => {
  it('carries no round in its bundle, so a round created at runtime shows without a rebuild', () => {
    // web/dist as the test tier built it (test/support/build-web.ts), as `npm start` serves it.
    const assets = join('web', 'dist', 'assets');
    const code = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    expect(code).toContain('/api/campaigns');
    for (const round of BUILTIN_CAMPAIGNS.values()) {
      for (const text of [round.id, round.name.zh, round.name.en, round.organizer.office.zh]) {
        expect(code, `"${text}" of ${round.id} compiled into the web bundle`).not.toContain(text);
      }
    }
  });
});

describe('a round created, run and corrected while Laurel runs', () => {
  it('refuses a definition with broken rules, naming each problem by field in Chinese and English', async () => {
    const broken = {
      ...agronomy,
      deadline: '2025-03-01T00:00:00+08:00', // CAST's round closes on 24 February
      selection: { quota: { scope: 'per-category', limit: 3 } }, // CAST gives a national society 2
      review: {
        ...agronomy.review,
        criteria: agronomy.review.criteria.map((c, i) => (i === 0 ? { ...c, weight: 20 } : c)), // 90
      },
    };
    const answer = await ops.call<ErrorBody>('POST', '/api/campaigns', {
      definition: broken,
      secretariat: { name: '中国农学会科普部', email: 'kepu@agronomy.cn' },
    });
    expect(answer.status).toBe(400);
    const issues = answer.body.error.details.issues;
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual(
      expect.arrayContaining([
        ['deadline', 'after_parent_deadline'],
        ['selection.quota', 'exceeds_parent_quota'],
        ['review.criteria', 'weights_sum'],
      ]),
    );
    expect(issues).toHaveLength(3);
    const byCode = Object.fromEntries(issues.map((i) => [i.code, i.message]));
    expect(byCode.after_parent_deadline?.zh).toContain('晚于上级活动');
    expect(byCode.exceeds_parent_quota?.zh).toContain('超过上级活动');
    expect(byCode.weights_sum).toEqual({
      zh: '权重之和应为 100，现为 90',
      en: 'weights must add up to 100, not 90',
    });
    // Nothing stored, nobody invited.
    const { body } = await ops.call<{ rounds: { campaign: { id: string } }[] }>('GET', '/api/campaigns');
    expect(body.rounds.map((r) => r.campaign.id)).toEqual(['cacs-2024', 'cast-2024']);
    expect(await signInLinkMailedTo(cloud, 'kepu@agronomy.cn')).toBe('');
  });

  it("creates the society's round through the API and invites its secretariat; CAST's secretariat sees it", async () => {
    const created = await ops.call<RoundBody & { secretariat: { sentTo: string } }>(
      'POST',
      '/api/campaigns',
      {
        definition: agronomy,
        secretariat: { name: '中国农学会科普部', email: 'kepu@agronomy.cn' },
        note: '中国农学会内部推荐',
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Each answer is what the OpenAPI document says it is (the same zod schemas).
    roundCreatedSchema.parse(created.body);
    expect(created.body.round.version).toBe(1);
    expect(created.body.secretariat.sentTo).toBe('kepu@agronomy.cn');
    const again = await ops.call<ErrorBody>('POST', '/api/campaigns', {
      definition: agronomy,
      secretariat: { name: '中国农学会科普部', email: 'kepu@agronomy.cn' },
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'CAMPAIGN_EXISTS']);

    const listed = await fetch(`${baseOf(cloud)}/api/campaigns`);
    const { rounds } = roundListSchema.parse(await listed.json());
    expect(rounds.map((r) => [r.campaign.id, r.version])).toContainEqual(['csa-2024', 1]);

    society = await signedIn(cloud, await signInLinkMailedTo(cloud, 'kepu@agronomy.cn'));
    const children = await cast.call<{
      rounds: { campaignId: string; deadline: string; forwarded: number }[];
    }>('GET', '/api/campaigns/cast-2024/children');
    expect(children.status).toBe(200);
    childRoundsSchema.parse(children.body);
    expect(children.body.rounds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          campaignId: 'csa-2024',
          deadline: '2025-02-10T00:00:00+08:00',
          forwarded: 0,
        }),
        expect.objectContaining({ campaignId: 'cacs-2024', forwarded: 0 }),
      ]),
    );
  });

  it('takes nominations in under its own rules: a member unit, five experts', async () => {
    unit = await inviteAndSignIn(cloud, society, {
      role: 'unit',
      subjectId: 'crop-society',
      name: '中国作物学会',
      email: 'office@crop-society.cn',
      unitType: 'member-unit',
    });
    for (const e of EXPERTS) {
      await inviteAndSignIn(cloud, society, {
        role: 'expert',
        subjectId: `agro-expert-${e}`,
        name: `农学专家${e}`,
        email: `expert${e}@agronomy.cn`,
      });
    }
    for (let i = 0; i < 2; i += 1) ids.push((await seeder.submitted(unit, 'volunteer')).id);
    const overview = await unit.call<{ deadline?: string }>('GET', '/api/campaigns/csa-2024/overview');
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
  });

  it('extends the deadline in a new version while nominations exist; every function reads it', async () => {
    const later = { ...agronomy, deadline: '2025-02-12T00:00:00+08:00' };
    const earlier = await society.call<ErrorBody>('POST', '/api/campaigns/csa-2024/versions', {
      definition: { ...agronomy, deadline: '2025-02-05T00:00:00+08:00' },
      basedOn: 1,
      note: '提前截止',
    });
    expect([earlier.status, earlier.body.error.details.issues.map((i) => i.code)]).toEqual([
      400,
      ['deadline_earlier'],
    ]);
    const extended = await society.call<RoundBody>('POST', '/api/campaigns/csa-2024/versions', {
      definition: later,
      basedOn: 1,
      note: '应会员单位要求延期两天',
    });
    expect(extended.status, JSON.stringify(extended.body)).toBe(201);
    roundCorrectedSchema.parse(extended.body);
    expect(extended.body.round).toMatchObject({ version: 2, changed: ['deadline'] });
    const stale = await society.call<ErrorBody>('POST', '/api/campaigns/csa-2024/versions', {
      definition: later,
      basedOn: 1,
      note: '重复提交',
    });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'VERSION_CONFLICT']);
    // The unit's console (another function) shows the new deadline once its cache renews.
    await eventually(
      async () => {
        const { body } = await unit.call<Record<string, unknown>>('GET', '/api/campaigns/csa-2024/overview');
        return JSON.stringify(body).includes('2025-02-12') ? true : undefined;
      },
      10_000,
      'the extended deadline in the overview',
    );
    const versions = await society.call<{
      versions: { version: number; note: string; savedBy: { name: string } }[];
    }>('GET', '/api/campaigns/csa-2024/versions');
    roundVersionsSchema.parse(versions.body);
    expect(versions.body.versions.map((v) => [v.version, v.note])).toEqual([
      [1, '中国农学会内部推荐'],
      [2, '应会员单位要求延期两天'],
    ]);
    // The submitted nominations were not touched by the correction: they keep the version they
    // were submitted under, and their category's form may not change in a later version.
    const first = await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${ids[0]}`);
    expect(first.body.nomination).toMatchObject({ status: 'submitted', campaignVersion: 1 });
    const volunteer = later.categories.findIndex((c) => c.id === 'volunteer');
    const reshaped = await society.call<ErrorBody>('POST', '/api/campaigns/csa-2024/versions', {
      definition: {
        ...later,
        categories: later.categories.map((c, i) =>
          i === volunteer ? { ...c, photos: { ...c.photos, min: c.photos.max } } : c,
        ),
      },
      basedOn: 2,
      note: '增加照片数量',
    });
    expect(reshaped.status).toBe(400);
    expect(reshaped.body.error.details.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      [`categories.${volunteer}`, 'form_changed'],
    ]);
  });

  it('refuses a lowered quota while a unit holds more, naming the unit', async () => {
    const lowered = {
      ...agronomy,
      deadline: '2025-02-12T00:00:00+08:00',
      unitTypes: [{ ...agronomy.unitTypes[0], quota: { scope: 'per-category', limit: 1 } }],
    };
    const answer = await society.call<ErrorBody>('POST', '/api/campaigns/csa-2024/versions', {
      definition: lowered,
      basedOn: 2,
      note: '压缩名额',
    });
    expect(answer.status).toBe(400);
    const [issue] = answer.body.error.details.issues;
    expect(issue?.path).toEqual(['unitTypes', 0, 'quota']);
    expect(issue?.code).toBe('quota_below_use');
    expect(issue?.message.zh).toContain('中国作物学会（2）');
    expect(issue?.message.en).toContain('中国作物学会 (2)');
  });

  it("forwards its best into the CAST round within the society's quota, and CAST's secretariat sees it", async () => {
    for (const id of ids) {
      const n = await seeder.waitingIn(id, 'screening');
      const screened = await society.call('POST', `/api/nominations/${id}/screening`, {
        version: n.version,
        decision: 'pass',
      });
      expect(screened.status, JSON.stringify(screened.body)).toBe(200);
    }
    for (const id of ids) await seeder.waitingIn(id, 'reviews');
    for (const e of EXPERTS) {
      const links = await reviewLinksMailedTo(cloud, `expert${e}@agronomy.cn`);
      expect(links, `expert ${e} reviews both: five experts per nomination`).toHaveLength(2);
      for (const link of links) {
        const view = await fetch(`${baseOf(cloud)}/api/review`, { headers: reviewLinkHeader(link) });
        const shown = (await view.json()) as { nomination: { id: string } };
        expect(view.status, JSON.stringify(shown)).toBe(200);
        expect(await postReview(cloud, link, evenReview(10 - ids.indexOf(shown.nomination.id)))).toBe(201);
      }
    }
    for (const id of ids) await seeder.waitingIn(id, 'selection', 30_000);
    await closeSubmissionsEarly(society, 'csa-2024');
    const selected = await finishCampaignStep<{ outcomes: { nominationId: string; selected: boolean }[] }>(
      society,
      '/api/campaigns/csa-2024/selection',
      {},
    );
    expect(selected.status, JSON.stringify(selected.body)).toBe(200);
    expect(selected.body.outcomes.map((o) => [o.nominationId, o.selected])).toEqual([
      [ids[0], true],
      [ids[1], false],
    ]);
    const inParent = await seeder.waitingIn(`${ids[0]}-p`, 'screening', 30_000);
    expect(inParent).toMatchObject({
      campaignId: 'cast-2024',
      unitId: 'csa-2024',
      unitType: 'national-society',
      status: 'submitted',
      // Submitted in CAST's round under CAST's version, not the society round's.
      campaignVersion: 1,
    });
    const ledger = await seeder.documents.send(
      new GetCommand({ TableName: 'laurel', Key: { pk: 'quota#cast-2024#csa-2024', sk: 'volunteer' } }),
    );
    expect(ledger.Item?.used).toBe(1);
    const children = await eventually(
      async () => {
        const { body } = await cast.call<{ rounds: { campaignId: string; forwarded: number }[] }>(
          'GET',
          '/api/campaigns/cast-2024/children',
        );
        const csa = body.rounds.find((r) => r.campaignId === 'csa-2024');
        return csa?.forwarded === 1 ? csa : undefined;
      },
      15_000,
      'the forwarded count',
    );
    expect(children.forwarded).toBe(1);
  }, 180_000);
});
