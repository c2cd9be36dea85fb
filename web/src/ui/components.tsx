import type { ComponentChildren } from 'preact';
import { statusName } from '../../../functions/rules/nomination.js';
import type { NominationStatus } from '../../../functions/rules/nomination-status.js';
import { ApiError, del } from '../api.js';
import { loadRounds, rounds, roundsError } from '../campaigns.js';
import { lang, t, tr } from '../i18n.js';
import { navigate } from '../router.js';
import { homeOf, loadSession, type Role, session, sessionError } from '../session.js';
import { errorDetails, errorSentence, UNEXPECTED } from './errors.js';
import { useShownInView } from './hooks.js';

const NAV: Record<Role, { href: string; zh: string; en: string }[]> = {
  unit: [{ href: '/unit', zh: '我的推荐', en: 'My nominations' }],
  secretariat: [
    { href: '/secretariat', zh: '推荐列表', en: 'Nominations' },
    { href: '/secretariat/experts', zh: '评审专家', en: 'Experts' },
    { href: '/secretariat/ranking', zh: '评审结果', en: 'Ranking' },
    { href: '/secretariat/publicity', zh: '公示与发布', en: 'Publicity & release' },
    { href: '/rounds', zh: '下级活动', en: 'Rounds forwarding here' },
  ],
  expert: [],
  ops: [
    { href: '/ops', zh: '流程执行', en: 'Executions' },
    { href: '/rounds', zh: '活动管理', en: 'Rounds' },
  ],
};

/** Every page: a skip link, the header with the role's menu, the language switch and sign-out. */
export function Layout(props: { title: string; children: ComponentChildren; wide?: boolean }) {
  const current = session.value;
  document.title = `${props.title} · Laurel`;
  const signOut = async () => {
    await del('/api/session').catch(() => undefined);
    session.value = null;
    navigate('/');
  };
  return (
    <>
      <a class="skip" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <header class="top">
        <a href={current ? homeOf(current.actor.role) : '/'} class="brand">
          {t('科技志愿服务先进典型推荐', 'S&T volunteer service models')}{' '}
          <span class="brand-sub" lang="en">
            Laurel
          </span>
        </a>
        {current && NAV[current.actor.role].length > 0 && (
          <nav aria-label={t('主菜单', 'Main menu')}>
            <ul>
              {NAV[current.actor.role].map((item) => (
                <li key={item.href}>
                  <a href={item.href}>{t(item.zh, item.en)}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="top-tools">
          {current && (
            <span class="who">
              {current.actor.name}（{tr(current.role)}）
            </span>
          )}
          <button
            type="button"
            class="link-button"
            lang={lang.value === 'zh' ? 'en' : 'zh-CN'}
            onClick={() => {
              lang.value = lang.value === 'zh' ? 'en' : 'zh';
            }}
          >
            {lang.value === 'zh' ? 'English' : '中文'}
          </button>
          {current && (
            <button type="button" class="link-button" onClick={signOut}>
              {t('退出', 'Sign out')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} class={props.wide ? 'wide' : undefined}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}

/**
 * An error in the reader's language only: one sentence that says what went wrong and what to do;
 * the code and status, which help whoever supports them, folded behind 详情 / Details.
 */
/** Who reads the page's errors, where what to do differs: the secretariat and operations. */
const readerOf = (): 'secretariat' | 'ops' | undefined => {
  const role = session.value?.actor.role;
  return role === 'secretariat' || role === 'ops' ? role : undefined;
};

export function ErrorNotice(props: { error: unknown }) {
  const ref = useShownInView<HTMLDivElement>(props.error);
  if (!props.error) return null;
  const error = props.error;
  const technical =
    error instanceof ApiError
      ? errorDetails(error.status, error.body)
      : String((error as Error)?.message ?? error);
  return (
    <div class="notice error" role="alert" ref={ref}>
      <p>
        {tr(error instanceof ApiError ? errorSentence(error.status, error.body, readerOf()) : UNEXPECTED)}
      </p>
      <details class="error-details">
        <summary>{t('详情', 'Details')}</summary>
        <p class="muted small">{technical}</p>
      </details>
    </div>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status" aria-live="polite">
      {t('加载中…', 'Loading…')}
    </p>
  );
}

/** What a page shows while its data loads, when it fails, or when it is there. */
export function Loaded<T>(props: {
  resource: { data: T | undefined; error: unknown };
  children: (data: T) => ComponentChildren;
}) {
  if (props.resource.error) return <ErrorNotice error={props.resource.error} />;
  if (props.resource.data === undefined) return <Loading />;
  return <>{props.children(props.resource.data)}</>;
}

export function StatusBadge(props: { status: NominationStatus }) {
  return <span class={`badge status-${props.status}`}>{tr(statusName(props.status))}</span>;
}

/** What needs the rounds' definitions (GET /api/campaigns, read once per page load) waits for them. */
export function RoundsLoaded(props: { children: ComponentChildren }) {
  if (roundsError.value) return <ErrorNotice error={roundsError.value} />;
  if (rounds.value === undefined) return <Loading />;
  return <>{props.children}</>;
}

/**
 * While who is signed in is being read: "loading", or — when it could not be read (the network,
 * the server busy) — what happened and a button to try again, never "loading" for ever.
 */
export function SessionLoading() {
  if (sessionError.value === undefined) return <Loading />;
  return <Unreachable error={sessionError.value} retry={loadSession} />;
}

/** A page whose first read failed: the page's frame, what happened, and a button to read again. */
function Unreachable(props: { error: unknown; retry: () => Promise<unknown> }) {
  return (
    <Layout title={t('暂时无法连接', 'Cannot reach the server')}>
      <ErrorNotice error={props.error} />
      <p>
        <button type="button" class="primary" onClick={() => void props.retry().catch(() => undefined)}>
          {t('重试', 'Try again')}
        </button>
      </p>
    </Layout>
  );
}

/** A page that needs a signed-in person of one of `roles`. */
export function RequireRole(props: { roles: Role[]; children: ComponentChildren }) {
  const current = session.value;
  if (current === undefined) return <SessionLoading />;
  if (current === null || !props.roles.includes(current.actor.role)) {
    return (
      <Layout title={t('需要登录', 'Sign-in needed')}>
        <p>
          {t(
            '请使用电子邮件中的个人登录链接登录后再访问本页面。',
            'Open the personal sign-in link from your e-mail to use this page.',
          )}
        </p>
      </Layout>
    );
  }
  // Every signed-in page reads its round's rules (deadlines, quotas, forms) synchronously.
  if (roundsError.value) return <Unreachable error={roundsError.value} retry={() => loadRounds(true)} />;
  return <RoundsLoaded>{props.children}</RoundsLoaded>;
}
