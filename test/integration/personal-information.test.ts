import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { nomineeNameOf } from '../../functions/rules/forms/index.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { startCloud as startDemoCloud } from '../../scripts/demo/cloud.js';
import { CAST_NOMINATIONS, DISMISSED_OBJECTION, SOCIETY_NOMINATIONS } from '../../scripts/demo/data.js';
import { runDemo } from '../../scripts/demo.js';
import { startCloudProcess } from '../../scripts/driver/cloud.js';
import { validForms } from '../fixtures/forms.js';
import type { ApiClient } from '../support/api-client.js';
import {
  baseOf,
  finishCampaignStep,
  opsLink,
  reviewLinkHeader,
  reviewLinksMailedTo,
  signedIn,
} from '../support/people.js';
import { castUnitAndExperts, passedToReview } from '../support/personal-information.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * Issue 21, personal information as PIPL expects, against the whole local cloud.
 *
 * Least exposure: the demo campaign (both rounds, through the HTTP API) leaves none of its phone
 * numbers, postal addresses or birth months — nor the objectors' contacts — in the logs of the
 * local cloud (every handler's log lines, as CloudWatch would hold them) or in any Step Functions
 * execution: its input, output and every event of its history, as the local service stores them.
 * An expert's view of a nomination has none of them either; operations' views show ids, steps
 * and states only. Access records: every read of the personal fields or files by a signed-in
 * person is recorded, and the secretariat lists them per nomination.
 */

const parent = mkdtempSync(join(tmpdir(), 'laurel-pi-'));
afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

/** Every phone, address and birth month the demo's forms and objections hold. */
function demoPersonalValues(): string[] {
  const values = new Set<string>();
  for (const plan of [...SOCIETY_NOMINATIONS, ...CAST_NOMINATIONS]) {
    const form = plan.form as unknown as Record<string, unknown>;
    for (const field of ['contact', 'postalAddress', 'birthYearMonth']) {
      const value = form[field];
      if (typeof value === 'string') values.add(value);
    }
    if (plan.objection) values.add(plan.objection.contact);
  }
  values.add(DISMISSED_OBJECTION.contact);
  return [...values];
}

describe('least exposure in logs and executions', () => {
  it("the demo campaign's logs and execution histories hold none of its phone numbers, addresses or birth months", async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const dataDir = join(parent, 'demo');
    const logs: (() => string)[] = [];
    // The demo's own cloud, keeping every line it prints rather than the last few.
    const startCloud: typeof startDemoCloud = async (options) => {
      const cloud = await startCloudProcess({
        ...options,
        detached: true,
        startTimeoutMs: 90_000,
        stopTimeoutMs: 20_000,
        keptLines: Number.MAX_SAFE_INTEGER,
        // Every handler's log lines, at the most talkative level (the tests silence them otherwise).
        env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
      });
      logs.push(() => cloud.output());
      return cloud;
    };
    const printed: string[] = [];
    const outcome = await runDemo({ dataDir, port: 0, startCloud, print: (line) => printed.push(line) });
    expect(outcome.released, printed.slice(-20).join('\n')).toBe(13);

    const personal = demoPersonalValues();
    // The demo's forms do hold them: 3 volunteers' addresses and birth months, every form's phone.
    expect(personal.length).toBeGreaterThanOrEqual(20);

    const log = logs.map((output) => output()).join('\n');
    // The handlers' structured logs were captured (the awaited steps log their ids).
    expect(log).toContain('"message":"awaiting"');
    const executionsDir = join(dataDir, 'stepfunctions', 'executions');
    const executions = readdirSync(executionsDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => readFileSync(join(executionsDir, file), 'utf8'));
    expect(executions.length).toBeGreaterThanOrEqual(13);
    // The records hold the histories: each execution's task events with their inputs.
    expect(executions.join('\n')).toContain('TaskScheduled');

    const found = personal.flatMap((value) => [
      ...(log.includes(value) ? [`log: ${value}`] : []),
      ...(executions.some((text) => text.includes(value)) ? [`execution: ${value}`] : []),
    ]);
    expect(found).toEqual([]);
  }, 300_000);

  it('the deletion job, past retention, leaves no personal field in the table and no version of a file, and the final list intact', async () => {
    // The demo's data again, on a local cloud (a process of its own, as the demo's: the handlers
    // this test process imports belong to the cloud below) whose clock is back before the release.
    const cloud = await startCloudProcess({
      dataDir: join(parent, 'demo'),
      port: 0,
      detached: true,
      startTimeoutMs: 90_000,
      stopTimeoutMs: 20_000,
      keptLines: 200,
    });
    const seeder = new LocalCloudSeeder(cloud);
    try {
      const rounds = ['cacs-2024', 'cast-2024'];
      const secretariats = await Promise.all(
        rounds.map((c) => {
          const link = cloud.signInLinks.find((l) => l.campaignId === c && l.role === 'secretariat');
          return signedIn(cloud as unknown as LocalCloud, link?.url ?? '');
        }),
      );
      const released = async () => {
        const answer = await fetch(`${cloud.urls.web.replace(/\/$/, '')}/published/cast-2024/released.json`);
        return { status: answer.status, text: await answer.text() };
      };
      const listBefore = await released();
      expect(listBefore.status).toBe(200);
      const published = JSON.parse(listBefore.text) as { entries: { name: string }[] };
      expect(published.entries).toHaveLength(13);
      const onTheList = new Set(published.entries.map((e) => e.name));

      const versionsUnder = async (prefix: string) => {
        const keys: string[] = [];
        let KeyMarker: string | undefined;
        let VersionIdMarker: string | undefined;
        do {
          const page = await seeder.s3.send(
            new ListObjectVersionsCommand({
              Bucket: 'laurel-uploads',
              Prefix: prefix,
              KeyMarker,
              VersionIdMarker,
            }),
          );
          for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])])
            keys.push(`${v.Key}@${v.VersionId}`);
          KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
          VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
        } while (KeyMarker);
        return keys;
      };
      const wholeTable = async () => {
        const items: unknown[] = [];
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await seeder.documents.send(
            new ScanCommand({ TableName: 'laurel', ExclusiveStartKey }),
          );
          items.push(...(page.Items ?? []));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        return JSON.stringify(items);
      };

      // Every phone, address, birth month, objector, and the name of every nominee not on the final list.
      const plans = [...SOCIETY_NOMINATIONS, ...CAST_NOMINATIONS];
      const names = plans.map((plan) => nomineeNameOf({ category: plan.category, form: plan.form as never }));
      const offTheList = names.filter((name) => !onTheList.has(name));
      expect(offTheList.length).toBeGreaterThan(0);
      // The organizers' office phones are published in the rounds' definitions (the notice's
      // contacts), and some sample forms give the society's office as the contact: not a person's.
      const organizers = JSON.stringify([...BUILTIN_CAMPAIGNS.values()].map((c) => c.contacts));
      const all = [
        ...demoPersonalValues(),
        ...offTheList,
        ...plans.flatMap((plan) => (plan.objection ? [plan.objection.by] : [])),
        DISMISSED_OBJECTION.by,
      ];
      expect(all.filter((value) => organizers.includes(value))).toEqual(['010-68396405']);
      const personal = all.filter((value) => !organizers.includes(value));
      const filesBefore = await versionsUnder('nominations/');
      expect(filesBefore.length).toBeGreaterThan(30);
      const tableBefore = await wholeTable();
      expect(personal.filter((value) => tableBefore.includes(value))).toEqual(personal);

      // Before the retention is over: refused, and nothing deleted.
      for (const [i, campaignId] of rounds.entries()) {
        const early = await secretariats[i]?.call<{ error: { code: string; message: { zh: string } } }>(
          'POST',
          `/api/campaigns/${campaignId}/erasure`,
        );
        expect(early?.status, JSON.stringify(early?.body)).toBe(409);
        expect(early?.body.error.code).toBe('RETENTION_NOT_OVER');
        expect(early?.body.error.message.zh).toContain('保存期限');
      }
      expect(await versionsUnder('nominations/')).toEqual(filesBefore);
      const tableRefused = await wholeTable();
      expect(personal.filter((value) => tableRefused.includes(value))).toEqual(personal);

      // The release moved back past the retention period (365 days), as the clock cannot be wound on a year.
      await seeder.documents.send(
        new UpdateCommand({
          TableName: 'laurel',
          Key: { pk: 'campaign#cast-2024', sk: 'state' },
          UpdateExpression: 'SET #d.releasedAt = :past',
          ExpressionAttributeNames: { '#d': 'data' },
          ExpressionAttributeValues: { ':past': '2000-01-01T00:00:00.000Z' },
        }),
      );
      for (const [i, campaignId] of rounds.entries()) {
        const client = secretariats[i] as ApiClient;
        const done = await finishCampaignStep<Record<string, never>>(
          client,
          `/api/campaigns/${campaignId}/erasure`,
        );
        expect(done.status, JSON.stringify(done.body)).toBe(200);
        expect(done.body.job?.status).toBe('done');
        expect(done.body.job?.total).toBeGreaterThan(0);
        // A second request erases nothing twice: the same job answers.
        const again = await client.call<{ job: { id: string; status: string } }>(
          'POST',
          `/api/campaigns/${campaignId}/erasure`,
        );
        expect(again.status).toBe(200);
        expect(again.body.job).toMatchObject({ id: 'erasure', status: 'done' });
      }

      const tableAfter = await wholeTable();
      expect(personal.filter((value) => tableAfter.includes(value))).toEqual([]);
      expect(await versionsUnder('nominations/')).toEqual([]);
      expect(await versionsUnder('packages/')).toEqual([]);
      // The final list answers as before, and each nomination records its deletion.
      expect(await released()).toEqual(listBefore);
      // One of the CAST round's own (a society's forwarded copy names the society's files).
      const own = (published.entries as unknown as { nominationId: string }[]).find(
        (e) => !e.nominationId.endsWith('-p'),
      );
      const anyReleased = await seeder.store.get(own?.nominationId ?? '');
      expect(anyReleased?.erasure).toMatchObject({ cause: 'retention', by: { role: 'secretariat' } });
      expect(anyReleased?.erasure?.fileVersions).toBeGreaterThan(0);
      expect(anyReleased?.attachments).toEqual([]);
      expect(anyReleased?.score).toBeDefined();
    } finally {
      seeder.destroy();
      await cloud.stop();
    }
  }, 300_000);
});

describe('one nomination read by each role', () => {
  const dataDir = join(parent, 'cloud');
  let cloud: LocalCloud;
  let seeder: LocalCloudSeeder;
  let sec: ApiClient;
  let unit: ApiClient;
  let nominationId = '';
  const personal = [
    validForms.volunteer.contact,
    validForms.volunteer.postalAddress,
    validForms.volunteer.birthYearMonth,
  ];

  beforeAll(async () => {
    cloud = await startLocalCloud({ dataDir, port: 0 });
    seeder = new LocalCloudSeeder(cloud);
    ({ sec, unit } = await castUnitAndExperts(cloud));
    nominationId = (await seeder.submitted(unit, 'volunteer')).id;
    await passedToReview(seeder, sec, nominationId);
  }, 120_000);

  afterAll(async () => {
    seeder?.destroy();
    await cloud?.stop();
  });

  it("an expert's view of the nomination has no phone, address or birth month, and only its photos", async () => {
    const [link = ''] = await reviewLinksMailedTo(cloud, 'expert-a@review.cn');
    const headers = { ...reviewLinkHeader(link), 'content-type': 'application/json' };
    const declared = await fetch(`${baseOf(cloud)}/api/review/declaration`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ conflict: false }),
    });
    // The declaration of no conflict answers with the page shown next (the page asks for it no more).
    const text = await declared.text();
    expect(declared.status, text).toBe(201);
    const { page: view } = JSON.parse(text) as {
      page: {
        nomination: { form: Record<string, unknown>; attachments: { id: string; kind: string }[] };
        downloads: Record<string, string>;
      };
    };
    expect(view.nomination.form.mainDeeds).toBe(validForms.volunteer.mainDeeds);
    for (const value of personal) expect(text).not.toContain(value);
    expect(view.nomination.attachments.map((a) => a.kind)).toEqual(['photo', 'photo', 'photo']);
    expect(Object.keys(view.downloads).sort()).toEqual(view.nomination.attachments.map((a) => a.id).sort());
  });

  it("operations' views show ids, steps and states, and no personal field", async () => {
    const ops = await signedIn(cloud, await opsLink(cloud, 'cast-2024'));
    const list = await ops.call<{ executions: { name: string }[] }>('GET', '/api/ops/executions');
    expect(list.status).toBe(200);
    expect(list.body.executions.map((e) => e.name)).toContain(nominationId);
    const history = await ops.call('GET', `/api/ops/executions/${nominationId}/history`);
    expect(history.status).toBe(200);
    const shown = JSON.stringify([list.body, history.body]);
    expect(shown).toContain('AwaitReviews');
    for (const value of [...personal, validForms.volunteer.name, validForms.volunteer.mainDeeds])
      expect(shown).not.toContain(value);
    // Operations cannot read the nomination itself.
    expect((await ops.call('GET', `/api/nominations/${nominationId}`)).status).toBe(403);
  });

  it('records every read of the personal fields or files, and lists them for the secretariat only', async () => {
    expect((await unit.call('GET', `/api/nominations/${nominationId}`)).status).toBe(200);
    expect((await sec.call('GET', `/api/nominations/${nominationId}`)).status).toBe(200);
    const word = await fetch(`${baseOf(cloud)}/api/nominations/${nominationId}/form.docx`, {
      headers: { cookie: sec.sessionCookie },
    });
    expect(word.status).toBe(200);
    await word.arrayBuffer();

    const listed = await sec.call<{
      reads: { at: string; reader: { role: string; subjectId: string; name: string }; read: string[] }[];
    }>('GET', `/api/nominations/${nominationId}/reads`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const reads = listed.body.reads.map((r) => [r.reader.role, r.read.join('+')]);
    // The expert's read of the materials (the declaration's answer above), the unit's, the secretariat's, the Word file.
    expect(reads).toEqual(
      expect.arrayContaining([
        ['expert', 'form-without-contact+photos'],
        ['unit', 'form+files'],
        ['secretariat', 'form+files'],
        ['secretariat', 'word-form'],
      ]),
    );
    const readers = listed.body.reads.map((r) => `${r.reader.role}:${r.reader.subjectId}:${r.reader.name}`);
    expect(readers).toContain('expert:expert-a:专家A');
    expect(readers).toContain('unit:cas-astro:中国天文学会');
    for (const r of listed.body.reads) expect(Number.isNaN(Date.parse(r.at))).toBe(false);
    // Oldest first.
    const times = listed.body.reads.map((r) => r.at);
    expect(times).toEqual([...times].sort());
    // The unit may not list who read its nomination.
    expect((await unit.call('GET', `/api/nominations/${nominationId}/reads`)).status).toBe(403);
  });

  it('exports everything stored about the person as a ZIP, and nothing about anyone else', async () => {
    // Another nominee of the same unit, with other personal details.
    const other = await unit.call<{ nomination: { id: string; version: number } }>(
      'POST',
      '/api/nominations',
      {
        category: 'volunteer',
      },
    );
    expect(other.status).toBe(201);
    const otherForm = {
      ...validForms.volunteer,
      name: '王其他',
      contact: '13911112222',
      postalAddress: '上海市某路 9 号',
    };
    const saved = await unit.call('PUT', `/api/nominations/${other.body.nomination.id}/form`, {
      version: other.body.nomination.version,
      form: otherForm,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const answer = await sec.call<{ url: string; files: string[] }>(
      'POST',
      `/api/nominations/${nominationId}/personal-data`,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const zip = new Uint8Array(await (await fetch(answer.body.url)).arrayBuffer());
    const entries = unzipSync(zip);
    const json = strFromU8(entries['personal-data.json'] ?? new Uint8Array());
    const data = JSON.parse(json) as {
      nomination: { id: string; form: Record<string, unknown> };
      files: { file: string; sha256: string; kind: string }[];
      history: { action: string; by: string }[];
      reviews: unknown[];
      reads: { by: string; read: string[] }[];
    };
    // Everything stored about the person: the whole form, every file (the recorded bytes), the history, the reads.
    expect(data.nomination.id).toBe(nominationId);
    expect(data.nomination.form).toEqual(validForms.volunteer);
    expect(data.files.map((f) => f.kind).sort()).toEqual(['photo', 'photo', 'photo', 'scan', 'word']);
    for (const f of data.files) {
      const bytes = entries[f.file];
      expect(bytes, f.file).toBeDefined();
      expect(
        createHash('sha256')
          .update(bytes ?? new Uint8Array())
          .digest('base64'),
      ).toBe(f.sha256);
    }
    expect(Object.keys(entries).sort()).toEqual(
      ['personal-data.json', ...data.files.map((f) => f.file)].sort(),
    );
    expect(data.history.map((e) => e.action)).toEqual(
      expect.arrayContaining(['create', 'submit', 'screening:pass']),
    );
    expect(data.reads.map((r) => r.by)).toEqual(expect.arrayContaining(['expert', 'unit', 'secretariat']));
    // Nothing about anyone else: the other nominee, the experts, the unit's contact, the staff.
    for (const foreign of [
      '王其他',
      '13911112222',
      '上海市某路 9 号',
      other.body.nomination.id,
      '专家A',
      'expert-a',
      'expert-a@review.cn',
      'astro@cas.cn',
    ])
      expect(json, foreign).not.toContain(foreign);
    // The export is itself a read of the personal data, recorded.
    const listed = await sec.call<{ reads: { reader: { role: string }; read: string[] }[] }>(
      'GET',
      `/api/nominations/${nominationId}/reads`,
    );
    expect(listed.body.reads.filter((r) => r.reader.role === 'secretariat')).toHaveLength(3);
  });
});
