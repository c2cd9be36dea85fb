import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';

/**
 * The campaigns this build knows: the same data files the server loads, so the browser's
 * categories, limits and deadlines are the server's.
 */
export { BUILTIN_CAMPAIGNS };
export const builtinCampaignIds: string[] = [...BUILTIN_CAMPAIGNS.keys()];
