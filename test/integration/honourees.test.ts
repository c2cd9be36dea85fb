import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nominationDetailSchema } from '../../functions/rules/nomination-view-schemas.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { ApiClient } from '../support/api-client.js';
import { inviteAndSignIn, secretariatOf } from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * The 2019–2023 honouree list at any size: imported through the API, stored in chunks far under
 * DynamoDB Local's 400 KB item limit (which it enforces, as DynamoDB does), read whole again by
 * the submission's past-honouree check — the volunteer of the fixture is the list's last row.
 */

const DYNAMODB_ITEM_LIMIT = 400 * 1024;
const dataDir = mkdtempSync(join(tmpdir(), 'laurel-honourees-'));
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

/** The stored chunks of cast-2024's list, with each item's size as DynamoDB counts it (about). */
async function storedChunks() {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await seeder.documents.send(
      new QueryCommand({
        TableName: 'laurel',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
        ExpressionAttributeValues: { ':pk': 'campaign#cast-2024', ':h': 'honourees#' },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.map((item) => ({
    rows: (item.data as unknown[]).length,
    bytes: Buffer.byteLength(JSON.stringify(item)),
  }));
}

describe('the past-honouree list at any size', () => {
  // About 5,500 rows of long Chinese names: some 320,000 characters (the import takes 350,000), over 1 MB stored.
  const rows = Array.from(
    { length: 5_500 },
    (_, i) =>
      `科技志愿者第${i}号,某某省某某市某某区科学技术协会科技志愿服务总队第${i}分队,${2019 + (i % 5)},volunteer`,
  );
  const csv = `姓名,单位,年度,类别\n${rows.join('\n')}\n李晓梅,杭州市科技志愿服务总队,2021,volunteer\n`;

  it('imports a list larger than one DynamoDB item, stored in chunks each under the limit', async () => {
    expect(csv.length).toBeLessThanOrEqual(350_000);
    expect(Buffer.byteLength(JSON.stringify(rows))).toBeGreaterThan(DYNAMODB_ITEM_LIMIT);

    const imported = await sec.call('POST', '/api/campaigns/cast-2024/honourees', { csv });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toEqual({ imported: rows.length + 1 });

    const chunks = await storedChunks();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.reduce((sum, c) => sum + c.rows, 0)).toBe(rows.length + 1);
    expect(chunks.reduce((sum, c) => sum + c.bytes, 0)).toBeGreaterThan(DYNAMODB_ITEM_LIMIT);
    for (const chunk of chunks) expect(chunk.bytes).toBeLessThan(DYNAMODB_ITEM_LIMIT / 2);
  }, 60_000);

  it('matches a submitted nominee against the whole list, its last row included', async () => {
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'soc-honour',
      name: '中国科普作家协会',
      email: 'honour@units.example.cn',
      unitType: 'national-society',
    });
    const volunteer = await seeder.submitted(unit, 'volunteer');
    await seeder.waitingIn(volunteer.id, 'screening'); // the submit (or the screening wait) has run the check
    const shown = nominationDetailSchema.parse(
      (await sec.call('GET', `/api/nominations/${volunteer.id}`)).body,
    );
    expect(shown.pastHonouree).toMatchObject({
      checked: true,
      match: 'exact',
      honouree: { name: '李晓梅', organization: '杭州市科技志愿服务总队', year: 2021 },
    });
  }, 90_000);

  it('replaces the list whole: the earlier chunks are gone and a later nominee no longer matches', async () => {
    const replaced = await sec.call('POST', '/api/campaigns/cast-2024/honourees', {
      csv: '姓名,单位,年度,类别\n王建国,北京市科技志愿服务总队,2020,volunteer\n',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ imported: 1 });
    expect(await storedChunks()).toEqual([{ rows: 1, bytes: expect.any(Number) }]);

    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'soc-honour-2',
      name: '中国科学技术史学会',
      email: 'honour2@units.example.cn',
      unitType: 'national-society',
    });
    const volunteer = await seeder.submitted(unit, 'volunteer');
    await seeder.waitingIn(volunteer.id, 'screening');
    const shown = nominationDetailSchema.parse(
      (await sec.call('GET', `/api/nominations/${volunteer.id}`)).body,
    );
    expect(shown.pastHonouree).toMatchObject({ checked: true, match: 'none', honouree: null });
  }, 90_000);
});
