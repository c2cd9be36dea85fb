import type { Campaign } from './campaign.js';
import type { MailLine } from './mail-body.js';

/**
 * The notice's contacts (联系方式) as lines of a mail: the campaign's own, then — for a society's
 * round — the parent round's, so a unit always knows whom to call.
 */
export function contactLines(campaign: Campaign, parent?: Campaign): MailLine[] {
  const contacts = [...campaign.contacts, ...(parent?.contacts ?? [])];
  if (contacts.length === 0) return [];
  return [
    '联系方式 · Contacts:',
    // The organiser's own words from campaign data: left as written (an address reads whole).
    ...contacts.map((c) => ({
      own: [c.office.zh, `联系人 ${c.people.join('、')}`, ...c.phones, ...(c.email ? [c.email] : [])].join(
        '  ',
      ),
    })),
  ];
}
