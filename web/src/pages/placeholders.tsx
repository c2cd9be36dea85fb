import { t } from '../i18n.js';
import { Layout } from '../ui/components.js';

/** Shown for a path the app does not know. */
export function NotFoundPage() {
  return (
    <Layout title={t('页面不存在', 'Page not found')}>
      <p>{t('您访问的页面不存在。', 'There is no page at this address.')}</p>
    </Layout>
  );
}
