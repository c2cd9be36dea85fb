import { describe, expect, it } from 'vitest';
import { chinaDateAt } from '../../../functions/rules/calendar.js';
import { campaignSchema, loadCampaigns } from '../../../functions/rules/campaign.js';
import cacs2024 from '../../../functions/rules/campaigns/cacs-2024.json' with { type: 'json' };
import cast2024 from '../../../functions/rules/campaigns/cast-2024.json' with { type: 'json' };
import { CATEGORY_IDS } from '../../../functions/rules/categories.js';
import { DEFAULT_RETENTION_DAYS } from '../../../functions/rules/consent.js';
import { CONTACT_FIELDS } from '../../../functions/rules/personal-information.js';
import {
  erasedNomination,
  erasedRecord,
  erasureDueAt,
  type PersonalRecordKind,
  publishedFormOf,
  retentionOver,
  roundErasureDueAt,
} from '../../../functions/rules/retention.js';
import {
  campaignJob,
  openPublicity,
  publicEntry,
  release,
} from '../../../functions/use-cases/campaign-steps.js';
import { ERASURE_ACTION, erasePersonalData } from '../../../functions/use-cases/erasure.js';
import { campaignOverview } from '../../../functions/use-cases/overview.js';
import { eraseDueRounds, startErasure } from '../../../functions/use-cases/retention.js';
import { validForms } from '../../fixtures/forms.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { endSubmissions, forwardedInCast, secretariatOf, stored } from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * Retention and deletion (PIPL art. 19): functions/rules/retention.ts says when and what each
 * stored record keeps; functions/use-cases/erasure.ts erases one nomination; the deletion job
 * (functions/use-cases/retention.ts) erases a round once its retention after the release is over.
 */

const sec = secretariatOf('cast-2024');
const RELEASED = '2025-04-01T00:00:00.000Z';

describe('when a round is due for deletion', () => {
  it('is its release plus the retention days, and never before the release', () => {
    expect(erasureDueAt(RELEASED, 365).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    const due = roundErasureDueAt({ releasedAt: RELEASED, retentionDays: 365 });
    expect(due?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(retentionOver(due, new Date('2026-03-31T23:59:59.999Z'))).toBe(false);
    expect(retentionOver(due, new Date('2026-04-01T00:00:00.000Z'))).toBe(true);
    const unreleased = roundErasureDueAt({ releasedAt: undefined, retentionDays: 365 });
    expect(unreleased).toBeUndefined();
    expect(retentionOver(unreleased, new Date('2099-01-01'))).toBe(false);
  });

  it("for a round that forwards, runs from its parent's release and is never due before its parent", () => {
    const cast = { releasedAt: RELEASED, retentionDays: 365 };
    // A shorter period of its own: CAST's copies still point at its files, so CAST's instant wins.
    expect(roundErasureDueAt({ releasedAt: undefined, retentionDays: 90 }, cast)?.toISOString()).toBe(
      '2026-04-01T00:00:00.000Z',
    );
    // A longer one: its own period, counted from CAST's release.
    expect(roundErasureDueAt({ releasedAt: undefined, retentionDays: 730 }, cast)?.toISOString()).toBe(
      '2027-04-01T00:00:00.000Z',
    );
    // Nothing is due while the round it forwards to is unreleased, whatever its own state.
    expect(
      roundErasureDueAt(
        { releasedAt: RELEASED, retentionDays: 90 },
        { releasedAt: undefined, retentionDays: 365 },
      ),
    ).toBeUndefined();
  });

  it("keeps a society's round with a shorter period until CAST's round is due, and says from which date", async () => {
    const campaigns = loadCampaigns([cast2024, { ...cacs2024, privacy: { retentionDays: 90 } }]);
    const world = memoryWorld({ campaigns });
    const castState = await world.deps.campaignStore.state('cast-2024');
    await world.deps.campaignStore.saveState({ ...castState, releasedAt: RELEASED });
    const society = secretariatOf('cacs-2024');
    expect((await campaignOverview(world.deps, society, 'cacs-2024')).privacy.erasureDueAt).toBe(
      '2026-04-01T08:00:00+08:00',
    );
    world.clock.set(new Date(Date.parse(RELEASED) + 90 * DAY_MS));
    const refusal = await startErasure(world.deps, society, 'cacs-2024').catch((e) => e);
    expect(refusal).toMatchObject({
      code: 'RETENTION_NOT_OVER',
      details: { due: '2026-04-01T00:00:00.000Z' },
    });
    expect(refusal.messages.zh).toContain('2026-04-01 起方可删除');
    expect(refusal.messages.en).toContain('deletion from 2026-04-01');
    expect(await eraseDueRounds(world.deps)).toEqual([]);
    world.clock.set('2026-04-01T00:00:00.000Z');
    expect(await eraseDueRounds(world.deps)).toEqual(['cast-2024', 'cacs-2024']);
  });

  it('takes a year unless the round says otherwise, between 90 days and three years, naming the field', () => {
    const base = campaignSchema().parse(JSON.parse(JSON.stringify(world0().deps.campaigns.get('cast-2024'))));
    expect(base.privacy.retentionDays).toBe(DEFAULT_RETENTION_DAYS);
    for (const [days, ok] of [
      [90, true],
      [1095, true],
      [89, false],
      [1096, false],
      [365.5, false],
    ] as const) {
      const parsed = campaignSchema().safeParse({
        ...base,
        privacy: { ...base.privacy, retentionDays: days },
      });
      expect(parsed.success, String(days)).toBe(ok);
      if (!parsed.success) expect(parsed.error.issues[0]?.path).toEqual(['privacy', 'retentionDays']);
    }
  });
});

const world0 = () => memoryWorld();

describe('what an erased nomination keeps', () => {
  const nomination = (category: (typeof CATEGORY_IDS)[number], status: 'released' | 'not-selected') => ({
    id: 'n-0123456789',
    campaignId: 'cast-2024',
    unitId: 'cas-astro',
    unitType: 'national-society',
    unitName: '中国天文学会',
    unitEmail: 'astro@cas.cn',
    category,
    status,
    version: 7,
    form: validForms[category] as unknown as Record<string, unknown>,
    attachments: [
      { id: 'a1', kind: 'photo' as const, key: 'nominations/n-0123456789/photo/a1', fileName: 'p.jpg' },
    ],
    noClassifiedContent: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-04-01T00:00:00.000Z',
    reasons: '请补充联系电话 13900000000',
    consent: {
      noticeVersion: 1,
      confirmedAt: '2025-01-02T00:00:00.000Z',
      by: { role: 'unit', subjectId: 'u', name: '张三' },
    },
    score: { meanTotal: 88, expertTotals: [90, 86], recommendations: 2, lowestTotal: 86 },
  });
  const record = {
    at: '2026-04-02T00:00:00.000Z',
    cause: 'retention' as const,
    by: { role: 'ops', subjectId: 's' },
    fileVersions: 3,
    records: 4,
  };

  it('on the final list: exactly what the list publishes of it, and the anonymised score', () => {
    for (const category of CATEGORY_IDS) {
      const n = nomination(category, 'released') as never;
      const erased = erasedNomination(n, record);
      expect(publicEntry(erased), category).toEqual(publicEntry(n));
      expect(Object.keys(erased.form).length, category).toBeLessThanOrEqual(2);
      for (const field of CONTACT_FIELDS[category]) expect(erased.form, category).not.toHaveProperty(field);
      expect(erased.score).toEqual((n as { score: unknown }).score);
      expect(erased.attachments).toEqual([]);
      expect(JSON.stringify(erased)).not.toMatch(/astro@cas\.cn|13900000000|张三/);
      expect(erased.erasure).toEqual(record);
      // Erasing again changes nothing more.
      expect(publishedFormOf(erased)).toEqual(erased.form);
    }
  });

  it('off the list: not even the name', () => {
    const erased = erasedNomination(nomination('volunteer', 'not-selected') as never, record);
    expect(erased.form).toEqual({});
    expect(JSON.stringify(erased)).not.toContain(validForms.volunteer.name);
  });

  const samples: Record<PersonalRecordKind, Record<string, unknown>> = {
    audit: {
      nominationId: 'n-1',
      at: '2025-01-01T00:00:00.000Z',
      action: 'screening:return',
      reason: '电话 13900000000 有误',
      actor: { role: 'secretariat', subjectId: 'sec', name: '李秘书' },
    },
    read: {
      nominationId: 'n-1',
      at: 't',
      read: ['form'],
      reader: { role: 'expert', subjectId: 'e1', name: '王专家' },
    },
    review: {
      nominationId: 'n-1',
      expertId: 'e1',
      expertName: '王专家',
      linkHash: 'abc',
      declaration: { at: 't', conflict: null, note: '与被推荐人不相识' },
      review: {
        expertId: 'e1',
        scores: { a: 9 },
        recommend: true,
        comment: '周丽华事迹突出',
        total: 90,
        submittedAt: 't',
      },
    },
    ranking: {
      nominationId: 'n-1',
      reviews: [{ expertId: 'e1', scores: { a: 9 }, recommend: true, comment: '周丽华' }],
    },
    objection: {
      id: 'o1',
      nominationId: 'n-1',
      reason: '周丽华材料不实',
      name: '李某',
      contact: '13700001111',
      resolution: { decision: 'dismiss', note: '周丽华材料属实', at: 't', by: '秘书处张某' },
    },
    'review-link': { nominationId: 'n-1', expertId: 'e1' },
    'awaiting-experts': { nomineeName: '周丽华' },
  };

  it('each record: no name, contact, reason or comment, the scores kept, and the same when erased again', () => {
    for (const [kind, data] of Object.entries(samples) as [PersonalRecordKind, Record<string, unknown>][]) {
      const erased = erasedRecord(kind, data);
      if (erased === 'remove') {
        expect(['review-link', 'awaiting-experts']).toContain(kind);
        continue;
      }
      const text = JSON.stringify(erased.keep);
      for (const personal of [
        '13900000000',
        '李秘书',
        '王专家',
        '周丽华',
        '李某',
        '13700001111',
        '张某',
        '不相识',
      ])
        expect(text, `${kind}: ${personal}`).not.toContain(personal);
      expect(erasedRecord(kind, erased.keep), kind).toEqual(erased);
    }
    const review = erasedRecord('review', samples.review) as { keep: { review: unknown; expertId: string } };
    expect(review.keep.review).toEqual({
      expertId: 'e1',
      scores: { a: 9 },
      recommend: true,
      total: 90,
      submittedAt: 't',
    });
    expect(review.keep).not.toHaveProperty('linkHash');
    const audit = erasedRecord('audit', samples.audit) as { keep: Record<string, unknown> };
    expect(audit.keep).toMatchObject({
      action: 'screening:return',
      actor: { role: 'secretariat', subjectId: 'sec', name: '' },
    });
  });
});

/** A CAST round with one volunteer released, its files twice uploaded and records about it. */
async function releasedRound() {
  const world = memoryWorld();
  const [id] = (await forwardedInCast(world, ['volunteer'])) as [string];
  await endSubmissions(world, 'cast-2024');
  await openPublicity(world.deps, sec, 'cast-2024');
  await world.settle();
  const { publicity } = await world.deps.campaignStore.state('cast-2024');
  world.clock.set(publicity?.closesAt ?? '');
  await endSubmissions(world, 'cast-2024');
  await release(world.deps, sec, 'cast-2024');
  await world.settle();
  const n = await stored(world, id);
  expect(n.status).toBe('released');
  // A replaced file leaves an earlier version behind; an exported copy lies under packages/.
  await world.deps.uploads.put(`nominations/${id}/photo/old`, new Uint8Array([1]), 'image/jpeg');
  await world.deps.uploads.put(`nominations/${id}/photo/old`, new Uint8Array([2]), 'image/jpeg');
  await world.deps.uploads.put(
    `packages/cast-2024/personal-data/${id}-x.zip`,
    new Uint8Array([3]),
    'application/zip',
  );
  world.deps.erasure.put(id, {
    kind: 'audit',
    key: { pk: `nomination#${id}`, sk: 'audit#1' },
    data: samplesAudit(id),
  });
  world.deps.erasure.put(id, {
    kind: 'read',
    key: { pk: `nomination#${id}`, sk: 'read#1' },
    data: {
      nominationId: id,
      at: 't',
      read: ['form'],
      reader: { role: 'unit', subjectId: 'u', name: '单位联系人' },
    },
  });
  world.deps.erasure.put(id, { kind: 'review-link', key: { pk: 'review-link#h', sk: 'item' }, data: {} });
  return { world, id };
}
const samplesAudit = (id: string) => ({
  nominationId: id,
  at: '2025-01-01T00:00:00.000Z',
  action: 'submit',
  actor: { role: 'unit', subjectId: 'u', name: '单位联系人' },
  reason: '联系电话 13900000000',
});

const personalOf = (world: World, id: string) =>
  world.deps.erasure.of(id).filter((r) => JSON.stringify(r.data).match(/单位联系人|13900000000/));

describe('erasing one nomination', () => {
  it('removes every version of its files and copies, the personal parts of its records, and records the deletion', async () => {
    const { world, id } = await releasedRound();
    expect(world.deps.uploads.versionCount(`nominations/${id}/`)).toBeGreaterThan(2);
    // A request made after the release, whose job told the unit at the release's instant.
    world.clock.advance(60_000);
    const by = { role: 'secretariat', subjectId: 'sec' };
    const record = await erasePersonalData(world.deps, id, { cause: 'request', by, trailDays: 365 });
    expect(world.deps.uploads.versionCount(`nominations/${id}/`)).toBe(0);
    expect(world.deps.uploads.versionCount(`packages/cast-2024/personal-data/${id}`)).toBe(0);
    expect(personalOf(world, id)).toEqual([]);
    // The review link's item stays as it was (which assignment it opens, nothing personal): an
    // expert's old link answers that the materials were deleted.
    expect(world.deps.erasure.of(id).map((r) => r.kind)).toEqual(['audit', 'read', 'review-link']);
    // The trail of who did and read what is kept one more retention period, then DynamoDB's TTL removes it.
    const at = Date.parse(record?.at ?? '') / 1000;
    for (const r of world.deps.erasure.of(id).filter((r) => r.kind !== 'review-link'))
      expect(r.expiresAt).toBe(Math.floor(at) + 365 * 86_400);
    const erased = await stored(world, id);
    expect(erased.erasure).toEqual(record);
    expect(record).toMatchObject({ cause: 'request', by, records: 2 });
    expect(record?.fileVersions).toBeGreaterThan(2);
    const trail = await world.deps.store.auditTrail(id);
    expect(trail.at(-1)).toMatchObject({ action: ERASURE_ACTION, actor: { role: 'secretariat', name: '' } });
    expect(JSON.stringify(trail.at(-1))).not.toContain(validForms.volunteer.name);

    // A second run is answered by the record and changes nothing.
    const versionBefore = erased.version;
    expect(await erasePersonalData(world.deps, id, { cause: 'request', by, trailDays: 365 })).toEqual(record);
    expect((await stored(world, id)).version).toBe(versionBefore);
  });

  it('run again after a crash half-way, finishes the work', async () => {
    const { world, id } = await releasedRound();
    world.deps.erasure.failNextRewrite();
    const request = {
      cause: 'retention' as const,
      by: { role: 'ops', subjectId: 'schedule' },
      trailDays: 365,
    };
    await expect(erasePersonalData(world.deps, id, request)).rejects.toThrow('crash');
    // Cut short: the files went first, the nomination is untouched until the end.
    expect(world.deps.uploads.versionCount(`nominations/${id}/`)).toBe(0);
    expect((await stored(world, id)).erasure).toBeUndefined();
    expect(personalOf(world, id).length).toBeGreaterThan(0);
    const record = await erasePersonalData(world.deps, id, request);
    expect(record?.cause).toBe('retention');
    expect(personalOf(world, id)).toEqual([]);
    expect((await stored(world, id)).form).toEqual(publishedFormOf(await stored(world, id)));
  });
});

describe('the deletion job', () => {
  it('is refused before the retention is over, and touches nothing', async () => {
    const { world, id } = await releasedRound();
    const { releasedAt } = await world.deps.campaignStore.state('cast-2024');
    world.clock.set(new Date(Date.parse(releasedAt ?? '') + 365 * DAY_MS - 1));
    const refusal = await startErasure(world.deps, sec, 'cast-2024').catch((e) => e);
    expect(refusal).toMatchObject({ code: 'RETENTION_NOT_OVER', kind: 'conflict' });
    const due = new Date(Date.parse(releasedAt ?? '') + 365 * DAY_MS);
    expect(refusal.messages.zh).toContain(`${chinaDateAt(due)} 起方可删除`);
    expect(await eraseDueRounds(world.deps)).toEqual([]);
    await world.settle();
    expect((await stored(world, id)).erasure).toBeUndefined();
    expect(world.deps.uploads.versionCount(`nominations/${id}/`)).toBeGreaterThan(0);
    // Only the round's secretariat may start it.
    await expect(startErasure(world.deps, secretariatOf('cacs-2024'), 'cast-2024')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('once the retention is over, the daily schedule erases every nomination and the packages, once', async () => {
    const { world, id } = await releasedRound();
    await world.deps.uploads.put('packages/cast-2024/package-1.zip', new Uint8Array([4]), 'application/zip');
    const published = new Map(world.deps.publicFiles.files);
    expect([...published.keys()]).toContain('cast-2024/released.json');
    const { releasedAt } = await world.deps.campaignStore.state('cast-2024');
    world.clock.set(new Date(Date.parse(releasedAt ?? '') + 365 * DAY_MS));
    expect(await eraseDueRounds(world.deps)).toContain('cast-2024');
    await world.settle();
    const job = await campaignJob(world.deps, sec, 'cast-2024', 'erasure');
    expect(job).toMatchObject({ job: { step: 'erasure', status: 'done', total: 1 } });
    const erased = await stored(world, id);
    expect(erased.erasure).toMatchObject({
      cause: 'retention',
      by: { role: 'ops', subjectId: 'retention-schedule' },
    });
    expect(world.deps.uploads.versionCount('packages/cast-2024/')).toBe(0);
    expect((await world.deps.campaignStore.state('cast-2024')).erasedAt).toBeDefined();
    // The next day's run finds nothing due; the secretariat's request answers the finished job.
    expect(await eraseDueRounds(world.deps)).toEqual([]);
    expect(await startErasure(world.deps, sec, 'cast-2024')).toMatchObject({ id: 'erasure', status: 'done' });
    // The final list as it was: not even published again.
    expect(new Map(world.deps.publicFiles.files)).toEqual(published);
  });
});
