import { STANDARD_NOTICE } from '../../functions/rules/consent.js';

/**
 * What a unit sends with each (re)submission in a round under the standard privacy notice (the
 * built-in rounds and rounds created without a notice of their own): the nominee was informed
 * under this version and consented.
 */
export const CONSENT = { informed: true, noticeVersion: STANDARD_NOTICE.version } as const;
