import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.js';
import type { ApiClient } from './api-client.js';
import { inviteAndSignIn, secretariatOf } from './people.js';
import type { LocalCloudSeeder } from './seed.js';

/** Every item of the local table, page by page (a test's look at what is stored, never a request path). */
export async function scanTable(seeder: LocalCloudSeeder): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await seeder.documents.send(new ScanCommand({ TableName: 'laurel', ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** CAST's secretariat, a national society signed in as a unit, and three experts (expert-a…c). */
export async function castUnitAndExperts(cloud: LocalCloud): Promise<{ sec: ApiClient; unit: ApiClient }> {
  const sec = await secretariatOf(cloud, 'cast-2024');
  const unit = await inviteAndSignIn(cloud, sec, {
    role: 'unit',
    subjectId: 'cas-astro',
    name: '中国天文学会',
    email: 'astro@cas.cn',
    unitType: 'national-society',
  });
  for (const i of ['a', 'b', 'c']) {
    await inviteAndSignIn(cloud, sec, {
      role: 'expert',
      subjectId: `expert-${i}`,
      name: `专家${i.toUpperCase()}`,
      email: `expert-${i}@review.cn`,
    });
  }
  return { sec, unit };
}

/** The secretariat passes the nomination at screening; its execution waits for the experts' reviews. */
export async function passedToReview(seeder: LocalCloudSeeder, sec: ApiClient, id: string): Promise<void> {
  const n = await seeder.waitingIn(id, 'screening');
  const passed = await sec.call('POST', `/api/nominations/${id}/screening`, {
    version: n.version,
    decision: 'pass',
  });
  expect(passed.status, JSON.stringify(passed.body)).toBe(200);
  await seeder.waitingIn(id, 'reviews');
}
