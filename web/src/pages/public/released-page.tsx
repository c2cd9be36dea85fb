import './public.css';
import { formatTime, t, tr } from '../../i18n.js';
import { Layout, Loaded } from '../../ui/components.js';
import { useResource } from '../../ui/hooks.js';
import { byCategory, campaignName, publishedList } from './public-data.js';

/**
 * `/public/:campaignId/released`: the final list, by category — names and recommending units
 * only. The API strips phone numbers and addresses; this page shows no other field either.
 */
export function ReleasedPage(props: { campaignId: string }) {
  const list = useResource(
    (signal) => publishedList(props.campaignId, 'released', signal),
    [props.campaignId],
  );
  const name = campaignName(props.campaignId);
  return (
    <Layout title={t('最终名单', 'Final list')}>
      {name && <p class="pub-campaign">{tr(name)}</p>}
      <Loaded resource={list}>
        {(data) => {
          const groups = byCategory(data.entries);
          if (!data.state.releasedAt) {
            return (
              <div class="notice warn" role="status">
                <p>{t('最终名单尚未发布。', 'The final list has not been published yet.')}</p>
                {data.state.publicity && (
                  <p>
                    <a href={`/public/${encodeURIComponent(props.campaignId)}/publicity`}>
                      {t('查看公示名单', 'See the public notice')}
                    </a>
                  </p>
                )}
              </div>
            );
          }
          return (
            <>
              <p>
                {t('发布时间：', 'Published: ')}
                <time dateTime={data.state.releasedAt}>{formatTime(data.state.releasedAt)}</time>
                {t('（北京时间）', ' (China time)')} ·{' '}
                {t(`共 ${data.entries.length} 个`, `${data.entries.length} in all`)}
              </p>
              {groups.length === 0 && <p class="muted">{t('名单为空。', 'The list is empty.')}</p>}
              {groups.map((group) => (
                <section key={group.category} aria-labelledby={`rel-${group.category}`}>
                  <h2 id={`rel-${group.category}`}>
                    {tr(group.name)}
                    {t(`（${group.entries.length}）`, ` (${group.entries.length})`)}
                  </h2>
                  <div class="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col" class="pub-no">
                            {t('序号', 'No.')}
                          </th>
                          <th scope="col">{t('名称', 'Name')}</th>
                          <th scope="col">{t('推荐单位', 'Recommended by')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {group.entries.map((entry, i) => (
                          <tr key={entry.nominationId}>
                            <td class="pub-no">{i + 1}</td>
                            <td>{entry.name}</td>
                            <td>{entry.unitName}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              ))}
            </>
          );
        }}
      </Loaded>
    </Layout>
  );
}
