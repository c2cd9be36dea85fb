import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { validForms } from '../fixtures/forms.js';
import type { ApiClient } from '../support/api-client.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import { baseOf, reviewLinkHeader, reviewLinksMailedTo } from '../support/people.js';
import { castUnitAndExperts, passedToReview, scanTable } from '../support/personal-information.js';
import { executionArn, LocalCloudSeeder } from '../support/seed.js';

/**
 * Issue 21, individuals' requests, against the whole local cloud: the secretariat corrects one
 * nominee's personal fields, then deletes that person's data. A file of its own because each file
 * runs in a process of its own, and the local cloud's handlers run in the test's process, reading
 * their settings (the table's and the origin proof's) once: a second cloud in the same file would
 * meet the first one's.
 */

const parent = mkdtempSync(join(tmpdir(), 'laurel-pr-'));
afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe("a person's requests: the secretariat corrects, then deletes, one nominee's data", () => {
  const dataDir = join(parent, 'requests');
  let cloud: LocalCloud;
  let seeder: LocalCloudSeeder;
  let sec: ApiClient;
  let unit: ApiClient;
  let leaving = '';
  let staying = '';
  // The leaving nominee's details once corrected: found nowhere else in the table.
  const corrected = {
    name: '赵更正',
    contact: '13900139000',
    postalAddress: '北京市海淀区中关村南大街 5 号',
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({ dataDir, port: 0 });
    seeder = new LocalCloudSeeder(cloud);
    ({ sec, unit } = await castUnitAndExperts(cloud));
    // Two volunteers: the national society's whole quota in the category.
    leaving = (await seeder.submitted(unit, 'volunteer')).id;
    staying = (await seeder.submitted(unit, 'volunteer')).id;
    await passedToReview(seeder, sec, leaving);
    await seeder.waitingIn(staying, 'screening');
  }, 120_000);

  afterAll(async () => {
    seeder?.destroy();
    await cloud?.stop();
  });

  const version = async (id: string) => (await seeder.store.get(id))?.version ?? 0;

  it('a corrected field shows in the form and the Word file, and the audit names the field, not its value', async () => {
    const before = await version(leaving);
    // The form's own checks, naming the field in both languages; nothing written.
    const bad = await sec.call<{
      error: { details: { issues: { path: string[]; message: { zh: string; en: string } }[] } };
    }>('PUT', `/api/nominations/${leaving}/personal-fields`, { version: before, fields: { contact: '12' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0]).toMatchObject({
      path: ['contact'],
      message: { zh: expect.stringContaining('联系方式'), en: expect.stringContaining('Contact phone') },
    });
    const foreign = await sec.call('PUT', `/api/nominations/${leaving}/personal-fields`, {
      version: before,
      fields: { mainDeeds: '改写' },
    });
    expect(foreign.status).toBe(400);
    // The unit corrects through a return, never here.
    expect(
      (
        await unit.call('PUT', `/api/nominations/${leaving}/personal-fields`, {
          version: before,
          fields: corrected,
        })
      ).status,
    ).toBe(403);
    expect(await version(leaving)).toBe(before);

    const answer = await sec.call<{ corrected: { field: string; name: { zh: string } }[] }>(
      'PUT',
      `/api/nominations/${leaving}/personal-fields`,
      { version: before, fields: corrected },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.corrected.map((c) => c.name.zh)).toEqual(['姓名', '通讯地址', '联系方式']);
    // The same request again (a double click): the same answer, nothing written twice.
    const again = await sec.call('PUT', `/api/nominations/${leaving}/personal-fields`, {
      version: before,
      fields: corrected,
    });
    expect(again.status).toBe(200);
    expect(await version(leaving)).toBe(before + 1);

    const shown = await sec.call<{ nomination: { form: Record<string, unknown> } }>(
      'GET',
      `/api/nominations/${leaving}`,
    );
    expect(shown.body.nomination.form).toMatchObject(corrected);
    const word = await fetch(`${baseOf(cloud)}/api/nominations/${leaving}/form.docx`, {
      headers: { cookie: sec.sessionCookie },
    });
    expect(word.status).toBe(200);
    const document = strFromU8(
      unzipSync(new Uint8Array(await word.arrayBuffer()))['word/document.xml'] ?? new Uint8Array(),
    );
    expect(document).toContain(corrected.contact);
    expect(document).toContain(corrected.name);
    expect(document).not.toContain(validForms.volunteer.contact);

    const audit = await sec.call<{ events: { action: string; reason?: string; actor: { role: string } }[] }>(
      'GET',
      `/api/nominations/${leaving}/audit`,
    );
    const corrections = audit.body.events.filter((e) => e.action === 'correct-personal-data');
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({
      actor: { role: 'secretariat' },
      reason: expect.stringContaining('联系方式'),
    });
    for (const value of Object.values(corrected)) expect(corrections[0]?.reason).not.toContain(value);
  }, 60_000);

  it('a deleted nominee leaves the campaign and leaves nothing personal behind; nobody else is touched', async () => {
    // The unit's quota is full: a third volunteer is refused.
    const third = await seeder.complete(unit, 'volunteer');
    const refused = await unit.call<{ error: { code: string } }>(
      'POST',
      `/api/nominations/${third.id}/submit`,
      { version: 2, consent: CONSENT, declarations: DECLARED },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('QUOTA_EXCEEDED');
    const [link = ''] = await reviewLinksMailedTo(cloud, 'expert-a@review.cn');
    expect((await fetch(`${baseOf(cloud)}/api/review`, { headers: reviewLinkHeader(link) })).status).toBe(
      200,
    );

    const view = await sec.call<{ version: number; effects: { id: string }[]; refusal: null }>(
      'GET',
      `/api/nominations/${leaving}/deletion`,
    );
    expect(view.status).toBe(200);
    expect(view.body.effects.map((e) => e.id)).toEqual([
      'withdrawn',
      'slot-freed',
      'execution-ended',
      'reviews-removed',
      'files-erased',
      'final',
    ]);
    const request = { version: view.body.version, reason: '被推荐人本人 2025 年 2 月 3 日书面申请删除' };
    const deleted = await sec.call('POST', `/api/nominations/${leaving}/deletion`, request);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({ nominationId: leaving, status: 'withdrawn' });
    // A second delete answers the same.
    const repeated = await sec.call('POST', `/api/nominations/${leaving}/deletion`, request);
    expect(repeated).toEqual(deleted);

    // The slot is freed: the unit nominates its third volunteer.
    const submitted = await unit.call('POST', `/api/nominations/${third.id}/submit`, {
      version: 2,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    // The execution ended, and its history says it was stopped.
    const execution = await seeder.sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArn(leaving) }),
    );
    expect(execution.status).toBe('ABORTED');
    const history = await seeder.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: executionArn(leaving),
        reverseOrder: true,
        maxResults: 1,
      }),
    );
    expect(history.events?.[0]?.type).toBe('ExecutionAborted');
    expect(history.events?.[0]?.executionAbortedEventDetails?.error).toBe('PersonalDataErased');

    // No personal field left in the table for it: not its form, not its trail, links or ranking.
    const items = await scanTable(seeder);
    const text = JSON.stringify(items);
    for (const value of Object.values(corrected)) expect(text, value).not.toContain(value);
    const own = items.filter((item) => JSON.stringify(item).includes(leaving));
    expect(own.length).toBeGreaterThan(0);
    const stored = await seeder.store.get(leaving);
    expect(stored).toMatchObject({
      status: 'withdrawn',
      form: {},
      attachments: [],
      erasure: { cause: 'request' },
    });
    for (const value of [validForms.volunteer.postalAddress, validForms.volunteer.mainDeeds])
      expect(JSON.stringify(own), value).not.toContain(value);

    // No object version of its files; the other nominee's all there.
    const versionsUnder = async (prefix: string) => {
      const listed = await seeder.s3.send(
        new ListObjectVersionsCommand({ Bucket: 'laurel-uploads', Prefix: prefix }),
      );
      return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].length;
    };
    expect(await versionsUnder(`nominations/${leaving}/`)).toBe(0);
    expect(await versionsUnder(`nominations/${staying}/`)).toBe(5);

    // The expert's link answers that it is gone, and shows nothing of the nominee.
    const opened = await fetch(`${baseOf(cloud)}/api/review`, { headers: reviewLinkHeader(link) });
    const body = await opened.text();
    expect(opened.status, body).toBe(410);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'NOMINATION_ERASED' } });
    expect(body).not.toContain(corrected.name);

    // Nobody else touched: the other nominee's form, status and execution as they were.
    const other = await seeder.store.get(staying);
    expect(other).toMatchObject({ status: 'submitted', form: validForms.volunteer });
    expect(other?.attachments).toHaveLength(5);
    const running = await seeder.sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArn(staying) }),
    );
    expect(running.status).toBe('RUNNING');

    // The trail keeps the deletion and the secretariat's reason; correction after it is refused as gone.
    const audit = await sec.call<{ events: { action: string; reason?: string }[] }>(
      'GET',
      `/api/nominations/${leaving}/audit`,
    );
    expect(audit.body.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['deletion-requested', 'erase-personal-data', 'erasure-reason']),
    );
    expect(audit.body.events.find((e) => e.action === 'erasure-reason')?.reason).toBe(request.reason);
    const late = await sec.call('PUT', `/api/nominations/${leaving}/personal-fields`, {
      version: 99,
      fields: { contact: '13700137000' },
    });
    expect(late.status).toBe(410);
  }, 60_000);
});
