import { STANDARD_NOTICE } from '../../functions/rules/consent.js';
import { STANDARD_DECLARATIONS } from '../../functions/rules/declarations.js';

/**
 * What a unit sends with each (re)submission in a round under the standard privacy notice (the
 * built-in rounds and rounds created without a notice of their own): the nominee was informed
 * under this version and consented.
 */
export const CONSENT = { informed: true, noticeVersion: STANDARD_NOTICE.version } as const;

/** The declarations a unit confirms with each (re)submission under the standard ones: all of them. */
export const DECLARED = {
  version: STANDARD_DECLARATIONS.version,
  confirmed: STANDARD_DECLARATIONS.items.map((item) => item.id),
};
