import type { Actor } from '../rules/access.js';
import type { Campaign } from '../rules/campaign.js';

/**
 * The rounds Laurel runs, stored rather than compiled: every version of each round's definition
 * is kept, and one pointer per round names its current version. Handlers read the current
 * versions through a per-container cache (functions/wiring/live-campaigns.ts); the versions
 * themselves are the audit of every change.
 */

export interface CampaignVersion {
  /** The definition as checked (defaults filled in): what the version's nominations ran under. */
  campaign: Campaign;
  /** 1 for the round as created, then one more with each correction. */
  version: number;
  savedAt: string;
  savedBy: { role: Actor['role'] | 'system'; subjectId: string; name: string };
  /** Why the round was created or changed, in the person's words. */
  note: string;
  /** The fields that changed from the previous version ('' when created). */
  changed: string[];
}

export interface CampaignCatalog {
  /** The current version of every round. */
  current(): Promise<CampaignVersion[]>;
  /** Every version of one round, oldest first; empty when there is no such round. */
  versions(campaignId: string): Promise<CampaignVersion[]>;
  /**
   * Stores `entry` as the round's next version if its current version is still
   * `entry.version - 1` (0: the round must not exist yet), the version and the pointer together;
   * false when another write came first.
   */
  save(entry: CampaignVersion): Promise<boolean>;
}
