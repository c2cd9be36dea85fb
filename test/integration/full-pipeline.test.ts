import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryId } from '../../functions/rules/categories.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { HAPPY_PATH_STATES } from '../fixtures/happy-path.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import {
  baseOf,
  closeSubmissionsEarly,
  evenReview,
  finishCampaignStep,
  inviteAndSignIn,
  mails,
  opsLink,
  postReview,
  reviewLinkHeader,
  reviewLinksMailedTo,
  secretariatOf,
  signedIn,
} from '../support/people.js';
import { executionArn, LocalCloudSeeder } from '../support/seed.js';

/**
 * All six stages over HTTP in the local cloud: one nomination per category through screening,
 * expert review by e-mailed links, selection, forwarding, publicity with an upheld and a
 * dismissed objection, and release; and a society round whose best two are forwarded into the
 * CAST round while the third is not selected.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-full-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
const base = () => baseOf(cloud);

// The campaign-wide steps answer at once with their job's progress (202): this file follows each
// job to its end, as the console does.
beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  seeder = new LocalCloudSeeder(cloud);
}, 60_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A complete nomination of `category`, submitted (its files put behind the API's back); its id. */
const submitted = async (unit: ApiClient, category: CategoryId) =>
  (await seeder.submitted(unit, category)).id;

async function execution(id: string) {
  const arn = executionArn(id);
  return {
    finished: () =>
      eventually(async () => {
        const d = await seeder.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
        return d.status === 'RUNNING' ? undefined : d;
      }),
    states: async () => {
      const history = await seeder.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 }),
      );
      return (history.events ?? [])
        .filter((e) => e.type?.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.name);
    },
  };
}

describe('the whole pipeline through the HTTP API', () => {
  it('takes one nomination per category from submission to release, with objections', async () => {
    const sec = await secretariatOf(cloud, 'cast-2024');
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'cas-astro',
      name: '中国天文学会',
      email: 'astro@cas.cn',
      unitType: 'national-society',
    });
    const experts: ApiClient[] = [];
    for (const [i, affiliation] of [['1', 'cas-astro'], ['2'], ['3'], ['4']] as const) {
      const expertSession = await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: `expert-${i}`,
        name: `专家${i}`,
        email: `expert${i}@review.cn`,
        ...(affiliation ? { affiliation } : {}),
      });
      experts.push(expertSession);
    }

    const ids: Record<CategoryId, string> = {
      volunteer: await submitted(unit, 'volunteer'),
      organization: await submitted(unit, 'organization'),
      project: await submitted(unit, 'project'),
      site: await submitted(unit, 'site'),
    };

    for (const id of Object.values(ids)) {
      const n = await seeder.waitingIn(id, 'screening');
      const passed = await sec.call('POST', `/api/nominations/${id}/screening`, {
        version: n.version,
        decision: 'pass',
      });
      expect(passed.status).toBe(200);
    }
    for (const id of Object.values(ids)) await seeder.waitingIn(id, 'reviews');

    const category = (nominationId: string) =>
      (Object.entries(ids).find(([, v]) => v === nominationId)?.[0] ?? '') as CategoryId;
    // An expert's own session reaches no nomination: only the link bound to an assignment does.
    expect((await experts[1]?.call('GET', `/api/nominations/${ids.volunteer}`))?.status).toBe(403);
    // Expert 1 belongs to the nominating unit: never assigned. The other three review everything.
    expect(await mails(cloud, 'expert1@review.cn')).toHaveLength(1); // the invitation only
    for (const [e, mark] of [
      ['2', 9],
      ['3', 8],
      ['4', 7],
    ] as const) {
      const links = await reviewLinksMailedTo(cloud, `expert${e}@review.cn`);
      expect(links).toHaveLength(4);
      for (const link of links) {
        const headers = reviewLinkHeader(link);
        // The expert declares no conflict of interest first; only then do the materials load.
        const declared = await fetch(`${base()}/api/review/declaration`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ conflict: false }),
        });
        expect(declared.status).toBe(201);
        const view = await fetch(`${base()}/api/review`, { headers });
        expect(view.status).toBe(200);
        const shown = (await view.json()) as {
          open: boolean;
          nomination: { id: string };
          downloads: Record<string, string>;
        };
        expect(shown.open).toBe(true);
        // Experts get the photos only: the Word form and the stamped scan print the nominee's
        // phone, address and birth month, which a reviewer does not need.
        const stored = await seeder.store.get(shown.nomination.id);
        const photoIds = (stored?.attachments ?? []).filter((a) => a.kind === 'photo').map((a) => a.id);
        expect(photoIds).toHaveLength(category(shown.nomination.id) === 'volunteer' ? 3 : 2);
        expect(Object.keys(shown.downloads).sort()).toEqual(photoIds.sort());
        // Opening the link again changes nothing: same version, no review recorded.
        const versionBefore = (await seeder.store.get(shown.nomination.id))?.version;
        await fetch(`${base()}/api/review`, { headers });
        expect((await seeder.store.get(shown.nomination.id))?.version).toBe(versionBefore);
        const body = JSON.stringify(evenReview(mark));
        const post = () =>
          fetch(`${base()}/api/review`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body,
          });
        const first = await post();
        expect(first.status).toBe(201);
        // Sent again (an answer lost): the same answer, nothing recorded twice.
        const again = await post();
        expect(again.status).toBe(201);
        expect(await again.json()).toEqual(await first.json());
      }
    }
    for (const id of Object.values(ids)) {
      const n = await seeder.waitingIn(id, 'selection');
      expect(n.status).toBe('scored');
      expect(n.score?.meanTotal).toBe(80);
    }
    // Before the deadline the selection waits; every unit has submitted, so the secretariat closes early.
    expect(
      (await sec.call<{ error: { code: string } }>('POST', '/api/campaigns/cast-2024/selection', {})).body
        .error.code,
    ).toBe('SUBMISSIONS_OPEN');
    await closeSubmissionsEarly(sec, 'cast-2024');
    const selection = await finishCampaignStep<{ outcomes: { selected: boolean }[] }>(
      sec,
      '/api/campaigns/cast-2024/selection',
      {},
    );
    expect(selection.firstStatus).toBe(202);
    // The request answers before the job has planned: the total comes with the plan.
    expect(selection.progress[0]).toMatchObject({ status: 'running', total: 0, moved: 0 });
    expect(selection.status, JSON.stringify(selection.body)).toBe(200);
    expect(selection.body.job).toMatchObject({ status: 'done', moved: 4, total: 4 });
    expect(selection.body.outcomes).toHaveLength(4);
    expect(selection.body.outcomes.every((o) => o.selected)).toBe(true);
    // Confirmed again (a double click, a lost answer): the same job and outcomes, nothing moved twice.
    const again = await sec.call<{ job: { attempt?: number; startedAt: string } }>(
      'POST',
      '/api/campaigns/cast-2024/selection',
      {},
    );
    expect(again.status).toBe(200);
    expect(again.body.job).toEqual(selection.body.job);
    for (const id of Object.values(ids)) await seeder.waitingIn(id, 'publicity');

    const publicity = await finishCampaignStep<{
      state: { publicity: { openedAt: string; closesAt: string } };
    }>(sec, '/api/campaigns/cast-2024/publicity');
    expect([publicity.firstStatus, publicity.status]).toEqual([202, 200]);
    expect(publicity.body).toMatchObject({ job: { status: 'done', moved: 4 } });
    // The period is the campaign's seven days to the millisecond from the instant it was opened.
    const period = publicity.body.state.publicity;
    expect(Date.parse(period.closesAt) - Date.parse(period.openedAt)).toBe(7 * 86_400_000);
    const notice = (await (await fetch(`${base()}/published/cast-2024/publicity.json`)).json()) as {
      entries: { nominationId: string; name: string }[];
    };
    expect(notice.entries.map((e) => e.name).sort()).toEqual(
      [
        '中国工艺美术学会青年科技志愿服务队',
        '李晓梅',
        '指尖上的非遗科普行',
        '陶溪川社区（江西省景德镇市珠山区新村街道）',
      ].sort(),
    );
    const publicText = JSON.stringify(notice);
    expect(publicText).not.toContain('13800138000');
    expect(publicText).not.toContain('文三路');

    const object = (nominationId: string) =>
      fetch(`${base()}/api/public/cast-2024/objections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          nominationId,
          reason: '该项目启动时间与申报材料不符，请核实。',
          name: '张三',
          contact: 'zhang@example.cn',
        }),
      });
    expect((await object(ids.project)).status).toBe(201);
    expect((await object(ids.site)).status).toBe(201);
    const { body: listed } = await sec.call<{ objections: { id: string; nominationId: string }[] }>(
      'GET',
      '/api/campaigns/cast-2024/objections',
    );
    const objectionTo = (id: string) => listed.objections.find((o) => o.nominationId === id)?.id;
    expect(
      (
        await sec.call('POST', `/api/campaigns/cast-2024/objections/${objectionTo(ids.project)}/resolution`, {
          decision: 'uphold',
          note: '经核实属实',
        })
      ).status,
    ).toBe(200);
    expect(
      (await sec.call<{ error: { code: string } }>('POST', '/api/campaigns/cast-2024/release')).body.error
        .code,
    ).toBe('PUBLICITY_RUNNING');

    // The publicity period passes.
    await seeder.endPublicity('cast-2024');
    const early = await sec.call<{ error: { code: string } }>('POST', '/api/campaigns/cast-2024/release');
    expect(early.body.error.code).toBe('OBJECTIONS_OPEN');
    await sec.call('POST', `/api/campaigns/cast-2024/objections/${objectionTo(ids.site)}/resolution`, {
      decision: 'dismiss',
      note: '材料无误',
    });
    const late = await fetch(`${base()}/api/public/cast-2024/objections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        nominationId: ids.site,
        reason: '公示期结束后提出的异议。',
        name: '李四',
        contact: 'li@example.cn',
      }),
    });
    expect(late.status).toBe(409);
    const released = await finishCampaignStep<{ released: number; categories: number }>(
      sec,
      '/api/campaigns/cast-2024/release',
    );
    expect(released.firstStatus).toBe(202);
    expect(released.body).toMatchObject({ released: 3, categories: 3, job: { status: 'done', moved: 3 } });
    const job = await sec.call('GET', `/api/campaigns/cast-2024/jobs/release`);
    expect(job.body).toEqual(released.body);

    const finalList = (await (await fetch(`${base()}/published/cast-2024/released.json`)).json()) as {
      entries: { nominationId: string }[];
    };
    expect(finalList.entries.map((e) => e.nominationId).sort()).toEqual(
      [ids.volunteer, ids.organization, ids.site].sort(),
    );

    const volunteer = await execution(ids.volunteer);
    expect((await volunteer.finished()).status).toBe('SUCCEEDED');
    expect(await volunteer.states()).toEqual([...HAPPY_PATH_STATES]);
    const project = await execution(ids.project);
    expect((await project.finished()).status).toBe('SUCCEEDED');
    expect((await project.states()).at(-1)).toBe('WithdrawnAfterObjection');
    expect((await seeder.store.get(ids.project))?.status).toBe('withdrawn-after-objection');

    // The forwarding package: Word forms, scans and photos under Chinese names, and the summary table.
    // A job: the request answers at once with its progress, the job streams the ZIP into S3.
    type PackageAnswer = {
      job: { id: string; status: string };
      download: { url: string; nominations: number } | null;
    };
    const started = await sec.call<PackageAnswer>('POST', '/api/campaigns/cast-2024/package', {});
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const download = await eventually(async () => {
      const { body } = await sec.call<PackageAnswer>(
        'GET',
        `/api/campaigns/cast-2024/package/${started.body.job.id}`,
      );
      expect(body.job.status).not.toBe('failed');
      return body.download ?? undefined;
    }, 60_000);
    expect(download.nominations).toBe(3);
    const zip = unzipSync(new Uint8Array(await (await fetch(download.url)).arrayBuffer()));
    const names = Object.keys(zip);
    expect(names).toContain('2024年度科技志愿服务先进典型宣传活动/汇总表.xlsx');
    expect(names.some((n) => /最美科技志愿者\/01 李晓梅（中国天文学会）\/推荐表\.docx$/.test(n))).toBe(true);
    expect(names.some((n) => /盖章扫描件\.pdf$/.test(n))).toBe(true);
    expect(names.filter((n) => /照片\d\.jpg$/.test(n)).length).toBe(3 + 2 + 2);

    // The unit downloads its form as Word: it holds the values typed.
    const word = await fetch(`${base()}/api/nominations/${ids.volunteer}/form.docx`, {
      headers: { cookie: unit.sessionCookie },
    });
    expect(word.headers.get('content-type')).toContain('wordprocessingml');
    const documentXml = strFromU8(
      unzipSync(new Uint8Array(await word.arrayBuffer()))['word/document.xml'] ?? new Uint8Array(),
    );
    expect(documentXml).toContain('杭州市科技志愿服务总队');

    // The secretariat's lists, with counts, never scanning.
    const list = await sec.call<{ counts: Record<string, number> }>(
      'GET',
      '/api/campaigns/cast-2024/nominations',
    );
    expect(list.body.counts).toMatchObject({ released: 3, 'withdrawn-after-objection': 1 });

    const { body: audit } = await unit.call<{ events: { action: string }[] }>(
      'GET',
      `/api/nominations/${ids.volunteer}/audit`,
    );
    const trail = audit.events.map((e) => e.action);
    expect(trail).toEqual([
      'create',
      'submit',
      'screening:pass',
      'review-no-conflict-declared',
      'review',
      'review-no-conflict-declared',
      'review',
      'review-no-conflict-declared',
      'review',
      'reviews-complete',
      'select',
      'select-notice',
      'forward',
      'open-publicity',
      'release',
      'release-notice',
    ]);
  }, 180_000);

  it("forwards a society round's best two into the CAST round as the society's, and not the third", async () => {
    const sec = await secretariatOf(cloud, 'cacs-2024');
    // Before the society's deadline the selection is refused.
    const early = await sec.call<{ error: { code: string } }>('POST', '/api/campaigns/cacs-2024/selection', {
      categories: ['volunteer'],
    });
    expect([early.status, early.body.error.code]).toEqual([409, 'SUBMISSIONS_OPEN']);
    const units = [];
    for (const i of ['1', '2', '3']) {
      units.push(
        await inviteAndSignIn(cloud, sec, {
          role: 'unit',
          subjectId: `member-${i}`,
          name: `会员单位${i}`,
          email: `m${i}@arts.cn`,
          unitType: 'member',
        }),
      );
    }
    for (const i of ['5', '6', '7']) {
      await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: `arts-expert-${i}`,
        name: `工艺美术专家${i}`,
        email: `ae${i}@arts.cn`,
      });
    }
    const ids: string[] = [];
    for (const unit of units) ids.push(await submitted(unit, 'volunteer'));
    for (const id of ids) {
      const n = await seeder.waitingIn(id, 'screening');
      await sec.call('POST', `/api/nominations/${id}/screening`, { version: n.version, decision: 'pass' });
    }
    for (const id of ids) await seeder.waitingIn(id, 'reviews');
    for (const e of ['5', '6', '7']) {
      for (const link of await reviewLinksMailedTo(cloud, `ae${e}@arts.cn`)) {
        const shown = (await (
          await fetch(`${base()}/api/review`, { headers: reviewLinkHeader(link) })
        ).json()) as { nomination: { id: string } };
        const mark = 10 - ids.indexOf(shown.nomination.id); // the first nomination scores best
        expect(await postReview(cloud, link, evenReview(mark))).toBe(201);
      }
    }
    for (const id of ids) await seeder.waitingIn(id, 'selection');
    const ranking = await sec.call<{ outcomes: { nominationId: string; rank: number; selected: boolean }[] }>(
      'GET',
      '/api/campaigns/cacs-2024/ranking',
    );
    expect(ranking.body.outcomes.map((o) => [o.nominationId, o.rank, o.selected])).toEqual([
      [ids[0], 1, true],
      [ids[1], 2, true],
      [ids[2], 3, false],
    ]);
    await closeSubmissionsEarly(sec, 'cacs-2024');
    const selected = await finishCampaignStep<{ outcomes: { selected: boolean }[] }>(
      sec,
      '/api/campaigns/cacs-2024/selection',
      {},
    );
    expect(selected.status).toBe(200);
    expect(selected.body.outcomes.map((o) => o.selected)).toEqual([true, true, false]);

    const third = await execution(ids[2] ?? '');
    expect((await third.finished()).status).toBe('SUCCEEDED');
    expect((await third.states()).at(-1)).toBe('NotSelected');
    for (const id of ids.slice(0, 2)) {
      const society = await execution(id);
      expect((await society.finished()).status).toBe('SUCCEEDED');
      expect((await society.states()).at(-1)).toBe('ForwardedToParent');
      const source = await seeder.store.get(id);
      expect(source?.forwardedAs).toEqual({ campaignId: 'cast-2024', nominationId: `${id}-p` });
      // In the CAST round: the society's own nomination, submitted, counted on its quota, its own execution at screening.
      const inParent = await seeder.waitingIn(`${id}-p`, 'screening');
      expect(inParent).toMatchObject({
        campaignId: 'cast-2024',
        unitId: 'cacs-2024',
        unitType: 'national-society',
        status: 'submitted',
      });
    }
    const ledger = await seeder.documents.send(
      new GetCommand({ TableName: 'laurel', Key: { pk: 'quota#cast-2024#cacs-2024', sk: 'volunteer' } }),
    );
    expect(ledger.Item?.used).toBe(2);
  }, 180_000);

  it('flags a past honouree from the imported list and lets the secretariat extend one unit', async () => {
    const sec = await secretariatOf(cloud, 'cast-2024');
    const bad = await sec.call<{ error: { code: string; details: { issues: { path: unknown[] }[] } } }>(
      'POST',
      '/api/campaigns/cast-2024/honourees',
      { csv: '姓名,单位,年度,类别\n李晓梅,杭州市科技志愿服务总队,2018,最美科技志愿者\n' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('HONOUREE_IMPORT_INVALID');
    expect(bad.body.error.details.issues[0]?.path).toEqual([2, 'year']);
    const imported = await sec.call('POST', '/api/campaigns/cast-2024/honourees', {
      csv: '姓名,单位,年度,类别\n李晓梅,杭州市科技志愿服务总队,2021,最美科技志愿者\n',
    });
    expect(imported.body).toEqual({ imported: 1 });

    // CAST's round was closed early above; the unit the secretariat extends may still submit.
    const early = await sec.call<{ error: { code: string } }>('POST', '/api/campaigns/cast-2024/extensions', {
      unitId: 'prov-zj',
      until: '2025-02-20T00:00:00+08:00',
      reason: '系统维护',
    });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('EXTENSION_NOT_LATER');
    const granted = await sec.call('POST', '/api/campaigns/cast-2024/extensions', {
      unitId: 'prov-zj',
      until: '2025-03-01T00:00:00+08:00',
      reason: '公章因灾损毁，补办中',
    });
    expect(granted.status).toBe(201);

    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'prov-zj',
      name: '浙江省科协',
      email: 'zj@kx.cn',
      unitType: 'provincial-association',
    });
    const id = await submitted(unit, 'volunteer');
    const n = await seeder.waitingIn(id, 'screening');
    expect(n.eligibility?.find((c) => c.id === 'all.not-past-honouree')).toMatchObject({
      passed: false,
      figures: { matchedYear: 2021 },
    });

    // Operations: an aborted execution restarts under a new name and moves on to where the nomination stands.
    const ops = await signedIn(cloud, await opsLink(cloud));
    await seeder.sfn.send(new StopExecutionCommand({ executionArn: executionArn(id) }));
    const aborted = await ops.call<{ executions: { name: string; status: string }[] }>(
      'GET',
      '/api/ops/executions?status=ABORTED',
    );
    expect(aborted.body.executions.map((e) => e.name)).toContain(id);
    expect((await ops.call('POST', `/api/ops/executions/${id}/restart`)).status).toBe(201);
    const rearmed = await eventually(async () => {
      const again = await seeder.store.get(id);
      return again?.awaiting && again.awaiting.taskToken !== n.awaiting?.taskToken ? again : undefined;
    });
    expect(rearmed.awaiting?.step).toBe('screening');
    const running = await ops.call<{ executions: { name: string; waitingIn: string | null }[] }>(
      'GET',
      '/api/ops/executions?status=RUNNING',
    );
    expect(running.body.executions.find((e) => e.name === `${id}-r1`)?.waitingIn).toBe('screening');
    const history = await ops.call<{ events: { state: string | null }[] }>(
      'GET',
      `/api/ops/executions/${id}-r1/history`,
    );
    expect(history.body.events.map((e) => e.state)).toContain('AwaitScreening');
    expect((await unit.call('GET', '/api/ops/executions')).status).toBe(403);
    expect((await ops.call('GET', '/api/ops/executions/n-doesnotexist0/history')).status).toBe(404);
    expect((await ops.call('POST', '/api/ops/executions/n-doesnotexist0/restart')).status).toBe(404);

    expect(
      await unit.call('POST', '/api/campaigns/cast-2024/extensions', {
        unitId: 'prov-zj',
        until: '2025-03-02T00:00:00+08:00',
        reason: 'x',
      }),
    ).toMatchObject({ status: 403 });
  }, 120_000);
});
