import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import {
  baseOf,
  evenReview,
  inviteAndSignIn,
  mails,
  postReview,
  reviewLinkHeader,
  reviewLinksMailedTo,
  secretariatOf,
} from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * Expert review over HTTP on the local cloud (DynamoDB Local, the Step Functions interpreter
 * running statemachines/nomination.asl.json, the SMTP catcher): an expert of the nominee's own
 * organisation is never asked; one expert declines with a reason, one declares a conflict; each
 * is replaced by the next eligible expert, whose link is mailed once; the nomination still ends
 * with its three reviews, all from eligible experts, with the audit complete, and its execution
 * goes on to the selection step.
 *
 * The due date's part: the cloud's time scale makes a review day three seconds: the review
 * clock's daily schedule fires every scaled day with EventBridge's event, its time a day later on
 * the scaled calendar each time, while its job's tasks keep their own TimeoutSeconds, as on AWS
 * (the local cloud scales only calendar time). A silent expert is reminded at three days and at
 * one day before the due date, the secretariat is told once when it passes, and the review goes to
 * the next eligible expert (cast-2024 reassigns overdue reviews); the nomination still ends with
 * three reviews.
 */

/**
 * A review day of three seconds: the review clock's schedule fires every 86,400 s of calendar
 * time. One cloud for the file (a process holds one local cloud's endpoints): the first test's
 * reviews are in well before its silent reviewer's fourteen days (42 s) are up.
 */
const DAY_MS = 3000;

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-expert-review-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let sec: ApiClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0, timeScale: DAY_MS / 86_400_000 });
  seeder = new LocalCloudSeeder(cloud);
  sec = await secretariatOf(cloud, 'cast-2024');
}, 60_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const email = (id: string) => `${id}@panel.example.cn`;
const post = (link: string, path: string, body: unknown) =>
  fetch(`${baseOf(cloud)}${path}`, {
    method: 'POST',
    headers: { ...reviewLinkHeader(link), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('expert review over HTTP', () => {
  it('a decline, a declared conflict and the secretariat’s swap (after dismissing a false conflict) are each replaced once; the nomination ends with three eligible reviews and moves on', async () => {
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'cas-astro',
      name: '中国天文学会',
      email: 'astro@units.example.cn',
      unitType: 'national-society',
    });
    // x0 works at the nominee's organisation (the sample volunteer's 杭州市科技志愿服务总队).
    await inviteAndSignIn(cloud, sec, {
      role: 'expert',
      subjectId: 'x0',
      name: '专家〇',
      email: email('x0'),
      organisations: ['杭州市科技志愿服务总队'],
    });
    for (const id of ['x1', 'x2', 'x3', 'x4', 'x5']) {
      await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: id,
        name: `专家${id}`,
        email: email(id),
      });
    }
    const n = await seeder.submitted(unit, 'volunteer');
    const waiting = await seeder.waitingIn(n.id, 'screening');
    const passed = await sec.call('POST', `/api/nominations/${n.id}/screening`, {
      version: waiting.version,
      decision: 'pass',
    });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    await seeder.waitingIn(n.id, 'reviews');

    const reviews = dynamoReviewStore(seeder.documents, 'laurel');
    const active = async () =>
      (await reviews.assignments(n.id)).filter((a) => !a.withdrawn).map((a) => a.expertId);
    expect(await active()).toEqual(['x1', 'x2', 'x3']);
    expect(await reviewLinksMailedTo(cloud, email('x0'))).toEqual([]);

    const [x1 = ''] = await reviewLinksMailedTo(cloud, email('x1'));
    const [x2 = ''] = await reviewLinksMailedTo(cloud, email('x2'));
    const [x3 = ''] = await reviewLinksMailedTo(cloud, email('x3'));

    // Before the declaration the page shows no materials.
    const first = (await (
      await fetch(`${baseOf(cloud)}/api/review`, { headers: reviewLinkHeader(x1) })
    ).json()) as {
      nomination: { form: unknown; attachments: unknown };
      downloads: Record<string, string>;
    };
    expect(first.nomination).toMatchObject({ form: null, attachments: null });
    expect(first.downloads).toEqual({});

    // x1 declines with a reason: x4 is asked.
    const declined = await post(x1, '/api/review/decline', { reason: '近期出国访问，无法按时评审' });
    expect(declined.status, await declined.clone().text()).toBe(201);
    expect(await active()).toEqual(['x2', 'x3', 'x4']);
    // x2 declares a conflict: x5 is asked.
    const missingKind = await post(x2, '/api/review/declaration', { conflict: true });
    expect(missingKind.status).toBe(400);
    const recused = await post(x2, '/api/review/declaration', { conflict: true, kind: 'collaborator' });
    expect(recused.status, await recused.clone().text()).toBe(201);
    expect(await active()).toEqual(['x3', 'x4', 'x5']);
    // Their links now say there is nothing to do.
    expect((await fetch(`${baseOf(cloud)}/api/review`, { headers: reviewLinkHeader(x1) })).status).toBe(409);

    // The secretariat swaps x5 for x0: refused while x0's automatic conflict stands (the answer
    // names why), then the conflict is dismissed as a false positive and the swap goes through.
    const swap = { expertId: 'x5', replacementId: 'x0', reason: 'x5 本月长期出差' };
    const refused = await sec.call('POST', `/api/nominations/${n.id}/reviewers/swap`, swap);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('EXPERT_NOT_ELIGIBLE');
    expect(JSON.stringify(refused.body)).toContain('专家〇不能评审此推荐');
    const dismissed = await sec.call('POST', `/api/nominations/${n.id}/reviewers/conflict-dismissals`, {
      expertId: 'x0',
      reason: '同名不同单位，已电话核实',
    });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(201);
    const swapped = await sec.call('POST', `/api/nominations/${n.id}/reviewers/swap`, swap);
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(201);
    expect(await active()).toEqual(['x0', 'x3', 'x4']);

    const [x4 = ''] = await reviewLinksMailedTo(cloud, email('x4'));
    const [x0 = ''] = await reviewLinksMailedTo(cloud, email('x0'));
    for (const link of [x3, x4, x0]) {
      expect((await post(link, '/api/review/declaration', { conflict: false })).status).toBe(201);
      expect(await postReview(cloud, link, evenReview(8))).toBe(201);
    }
    await seeder.waitingIn(n.id, 'selection');

    const all = await reviews.assignments(n.id);
    expect(all.filter((a) => a.review).map((a) => a.expertId)).toEqual(['x0', 'x3', 'x4']);
    expect(all.filter((a) => a.withdrawn).map((a) => [a.expertId, a.withdrawn?.reason])).toEqual([
      ['x1', 'declined'],
      ['x2', 'conflict'],
      ['x5', 'swapped'],
    ]);
    // Every invitation once; the three who left each told once.
    for (const id of ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'])
      expect(await reviewLinksMailedTo(cloud, email(id))).toHaveLength(1);
    for (const id of ['x1', 'x2', 'x5']) {
      const told = (await mails(cloud, email(id))).filter((text) => text.includes('无需再做任何操作'));
      expect(told).toHaveLength(1);
    }
    const trail = (await seeder.store.auditTrail(n.id)).map((e) => e.action);
    for (const action of [
      'review-declined',
      'review-conflict-declared',
      'review-recused',
      'review-reassigned',
      'review-no-conflict-declared',
      'review-conflict-dismissed',
      'review-swapped',
      'reviews-complete',
    ])
      expect(trail, action).toContain(action);
    expect(trail.filter((a) => a === 'review-reassigned')).toHaveLength(3);
    expect(trail.filter((a) => a === 'review')).toHaveLength(3);
    // Who reviews is the secretariat's to know: the unit's trail has every step, no expert in it.
    type Trail = {
      events: { action: string; actor: { role: string; subjectId: string; name: string }; reason?: string }[];
    };
    const unitTrail = await unit.call<Trail>('GET', `/api/nominations/${n.id}/audit`);
    expect(unitTrail.status).toBe(200);
    expect(unitTrail.body.events.map((e) => e.action).sort()).toEqual([...trail].sort());
    const experts = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'];
    const names = ['专家〇', ...experts.slice(1).map((id) => `专家${id}`)];
    const seen = JSON.stringify(unitTrail.body.events);
    for (const name of names) expect(seen).not.toContain(name);
    for (const e of unitTrail.body.events) {
      expect(experts, e.action).not.toContain(e.actor.subjectId);
      if (e.action.startsWith('review')) expect(e.reason, e.action).toBeUndefined();
    }
    // The secretariat keeps the whole trail: who declined, who took over.
    const secTrail = await sec.call<Trail>('GET', `/api/nominations/${n.id}/audit`);
    expect(JSON.stringify(secTrail.body.events)).toContain('专家x1');
    expect(secTrail.body.events.map((e) => e.actor.subjectId)).toContain('x1');
    // Loads count only the assignments still held.
    const pool = await reviews.listExperts('cast-2024');
    expect(Object.fromEntries(pool.map((e) => [e.id, e.load]))).toMatchObject({
      x0: 1,
      x1: 0,
      x2: 0,
      x3: 1,
      x4: 1,
      x5: 0,
    });
  }, 120_000);
});

describe('a review left past its due date', () => {
  it('reminds the silent expert twice, tells the secretariat once at the due date, hands the review on, and the nomination moves on', async () => {
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'cas-geo',
      name: '中国地质学会',
      email: 'geo@units.example.cn',
      unitType: 'national-society',
    });
    for (const id of ['d1', 'd2', 'd3', 'd4']) {
      await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: id,
        name: `专家${id}`,
        email: email(id),
      });
    }
    const n = await seeder.submitted(unit, 'volunteer');
    const waiting = await seeder.waitingIn(n.id, 'screening');
    const passed = await sec.call('POST', `/api/nominations/${n.id}/screening`, {
      version: waiting.version,
      decision: 'pass',
    });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    await seeder.waitingIn(n.id, 'reviews');
    const assignedAt = Date.now();
    const reviews = dynamoReviewStore(seeder.documents, 'laurel');
    const active = async () =>
      (await reviews.assignments(n.id)).filter((a) => !a.withdrawn).map((a) => a.expertId);
    expect(await active()).toEqual(['d1', 'd2', 'd3']);
    const postTo = (link: string, path: string, body: unknown) =>
      fetch(`${baseOf(cloud)}${path}`, {
        method: 'POST',
        headers: { ...reviewLinkHeader(link), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // d1 and d2 review at once; d3 never answers.
    for (const id of ['d1', 'd2']) {
      const [link = ''] = await reviewLinksMailedTo(cloud, email(id));
      expect((await postTo(link, '/api/review/declaration', { conflict: false })).status).toBe(201);
      expect(await postReview(cloud, link, evenReview(8))).toBe(201);
    }
    const reminders = async () => (await mails(cloud, email('d3'))).filter((t) => t.includes('天到期'));
    const secretariatTold = async () =>
      (await mails(cloud, 'jicengfuwuchu@163.com')).filter((t) => t.includes('的评审已过期限'));

    // The replacement's invitation is the sign that the due date passed and the review moved on.
    const [d4 = ''] = await eventually(
      async () => {
        const links = await reviewLinksMailedTo(cloud, email('d4'));
        return links.length > 0 ? links : undefined;
      },
      40 * DAY_MS,
      'the overdue review handed to d4',
    );
    // Fourteen days of the campaign's review clock passed first: never earlier.
    expect(Date.now() - assignedAt).toBeGreaterThanOrEqual(13 * DAY_MS);
    const sent = await reminders();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('还有 3 天到期');
    expect(sent[1]).toContain('还有 1 天到期');
    const told = await secretariatTold();
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('专家d3');
    expect(told[0]).toContain('已改派');
    expect(await active()).toEqual(['d1', 'd2', 'd4']);

    expect((await postTo(d4, '/api/review/declaration', { conflict: false })).status).toBe(201);
    expect(await postReview(cloud, d4, evenReview(7))).toBe(201);
    await seeder.waitingIn(n.id, 'selection');

    // More review days pass after scoring: nothing more is sent to anyone.
    await new Promise((resolve) => setTimeout(resolve, 2 * DAY_MS));
    expect(await reminders()).toHaveLength(2);
    expect(await secretariatTold()).toHaveLength(1);
    for (const id of ['d1', 'd2', 'd3', 'd4'])
      expect(await reviewLinksMailedTo(cloud, email(id))).toHaveLength(1);
    expect((await mails(cloud, email('d3'))).filter((t) => t.includes('无需再做任何操作'))).toHaveLength(1);
    const all = await reviews.assignments(n.id);
    expect(all.filter((a) => a.review).map((a) => a.expertId)).toEqual(['d1', 'd2', 'd4']);
    expect(all.filter((a) => a.withdrawn).map((a) => [a.expertId, a.withdrawn?.reason])).toEqual([
      ['d3', 'overdue'],
    ]);
    const trail = (await seeder.store.auditTrail(n.id)).map((e) => e.action);
    for (const action of [
      'review-overdue',
      'review-overdue-reassigned',
      'review-reassigned',
      'reviews-complete',
    ])
      expect(
        trail.filter((a) => a === action),
        action,
      ).toHaveLength(1);
    expect(trail.filter((a) => a === 'review')).toHaveLength(3);
  }, 180_000);
});

describe('a round assigned through the app', () => {
  it('gives every nomination of a batch passed together three eligible experts — never the parent society’s, the nominee organisation’s or the nominating unit’s — with loads within one under the caps', async () => {
    // The society's own round: its pool is this test's alone.
    const society = await secretariatOf(cloud, 'cacs-2024');
    const unit = await inviteAndSignIn(cloud, society, {
      role: 'unit',
      subjectId: 'crafts-member-a',
      name: '某工艺美术会员单位',
      email: 'member-a@units.example.cn',
      unitType: 'member',
    });
    const experts = [
      // Of the parent society (the round's organiser), of the nominee's organisation, of the unit.
      { subjectId: 'r-society', organisations: ['中国工艺美术学会'] },
      { subjectId: 'r-nominee-org', organisations: ['杭州市科技志愿服务总队'] },
      { subjectId: 'r-unit', affiliation: 'crafts-member-a' },
      { subjectId: 'r1' },
      { subjectId: 'r2' },
      { subjectId: 'r3' },
      { subjectId: 'r4' },
      { subjectId: 'r5', maxLoad: 2 },
    ];
    for (const e of experts) {
      await inviteAndSignIn(cloud, society, {
        role: 'expert',
        name: `专家${e.subjectId}`,
        email: email(e.subjectId),
        ...e,
      });
    }
    const nominations = [];
    for (let i = 0; i < 5; i += 1) nominations.push(await seeder.submitted(unit, 'volunteer'));
    const waiting = await Promise.all(nominations.map((n) => seeder.waitingIn(n.id, 'screening')));
    // Passed together, as a secretariat clears its screening list.
    const passes = await Promise.all(
      waiting.map((n) =>
        society.call('POST', `/api/nominations/${n.id}/screening`, { version: n.version, decision: 'pass' }),
      ),
    );
    for (const p of passes) expect(p.status, JSON.stringify(p.body)).toBe(200);
    await Promise.all(nominations.map((n) => seeder.waitingIn(n.id, 'reviews')));

    const reviews = dynamoReviewStore(seeder.documents, 'laurel');
    for (const n of nominations) {
      const active = (await reviews.assignments(n.id)).filter((a) => !a.withdrawn).map((a) => a.expertId);
      expect(active).toHaveLength(3);
      for (const barred of ['r-society', 'r-nominee-org', 'r-unit']) expect(active).not.toContain(barred);
      for (const id of active) expect(await reviewLinksMailedTo(cloud, email(id))).not.toHaveLength(0);
    }
    const loads = new Map((await reviews.listExperts('cacs-2024')).map((e) => [e.id, e.load]));
    expect(['r-society', 'r-nominee-org', 'r-unit'].map((id) => loads.get(id))).toEqual([0, 0, 0]);
    // Fifteen reviews: r5 at its cap of two, the other thirteen within one of each other.
    expect(loads.get('r5')).toBe(2);
    const free = ['r1', 'r2', 'r3', 'r4'].map((id) => loads.get(id) ?? 0);
    expect(free.reduce((sum, l) => sum + l, 0)).toBe(13);
    expect(Math.max(...free) - Math.min(...free)).toBeLessThanOrEqual(1);
  }, 120_000);
});
