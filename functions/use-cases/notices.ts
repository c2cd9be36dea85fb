import type { Mailer } from '../ports/mail.js';
import type { AuditEvent, NominationStore } from '../ports/nominations.js';
import type { Clock } from '../ports/system.js';
import type { Campaign } from '../rules/campaign.js';
import { CATEGORY_NAMES } from '../rules/categories.js';
import { nomineeNameOf } from '../rules/forms/index.js';
import type { Bilingual } from '../rules/i18n.js';
import { appPageLink } from '../rules/links.js';
import { type Notice, noticeMail } from '../rules/mail-body.js';
import type { Nomination } from '../rules/nomination.js';
import { FORWARDED_RELEASE_NOTICE, UNIT_NOTICES, type UnitNoticeKind } from '../rules/notices.js';
import { mailListsOnce, mailOnce, type NoticeList } from './nominations.js';

/**
 * The notices a unit gets as its nomination moves (returned, rejected, selected or not,
 * forwarded, withdrawn after an objection, released), each composed by `noticeMail` from the
 * same facts and sent once: recorded in the nomination's audit trail, keyed on the change it
 * tells of, so a retried request or task finds it sent.
 */

export interface NoticeDeps {
  store: NominationStore;
  campaigns: ReadonlyMap<string, Campaign>;
  /** Absent where a function sends nothing. */
  send?: Mailer | undefined;
  webUrl?: string | undefined;
  /** Dates a notice's claim (mailOnce). */
  clock: Clock;
}

const SYSTEM = { role: 'system' as const, subjectId: 'system', name: 'Laurel' };

export const nomineeName = nomineeNameOf;

/** The audit event that records a notice of the change made at `changedAt` (a millisecond later, so it follows it). */
export const noticeEvent = (nominationId: string, kind: string, changedAt: string) => ({
  nominationId,
  at: new Date(Date.parse(changedAt) + 1).toISOString(),
  actor: SYSTEM,
  action: `${kind}-notice`,
});

export interface UnitNoticeExtras {
  details?: { label: Bilingual; value: string | Bilingual }[];
  deadline?: { label: Bilingual; at: Date };
  /**
   * The moment that makes this notice one (default: the nomination's `updatedAt`, the change it
   * tells of). A reminder names its deadline: the unit's edits move `updatedAt`, not the window.
   */
  onceFor?: string;
}

/**
 * Where a society's secretariat is written to: the contact of its organizing office in its
 * campaign's data, else the first contact with an address.
 */
export function societyContact(society: Campaign | undefined) {
  return (
    society?.contacts.find((c) => c.office.zh === society.organizer.office.zh && c.email) ??
    society?.contacts.find((c) => c.email)
  );
}

/** The address a notice of `kind` goes to (see tellUnit); undefined when there is none. */
export function noticeAddress(nomination: Nomination, kind: UnitNoticeKind): string | undefined {
  return kind === 'release' && nomination.forwardedFrom
    ? nomination.forwardedFrom.unitEmail
    : nomination.unitEmail;
}

/**
 * Tells the unit of `kind`, which happened to `nomination` at its `updatedAt`. In the parent
 * round a forwarded nomination's recommending unit is the society: returns, rejections and
 * reminders go to it (it corrects the copy); its release is news for the member unit that first
 * nominated it, which that notice greets at its own address. False when nothing was sent (no
 * address, no transport, or sent before).
 */
export async function tellUnit(
  deps: NoticeDeps,
  nomination: Nomination,
  kind: UnitNoticeKind,
  { onceFor, ...extras }: UnitNoticeExtras = {},
): Promise<boolean> {
  const to = noticeAddress(nomination, kind);
  if (!deps.send || !deps.webUrl || !deps.campaigns.get(nomination.campaignId) || !to) return false;
  return mailOnce(
    { store: deps.store, send: deps.send, clock: deps.clock },
    noticeEvent(nomination.id, kind, onceFor ?? nomination.updatedAt),
    unitNotice(deps, kind, to, [nomination], extras),
  );
}

/**
 * The notice of `kind` to the unit at `to`, about one nomination or several (a campaign job's,
 * listing the unit's nominations it moved), each with what it needs of its own (why it was not
 * selected). Needs `deps.webUrl` and the nominations' campaign.
 */
function unitNotice(
  deps: NoticeDeps,
  kind: UnitNoticeKind,
  to: string,
  nominations: readonly [Nomination, ...Nomination[]],
  extras: Omit<UnitNoticeExtras, 'onceFor'> = {},
): ReturnType<typeof noticeMail> {
  const [first] = nominations;
  const campaign = deps.campaigns.get(first.campaignId) as Campaign;
  const parent = campaign.forwardTo ? deps.campaigns.get(campaign.forwardTo.campaignId) : undefined;
  const member = kind === 'release' ? first.forwardedFrom : undefined;
  const wording = UNIT_NOTICES[kind];
  return noticeMail({
    campaign,
    to,
    greeting: member?.unitName ?? first.unitName,
    subject: wording.subject,
    nominees: nominations.map((n) => ({
      name: nomineeName(n),
      category: CATEGORY_NAMES[n.category],
      ...(kind === 'not-select' && n.selection?.message
        ? { note: { label: { zh: '说明', en: 'Note' }, value: n.selection.message } }
        : {}),
    })),
    message: wording.message({
      campaign: campaign.name,
      parent: parent?.organizer.name,
      count: nominations.length,
    }),
    ...extras,
    link: {
      url: appPageLink(deps.webUrl ?? '', 'unit'),
      label: { zh: '查看您的推荐', en: 'Your nominations' },
    },
  });
}

/** A move a campaign job told of: the nomination as it stands, and the move's own moment (its audit event). */
export interface MoveToTell {
  nomination: Nomination;
  kind: Extract<UnitNoticeKind, 'select' | 'not-select' | 'release'>;
  at: string;
}

/**
 * The notices a campaign job's moves make, one per kind and address: a unit whose three
 * nominations a job selected gets one mail listing the three. Grouped by the address the notice
 * goes to (noticeAddress), so in the parent round each member unit hears of its own released
 * nominations and no other's. Moves with no address to tell are answered apart (`unaddressed`).
 */
export function noticesOfMoves(moves: readonly MoveToTell[]): {
  notices: { kind: MoveToTell['kind']; to: string; moves: [MoveToTell, ...MoveToTell[]] }[];
  unaddressed: MoveToTell[];
} {
  const notices = new Map<
    string,
    { kind: MoveToTell['kind']; to: string; moves: [MoveToTell, ...MoveToTell[]] }
  >();
  const unaddressed: MoveToTell[] = [];
  for (const move of moves) {
    const to = noticeAddress(move.nomination, move.kind);
    if (!to) {
      unaddressed.push(move);
      continue;
    }
    const key = `${move.kind} ${to}`;
    const notice = notices.get(key);
    if (notice) notice.moves.push(move);
    else notices.set(key, { kind: move.kind, to, moves: [move] });
  }
  return { notices: [...notices.values()], unaddressed };
}

/**
 * A list notice's send key (its Message-ID, hashed by the transport): the job, kind and address,
 * and the nominations it lists. The same list sent again (a retry) keeps its Message-ID; two
 * lists to one address from one job — a unit's moves split over chunks by a plan made before
 * chunks kept a unit together — are two messages, which a receiving server must not drop as one.
 */
const listKey = (prefix: string, listed: readonly AuditEvent[]) =>
  `${prefix}/${listed.map((e) => e.nominationId).join(',')}`;

/**
 * Tells every unit of what a campaign job's chunk did to its nominations, one mail per kind and
 * address listing them all (noticesOfMoves), and for nominations a society forwarded and the job
 * released, one to each society's secretariat listing its own. Each nomination is still told
 * once, keyed on its own move (mailListsOnce), and the chunk's notices are claimed together and
 * settled a batch at a time as the mails go, a few requests for the chunk rather than two a nomination: a chunk run again
 * — after a crash between its moves and its mail, or a repeated job on the same plan — lists only
 * what no mail told yet, and sends nothing when everything was. `sendKey` names the job and plan,
 * so the same send retried carries the same Message-ID. A released nomination with no address to
 * tell has its notice recorded as done all the same. Answers how many nominations' units this
 * call told.
 */
export async function tellOfMoves(
  deps: NoticeDeps,
  sendKey: string,
  moves: readonly MoveToTell[],
  /** Runs the notices, a few at once (a chunk's units are many). */
  each?: <T>(items: readonly T[], work: (item: T) => Promise<void>) => Promise<void>,
): Promise<number> {
  const { notices, unaddressed } = noticesOfMoves(moves);
  const send = deps.send;
  const mailing = send && deps.webUrl ? { store: deps.store, send, clock: deps.clock } : undefined;
  const unitLists = notices
    .filter(({ moves: listed }) => deps.campaigns.get(listed[0].nomination.campaignId))
    .map(({ kind, to, moves: listed }): NoticeList => {
      const byId = new Map(listed.map((m) => [m.nomination.id, m.nomination]));
      return {
        events: listed.map((m) => noticeEvent(m.nomination.id, kind, m.at)),
        compose: (claimed) => ({
          ...unitNotice(deps, kind, to, claimed.map((e) => byId.get(e.nominationId)) as [Nomination]),
          key: listKey(`${sendKey}/${kind}/${to}`, claimed),
        }),
      };
    });
  const forwarded = moves.filter((m) => m.kind === 'release' && m.nomination.forwardedFrom);
  const societyLists = groupedBy(forwarded, (m) => m.nomination.forwardedFrom?.campaignId ?? '').flatMap(
    (listed) => societyList(deps, sendKey, listed) ?? [],
  );
  const told = mailing ? await mailListsOnce(mailing, [...unitLists, ...societyLists], each) : [];
  for (const m of unaddressed)
    if (m.kind === 'release') await deps.store.appendAudit(noticeEvent(m.nomination.id, m.kind, m.at));
  return told.slice(0, unitLists.length).reduce((sum, listed) => sum + listed.length, 0);
}

function groupedBy<T>(items: readonly T[], keyOf: (item: T) => string): [T, ...T[]][] {
  const groups = new Map<string, [T, ...T[]]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return [...groups.values()];
}

/**
 * Tells the society's secretariat that a nomination it forwarded was released in the parent
 * round (at `releasedAt`, the release's own moment), at the first contact address its campaign
 * lists. False when it lists none.
 */
export async function tellForwardingSecretariat(
  deps: NoticeDeps,
  nomination: Nomination,
  releasedAt: string,
): Promise<boolean> {
  const list = societyList(deps, nomination.id, [{ nomination, kind: 'release', at: releasedAt }]);
  if (!list || !deps.send) return false;
  const [told] = await mailListsOnce({ store: deps.store, send: deps.send, clock: deps.clock }, [list]);
  return (told ?? []).length > 0;
}

/**
 * The notice telling a society's secretariat that nominations it forwarded were released in the
 * parent round (each at its release's own moment), one mail listing them at the first contact
 * address its campaign lists; undefined when it lists none, or nothing is sent here.
 */
function societyList(
  deps: NoticeDeps,
  sendKey: string,
  released: readonly [MoveToTell, ...MoveToTell[]],
): NoticeList | undefined {
  const [{ nomination: first }] = released;
  const from = first.forwardedFrom;
  const campaign = deps.campaigns.get(first.campaignId);
  const society = from ? deps.campaigns.get(from.campaignId) : undefined;
  const contact = societyContact(society);
  if (!deps.send || !deps.webUrl || !from || !campaign || !society || !contact?.email) return undefined;
  const email = contact.email;
  const byId = new Map(released.map((m) => [m.nomination.id, m.nomination]));
  const notice = (listed: readonly Nomination[]): Notice => ({
    campaign,
    to: email,
    greeting: contact.office.zh,
    subject: FORWARDED_RELEASE_NOTICE.subject,
    nominees: listed.map((n) => ({
      name: nomineeName(n),
      category: CATEGORY_NAMES[n.category],
      unitName: n.forwardedFrom?.unitName,
    })),
    message: FORWARDED_RELEASE_NOTICE.message({ campaign: campaign.name, count: listed.length }),
    link: {
      url: appPageLink(deps.webUrl ?? '', 'secretariat'),
      label: { zh: '打开秘书处页面', en: 'Secretariat page' },
    },
  });
  return {
    events: released.map((m) => noticeEvent(m.nomination.id, 'forwarded-release', m.at)),
    compose: (claimed) => ({
      ...noticeMail(notice(claimed.map((e) => byId.get(e.nominationId) as Nomination))),
      key: listKey(`${sendKey}/forwarded-release/${from.campaignId}`, claimed),
    }),
  };
}

/**
 * Tells the unit its nomination is on the final list, and for a nomination a society forwarded,
 * the society's secretariat too — the Release task of an execution started before the release job
 * told the units itself (the job tells a chunk's units at once: tellOfMoves). Keyed on
 * `releasedAt`, the release's own moment (its audit event), never on the nomination's `updatedAt`:
 * a correction made after the release (a personal-data correction, an erasure) moves that, and a
 * repeated job would mail again. So a retried task or the job finds the notices recorded and mails
 * no one again. A notice the relay refuses for good is recorded as not delivered (mailListsOnce).
 */
export async function tellOfRelease(
  deps: NoticeDeps,
  nomination: Nomination,
  releasedAt: string,
): Promise<boolean> {
  return (await tellOfMoves(deps, nomination.id, [{ nomination, kind: 'release', at: releasedAt }])) > 0;
}
