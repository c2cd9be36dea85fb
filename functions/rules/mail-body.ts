import { formatDeadline } from './calendar.js';
import type { Bilingual } from './i18n.js';

/**
 * A mail's two parts from one list of lines: the text, and HTML in which every line is escaped
 * text. Only a line given as `{ link }` (a URL Laurel made) becomes an anchor. Every other line
 * may hold what a person typed (a nominee's name, a reason), and mail clients turn anything that
 * looks like an address into a link on their own — in the text part and in HTML alike — so those
 * lines are made inert first: "http://" becomes "http[:]//" and the dots of anything shaped like
 * a domain become "[.]" (the usual way to quote an address so that it cannot be followed). A URL
 * typed as a name therefore never sits clickable beside the review link. A line given as
 * `{ own }` is the campaign's own words (the organiser's contacts from campaign data, never typed
 * by a unit or a visitor): escaped in HTML but left as written, so its e-mail address reads whole.
 */
export type MailLine = string | { link: string } | { own: string };

const plain = (line: string | { own: string }) => (typeof line === 'string' ? inert(line) : line.own);

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const SCHEME = /\b([a-z][a-z0-9+.-]*):\/\//gi;
/** A dot inside a domain-like run: a label character on its left, a label of two or more characters, one a letter, on its right. */
const DOMAIN_DOT = /(?<=[\p{L}\p{N}-])\.(?=(?=[\p{L}\p{N}-]*\p{L})[\p{L}\p{N}-]{2,})/gu;

/** Text with nothing a mail client would make into a link: schemes and domain dots defanged. */
export function inert(text: string): string {
  return text.replace(SCHEME, '$1[:]//').replace(DOMAIN_DOT, '[.]');
}

export function mailBody(lines: readonly MailLine[]): { text: string; html: string } {
  const text = lines.map((l) => (typeof l === 'object' && 'link' in l ? l.link : plain(l))).join('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(`<p>${current.join('<br>\n')}</p>`);
    current = [];
  };
  for (const line of lines) {
    if (line === '') flush();
    else if (typeof line === 'object' && 'link' in line)
      current.push(`<a href="${escapeHtml(line.link)}">${escapeHtml(line.link)}</a>`);
    else current.push(escapeHtml(plain(line)));
  }
  flush();
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">\n${paragraphs.join('\n')}\n</body></html>`;
  return { text, html };
}

/** One person or office to call, as the campaign's notice lists them (campaign `contacts`). */
export interface Contact {
  office: Bilingual;
  people: readonly string[];
  phones: readonly string[];
  email?: string | undefined;
}

/**
 * The facts of one notice, from which every mail Laurel sends is composed the same way: whom it
 * greets, what happened to which nominee, what to do (a link, by when), and whom to ask.
 */
export interface Notice {
  campaign: { name: Bilingual; organizer: { office: Bilingual }; contacts: readonly Contact[] };
  to: string;
  /** Whom it greets: the unit, the expert, the invitee, the office. */
  greeting: string;
  /** What happened, a few words each language, for the subject line. */
  subject: Bilingual;
  /** The nomination it is about, by the name people know it (never an id). */
  nominee?: Nominee | undefined;
  /**
   * The nominations it is about when it tells of several at once (a campaign job's notice to a
   * unit), each with its own note (why it was not selected, say); one alone reads as `nominee`.
   */
  nominees?: readonly Nominee[] | undefined;
  /** What happened and what to do, a sentence or two each language. */
  message: readonly Bilingual[];
  /** Labelled facts, e.g. the secretariat's reasons. */
  details?: readonly { label: Bilingual; value: string | Bilingual }[];
  /** The page where the person acts or reads more; absent only when there is nothing to do. */
  link?: { url: string; label: Bilingual } | undefined;
  /** By when to act, when there is a deadline. */
  deadline?: { label: Bilingual; at: Date } | undefined;
  /** What identifies this send (a retry carries the same Message-ID). */
  key?: string;
}

/** A nomination as a notice names it: by the nominee's name and category, never an id. */
export interface Nominee {
  name: string;
  category: Bilingual;
  unitName?: string | undefined;
  /** A fact of this nomination alone, e.g. the reason it was not selected. */
  note?: { label: Bilingual; value: Bilingual } | undefined;
}

export interface ComposedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo: { name: string; address?: string };
  key?: string;
}

/** Composes a notice into its subject, text part and HTML part, Chinese first then English. */
export function noticeMail(notice: Notice): ComposedMail {
  const { campaign, deadline, link } = notice;
  const listed = notice.nominees ?? [];
  // One nomination reads as ever: named in the subject, its note among the details.
  const nominee = notice.nominee ?? (listed.length === 1 ? listed[0] : undefined);
  const several = !notice.nominee && listed.length > 1 ? listed : [];
  const details = [...(nominee?.note ? [nominee.note] : []), ...(notice.details ?? [])];
  // The office that runs the round (the organizer's), as the notice lists it; else its first contact.
  const secretariat =
    campaign.contacts.find((c) => c.office.zh === campaign.organizer.office.zh) ?? campaign.contacts[0];
  const office = secretariat?.office ?? campaign.organizer.office;
  const about = nominee
    ? `：${nominee.name}（${nominee.category.zh}）`
    : several.length > 0
      ? `（${several.length} 项）`
      : '';
  const aboutEn = several.length > 0 ? ` (${several.length} nominations)` : '';
  const subject = `【${campaign.name.zh}】${notice.subject.zh}${about} · ${notice.subject.en}${aboutEn}`;
  const part = (lang: 'zh' | 'en'): MailLine[] => {
    const zh = lang === 'zh';
    const colon = zh ? '：' : ': ';
    const lines: MailLine[] = [zh ? `${notice.greeting}：` : `Dear ${notice.greeting},`, ''];
    const unitOf = (n: Nominee) =>
      n.unitName ? (zh ? `，${n.unitName}推荐` : `, nominated by ${n.unitName}`) : '';
    if (nominee) {
      lines.push(
        zh
          ? `推荐对象：${nominee.name}（${nominee.category.zh}${unitOf(nominee)}）`
          : `Nominee: ${nominee.name} (${nominee.category.en}${unitOf(nominee)})`,
      );
    }
    lines.push(...notice.message.map((m) => m[lang]));
    if (several.length > 0) {
      lines.push('', zh ? `推荐对象（${several.length} 项）：` : `Nominees (${several.length}):`);
      for (const [i, n] of several.entries()) {
        lines.push(
          zh
            ? `${i + 1}. ${n.name}（${n.category.zh}${unitOf(n)}）`
            : `${i + 1}. ${n.name} (${n.category.en}${unitOf(n)})`,
        );
        if (n.note) lines.push(`   ${n.note.label[lang]}${colon}${n.note.value[lang]}`);
      }
    }
    for (const { label, value } of details)
      lines.push(`${label[lang]}${colon}${typeof value === 'string' ? value : value[lang]}`);
    if (deadline) lines.push(`${deadline.label[lang]}${colon}${formatDeadline(deadline.at)}`);
    lines.push('');
    if (link) lines.push(`${link.label[lang]}${zh ? '：' : ':'}`, { link: link.url }, '');
    if (secretariat) {
      const email = secretariat.email
        ? zh
          ? `，邮箱 ${secretariat.email}`
          : `, e-mail ${secretariat.email}`
        : '';
      lines.push({
        own: zh
          ? `如有疑问，请联系${secretariat.office.zh}：${secretariat.people.join('、')}，电话 ${secretariat.phones.join(' / ')}${email}。`
          : `Questions: ${secretariat.office.en}, ${secretariat.people.join(', ')}, phone ${secretariat.phones.join(' / ')}${email}.`,
      });
    }
    lines.push({ own: office[lang] });
    return lines;
  };
  const { text, html } = mailBody([...part('zh'), '', '——', '', ...part('en')]);
  return {
    to: notice.to,
    subject,
    text,
    html,
    replyTo: { name: office.zh, ...(secretariat?.email ? { address: secretariat.email } : {}) },
    ...(notice.key ? { key: notice.key } : {}),
  };
}
