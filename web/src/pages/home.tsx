import { allRounds } from '../campaigns.js';
import { t, tr } from '../i18n.js';
import { navigate } from '../router.js';
import { homeOf, session } from '../session.js';
import { Layout, Loading, RoundsLoaded, SessionLoading } from '../ui/components.js';

/** `/`: sends a signed-in person to their page; otherwise explains how to get in. */
export function HomePage() {
  const current = session.value;
  if (current === undefined) return <SessionLoading />;
  if (current && current.actor.role !== 'expert') {
    queueMicrotask(() => navigate(homeOf(current.actor.role), { replace: true }));
    return <Loading />;
  }
  return (
    <Layout title={t('科技志愿服务先进典型推荐', 'Nominations for S&T volunteer service models')}>
      <p>
        {t(
          '推荐单位、秘书处和运维人员请使用电子邮件中的个人登录链接登录；评审专家请使用评审邮件中的链接。',
          'Recommending units, the secretariat and operations sign in with the personal link from their e-mail; experts use the link in their review e-mail.',
        )}
      </p>
      <h2>{t('公示与结果', 'Public notice and results')}</h2>
      <RoundsLoaded>
        <ul>
          {allRounds().map(({ id, name }) => (
            <li key={id}>
              {tr(name)}
              {t('：', ': ')}
              <a href={`/public/${id}/publicity`}>{t('公示名单', 'Public notice')}</a> ·{' '}
              <a href={`/public/${id}/released`}>{t('最终名单', 'Final list')}</a>
            </li>
          ))}
        </ul>
      </RoundsLoaded>
    </Layout>
  );
}
