import type {
  CampaignState,
  CampaignStore,
  Objection,
  UnitEntry,
} from '../../../functions/ports/campaigns.js';
import type { DeadlineExtension } from '../../../functions/rules/deadline.js';
import type { ForwardLimit, NominationDecision } from '../../../functions/rules/discretion.js';
import type { Honouree } from '../../../functions/rules/honourees.js';
import { pageOf } from '../../../functions/rules/paging.js';
import { conditionalCheckFailed, copy } from './aws-errors.js';

/**
 * The campaign store of functions/adapters/campaign-store.ts, in memory: the state defaults to
 * `{ campaignId }`; `openPublicity` stores its window only if none is stored and answers the
 * state stored; `addObjection` refuses an id that exists (ConditionalCheckFailedException, let
 * through by the adapter); `resolveObjection` records once (false when resolved or unknown).
 * Extensions are shared with the nomination store, which reads them (`extensionFor`), as both
 * adapters use the same item.
 */

export interface MemoryCampaignStore extends CampaignStore {
  /** Test access: the extension granted to a unit, as stored. */
  extension(campaignId: string, unitId: string): DeadlineExtension | undefined;
}

export function memoryCampaignStore(
  shared: { extensions?: Map<string, DeadlineExtension> } = {},
): MemoryCampaignStore {
  const honourees = new Map<string, Honouree[]>();
  const states = new Map<string, CampaignState>();
  const objections = new Map<string, Objection>();
  const units = new Map<string, UnitEntry>();
  const extensions = shared.extensions ?? new Map<string, DeadlineExtension>();
  const decisions = new Map<string, NominationDecision>();
  const limits = new Map<string, ForwardLimit>();
  const objectionKey = (campaignId: string, id: string) => `${campaignId}#${id}`;
  /** The campaign's objections in their keys' order, as the table's query answers them. */
  const campaignObjections = (campaignId: string) =>
    [...objections.values()]
      .filter((o) => o.campaignId === campaignId)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  const readState = (campaignId: string): CampaignState => copy(states.get(campaignId) ?? { campaignId });

  return {
    extension: (campaignId, unitId) => extensions.get(`${campaignId}#${unitId}`),
    async saveUnit(campaignId, unit) {
      units.set(`${campaignId}#${unit.id}`, copy(unit));
    },
    units: async (campaignId) =>
      [...units.entries()]
        .filter(([key]) => key.startsWith(`${campaignId}#`))
        .map(([, unit]) => copy(unit))
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    honourees: async (campaignId) => copy(honourees.get(campaignId) ?? []),
    async saveHonourees(campaignId, list) {
      honourees.set(campaignId, copy([...list]));
    },
    async saveExtension(campaignId, extension) {
      extensions.set(`${campaignId}#${extension.unitId}`, copy(extension));
    },
    state: async (campaignId) => readState(campaignId),
    async submissionWindow(campaignId, unitId) {
      const extension = extensions.get(`${campaignId}#${unitId}`);
      return { state: readState(campaignId), extension: extension ? copy(extension) : undefined };
    },
    async submissionContext(campaignId, unitId) {
      const extension = extensions.get(`${campaignId}#${unitId}`);
      return {
        state: readState(campaignId),
        extension: extension ? copy(extension) : undefined,
        honourees: copy(honourees.get(campaignId) ?? []),
      };
    },
    async saveState(state) {
      states.set(state.campaignId, copy(state));
    },
    async openPublicity(state) {
      if (states.get(state.campaignId)?.publicity) return readState(state.campaignId);
      states.set(state.campaignId, copy(state));
      return copy(state);
    },
    async selectionDiscretion(campaignId) {
      const of = <T>(map: Map<string, T>) =>
        [...map.entries()].filter(([k]) => k.startsWith(`${campaignId}#`)).map(([, v]) => copy(v));
      return { decisions: of(decisions), limits: of(limits) };
    },
    async saveSelectionDecision(campaignId, decision) {
      decisions.set(`${campaignId}#${decision.nominationId}`, copy(decision));
    },
    async saveForwardLimit(campaignId, limit) {
      limits.set(`${campaignId}#${limit.category}`, copy(limit));
    },
    async addObjection(objection) {
      const key = objectionKey(objection.campaignId, objection.id);
      if (objections.has(key)) throw conditionalCheckFailed();
      objections.set(key, copy(objection));
    },
    async objection(campaignId, id) {
      const stored = objections.get(objectionKey(campaignId, id));
      return stored && copy(stored);
    },
    async objections(campaignId) {
      return campaignObjections(campaignId);
    },
    async objectionsPage(campaignId, request) {
      return pageOf(campaignObjections(campaignId), `objections#${campaignId}`, request);
    },
    async resolveObjection(campaignId, id, resolution) {
      const stored = objections.get(objectionKey(campaignId, id));
      if (!stored || stored.resolution) return false;
      stored.resolution = copy(resolution);
      return true;
    },
  };
}
