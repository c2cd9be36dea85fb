import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateAt } from '../../functions/rules/calendar.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import type { PackageAnswer } from '../../functions/use-cases/forwarding-package-answer.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import {
  awaiting,
  evenReview,
  finishCampaignStep,
  inviteAndSignIn,
  mails,
  postReview,
  reviewLinkHeader,
  reviewLinksMailedTo,
  secretariatOf,
  signedIn,
  signInLinkMailedTo,
} from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * The campaign as a secretariat runs it, over HTTP on the local cloud, across the society's
 * deadline: the campaign clock starts at 23:58:30 China time on 13 February 2025, the last
 * minutes of "2月13日前", and runs on past midnight.
 *
 * - a unit invited that evening holds a link valid through submissions and the correction period;
 * - a submission on the 13th is accepted; one after 00:00 on the 14th is refused;
 * - the selection is refused before the deadline; in CAST's round (open until the 23rd) it is
 *   allowed once the secretariat closes submissions early with a reason, which units then see;
 * - a nomination returned after the deadline is resubmitted within its correction window;
 * - the secretariat decides the selection: it includes the third of three projects against the
 *   score order with a reason and forwards one where the quota allows two; the decision shows in
 *   the ranking, the audit and the summary table of the package;
 * - the society, as recommending unit, writes its opinion, downloads the form that prints it and
 *   uploads its stamped scan: CAST's copy and the society's package carry it.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-secretariat-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let society: ApiClient;
let unit: ApiClient;
let invitation: { expiresAt: string };
let onTime: Nomination;
let late: Nomination;

const serverNow = async (client: ApiClient, campaignId: string) =>
  Date.parse((await client.call<{ now: string }>('GET', `/api/campaigns/${campaignId}/overview`)).body.now);

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0, clockStart: '2025-02-13T23:58:30+08:00' });
  seeder = new LocalCloudSeeder(cloud);
  society = await secretariatOf(cloud, 'cacs-2024');
  const invited = await society.call<{ invitation: { expiresAt: string } }>('POST', '/api/invitations', {
    role: 'unit',
    subjectId: 'jdz-society',
    name: '景德镇陶瓷学会',
    email: 'office@jdz-society.cn',
    unitType: 'member',
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  invitation = invited.body.invitation;
  unit = await signedIn(cloud, await signInLinkMailedTo(cloud, 'office@jdz-society.cn'));
  onTime = await seeder.complete(unit, 'volunteer');
  late = await seeder.complete(unit, 'site');
}, 90_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a secretariat across its deadline', () => {
  it('gives a unit invited on the last evening a link valid through the correction period, and it signs in', async () => {
    // At least the end of submissions (13 February 24:00) plus five days of corrections; invited
    // this late, the two weeks every link lasts at least are longer.
    expect(Date.parse(invitation.expiresAt)).toBeGreaterThanOrEqual(Date.parse('2025-02-18T16:00:00.000Z'));
    const me = await unit.call<{ actor: { subjectId: string } }>('GET', '/api/session');
    expect(me.body.actor.subjectId).toBe('jdz-society');
  });

  it('accepts a submission late on 13 February and refuses the selection while submissions are open', async () => {
    const now = await serverNow(unit, 'cacs-2024');
    expect(chinaDateAt(new Date(now)), 'the cloud took too long to start').toBe('2025-02-13');
    const selection = await society.call<{ error: { code: string; message: { zh: string } } }>(
      'POST',
      '/api/campaigns/cacs-2024/selection',
      {},
    );
    expect(selection.status).toBe(409);
    expect(selection.body.error.code).toBe('SUBMISSIONS_OPEN');
    expect(selection.body.error.message.zh).toContain('2025-02-13 24:00');
    const answer = await unit.call<{ nomination: Nomination }>(
      'POST',
      `/api/nominations/${onTime.id}/submit`,
      {
        version: 2,
        consent: CONSENT,
        declarations: DECLARED,
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(chinaDateAt(new Date(answer.body.nomination.submittedAt ?? ''))).toBe('2025-02-13');
  });

  it('refuses a submission from 00:00 on 14 February, and a new draft', async () => {
    await eventually(
      async () =>
        (await serverNow(unit, 'cacs-2024')) >= Date.parse('2025-02-14T00:00:00+08:00') ? true : undefined,
      150_000,
      'the campaign clock to pass midnight',
    );
    const answer = await unit.call<{ error: { code: string; message: { zh: string } } }>(
      'POST',
      `/api/nominations/${late.id}/submit`,
      { version: 2, consent: CONSENT, declarations: DECLARED },
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('DEADLINE_PASSED');
    expect(answer.body.error.message.zh).toContain('2025-02-13 24:00 (UTC+8)');
    expect((await unit.call('POST', '/api/nominations', { category: 'project' })).status).toBe(422);
    expect((await seeder.store.get(late.id))?.status).toBe('draft');
  }, 180_000);

  it('returns a nomination after the deadline, and the unit resubmits within its correction window', async () => {
    const waiting = await awaiting(society, onTime.id, 'screening');
    const returned = await society.call<Nomination>('POST', `/api/nominations/${onTime.id}/screening`, {
      version: waiting.version,
      decision: 'return',
      reasons: '请补充近三年服务数据',
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    const stored = await awaiting(unit, onTime.id, 'resubmission');
    // Returned on 14 February: correct by the end of the 19th.
    expect(stored.correctionUntil).toBe('2025-02-19T16:00:00.000Z');
    expect((await mails(cloud, 'office@jdz-society.cn')).at(-1)).toContain(
      '修改后重新提交截止时间：2025-02-19 24:00 (UTC+8)',
    );
    const resubmitted = await unit.call<{ nomination: Nomination }>(
      'POST',
      `/api/nominations/${onTime.id}/submit`,
      {
        version: stored.version,
        consent: CONSENT,
        declarations: DECLARED,
      },
    );
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    expect(resubmitted.body.nomination.status).toBe('submitted');
  }, 60_000);
});

describe('an early close', () => {
  it('refuses the selection before the deadline, allows it after an early close with a reason, and units see it', async () => {
    const cast = await secretariatOf(cloud, 'cast-2024');
    const before = await cast.call<{ error: { code: string } }>(
      'POST',
      '/api/campaigns/cast-2024/selection',
      {},
    );
    expect([before.status, before.body.error.code]).toEqual([409, 'SUBMISSIONS_OPEN']);
    const noReason = await cast.call<{ error: { code: string } }>(
      'POST',
      '/api/campaigns/cast-2024/close-submissions',
      {
        reason: ' ',
      },
    );
    expect(noReason.status).toBe(400);
    const closed = await cast.call<{ submissionsClosed: { reason: string; by: { subjectId: string } } }>(
      'POST',
      '/api/campaigns/cast-2024/close-submissions',
      { reason: '各推荐单位均已报送完毕' },
    );
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.submissionsClosed).toMatchObject({
      reason: '各推荐单位均已报送完毕',
      by: { subjectId: 'secretariat' },
    });
    const after = await cast.call<{ job: unknown }>('POST', '/api/campaigns/cast-2024/selection', {});
    expect(after.status, JSON.stringify(after.body)).toBe(200);

    const castUnit = await signedIn(
      cloud,
      await (async () => {
        const invited = await cast.call('POST', '/api/invitations', {
          role: 'unit',
          subjectId: 'prov-zj',
          name: '浙江省科协',
          email: 'office@zast.cn',
          unitType: 'provincial-association',
        });
        expect(invited.status).toBe(201);
        return signInLinkMailedTo(cloud, 'office@zast.cn');
      })(),
    );
    const overview = await castUnit.call<{
      deadline: { open: boolean; closedEarly: { reason: string } | null };
    }>('GET', '/api/campaigns/cast-2024/overview');
    expect(overview.body.deadline).toMatchObject({
      open: false,
      closedEarly: { reason: '各推荐单位均已报送完毕' },
    });
    const create = await castUnit.call<{ error: { code: string; details: { closedEarly: boolean } } }>(
      'POST',
      '/api/nominations',
      { category: 'site' },
    );
    expect([create.status, create.body.error.code, create.body.error.details.closedEarly]).toEqual([
      422,
      'DEADLINE_PASSED',
      true,
    ]);
  }, 60_000);
});

interface RankingBody {
  outcomes: {
    nominationId: string;
    rank: number | null;
    selected: boolean;
    proposed: boolean;
    message: { zh: string };
    againstRanking?: { reason: string; by: { name: string } };
  }[];
  limits: { category: string; forward: number; reason: string }[];
}

describe('择优 as the secretariat decides it', () => {
  it('includes the third project against the score order and forwards one of two places, with reasons in the ranking, the audit and the summary table', async () => {
    // Three member units given a later deadline (the society's one has passed), three experts.
    const ids: string[] = [];
    for (const i of ['1', '2', '3']) {
      const member = await inviteAndSignIn(cloud, society, {
        role: 'unit',
        subjectId: `workshop-${i}`,
        name: `工艺美术工作室${i}`,
        email: `w${i}@crafts.cn`,
        unitType: 'member',
      });
      const extended = await society.call('POST', '/api/campaigns/cacs-2024/extensions', {
        unitId: `workshop-${i}`,
        until: '2025-02-16T00:00:00+08:00',
        reason: '春节后补报',
      });
      expect(extended.status, JSON.stringify(extended.body)).toBe(201);
      ids.push((await seeder.submitted(member, 'project')).id);
    }
    for (const e of ['1', '2', '3']) {
      await inviteAndSignIn(cloud, society, {
        role: 'expert',
        subjectId: `craft-expert-${e}`,
        name: `评审专家${e}`,
        email: `ce${e}@crafts.cn`,
      });
    }
    for (const id of ids) {
      const n = await awaiting(society, id, 'screening');
      await society.call('POST', `/api/nominations/${id}/screening`, {
        version: n.version,
        decision: 'pass',
      });
    }
    for (const id of ids) await awaiting(society, id, 'reviews');
    for (const e of ['1', '2', '3']) {
      // A reminder mails the same link again: each link is reviewed once.
      for (const link of new Set(await reviewLinksMailedTo(cloud, `ce${e}@crafts.cn`))) {
        const view = await fetch(`${cloud.urls.web.replace(/\/$/, '')}/api/review`, {
          headers: reviewLinkHeader(link),
        });
        const shown = (await view.json()) as { nomination: { id: string } };
        expect(view.status, JSON.stringify(shown)).toBe(200);
        expect(await postReview(cloud, link, evenReview(9 - ids.indexOf(shown.nomination.id)))).toBe(201);
      }
    }
    for (const id of ids) await awaiting(society, id, 'selection');
    const [first, second, third] = ids as [string, string, string];

    // A reason is required; then the third is included against the score order.
    const noReason = await society.call<{ error: { path: string[] } }>(
      'PUT',
      `/api/campaigns/cacs-2024/selection-decisions/${third}`,
      { decision: 'include', reason: '' },
    );
    expect([noReason.status, noReason.body.error.path]).toEqual([400, ['reason']]);
    const reason = '扎根乡村一线，带动农户增收';
    const included = await society.call('PUT', `/api/campaigns/cacs-2024/selection-decisions/${third}`, {
      decision: 'include',
      reason,
    });
    expect(included.status, JSON.stringify(included.body)).toBe(200);
    // One place of the quota's two: the third takes it.
    const fewer = await society.call('PUT', '/api/campaigns/cacs-2024/selection-limits/project', {
      forward: 1,
      reason: '本类别仅一项达到推荐水平',
    });
    expect(fewer.status, JSON.stringify(fewer.body)).toBe(200);
    const tooMany = await society.call<{ error: { code: string } }>(
      'PUT',
      '/api/campaigns/cacs-2024/selection-limits/project',
      { forward: 3, reason: '多报' },
    );
    expect([tooMany.status, tooMany.body.error.code]).toEqual([422, 'MORE_THAN_QUOTA']);

    const ranking = await society.call<RankingBody>(
      'GET',
      '/api/campaigns/cacs-2024/ranking?category=project',
    );
    expect(ranking.body.outcomes.map((o) => [o.nominationId, o.rank, o.proposed, o.selected])).toEqual([
      [first, 1, true, false],
      [second, 2, true, false],
      [third, 3, false, true],
    ]);
    expect(ranking.body.outcomes[2]?.againstRanking).toMatchObject({ reason });
    expect(ranking.body.outcomes[2]?.message.zh).toContain(`未按名次`);
    expect(ranking.body.limits).toMatchObject([{ category: 'project', forward: 1 }]);
    const audit = await society.call<{ events: { action: string; reason?: string }[] }>(
      'GET',
      `/api/nominations/${third}/audit`,
    );
    expect(audit.body.events).toContainEqual(
      expect.objectContaining({ action: 'selection-decision:include', reason }),
    );

    const selection = await finishCampaignStep<{ outcomes: { nominationId: string; selected: boolean }[] }>(
      society,
      '/api/campaigns/cacs-2024/selection',
      { categories: ['project'] },
    );
    expect(selection.status, JSON.stringify(selection.body)).toBe(200);
    expect(selection.body.outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual([third]);
    await eventually(
      async () => ((await seeder.store.get(third))?.status === 'forwarded' ? true : undefined),
      30_000,
      'the included project forwarded',
    );
    expect((await seeder.store.get(first))?.status).toBe('not-selected');

    // The society as recommending unit: its opinion, the form that prints it, its stamped scan.
    const forwarded = `/api/campaigns/cacs-2024/forwarded/${third}`;
    const scanFirst = await society.call<{ error: { code: string } }>(
      'POST',
      `${forwarded}/stamped-scan/uploads`,
      {
        contentType: 'application/pdf',
        fileName: '学会盖章推荐表.pdf',
      },
    );
    expect([scanFirst.status, scanFirst.body.error.code]).toEqual([409, 'OPINION_FIRST']);
    const opinion = '该项目立足乡村一线，成效显著，同意推荐。';
    expect((await society.call('PUT', `${forwarded}/opinion`, { opinion })).status).toBe(200);
    const form = await fetch(`${cloud.urls.web.replace(/\/$/, '')}${forwarded}/form.docx`, {
      headers: { cookie: society.sessionCookie },
    });
    expect(form.status).toBe(200);
    const formXml = new TextDecoder().decode(
      unzipSync(new Uint8Array(await form.arrayBuffer()))['word/document.xml'] ?? new Uint8Array(),
    );
    expect(formXml).toContain(opinion);
    expect(formXml).toContain('推荐单位：中国工艺美术学会（盖章）');
    const policy = await society.call<{ url: string; fields: Record<string, string>; attachmentId: string }>(
      'POST',
      `${forwarded}/stamped-scan/uploads`,
      { contentType: 'application/pdf', fileName: '学会盖章推荐表.pdf' },
    );
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const societyScan = (await seeder.seedFiles()).scanPdf;
    const post = new FormData();
    for (const [field, value] of Object.entries(policy.body.fields)) post.append(field, value);
    post.append('file', new Blob([societyScan], { type: 'application/pdf' }), '学会盖章推荐表.pdf');
    expect((await fetch(policy.body.url, { method: 'POST', body: post })).status).toBe(204);
    const recorded = await society.call<{ endorsement: { opinion: string; scan: { id: string } } }>(
      'PUT',
      `${forwarded}/stamped-scan`,
      { attachmentId: policy.body.attachmentId, fileName: '学会盖章推荐表.pdf' },
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(recorded.body.endorsement).toMatchObject({ opinion, scan: { mime: 'application/pdf' } });
    // CAST's secretariat screening the copy reads the society's opinion and downloads its scan,
    // beside the member unit's files.
    const cast = await secretariatOf(cloud, 'cast-2024');
    const copy = await cast.call<{
      nomination: Nomination;
      downloads: Record<string, string>;
    }>('GET', `/api/nominations/${third}-p`);
    expect(copy.status, JSON.stringify(copy.body)).toBe(200);
    expect(copy.body.nomination).toMatchObject({
      unitName: '中国工艺美术学会',
      endorsement: { opinion, scan: { id: recorded.body.endorsement.scan.id } },
    });
    // CAST writes to the society, its recommending unit, not to the member unit.
    expect(copy.body.nomination.unitEmail).toBe('kjdx2024@126.com');
    const scanLink = copy.body.downloads[recorded.body.endorsement.scan.id] ?? '';
    expect(new Uint8Array(await (await fetch(scanLink)).arrayBuffer())).toEqual(societyScan);
    expect(copy.body.nomination.attachments.every((a) => copy.body.downloads[a.id])).toBe(true);

    // The package's summary table says why the forwarded project is there.
    // A job: the request answers 202 at once; its read gives the download once built.
    const started = await society.call<PackageAnswer>('POST', '/api/campaigns/cacs-2024/package', {});
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const pack = await eventually(async () => {
      const { body } = await society.call<PackageAnswer>(
        'GET',
        `/api/campaigns/cacs-2024/package/${started.body.job.id}`,
      );
      expect(body.job.status).not.toBe('failed');
      return body.download ?? undefined;
    }, 60_000);
    expect(pack.nominations).toBe(1);
    const zip = unzipSync(new Uint8Array(await (await fetch(pack.url)).arrayBuffer()));
    // It sends the society's stamped form beside the member unit's scan.
    const sent = Object.entries(zip).find(([name]) => name.endsWith('/推荐单位盖章扫描件.pdf'))?.[1];
    expect(sent).toEqual(societyScan);
    expect(Object.keys(zip).filter((name) => name.endsWith('/盖章扫描件.pdf'))).toHaveLength(1);
    const table = Object.entries(zip).find(([name]) => name.endsWith('汇总表.xlsx'))?.[1];
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((table ?? new Uint8Array()).slice().buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getCell('I2').value).toBe('择优说明');
    expect(String(sheet?.getCell('I3').value)).toBe(
      `秘书处择优决定，未按名次（评分排名第 3 名）。理由：${reason}`,
    );

    // Once CAST has screened the copy, the society's opinion and scan stay as CAST read them.
    const castWaiting = await awaiting(cast, `${third}-p`, 'screening');
    const screened = await cast.call('POST', `/api/nominations/${third}-p/screening`, {
      version: castWaiting.version,
      decision: 'pass',
    });
    expect(screened.status, JSON.stringify(screened.body)).toBe(200);
    const late = await society.call<{ error: { code: string; message: { zh: string; en: string } } }>(
      'PUT',
      `${forwarded}/opinion`,
      { opinion: '同意推荐，另作补充说明。' },
    );
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({
      code: 'ENDORSEMENT_SCREENED',
      message: {
        zh: '中国科协已完成初核，学会的推荐意见和盖章扫描件不能再修改',
        en: "CAST has already screened this nomination: the society's opinion and stamped scan can no longer be changed",
      },
    });
  }, 240_000);
});
