import type { CategoryId } from '../rules/categories.js';
import type { DeadlineExtension, SubmissionClosure } from '../rules/deadline.js';
import type { ForwardLimit, NominationDecision, SelectionDiscretion } from '../rules/discretion.js';
import type { Honouree } from '../rules/honourees.js';
import type { Page, PageRequest } from '../rules/paging.js';

/**
 * The campaign-wide steps: scores once reviews are in, the selection within the organizer's
 * quota, forwarding, publicity with objections, and release. Each is a secretariat action (or a
 * task) that moves many nominations and answers each one's waiting execution.
 */

export interface CampaignState {
  campaignId: string;
  publicity?: { openedAt: string; closesAt: string };
  /** Submissions closed by the secretariat before the deadline, with its reason. */
  submissionsClosed?: SubmissionClosure;
  releasedAt?: string;
  /** When the deletion job erased the round's personal information, its retention over. */
  erasedAt?: string;
}

export interface Objection {
  id: string;
  campaignId: string;
  nominationId: string;
  reason: string;
  /** Who objects; kept for the secretariat, never shown publicly. */
  name: string;
  contact: string;
  submittedAt: string;
  resolution?: { decision: 'uphold' | 'dismiss'; note: string; at: string; by: string };
  /** Whom it is about, as the notice named them when it came (so the list reads no nomination). */
  nominee?: ObjectionNominee;
}

export interface ObjectionNominee {
  name: string;
  category: CategoryId;
  unitName: string;
}

/** A recommending unit as invited: officers choose it by name, the id stays behind the scenes. */
export interface UnitEntry {
  id: string;
  name: string;
  unitType: string;
}

export interface CampaignStore {
  /** Adds or renames a unit of the campaign's directory (inviting a unit again keeps one entry). */
  saveUnit(campaignId: string, unit: UnitEntry): Promise<void>;
  /** The campaign's units, by name. */
  units(campaignId: string): Promise<UnitEntry[]>;
  honourees(campaignId: string): Promise<Honouree[]>;
  saveHonourees(campaignId: string, honourees: readonly Honouree[]): Promise<void>;
  saveExtension(campaignId: string, extension: DeadlineExtension): Promise<void>;
  state(campaignId: string): Promise<CampaignState>;
  /**
   * What decides whether a unit may still create and submit: the round's state (closed early?) and
   * the unit's deadline extension, both read fresh and together (one request).
   */
  submissionWindow(
    campaignId: string,
    unitId: string,
  ): Promise<{ state: CampaignState; extension: DeadlineExtension | undefined }>;
  /**
   * What a submission decides by: the window as `submissionWindow` reads it and the round's own
   * past-honouree list (empty when it has none), read by the same request — the list's chunks by
   * one more only when it has a list — so that the submission evaluates its [auto] criteria itself.
   */
  submissionContext(
    campaignId: string,
    unitId: string,
  ): Promise<{ state: CampaignState; extension: DeadlineExtension | undefined; honourees: Honouree[] }>;
  saveState(state: CampaignState): Promise<void>;
  /**
   * Stores the state with its publicity window unless one is stored already; answers the state
   * stored, so of two requests opening publicity at once both use the first one's window.
   */
  openPublicity(state: CampaignState & Required<Pick<CampaignState, 'publicity'>>): Promise<CampaignState>;
  /** The secretariat's selection decisions and fewer-than-quota limits (one item each, the latest kept). */
  selectionDiscretion(campaignId: string): Promise<SelectionDiscretion>;
  saveSelectionDecision(campaignId: string, decision: NominationDecision): Promise<void>;
  saveForwardLimit(campaignId: string, limit: ForwardLimit): Promise<void>;
  addObjection(objection: Objection): Promise<void>;
  /** One objection (a consistent read); undefined when the campaign has none by that id. */
  objection(campaignId: string, id: string): Promise<Objection | undefined>;
  /** Every objection of the campaign, all pages read (the release checks each). */
  objections(campaignId: string): Promise<Objection[]>;
  /**
   * One page of the campaign's objections (at most `request.limit`, 100 unless given) and the next
   * page's cursor; a cursor not issued for this campaign's objections is a 400 on `cursor`.
   */
  objectionsPage(campaignId: string, request: PageRequest): Promise<Page<Objection>>;
  /** Records a resolution once; false when it was resolved already. */
  resolveObjection(
    campaignId: string,
    id: string,
    resolution: NonNullable<Objection['resolution']>,
  ): Promise<boolean>;
}
