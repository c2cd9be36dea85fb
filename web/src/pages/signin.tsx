import { post } from '../api.js';
import { t, tr } from '../i18n.js';
import { navigate } from '../router.js';
import { homeOf, type Session, session } from '../session.js';
import { ErrorNotice, Layout } from '../ui/components.js';
import { useAction } from '../ui/hooks.js';

/**
 * `/signin/index.html#<token>`: the personal link from an invitation e-mail. The token travels in the
 * fragment, which browsers never send to a server or log; opening the link changes nothing
 * until the person presses the button (mail scanners open links too).
 */
export function SignInPage() {
  const token = decodeURIComponent(location.hash.slice(1));
  const signIn = useAction(async () => {
    const answer = await post<Session>('/api/sessions', { token });
    history.replaceState(null, '', location.pathname);
    session.value = answer;
    navigate(homeOf(answer.actor.role), { replace: true });
  });
  return (
    <Layout title={t('登录', 'Sign in')}>
      {token ? (
        <>
          <p>
            {t(
              '您打开的是个人登录链接。点击下方按钮确认登录；仅打开链接不会做任何更改。',
              'This is your personal sign-in link. Press the button to sign in; opening the link alone changes nothing.',
            )}
          </p>
          <button type="button" class="primary" disabled={signIn.busy} onClick={() => signIn.run()}>
            {t('登录', 'Sign in')}
          </button>
        </>
      ) : (
        <p role="alert">
          {t('链接不完整：缺少登录令牌。', 'The link is incomplete: it has no sign-in token.')}
        </p>
      )}
      <ErrorNotice error={signIn.error} />
      {session.value && (
        <p role="status">
          {t('已登录：', 'Signed in: ')}
          {session.value.actor.name}（{tr(session.value.role)}）
        </p>
      )}
    </Layout>
  );
}
