import type { Mailer } from '../ports/mail.js';
import type { NominationStore } from '../ports/nominations.js';
import type { Clock } from '../ports/system.js';
import type { Campaign } from '../rules/campaign.js';
import { CATEGORY_NAMES } from '../rules/categories.js';
import { nomineeNameOf } from '../rules/forms/index.js';
import type { Bilingual } from '../rules/i18n.js';
import { appPageLink } from '../rules/links.js';
import { type Notice, noticeMail } from '../rules/mail-body.js';
import type { Nomination } from '../rules/nomination.js';
import { FORWARDED_RELEASE_NOTICE, UNIT_NOTICES, type UnitNoticeKind } from '../rules/notices.js';
import { mailOnce } from './nominations.js';

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
  const campaign = deps.campaigns.get(nomination.campaignId);
  const member = kind === 'release' ? nomination.forwardedFrom : undefined;
  const to = noticeAddress(nomination, kind);
  if (!deps.send || !deps.webUrl || !campaign || !to) return false;
  const parent = campaign.forwardTo ? deps.campaigns.get(campaign.forwardTo.campaignId) : undefined;
  const wording = UNIT_NOTICES[kind];
  return mailOnce(
    { store: deps.store, send: deps.send, clock: deps.clock },
    noticeEvent(nomination.id, kind, onceFor ?? nomination.updatedAt),
    noticeMail({
      campaign,
      to,
      greeting: member?.unitName ?? nomination.unitName,
      subject: wording.subject,
      nominee: { name: nomineeName(nomination), category: CATEGORY_NAMES[nomination.category] },
      message: wording.message({ campaign: campaign.name, parent: parent?.organizer.name }),
      ...extras,
      link: { url: appPageLink(deps.webUrl, 'unit'), label: { zh: '查看您的推荐', en: 'Your nominations' } },
    }),
  );
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
  const from = nomination.forwardedFrom;
  const campaign = deps.campaigns.get(nomination.campaignId);
  const society = from ? deps.campaigns.get(from.campaignId) : undefined;
  const contact = societyContact(society);
  if (!deps.send || !deps.webUrl || !from || !campaign || !society || !contact?.email) return false;
  const notice: Notice = {
    campaign,
    to: contact.email,
    greeting: contact.office.zh,
    subject: FORWARDED_RELEASE_NOTICE.subject,
    nominee: {
      name: nomineeName(nomination),
      category: CATEGORY_NAMES[nomination.category],
      unitName: from.unitName,
    },
    message: FORWARDED_RELEASE_NOTICE.message({ campaign: campaign.name }),
    link: {
      url: appPageLink(deps.webUrl, 'secretariat'),
      label: { zh: '打开秘书处页面', en: 'Secretariat page' },
    },
  };
  return mailOnce(
    { store: deps.store, send: deps.send, clock: deps.clock },
    noticeEvent(nomination.id, 'forwarded-release', releasedAt),
    noticeMail(notice),
  );
}

/**
 * Tells the unit its nomination is on the final list, and for a nomination a society forwarded,
 * the society's secretariat too: the release job does it as it releases each nomination (its
 * execution is only told it is released). Keyed on `releasedAt`, the release's own moment (its
 * audit event), never on the nomination's `updatedAt`: a correction made after the release (a
 * personal-data correction, an erasure) moves that, and a repeated job would mail again. So a
 * retried chunk or a repeated job finds the notices recorded and mails no one again. A nomination
 * with no address to tell has its notice recorded as done all the same. A notice the relay
 * refuses for good is recorded as not delivered and the job goes on (mailOnce).
 */
export async function tellOfRelease(
  deps: NoticeDeps,
  nomination: Nomination,
  releasedAt: string,
): Promise<boolean> {
  const notified = await tellUnit(deps, nomination, 'release', { onceFor: releasedAt });
  if (!notified && !noticeAddress(nomination, 'release')) {
    await deps.store.appendAudit(noticeEvent(nomination.id, 'release', releasedAt));
  }
  await tellForwardingSecretariat(deps, nomination, releasedAt);
  return notified;
}
