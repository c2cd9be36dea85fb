import { describe, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import {
  type ErasureRecord,
  erasedNomination,
  erasedRecord,
  packagePrefixOf,
  publishedFormOf,
  retentionNotOver,
} from '../../functions/rules/retention.js';

/**
 * functions/rules/retention.ts record by record: exactly what each stored record keeps after the
 * erasure (test/unit/use-cases/retention.test.ts checks that nothing personal is left; these say
 * what is left), and the refusal of a deletion asked for too early.
 */

const record: ErasureRecord = {
  at: '2026-04-02T00:00:00.000Z',
  cause: 'retention',
  by: { role: 'ops', subjectId: 's' },
  fileVersions: 3,
  records: 4,
};

/** A nomination a society forwarded, released in CAST's round, with every field the erasure looks at. */
const forwarded = (over: Partial<Nomination> = {}): Nomination => ({
  id: 'n-0123456789-p',
  campaignId: 'cast-2024',
  unitId: 'cacs',
  unitType: 'society',
  unitName: '中国科协学会',
  unitEmail: 'society@example.org',
  category: 'volunteer',
  status: 'released',
  version: 7,
  form: { name: '周丽华', mainDeeds: '长期开展科普讲座。', phone: '13900000000' },
  attachments: [
    {
      id: 'a1',
      kind: 'photo',
      key: 'nominations/n-0123456789/photo/a1',
      versionId: 'v1',
      sha256: 'x',
      size: 1,
      mime: 'image/jpeg',
      fileName: 'p.jpg',
      uploadedAt: '2025-01-02T00:00:00.000Z',
    },
  ],
  noClassifiedContent: true,
  grassroots: false,
  grassrootsConfirmed: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-04-01T00:00:00.000Z',
  submittedAt: '2025-01-05T00:00:00.000Z',
  campaignVersion: 2,
  reasons: '请补充联系电话',
  score: { meanTotal: 88, expertTotals: [90, 86], recommendations: 2, lowestTotal: 86 },
  selection: {
    rank: 1,
    selected: true,
    message: { zh: '入选', en: 'Selected' },
    againstRanking: { reason: '事迹突出', by: { subjectId: 'sec', name: '孟曦' }, at: 't' },
  },
  forwardedAs: { campaignId: 'next-2025', nominationId: 'n-9999999999' },
  deletedOnRequest: { at: '2026-01-01T00:00:00.000Z', statusBefore: 'released' },
  forwardedFrom: {
    campaignId: 'cacs-2024',
    nominationId: 'n-0123456789',
    unitName: '中国工艺美术学会',
    unitEmail: 'member@example.org',
  },
  endorsement: { opinion: '同意推荐', by: { subjectId: 'soc', name: '赵会长' }, at: 't' },
  ...over,
});

describe('the nomination as kept after the erasure', () => {
  it('keeps its ids, dates, marks, anonymised score and rank, and the next version; nothing else', () => {
    expect(erasedNomination(forwarded(), record)).toEqual({
      id: 'n-0123456789-p',
      campaignId: 'cast-2024',
      unitId: 'cacs',
      unitType: 'society',
      unitName: '中国科协学会',
      category: 'volunteer',
      status: 'released',
      version: 8,
      form: { name: '周丽华', mainDeeds: '长期开展科普讲座。' },
      attachments: [],
      noClassifiedContent: true,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2026-04-02T00:00:00.000Z',
      erasure: record,
      submittedAt: '2025-01-05T00:00:00.000Z',
      campaignVersion: 2,
      grassroots: false,
      grassrootsConfirmed: false,
      score: { meanTotal: 88, expertTotals: [90, 86], recommendations: 2, lowestTotal: 86 },
      selection: { rank: 1, selected: true, message: { zh: '入选', en: 'Selected' } },
      forwardedAs: { campaignId: 'next-2025', nominationId: 'n-9999999999' },
      deletedOnRequest: { at: '2026-01-01T00:00:00.000Z', statusBefore: 'released' },
      forwardedFrom: { campaignId: 'cacs-2024', nominationId: 'n-0123456789', unitName: '中国工艺美术学会' },
    });
  });

  it('adds none of the optional fields a nomination never had', () => {
    const bare: Nomination = {
      id: 'n-0123456789',
      campaignId: 'cast-2024',
      unitId: 'u',
      unitType: 'province',
      unitName: '某省科协',
      category: 'project',
      status: 'not-selected',
      version: 1,
      form: { projectName: '乡村科普', overview: '……' },
      attachments: [],
      noClassifiedContent: true,
      createdAt: 'c',
      updatedAt: 'u',
    };
    expect(Object.keys(erasedNomination(bare, record)).sort()).toEqual(
      [
        'attachments',
        'campaignId',
        'category',
        'createdAt',
        'erasure',
        'form',
        'id',
        'noClassifiedContent',
        'status',
        'unitId',
        'unitName',
        'unitType',
        'updatedAt',
        'version',
      ].sort(),
    );
  });

  it('keeps a confirmed grassroots mark as it was', () => {
    const erased = erasedNomination(forwarded({ grassroots: true, grassrootsConfirmed: true }), record);
    expect([erased.grassroots, erased.grassrootsConfirmed]).toEqual([true, true]);
  });
});

describe('what the final list keeps of a released form', () => {
  it('keeps the name alone when the form has no deeds, and nothing of a form off the list', () => {
    const n = forwarded({ form: { name: '周丽华', phone: '13900000000' } });
    expect(publishedFormOf(n)).toEqual({ name: '周丽华' });
    expect(publishedFormOf({ ...n, status: 'not-selected' })).toEqual({});
  });

  it('keeps the summary as published, never the whole deeds', () => {
    const deeds = '科普'.repeat(150);
    const kept = publishedFormOf(forwarded({ form: { name: '周丽华', mainDeeds: deeds } }));
    expect(kept.mainDeeds).toBe(`${'科普'.repeat(99)}……`);
  });
});

describe('what each other record keeps', () => {
  it('an audit event or a read: the actor by role and id, no name; a missing actor kept as blanks', () => {
    expect(erasedRecord('audit', { action: 'screening:return', reason: '电话有误', at: 't' })).toEqual({
      keep: { action: 'screening:return', at: 't', actor: { role: '', subjectId: '', name: '' } },
    });
    expect(
      erasedRecord('read', {
        at: 't',
        read: ['form'],
        reader: { role: 'expert', subjectId: 'e1', name: '王专家' },
      }),
    ).toEqual({ keep: { at: 't', read: ['form'], reader: { role: 'expert', subjectId: 'e1', name: '' } } });
  });

  it('a review assignment: the expert id, the declaration’s date and conflict, the withdrawal’s reason, the scores', () => {
    expect(
      erasedRecord('review', {
        nominationId: 'n-1',
        expertId: 'e1',
        expertName: '王专家',
        linkHash: 'abc',
        linkExpiresAt: '2025-03-01T00:00:00.000Z',
        declaration: { at: 't1', note: '与被推荐人不相识' },
        withdrawn: { at: 't2', reason: 'conflict', note: '是被推荐人的同事' },
        review: { expertId: 'e1', scores: { a: 9 }, recommend: true, comment: '事迹突出', total: 90 },
      }),
    ).toEqual({
      keep: {
        nominationId: 'n-1',
        expertId: 'e1',
        expertName: '',
        declaration: { at: 't1', conflict: null },
        withdrawn: { at: 't2', reason: 'conflict', note: '' },
        review: { expertId: 'e1', scores: { a: 9 }, recommend: true, total: 90 },
      },
    });
    expect(
      erasedRecord('review', {
        expertId: 'e2',
        expertName: '李专家',
        declaration: { at: 't', conflict: true },
      }),
    ).toEqual({ keep: { expertId: 'e2', expertName: '', declaration: { at: 't', conflict: true } } });
  });

  it('the ranking’s row: the reviews without their comments, none when there were none', () => {
    expect(
      erasedRecord('ranking', {
        nominationId: 'n-1',
        reviews: [{ expertId: 'e1', scores: { a: 9 }, recommend: true, comment: '周丽华' }],
      }),
    ).toEqual({
      keep: { nominationId: 'n-1', reviews: [{ expertId: 'e1', scores: { a: 9 }, recommend: true }] },
    });
    expect(erasedRecord('ranking', { nominationId: 'n-1' })).toEqual({
      keep: { nominationId: 'n-1', reviews: [] },
    });
  });

  it('an objection: the decision and its date, nobody’s name, contact, reason or note', () => {
    expect(
      erasedRecord('objection', {
        id: 'o1',
        nominationId: 'n-1',
        nominee: '周丽华',
        reason: '材料不实',
        name: '李某',
        contact: '13700001111',
        resolution: { decision: 'dismiss', note: '材料属实', at: 't', by: '秘书处张某' },
      }),
    ).toEqual({
      keep: {
        id: 'o1',
        nominationId: 'n-1',
        name: '',
        contact: '',
        reason: '',
        resolution: { decision: 'dismiss', note: '', at: 't', by: '' },
      },
    });
    expect(erasedRecord('objection', { id: 'o2', reason: '不实', name: '王某', contact: 'x' })).toEqual({
      keep: { id: 'o2', name: '', contact: '', reason: '' },
    });
  });

  it('a review link kept as it is; the waiting-for-experts entry removed', () => {
    const link = { nominationId: 'n-1', expertId: 'e1' };
    expect(erasedRecord('review-link', link)).toEqual({ keep: link });
    expect(erasedRecord('awaiting-experts', { nomineeName: '周丽华' })).toBe('remove');
  });
});

describe('a deletion asked for before the retention is over', () => {
  it('is refused while the round is not released, saying the period runs from the release', () => {
    const refusal = retentionNotOver(undefined);
    expect([refusal.code, refusal.kind, refusal.details]).toEqual(['RETENTION_NOT_OVER', 'conflict', {}]);
    expect(refusal.messages).toEqual({
      zh: '本轮尚未正式发布：保存期限自发布之日起计算，期满后才能删除',
      en: 'The round is not released yet: the retention period runs from the release, and deletion comes after it',
    });
  });

  it('is refused with the day deletion may start, as China’s calendar reads it', () => {
    const refusal = retentionNotOver(new Date('2026-03-31T16:00:00.000Z'));
    expect([refusal.code, refusal.kind, refusal.details]).toEqual([
      'RETENTION_NOT_OVER',
      'conflict',
      { due: '2026-03-31T16:00:00.000Z' },
    ]);
    expect(refusal.messages).toEqual({
      zh: '个人信息保存期限尚未届满：2026-04-01 起方可删除',
      en: 'The retention period is not over: deletion from 2026-04-01',
    });
  });
});

it("erases a round's forwarding packages under its own prefix only", () => {
  expect(packagePrefixOf('cast-2024')).toBe('packages/cast-2024/');
});
