import { describe, expect, it } from 'vitest';
import {
  type PublishedEntry,
  type PublishedList,
  publishedHtml,
  publishedPaths,
} from '../../functions/rules/public-notice.js';

/**
 * The public notice's page for readers without JavaScript (functions/rules/public-notice.ts),
 * which no unit test read: what it shows, in which order, and that what units typed is escaped.
 */

const CAMPAIGN = { zh: '2024年度科技志愿服务先进典型', en: 'S&T volunteer models 2024' };

const entry = (over: Partial<PublishedEntry>): PublishedEntry => ({
  nominationId: 'n-1',
  category: 'volunteer',
  name: '李晓梅',
  unitName: '中国天文学会',
  summary: '十年科普',
  ...over,
});

const list = (entries: PublishedEntry[], state: Partial<PublishedList['state']> = {}): PublishedList => ({
  state: { campaignId: 'cast-2024', ...state },
  entries,
  publishedAt: '2025-03-10T02:00:00.000Z',
});

describe('publishedPaths', () => {
  it('puts each list under its campaign, as JSON and HTML', () => {
    expect(publishedPaths('cast-2024', 'publicity')).toEqual({
      json: 'cast-2024/publicity.json',
      html: 'cast-2024/publicity.html',
    });
    expect(publishedPaths('cacs-2024', 'released').html).toBe('cacs-2024/released.html');
  });
});

describe('publishedHtml', () => {
  it('titles the page in both languages and gives the publicity period in China time', () => {
    const html = publishedHtml(
      CAMPAIGN,
      'publicity',
      list([entry({})], {
        publicity: { openedAt: '2025-03-10T02:00:00.000Z', closesAt: '2025-03-17T02:00:00.000Z' },
      }),
    );
    expect(html).toContain('<title>2024年度科技志愿服务先进典型 · 公示名单</title>');
    expect(html).toContain('<p lang="en">S&amp;T volunteer models 2024 · Public notice</p>');
    expect(html).toContain(
      '<p>公示期 Publicity period: 2025-03-10 10:00 (UTC+8) — 2025-03-17 10:00 (UTC+8)</p>',
    );
    expect(html).not.toContain('正式发布 Released');
    expect(html).not.toContain('The list is empty');
    expect(html).toContain('<small>发布于 Published 2025-03-10 10:00 (UTC+8)</small>');
  });

  it('gives the release date on the final list', () => {
    const html = publishedHtml(
      CAMPAIGN,
      'released',
      list([entry({})], { releasedAt: '2025-03-20T01:30:00.000Z' }),
    );
    expect(html).toContain('<title>2024年度科技志愿服务先进典型 · 正式发布名单</title>');
    expect(html).toContain('· Final list</p>');
    expect(html).toContain('<p>正式发布 Released: 2025-03-20 09:30 (UTC+8)</p>');
    expect(html).not.toContain('公示期');
  });

  it('groups entries by category in the campaign order with their count, leaving out empty categories', () => {
    const html = publishedHtml(
      CAMPAIGN,
      'released',
      list([
        entry({ category: 'site', name: '星火村' }),
        entry({ name: '甲' }),
        entry({ name: '乙' }),
        entry({ category: 'project', name: '科普大篷车' }),
      ]),
    );
    const headings = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual([
      '最美科技志愿者 · Outstanding S&amp;T volunteer（2）',
      '最佳科技志愿服务项目 · Best S&amp;T volunteer service project（1）',
      '最美科技志愿服务点（社区或村） · Outstanding S&amp;T volunteer service site (community or village)（1）',
    ]);
    expect(html.indexOf('<td>甲</td>')).toBeLessThan(html.indexOf('<td>乙</td>'));
    expect(html).toContain('<tr><td>科普大篷车</td><td>中国天文学会</td><td>十年科普</td></tr>');
  });

  it('escapes what units typed, every character that could open markup', () => {
    const html = publishedHtml(
      CAMPAIGN,
      'publicity',
      list([entry({ name: `<script>alert("x")</script>`, unitName: `O'Brien & Co`, summary: 'a>b' })]),
    );
    expect(html).toContain('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>');
    expect(html).toContain('<td>O&#39;Brien &amp; Co</td>');
    expect(html).toContain('<td>a&gt;b</td>');
    expect(html).not.toContain('<script>');
  });

  it('writes nothing in place of a period, a release date or a category it does not have', () => {
    const two = [
      entry({ category: 'project', name: '甲', unitName: '乙', summary: '丙' }),
      entry({ category: 'project', name: '丁', unitName: '戊', summary: '己' }),
    ];
    const html = publishedHtml({ zh: '活动', en: 'Round' }, 'released', list(two));
    expect(html.slice(html.indexOf('<h1>'))).toBe(
      [
        '<h1>活动 · 正式发布名单</h1>',
        '<p lang="en">Round · Final list</p>',
        // The period, release date and empty note are absent; so are the three empty categories.
        '',
        '',
        '',
        '<section><h2>最佳科技志愿服务项目 · Best S&amp;T volunteer service project（2）</h2>',
        '<table><thead><tr><th>名称 Name</th><th>推荐单位 Unit</th><th>主要事迹 Deeds</th></tr></thead>',
        '<tbody>',
        '<tr><td>甲</td><td>乙</td><td>丙</td></tr>',
        '<tr><td>丁</td><td>戊</td><td>己</td></tr>',
        '</tbody></table></section>',
        '',
        '<p><small>发布于 Published 2025-03-10 10:00 (UTC+8)</small></p>',
        '</body></html>',
        '',
      ].join('\n'),
    );
  });

  it('says so when the list is empty, with no sections', () => {
    const html = publishedHtml(CAMPAIGN, 'released', list([]));
    expect(html).toContain('<p>目前没有名单。The list is empty.</p>');
    expect(html).not.toContain('<section>');
  });
});
