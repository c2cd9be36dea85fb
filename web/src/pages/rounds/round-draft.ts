import type { Campaign, QuotaRule } from '../../../../functions/rules/campaign.js';

/**
 * The console's form for a new round, as a person fills it in: a template round whose categories,
 * forms, review criteria and attachment limits are copied, the round it forwards to chosen by
 * name, and the few things that differ from one round to the next. `definitionFrom` turns it into
 * the definition POST /api/campaigns checks — the server is the one judge; `fieldOf` puts each
 * problem it names next to the field the person typed it in.
 */

export type QuotaScope = QuotaRule['scope'];

export interface QuotaDraft {
  scope: QuotaScope;
  /** As typed; '' while empty. */
  limit: string;
}

export interface UnitTypeDraft {
  /** Kept from the template (invitations name it); a new row gets one from its English name. */
  id: string;
  nameZh: string;
  nameEn: string;
  quota: QuotaDraft;
}

export interface RoundDraft {
  templateId: string;
  /** '' for a round that forwards to no other (a national round like CAST's). */
  parentId: string;
  asUnitType: string;
  /** The round's code in its public pages' addresses; suggested from the organizer's name. */
  id: string;
  year: string;
  nameZh: string;
  nameEn: string;
  organizerZh: string;
  organizerEn: string;
  officeZh: string;
  officeEn: string;
  /** The last day submissions are taken (until 24:00 China time), YYYY-MM-DD. */
  lastDay: string;
  experts: string;
  unitTypes: UnitTypeDraft[];
  selection: QuotaDraft;
  contactPerson: string;
  contactPhone: string;
  contactEmail: string;
  secretariatName: string;
  secretariatEmail: string;
  note: string;
}

const quotaDraft = (rule: QuotaRule): QuotaDraft => ({
  scope: rule.scope,
  limit: rule.scope === 'unlimited' ? '' : String(rule.limit),
});

/** A number as typed, or what the server will name as missing or wrong (never a silent 0). */
const typedNumber = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
};

const quotaRule = (draft: QuotaDraft) =>
  draft.scope === 'unlimited'
    ? { scope: 'unlimited' }
    : { scope: draft.scope, limit: typedNumber(draft.limit) };

/** A fresh form from a template round, forwarding where the template forwards (or into `parentId`). */
export function draftFrom(template: Campaign, parentId?: string): RoundDraft {
  const parent = parentId ?? template.forwardTo?.campaignId ?? '';
  return {
    templateId: template.id,
    parentId: parent,
    asUnitType: template.forwardTo?.asUnitType ?? '',
    id: '',
    year: String(template.year),
    nameZh: '',
    nameEn: '',
    organizerZh: '',
    organizerEn: '',
    officeZh: '',
    officeEn: '',
    lastDay: '',
    experts: String(template.review.expertsPerNomination),
    unitTypes: template.unitTypes.map((u) => ({
      id: u.id,
      nameZh: u.name.zh,
      nameEn: u.name.en,
      quota: quotaDraft(u.quota),
    })),
    selection: quotaDraft(template.selection.quota),
    contactPerson: '',
    contactPhone: '',
    contactEmail: '',
    secretariatName: '',
    secretariatEmail: '',
    note: '',
  };
}

const SMALL_WORDS = new Set(['of', 'and', 'the', 'for', 'in', 'on', '&']);

/** A lower-case code from an English name: "Chinese Society of Agronomy", 2025 → "csa-2025". */
export function suggestedId(organizerEn: string, year: string): string {
  const initials = organizerEn
    .toLowerCase()
    .split(/[^a-z0-9&]+/)
    .filter((w) => w && !SMALL_WORDS.has(w))
    .map((w) => w[0])
    .join('');
  return initials ? `${initials}-${year.trim()}` : '';
}

/** A unit type's code from its English name, unique among `taken`. */
export function unitTypeId(nameEn: string, taken: readonly string[]): string {
  const base =
    nameEn
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'unit-type';
  let id = base;
  for (let n = 2; taken.includes(id); n += 1) id = `${base}-${n}`;
  return id;
}

/** The day after `day` (YYYY-MM-DD) at 00:00 China time: the deadline "until the end of day". */
export function deadlineAfter(day: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return `${next.toISOString().slice(0, 10)}T00:00:00+08:00`;
}

const text = (s: string) => s.trim();

/** The definition the form describes: the template's rules with the person's choices. */
export function definitionFrom(template: Campaign, draft: RoundDraft): Record<string, unknown> {
  const year = typedNumber(draft.year);
  const forwards = draft.parentId !== '';
  const contact = text(draft.contactPerson);
  return {
    ...template,
    id: text(draft.id),
    year,
    name: { zh: text(draft.nameZh), en: text(draft.nameEn) },
    // The title of its summary table follows from its own name.
    summaryTitle: undefined,
    organizer: {
      name: { zh: text(draft.organizerZh), en: text(draft.organizerEn) },
      office: { zh: text(draft.officeZh), en: text(draft.officeEn) },
    },
    deadline: deadlineAfter(draft.lastDay),
    // The template's last correction day belongs to the template's own calendar.
    corrections: { days: template.corrections.days, reminderHours: template.corrections.reminderHours },
    referenceDate: typeof year === 'number' ? `${year}-12-31` : template.referenceDate,
    unitTypes: draft.unitTypes.map((u) => ({
      id: u.id,
      name: { zh: text(u.nameZh), en: text(u.nameEn) },
      quota: quotaRule(u.quota),
    })),
    contacts: contact
      ? [
          {
            office: { zh: text(draft.officeZh), en: text(draft.officeEn) },
            people: [contact],
            phones: text(draft.contactPhone) ? [text(draft.contactPhone)] : [],
            ...(text(draft.contactEmail) ? { email: text(draft.contactEmail) } : {}),
          },
        ]
      : [],
    review: { ...template.review, expertsPerNomination: typedNumber(draft.experts) },
    selection: { ...template.selection, quota: quotaRule(draft.selection) },
    forwardTo: forwards ? { campaignId: draft.parentId, asUnitType: draft.asUnitType } : null,
    // A society's candidates are published by the round it forwards to, not by itself.
    publicity: forwards ? null : (template.publicity ?? { days: 7, replacementAllowed: false }),
  };
}

/** The request POST /api/campaigns takes. */
export function creationRequest(template: Campaign, draft: RoundDraft) {
  return {
    definition: definitionFrom(template, draft),
    secretariat: { name: text(draft.secretariatName), email: text(draft.secretariatEmail) },
    note: text(draft.note),
  };
}

/** Where a problem the API names by path is shown: the field the person filled in. */
const FIELDS: readonly [prefix: string, field: string][] = [
  ['id', 'id'],
  ['year', 'year'],
  ['referenceDate', 'year'],
  ['name.en', 'nameEn'],
  ['name', 'nameZh'],
  ['summaryTitle', 'nameZh'],
  ['organizer.name.en', 'organizerEn'],
  ['organizer.name', 'organizerZh'],
  ['organizer.office.en', 'officeEn'],
  ['organizer.office', 'officeZh'],
  ['deadline', 'lastDay'],
  ['corrections', 'lastDay'],
  ['review.expertsPerNomination', 'experts'],
  ['selection.quota', 'selection'],
  ['forwardTo.asUnitType', 'asUnitType'],
  ['forwardTo', 'parentId'],
  ['contacts.0.phones', 'contactPhone'],
  ['contacts.0.email', 'contactEmail'],
  ['contacts', 'contactPerson'],
  ['secretariat.name', 'secretariatName'],
  ['secretariat.email', 'secretariatEmail'],
  ['note', 'note'],
];

/**
 * The form field a problem belongs to: `unitTypes.<n>` for one unit type's row, 'unitTypes' for
 * the list, '' for what the template brought and the form does not show (review criteria, …).
 */
export function fieldOf(path: readonly (string | number)[]): string {
  const parts = path[0] === 'definition' ? path.slice(1) : path;
  const key = parts.join('.');
  if (parts[0] === 'unitTypes') return typeof parts[1] === 'number' ? `unitTypes.${parts[1]}` : 'unitTypes';
  const found = FIELDS.find(([prefix]) => key === prefix || key.startsWith(`${prefix}.`));
  return found ? found[1] : '';
}
