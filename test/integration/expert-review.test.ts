import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { ApiClient } from '../support/api-client.js';
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
 * The due date's part (a review left to run past it and handed on) is shown on the same ASL in
 * the in-memory world (test/unit/use-cases/expert-declaration.test.ts): LAUREL_TIME_SCALE scales
 * every Task's TimeoutSeconds with the day's timer, so no scale makes a review day short here
 * while leaving the Lambda tasks their time.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-expert-review-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let sec: ApiClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
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
  it('a decline and a declared conflict are replaced; the nomination ends with three eligible reviews and moves on', async () => {
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

    const [x4 = ''] = await reviewLinksMailedTo(cloud, email('x4'));
    const [x5 = ''] = await reviewLinksMailedTo(cloud, email('x5'));
    for (const link of [x3, x4, x5]) expect(await postReview(cloud, link, evenReview(8))).toBe(201);
    await seeder.waitingIn(n.id, 'selection');

    const all = await reviews.assignments(n.id);
    expect(all.filter((a) => a.review).map((a) => a.expertId)).toEqual(['x3', 'x4', 'x5']);
    expect(all.filter((a) => a.withdrawn).map((a) => [a.expertId, a.withdrawn?.reason])).toEqual([
      ['x1', 'declined'],
      ['x2', 'conflict'],
    ]);
    // Every invitation once; the two who left each told once.
    for (const id of ['x1', 'x2', 'x3', 'x4', 'x5'])
      expect(await reviewLinksMailedTo(cloud, email(id))).toHaveLength(1);
    for (const id of ['x1', 'x2']) {
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
      'reviews-complete',
    ])
      expect(trail, action).toContain(action);
    expect(trail.filter((a) => a === 'review-reassigned')).toHaveLength(2);
    expect(trail.filter((a) => a === 'review')).toHaveLength(3);
    // Loads count only the assignments still held.
    const pool = await reviews.listExperts('cast-2024');
    expect(Object.fromEntries(pool.map((e) => [e.id, e.load]))).toMatchObject({
      x0: 0,
      x1: 0,
      x2: 0,
      x3: 1,
      x4: 1,
      x5: 1,
    });
  }, 120_000);
});
