import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../functions/routes.js';
import type { Role } from '../../functions/rules/access.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { ApiClient } from '../support/api-client.js';
import { inviteAndSignIn, opsLink, secretariatOf, signedIn } from '../support/people.js';

/**
 * Every guarded operation of the route table, through the local cloud's HTTP API with real
 * sessions: each role the table does not allow, and each allowed role outside its scope (the
 * secretariat, operations or a unit of another campaign; another unit of the same campaign for a
 * nomination), is answered 403 in the error envelope. The target of every request is a nomination
 * of one unit in the society's round (cacs-2024), so an answer that is not 403 was let through.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-access-'));
let cloud: LocalCloud;

interface Person {
  label: string;
  role: Role;
  campaignId: string;
  /** For units: whether it owns the target nomination. */
  owner?: boolean;
  client: ApiClient;
}
const people: Person[] = [];
let nominationId = '';

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  const society = await secretariatOf(cloud, 'cacs-2024');
  const cast = await secretariatOf(cloud, 'cast-2024');
  const unit = (sec: ApiClient, subjectId: string, unitType: string) =>
    inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId,
      name: subjectId,
      email: `${subjectId}@units.cn`,
      unitType,
    });
  const owner = await unit(society, 'member-a', 'member');
  const draft = await owner.call<{ nomination: { id: string } }>('POST', '/api/nominations', {
    category: 'volunteer',
  });
  expect(draft.status).toBe(201);
  nominationId = draft.body.nomination.id;
  people.push(
    { label: 'secretariat of cacs-2024', role: 'secretariat', campaignId: 'cacs-2024', client: society },
    { label: 'secretariat of cast-2024', role: 'secretariat', campaignId: 'cast-2024', client: cast },
    { label: 'owner unit', role: 'unit', campaignId: 'cacs-2024', owner: true, client: owner },
    {
      label: 'another unit',
      role: 'unit',
      campaignId: 'cacs-2024',
      client: await unit(society, 'member-b', 'member'),
    },
    {
      label: 'a unit of cast-2024',
      role: 'unit',
      campaignId: 'cast-2024',
      client: await unit(cast, 'soc-x', 'national-society'),
    },
    {
      label: 'expert of cacs-2024',
      role: 'expert',
      campaignId: 'cacs-2024',
      client: await inviteAndSignIn(cloud, society, {
        role: 'expert',
        subjectId: 'exp-1',
        name: '专家一',
        email: 'exp1@experts.cn',
      }),
    },
    {
      label: 'operations of cacs-2024',
      role: 'ops',
      campaignId: 'cacs-2024',
      client: await signedIn(cloud, await opsLink(cloud, 'cacs-2024')),
    },
    {
      label: 'operations of cast-2024',
      role: 'ops',
      campaignId: 'cast-2024',
      client: await signedIn(cloud, await opsLink(cloud, 'cast-2024')),
    },
  );
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const guarded = allRoutes().flatMap(({ route }) =>
  route.access === 'public' ? [] : [{ route, access: route.access }],
);

describe('every guarded operation through the HTTP API', () => {
  it('has people of every role and operations to try', () => {
    expect(new Set(people.map((p) => p.role))).toEqual(new Set(['secretariat', 'unit', 'expert', 'ops']));
    expect(guarded.length).toBeGreaterThan(25);
  });

  it.each(guarded.map((g) => [g.route.route, g] as const))(
    '%s refuses whoever the table does not let in',
    async (_key, { route, access }) => {
      const [method = 'GET', template = '/'] = route.route.split(' ');
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'campaignId' ? 'cacs-2024' : name === 'id' || name === 'name' ? nominationId : 'x1',
      );
      const inScope = (p: Person) =>
        access.scope === 'signed-in' ||
        (p.campaignId === 'cacs-2024' &&
          // A scope checked by the write's conditions refuses another unit as the read check does.
          ((access.scope !== 'nomination' && access.scope !== 'nomination-by-condition') ||
            p.role !== 'unit' ||
            p.owner === true));
      const refused = people.filter((p) => !access.roles.includes(p.role) || !inScope(p));
      // Only a route open to every role in its own campaign has nobody to refuse.
      if (refused.length === 0)
        expect([...access.roles].sort()).toEqual(['expert', 'ops', 'secretariat', 'unit']);
      for (const person of refused) {
        const answer = await person.client.call<{ error?: { code: string } }>(
          method,
          path,
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        expect([answer.status, answer.body?.error?.code], `${person.label}: ${method} ${path}`).toEqual([
          403,
          'FORBIDDEN',
        ]);
      }
      // Reads by the people let in are not refused (writes are left alone: they would act).
      if (method === 'GET') {
        for (const person of people.filter((p) => !refused.includes(p))) {
          // A raw read: some answers are files (the Word form), not JSON.
          const answer = await fetch(`${person.client.baseUrl}${path}`, {
            headers: { cookie: person.client.sessionCookie },
          });
          await answer.arrayBuffer();
          expect(answer.status, `${person.label}: ${method} ${path}`).not.toBe(403);
        }
      }
    },
  );
});
