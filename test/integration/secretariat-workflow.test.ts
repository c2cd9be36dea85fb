import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateAt } from '../../functions/rules/calendar.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import { awaiting, mails, secretariatOf, signedIn, signInLinkMailedTo } from '../support/people.js';
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
 * - a nomination returned after the deadline is resubmitted within its correction window.
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
      { version: 2 },
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
