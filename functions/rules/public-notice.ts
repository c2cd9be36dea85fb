import { formatChinaTime } from './calendar.js';
import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from './categories.js';
import type { Bilingual } from './i18n.js';

/**
 * The public notice and the final list as static files: the JSON the web page reads and a
 * pre-rendered HTML page for readers without JavaScript. Only what may be published: category,
 * name, recommending unit, a summary of the deeds — never phone numbers or addresses.
 */

export type PublicListKind = 'publicity' | 'released';

export interface PublishedEntry {
  nominationId: string;
  category: CategoryId;
  name: string;
  unitName: string;
  summary: string;
}

export interface PublishedList {
  state: { campaignId: string; publicity?: { openedAt: string; closesAt: string }; releasedAt?: string };
  entries: PublishedEntry[];
  /** When this file was written. */
  publishedAt: string;
}

/** Where each file goes under the web bucket's published/ (and at /published/… on the site). */
export const publishedPaths = (campaignId: string, kind: PublicListKind) => ({
  json: `${campaignId}/${kind}.json`,
  html: `${campaignId}/${kind}.html`,
});

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const TITLES: Record<PublicListKind, Bilingual> = {
  publicity: { zh: '公示名单', en: 'Public notice' },
  released: { zh: '正式发布名单', en: 'Final list' },
};

/** The page for readers without JavaScript: the same list, grouped by category, in both languages. */
export function publishedHtml(campaignName: Bilingual, kind: PublicListKind, list: PublishedList): string {
  const title = TITLES[kind];
  const period = list.state.publicity
    ? `<p>公示期 Publicity period: ${escapeHtml(formatChinaTime(new Date(list.state.publicity.openedAt)))} — ${escapeHtml(formatChinaTime(new Date(list.state.publicity.closesAt)))}</p>`
    : '';
  const released = list.state.releasedAt
    ? `<p>正式发布 Released: ${escapeHtml(formatChinaTime(new Date(list.state.releasedAt)))}</p>`
    : '';
  const sections = CATEGORY_IDS.map((category) => {
    const entries = list.entries.filter((e) => e.category === category);
    if (entries.length === 0) return '';
    const rows = entries
      .map(
        (e) =>
          `<tr><td>${escapeHtml(e.name)}</td><td>${escapeHtml(e.unitName)}</td><td>${escapeHtml(e.summary)}</td></tr>`,
      )
      .join('\n');
    const name = CATEGORY_NAMES[category];
    return `<section><h2>${escapeHtml(name.zh)} · ${escapeHtml(name.en)}（${entries.length}）</h2>
<table><thead><tr><th>名称 Name</th><th>推荐单位 Unit</th><th>主要事迹 Deeds</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
  }).join('\n');
  const empty = list.entries.length === 0 ? '<p>目前没有名单。The list is empty.</p>' : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(campaignName.zh)} · ${escapeHtml(title.zh)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3rem;vertical-align:top;text-align:left}</style>
</head><body>
<h1>${escapeHtml(campaignName.zh)} · ${escapeHtml(title.zh)}</h1>
<p lang="en">${escapeHtml(campaignName.en)} · ${escapeHtml(title.en)}</p>
${period}${released}${empty}
${sections}
<p><small>发布于 Published ${escapeHtml(formatChinaTime(new Date(list.publishedAt)))}</small></p>
</body></html>
`;
}
