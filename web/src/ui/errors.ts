// The domain's types, not the app's modules: this file is pure, and unit-tested without a browser.
import type { Bilingual } from '../../../functions/rules/i18n.js';

interface ApiErrorBody {
  code: string;
  message: Bilingual;
  path: (string | number)[];
}

/**
 * What a refused request tells the person: the server's message in their language, and — where
 * the message alone does not say what to do — one short instruction by the kind of refusal. The
 * code, the HTTP status and the field path are for whoever helps them, behind a "details" toggle.
 */

const WHAT_TO_DO: {
  when: (status: number, body: Pick<ApiErrorBody, 'message'>) => boolean;
  text: Bilingual;
}[] = [
  {
    // Not when the refusal already says which link to open (NOT_SIGNED_IN does): said once.
    when: (s, body) => (s === 401 || s === 403) && !body.message.zh.includes('链接'),
    text: {
      zh: '请打开电子邮件中的个人链接重新登录后再试。',
      en: 'Open the personal link from your e-mail to sign in again, then try again.',
    },
  },
  {
    when: (s) => s === 404,
    text: { zh: '请返回上一页，刷新后再试。', en: 'Go back, reload the page and try again.' },
  },
  {
    // Laurel's own 429 says how long to wait ("请约 7 分钟后再试"); a minute would contradict it.
    when: (s, body) => s === 429 && !/\d/.test(body.message.zh),
    text: { zh: '操作过于频繁，请稍候一分钟再试。', en: 'Too many attempts: wait a minute and try again.' },
  },
  {
    when: (s) => s === 0 || s >= 500,
    text: {
      zh: '请稍后重试；如仍不成功，请联系秘书处。',
      en: 'Try again in a moment; if it still fails, contact the secretariat.',
    },
  },
];

const STILL_BUSY: Bilingual = {
  zh: '系统仍在处理同一事项，已自动重试多次。请过几分钟再试一次；已完成的部分不会重复。',
  en: 'The system is still busy with this very matter after several automatic retries. Try once more in a few minutes; nothing done will be done twice.',
};

/** The secretariat's own failures go to operations, not to itself; operations look at their alarms. */
const STAFF_FAILURE: Record<'secretariat' | 'ops', Bilingual> = {
  secretariat: {
    zh: '请稍后重试；如仍不成功，请联系运维人员。',
    en: 'Try again in a moment; if it still fails, contact operations.',
  },
  ops: {
    zh: '请稍后重试；如仍不成功，请查看系统告警与日志。',
    en: "Try again in a moment; if it still fails, look at the system's alarms and logs.",
  },
};

const ENDS_A_SENTENCE = /[。！？.!?]$/;

/**
 * One message in one language: the refusal, ended as a sentence, and what to do when it does not
 * say. A refusal naming a field (an address not found, a link's token cut short) adds nothing:
 * what to do is to correct that field — not to sign in again or reload, where the person stands.
 */
export function errorSentence(
  status: number,
  body: Pick<ApiErrorBody, 'message'> & { path?: ApiErrorBody['path']; code?: string },
  /** Who reads it: the secretariat and operations are not told to contact the secretariat. */
  reader?: 'secretariat' | 'ops',
): Bilingual {
  // The page sends a BUSY request again by itself (busy.ts): one shown has been waited on for a
  // while already, so "again in about 2 s" would read as a joke.
  if (status === 503 && body.code === 'BUSY') return STILL_BUSY;
  const namesAField = (body.path?.length ?? 0) > 0 && status < 500;
  const failed = status === 0 || status >= 500;
  const hint = namesAField
    ? undefined
    : failed && reader
      ? STAFF_FAILURE[reader]
      : WHAT_TO_DO.find((h) => h.when(status, body))?.text;
  const end = (text: string, stop: string) =>
    ENDS_A_SENTENCE.test(text.trim()) ? text.trim() : `${text.trim()}${stop}`;
  return {
    zh: hint ? `${end(body.message.zh, '。')}${hint.zh}` : end(body.message.zh, '。'),
    en: hint ? `${end(body.message.en, '.')} ${hint.en}` : end(body.message.en, '.'),
  };
}

/** The technical line behind the details toggle: code, status and the field's path. */
export function errorDetails(status: number, body: Pick<ApiErrorBody, 'code' | 'path'>): string {
  const field = body.path.length > 0 ? ` · ${body.path.join('.')}` : '';
  return `${body.code} · HTTP ${status}${field}`;
}

/** Anything thrown that is not an answer of the API (a bug in the page, a lost network). */
export const UNEXPECTED: Bilingual = {
  zh: '出现意外错误，请刷新页面重试。',
  en: 'Something went wrong; reload the page and try again.',
};
