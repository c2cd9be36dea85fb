import { describe, expect, it } from 'vitest';
import type { Mailer } from '../../../functions/ports/mail.js';
import type { AuditEvent } from '../../../functions/ports/nominations.js';
import type { Campaign } from '../../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGNS, builtinCampaign } from '../../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import {
  mailListsOnce,
  NOTICE_SEND_WINDOW_MS,
  NOTICES_SETTLED_A_REQUEST,
  type NoticeList,
} from '../../../functions/use-cases/nominations.js';
import {
  type NoticeDeps,
  noticeEvent,
  tellForwardingSecretariat,
  tellUnit,
} from '../../../functions/use-cases/notices.js';
import { validForms } from '../../fixtures/forms.js';
import { memoryOutbox } from '../../support/memory/mail.js';
import { memoryNominationStore } from '../../support/memory/nominations.js';
import { memoryClock } from '../../support/memory/system.js';

/**
 * The unit's and the forwarding society's notices (functions/use-cases/notices.ts) on their own:
 * whom they greet, which address the society's notice goes to, and when nothing is sent. The
 * pipelines reach them only on the path where everything is present.
 */

const forwarded: Nomination = {
  id: 'n-0000000001',
  campaignId: 'cast-2024',
  unitId: 'cacs-2024',
  unitType: 'national-society',
  unitName: '中国工艺美术学会',
  unitEmail: 'kjdx2024@126.com',
  category: 'volunteer',
  status: 'released',
  version: 9,
  form: validForms.volunteer as unknown as Record<string, unknown>,
  attachments: [],
  noClassifiedContent: true,
  createdAt: '2025-02-10T00:00:00.000Z',
  updatedAt: '2025-04-01T02:00:00.000Z',
  forwardedFrom: {
    campaignId: 'cacs-2024',
    nominationId: 'n-0000000009',
    unitName: '会员单位一',
    unitEmail: 'member-1@units.cn',
  },
};

const office = (zh: string) => ({ zh, en: zh });

/** The built-in campaigns with the society's contact list replaced. */
function withSocietyContacts(contacts: Campaign['contacts']): ReadonlyMap<string, Campaign> {
  const cacs = builtinCampaign('cacs-2024');
  return new Map([...BUILTIN_CAMPAIGNS, ['cacs-2024', { ...cacs, contacts }]]);
}

function noticeWorld(
  campaigns: ReadonlyMap<string, Campaign> = BUILTIN_CAMPAIGNS,
  over: Partial<NoticeDeps> = {},
) {
  const outbox = memoryOutbox();
  const store = memoryNominationStore();
  const deps: NoticeDeps = {
    store,
    campaigns,
    send: (mail) => outbox.send(mail),
    webUrl: 'https://laurel.test',
    clock: memoryClock('2025-04-01T03:00:00.000Z'),
    ...over,
  };
  return { outbox, store, deps };
}

describe('noticeEvent', () => {
  it('is dated a millisecond after the change it tells of, by the system', () => {
    expect(noticeEvent('n-1', 'release', '2025-04-01T02:00:00.000Z')).toEqual({
      nominationId: 'n-1',
      at: '2025-04-01T02:00:00.001Z',
      actor: { role: 'system', subjectId: 'system', name: 'Laurel' },
      action: 'release-notice',
    });
  });
});

describe('tellUnit', () => {
  it('greets the member unit that first nominated a forwarded nomination, once', async () => {
    const { outbox, store, deps } = noticeWorld();
    expect(await tellUnit(deps, forwarded, 'release')).toBe(true);
    expect(await tellUnit(deps, forwarded, 'release')).toBe(false);
    const [mail, ...more] = outbox.sent;
    expect(more).toEqual([]);
    expect(mail?.to).toBe('member-1@units.cn');
    expect(mail?.text).toContain('会员单位一');
    expect(mail?.text).not.toContain('中国工艺美术学会：');
    expect(mail?.text).toContain('https://laurel.test/unit/');
    expect(mail?.text).toContain('查看您的推荐');
    expect(mail?.text).toContain('Your nominations');
    expect((await store.auditTrail(forwarded.id)).map((e) => e.action)).toEqual(['release-notice']);
  });

  it('writes a return of the CAST copy to the society, its recommending unit, which corrects it', async () => {
    const { outbox, deps } = noticeWorld();
    const returned = { ...forwarded, status: 'returned' as const };
    expect(await tellUnit(deps, returned, 'return')).toBe(true);
    const [mail] = outbox.sent;
    expect(mail?.to).toBe('kjdx2024@126.com');
    expect(mail?.text).toContain('中国工艺美术学会');
    expect(mail?.text).not.toContain('会员单位一：');
  });

  it('sends nothing without an address, a transport, a web address or a known campaign', async () => {
    const { unitEmail: _member, ...fromNoAddress } = forwarded.forwardedFrom ?? {
      campaignId: '',
      nominationId: '',
      unitName: '',
    };
    const noAddress: Nomination = { ...forwarded, forwardedFrom: fromNoAddress };
    for (const [deps, nomination] of [
      [noticeWorld().deps, noAddress],
      [noticeWorld(BUILTIN_CAMPAIGNS, { send: undefined }).deps, forwarded],
      [noticeWorld(BUILTIN_CAMPAIGNS, { webUrl: undefined }).deps, forwarded],
      [noticeWorld(new Map()).deps, forwarded],
    ] as const) {
      expect(await tellUnit(deps, nomination, 'release')).toBe(false);
    }
  });
});

describe('tellForwardingSecretariat', () => {
  it("writes to the society's own secretariat office first, greeting it, naming the member unit", async () => {
    const { outbox, deps } = noticeWorld(
      withSocietyContacts([
        { office: office('学会办公室'), people: [], phones: [], email: 'office@cacs.cn' },
        { office: office('中国工艺美术学会秘书处'), people: [], phones: [], email: 'sec@cacs.cn' },
      ]),
    );
    expect(await tellForwardingSecretariat(deps, forwarded, forwarded.updatedAt)).toBe(true);
    expect(outbox.sent.map((m) => m.to)).toEqual(['sec@cacs.cn']);
    expect(outbox.sent[0]?.subject).toContain('报送的推荐已正式发布');
    expect(outbox.sent[0]?.text).toContain('中国工艺美术学会秘书处');
    expect(outbox.sent[0]?.text).toContain('会员单位一');
    expect(outbox.sent[0]?.text).toContain('https://laurel.test/secretariat/');
    expect(outbox.sent[0]?.text).toContain('打开秘书处页面');
    expect(outbox.sent[0]?.text).toContain('Secretariat page');
    expect((await deps.store.auditTrail(forwarded.id)).map((e) => e.action)).toEqual([
      'forwarded-release-notice',
    ]);
    expect(await tellForwardingSecretariat(deps, forwarded, forwarded.updatedAt)).toBe(false);
    expect(outbox.sent).toHaveLength(1);
  });

  it("falls back to the first contact with an address, passing over the office's own without one", async () => {
    const { outbox, deps } = noticeWorld(
      withSocietyContacts([
        { office: office('中国工艺美术学会秘书处'), people: [], phones: ['010-1'] },
        { office: office('学会办公室'), people: [], phones: [], email: 'office@cacs.cn' },
        { office: office('会员部'), people: [], phones: [], email: 'members@cacs.cn' },
      ]),
    );
    expect(await tellForwardingSecretariat(deps, forwarded, forwarded.updatedAt)).toBe(true);
    expect(outbox.sent.map((m) => m.to)).toEqual(['office@cacs.cn']);
  });

  it('sends nothing for a nomination not forwarded, or a society that lists no address', async () => {
    const { forwardedFrom: _direct, ...direct } = forwarded;
    const none = noticeWorld(
      withSocietyContacts([{ office: office('中国工艺美术学会秘书处'), people: [], phones: [] }]),
    );
    expect(await tellForwardingSecretariat(none.deps, forwarded, forwarded.updatedAt)).toBe(false);
    const ok = noticeWorld();
    expect(await tellForwardingSecretariat(ok.deps, direct, direct.updatedAt)).toBe(false);
    expect(
      await tellForwardingSecretariat(
        noticeWorld(BUILTIN_CAMPAIGNS, { send: undefined }).deps,
        forwarded,
        forwarded.updatedAt,
      ),
    ).toBe(false);
    expect(
      await tellForwardingSecretariat(
        noticeWorld(BUILTIN_CAMPAIGNS, { webUrl: undefined }).deps,
        forwarded,
        forwarded.updatedAt,
      ),
    ).toBe(false);
    expect(none.outbox.sent).toEqual([]);
    expect(ok.outbox.sent).toEqual([]);
  });
});

describe('mailListsOnce', () => {
  const released = (nominationId: string): AuditEvent => ({
    nominationId,
    at: '2025-04-01T02:00:00.001Z',
    actor: { role: 'system', subjectId: 'system', name: 'Laurel' },
    action: 'release-notice',
  });
  /** A chunk's lists: one unit's each, its nominations' notices. */
  const chunk = (units: Record<string, string[]>): NoticeList[] =>
    Object.entries(units).map(([to, ids]) => ({
      events: ids.map(released),
      compose: (claimed) => ({
        to,
        subject: `Released (${claimed.length})`,
        text: claimed.map((e) => e.nominationId).join(', '),
        key: `job/release/${to}/${claimed.map((e) => e.nominationId).join(',')}`,
      }),
    }));
  const lists = chunk({ 'a@units.cn': ['n-1', 'n-2'], 'b@units.cn': ['n-3'], 'c@units.cn': ['n-4', 'n-5'] });
  const actions = async (store: ReturnType<typeof memoryNominationStore>, ids: string[]) =>
    (await Promise.all(ids.map((id) => store.auditTrail(id)))).map((trail) => trail.map((e) => e.action));

  it("sends the chunk's other lists when one send fails, records them, lets the failed one's claims go and throws; the retry sends only that one", async () => {
    const { outbox, store, deps } = noticeWorld();
    const mailing = { store, send: deps.send as Mailer, clock: deps.clock };
    outbox.failNext(1, undefined, (mail) => mail.to === 'b@units.cn');
    await expect(mailListsOnce(mailing, lists)).rejects.toMatchObject({ name: 'Laurel.MailFailed' });
    expect(outbox.sent.map((m) => m.to)).toEqual(['a@units.cn', 'c@units.cn']);
    expect(await actions(store, ['n-1', 'n-3', 'n-5'])).toEqual([['release-notice'], [], ['release-notice']]);
    const told = await mailListsOnce(mailing, lists);
    expect(told.map((listed) => listed.map((e) => e.nominationId))).toEqual([[], ['n-3'], []]);
    expect(outbox.sent.map((m) => m.to)).toEqual(['a@units.cn', 'c@units.cn', 'b@units.cn']);
  });

  it('lets the claims of a list whose turn comes after the send window go, to be sent by the retry: a claim must be settled within its lease', async () => {
    const { outbox, store } = noticeWorld();
    const clock = memoryClock('2025-04-01T03:00:00.000Z');
    // Each send takes 6 s: the third list would start 12 s after the claims.
    const slow: Mailer = async (mail) => {
      await outbox.send(mail);
      clock.advance(6_000);
    };
    expect(12_000).toBeGreaterThan(NOTICE_SEND_WINDOW_MS);
    await expect(mailListsOnce({ store, send: slow, clock }, lists)).rejects.toMatchObject({
      name: 'Laurel.StoreBusy',
    });
    expect(outbox.sent.map((m) => m.to)).toEqual(['a@units.cn', 'b@units.cn']);
    expect(await actions(store, ['n-2', 'n-3', 'n-4'])).toEqual([['release-notice'], ['release-notice'], []]);
    await mailListsOnce({ store, send: slow, clock }, lists);
    expect(outbox.sent.map((m) => m.to)).toEqual(['a@units.cn', 'b@units.cn', 'c@units.cn']);
    expect(await actions(store, ['n-4', 'n-5'])).toEqual([['release-notice'], ['release-notice']]);
  });

  it("records the sent lists in full batches while the chunk is still sending, a BatchWriteItem's worth each, the rest after the last send", async () => {
    const { outbox, store, deps } = noticeWorld();
    // Fifteen units of two nominations each: 30 notices, a batch of 25 and the last 5.
    const ids = Array.from({ length: 30 }, (_, i) => `n-${i + 1}`);
    const pairs = Object.fromEntries(
      Array.from({ length: 15 }, (_, u) => [`u${u}@units.cn`, ids.slice(2 * u, 2 * u + 2)]),
    );
    const batches: number[] = [];
    const counting = {
      ...store,
      settleNotices: (settled: Parameters<typeof store.settleNotices>[0]) => {
        batches.push(settled.length);
        return store.settleNotices(settled);
      },
    };
    let recordedWhenLastSent = 0;
    const send: Mailer = async (mail) => {
      await outbox.send(mail);
      if (outbox.sent.length === 15)
        recordedWhenLastSent = (await actions(store, ids)).filter((t) => t.includes('release-notice')).length;
    };
    await mailListsOnce({ store: counting, send, clock: deps.clock }, chunk(pairs));
    expect(recordedWhenLastSent).toBe(NOTICES_SETTLED_A_REQUEST);
    expect(batches).toEqual([NOTICES_SETTLED_A_REQUEST, 30 - NOTICES_SETTLED_A_REQUEST]);
    expect((await actions(store, ids)).every((trail) => trail.includes('release-notice'))).toBe(true);
  });

  it('stops sending when a settle fails, then records what went and lets the unstarted lists go: the retry takes them at once and mails only those', async () => {
    const { outbox, store, deps } = noticeWorld();
    const ids = Array.from({ length: NOTICES_SETTLED_A_REQUEST + 5 }, (_, i) => `n-${i + 1}`);
    const many = chunk(Object.fromEntries(ids.map((id) => [`${id}@units.cn`, [id]])));
    let failOnce = true;
    const flaky = {
      ...store,
      settleNotices: async (settled: Parameters<typeof store.settleNotices>[0]) => {
        if (failOnce) {
          failOnce = false;
          throw Object.assign(new Error('throughput exceeded'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return store.settleNotices(settled);
      },
    };
    await expect(
      mailListsOnce({ store: flaky, send: deps.send as Mailer, clock: deps.clock }, many),
    ).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(outbox.sent).toHaveLength(NOTICES_SETTLED_A_REQUEST);
    const recorded = (await actions(store, ids)).map((t) => t.includes('release-notice'));
    expect(recorded.filter(Boolean)).toHaveLength(NOTICES_SETTLED_A_REQUEST);
    // No lease to wait out: the unstarted ones are claimed again at once and only they are sent.
    const told = await mailListsOnce({ store, send: deps.send as Mailer, clock: deps.clock }, many);
    expect(told.flat().map((e) => e.nominationId)).toEqual(ids.slice(NOTICES_SETTLED_A_REQUEST));
    expect(outbox.sent).toHaveLength(ids.length);
  });

  it('lets only its own claim go: a claim another sender took over as stale stays held after the first sender releases late', async () => {
    const store = memoryNominationStore();
    const first = '2025-04-01T03:00:00.000Z';
    const takenOver = '2025-04-01T03:01:00.000Z';
    const n1 = released('n-1');
    expect((await store.claimNotices([n1], first, '2000-01-01T00:00:00.000Z')).claimed).toEqual([n1]);
    expect((await store.claimNotices([n1], takenOver, '2025-04-01T03:00:30.000Z')).claimed).toEqual([n1]);
    await store.settleNotices([{ event: n1, outcome: { released: { claimedAt: first } } }]);
    expect((await store.claimNotices([n1], takenOver, '2025-04-01T03:00:30.000Z')).held).toEqual([n1]);
    await store.settleNotices([{ event: n1, outcome: { released: { claimedAt: takenOver } } }]);
    expect((await store.claimNotices([n1], takenOver, '2025-04-01T03:00:30.000Z')).claimed).toEqual([n1]);
  });

  it("fails the whole chunk, sending nothing and holding none of its claims, when another sender's live claim holds one of its notices", async () => {
    const { outbox, store, deps } = noticeWorld();
    const now = deps.clock.now().toISOString();
    expect(
      (await store.claimNotices([released('n-4')], now, '2000-01-01T00:00:00.000Z')).claimed,
    ).toHaveLength(1);
    await expect(
      mailListsOnce({ store, send: deps.send as Mailer, clock: deps.clock }, lists),
    ).rejects.toMatchObject({ name: 'Laurel.StoreBusy', message: expect.stringContaining('n-4') });
    expect(outbox.sent).toEqual([]);
    const rest = ['n-1', 'n-2', 'n-3', 'n-5'].map(released);
    expect((await store.claimNotices(rest, now, '2000-01-01T00:00:00.000Z')).claimed).toEqual(rest);
  });
});
