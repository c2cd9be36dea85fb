import type { CategoryId } from '../../../../functions/rules/categories.js';
import { get } from '../../api.js';
import type { CampaignOverview } from './types.js';

/** The campaign's rules as the API serves them (the current stored version). */
export { campaignById } from '../../campaigns.js';

export const loadOverview = (campaignId: string, signal?: AbortSignal) =>
  get<CampaignOverview>(`/api/campaigns/${encodeURIComponent(campaignId)}/overview`, { signal });

/** The line a nomination is known by in lists, read from the (possibly unfinished) form. */
export function headlineOf(category: CategoryId, form: Record<string, unknown>): string {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  switch (category) {
    case 'volunteer':
      return text(form.name);
    case 'organization':
      return text(form.organizationName);
    case 'project':
      return text(form.projectName);
    case 'site': {
      const site = (form.site ?? {}) as Record<string, unknown>;
      const place = [site.province, site.city, site.county, site.township].map(text).join('');
      return text(site.community) + (place ? `（${place}）` : '');
    }
  }
}

export const EDITABLE_STATUSES = new Set(['draft', 'returned']);
