import type { AttachmentKind } from './attachments.js';
import type { CategoryId } from './categories.js';

/**
 * Personal information beyond what a reviewer needs (PIPL art. 6, the minimum necessary): the
 * fields of each official form that reach or locate a person — a phone, a postal address, a
 * birth month. The nominee's or leader's name stays: it is what is reviewed, published and
 * listed. docs/privacy.md is the inventory; a unit test checks every field named here exists.
 */
export const CONTACT_FIELDS: { readonly [C in CategoryId]: readonly string[] } = {
  volunteer: ['birthYearMonth', 'postalAddress', 'contact'],
  organization: ['contact'],
  project: ['contact'],
  site: ['contact'],
};

/**
 * The files an expert receives: the photos. The Word form and the stamped scan print the same
 * phone, address and birth month the form view withholds, and add nothing else to judge by.
 */
export const EXPERT_FILE_KINDS: readonly AttachmentKind[] = ['photo'];

/** A form as an expert reads it: the contact fields removed, and which ones were, so the page can say so. */
export function formForExpert(
  category: CategoryId,
  form: Readonly<Record<string, unknown>>,
): { form: Record<string, unknown>; withheld: string[] } {
  const hidden = CONTACT_FIELDS[category];
  const shown = Object.fromEntries(Object.entries(form).filter(([key]) => !hidden.includes(key)));
  return { form: shown, withheld: [...hidden] };
}

/** The attachments an expert receives (see EXPERT_FILE_KINDS). */
export const attachmentsForExpert = <A extends { kind: AttachmentKind }>(attachments: readonly A[]): A[] =>
  attachments.filter((a) => EXPERT_FILE_KINDS.includes(a.kind));

/** What one read of a nomination showed of its personal information (PIPL art. 51: reads are recorded). */
export const READ_ITEMS = ['form', 'form-without-contact', 'files', 'photos', 'word-form'] as const;
export type ReadItem = (typeof READ_ITEMS)[number];

export const READ_ITEM_NAMES: { readonly [I in ReadItem]: { zh: string; en: string } } = {
  form: { zh: '推荐表（含联系方式等个人信息）', en: 'the form (with contact details)' },
  'form-without-contact': {
    zh: '推荐表（不含联系方式、通讯地址、出生年月）',
    en: 'the form (without phone, address, birth month)',
  },
  files: {
    zh: '附件下载链接（Word 版、盖章扫描件、照片）',
    en: 'links to the files (Word form, stamped scan, photos)',
  },
  photos: { zh: '照片', en: 'the photos' },
  'word-form': { zh: '推荐表 Word 版', en: 'the form as Word' },
};

/** One read of a nomination's personal information by a signed-in person: who, when, what. */
export interface AccessRecord {
  nominationId: string;
  at: string;
  reader: { role: string; subjectId: string; name: string };
  read: ReadItem[];
}
