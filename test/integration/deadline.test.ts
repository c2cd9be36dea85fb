import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { ApiClient } from '../support/api-client.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import { inviteAndSignIn, secretariatOf } from '../support/people.js';
import { LocalCloudSeeder } from '../support/seed.js';

/**
 * The submission deadline over HTTP: the campaign clock starts after the CAST round closed
 * ("2月23日前" = the end of 23 February, China time), so a unit can no longer even start a
 * nomination (DEADLINE_PASSED), while the unit the secretariat granted an extension submits.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-deadline-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let sec: ApiClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0, clockStart: '2025-02-24T10:00:00+08:00' });
  seeder = new LocalCloudSeeder(cloud);
  sec = await secretariatOf(cloud, 'cast-2024');
}, 60_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const unitNamed = (subjectId: string) =>
  inviteAndSignIn(cloud, sec, {
    role: 'unit',
    subjectId,
    name: `${subjectId} 学会`,
    email: `${subjectId}@units.example.cn`,
    unitType: 'national-society',
  });

describe('the deadline over HTTP', () => {
  it('refuses a new nomination after the deadline with DEADLINE_PASSED', async () => {
    const unit = await unitNamed('late-unit');
    const answer = await unit.call<{ error: { code: string; details: Record<string, unknown> } }>(
      'POST',
      '/api/nominations',
      { category: 'site' },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.error.code).toBe('DEADLINE_PASSED');
    expect(answer.body.error.details).toMatchObject({
      deadline: '2025-02-23T16:00:00.000Z',
      extended: false,
    });
    const overview = await unit.call<{ deadline: { open: boolean } }>(
      'GET',
      '/api/campaigns/cast-2024/overview',
    );
    expect(overview.body.deadline.open).toBe(false);
  });

  it('accepts the submission of a unit whose extension runs past now', async () => {
    const unit = await unitNamed('extended-unit');
    const granted = await sec.call('POST', '/api/campaigns/cast-2024/extensions', {
      unitId: 'extended-unit',
      until: '2025-02-26T00:00:00+08:00',
      reason: '春节期间公章无法使用',
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    const draft = await seeder.complete(unit, 'site');
    const answer = await unit.call<{ nomination: Nomination }>(
      'POST',
      `/api/nominations/${draft.id}/submit`,
      {
        version: 2,
        consent: CONSENT,
        declarations: DECLARED,
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await seeder.store.get(draft.id))?.status).toBe('submitted');
  });
});
