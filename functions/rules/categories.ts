import type { Bilingual } from './i18n.js';

/** The four categories of S&T volunteer service models (先进典型类别), in the notice's order. */
export const CATEGORY_IDS = ['volunteer', 'organization', 'project', 'site'] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CATEGORY_NAMES: Record<CategoryId, Bilingual> = {
  volunteer: { zh: '最美科技志愿者', en: 'Outstanding S&T volunteer' },
  organization: { zh: '最佳科技志愿服务组织', en: 'Best S&T volunteer service organization' },
  project: { zh: '最佳科技志愿服务项目', en: 'Best S&T volunteer service project' },
  site: {
    zh: '最美科技志愿服务点（社区或村）',
    en: 'Outstanding S&T volunteer service site (community or village)',
  },
};

/** Category order used wherever lists are printed (the notice's order). */
export const categoryOrder = (id: CategoryId): number => CATEGORY_IDS.indexOf(id);
