import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../api.js';
import type { Bilingual } from '../i18n.js';
import { t, tr } from '../i18n.js';
import { fragmentToken } from '../paths.js';
import { navigate } from '../router.js';
import { homeOf, type Session, session } from '../session.js';
import { ErrorNotice, Layout } from '../ui/components.js';
import { useAction } from '../ui/hooks.js';

/** The API's code for a link that has signed in already (functions/rules/access.ts). */
const LINK_USED = 'LINK_USED';

/**
 * `/signin/index.html#<token>`: the personal link from an invitation e-mail. The token travels in the
 * fragment, which browsers never send to a server or log; opening the link changes nothing
 * until the person presses the button (mail scanners open links too). A link signs in once:
 * opened again, the page says so and offers a fresh link, mailed to the invited address.
 */
export function SignInPage() {
  const [token, setToken] = useState(tokenInLink);
  const signIn = useAction(async () => {
    const answer = await post<Session>('/api/sessions', { token });
    history.replaceState(null, '', location.pathname);
    session.value = answer;
    navigate(homeOf(answer.actor.role), { replace: true });
  });
  // A fresh link opened in this tab changes only the fragment: the page starts over with it.
  useEffect(() => {
    const follow = () => {
      setToken(tokenInLink());
      signIn.clear();
    };
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, [signIn.clear]);
  const used = signIn.error instanceof ApiError && signIn.error.body.code === LINK_USED;
  // A token the server's schema refuses is a link cut short or mangled in the copying: said as such.
  const mangled = signIn.error instanceof ApiError && signIn.error.body.code === 'VALIDATION_FAILED';
  return (
    <Layout title={t('登录', 'Sign in')}>
      {!token || mangled ? (
        <p role="alert">
          {t(
            '链接不完整或有误：请回到邮件，点击其中的登录链接打开；如需复制，请完整复制整个链接。',
            'The link is incomplete or altered: open it again from the e-mail, or copy the whole link if you copy it.',
          )}
        </p>
      ) : used ? (
        <UsedLink key={token} token={token} />
      ) : (
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
          <ErrorNotice error={signIn.error} />
        </>
      )}
      {session.value && (
        <p role="status">
          {t('已登录：', 'Signed in: ')}
          {session.value.actor.name}（{tr(session.value.role)}）
        </p>
      )}
    </Layout>
  );
}

const tokenInLink = () => fragmentToken(location.hash);

/** A used link: what happened, and a fresh link mailed to the invited address (never shown here). */
function UsedLink(props: { token: string }) {
  const ask = useAction(() =>
    post<{ message: Bilingual }>('/api/invitations/fresh-link', { token: props.token }),
  );
  const [answer, setAnswer] = useState<Bilingual | undefined>(undefined);
  return (
    <>
      <div class="notice warn" role="alert">
        <p>
          {t(
            '此登录链接已经用过一次，不能再次登录。为了安全，每个登录链接只能登录一次；之前用它登录的浏览器仍保持登录，直到登录到期。',
            'This sign-in link has already been used and cannot sign in again. For safety each link signs in once; a browser it signed in stays signed in until that session ends.',
          )}
        </p>
      </div>
      {answer ? (
        <p class="notice ok" role="status">
          {tr(answer)}
        </p>
      ) : (
        <>
          <p>
            {t(
              '可以请系统把新的登录链接发送到您受邀时的邮箱。',
              'A fresh sign-in link can be mailed to the address you were invited at.',
            )}
          </p>
          <button
            type="button"
            class="primary"
            disabled={ask.busy}
            onClick={async () => {
              const sent = await ask.run();
              if (sent) setAnswer(sent.message);
            }}
          >
            {t('发送新的登录链接到我的邮箱', 'Mail me a fresh link')}
          </button>
          <ErrorNotice error={ask.error} />
        </>
      )}
    </>
  );
}
