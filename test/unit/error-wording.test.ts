import { describe, expect, it } from 'vitest';
import { errorDetails, errorSentence } from '../../web/src/ui/errors.js';

const body = (zh: string, en: string) => ({
  code: 'LINK_UNKNOWN',
  message: { zh, en },
  path: ['token'],
});

describe('the wording of a refused request', () => {
  it('is the message as one sentence, with what to do when the message does not say it', () => {
    expect(errorSentence(403, { ...body('无权操作', 'Not allowed'), path: [] })).toEqual({
      zh: '无权操作。请打开电子邮件中的个人链接重新登录后再试。',
      en: 'Not allowed. Open the personal link from your e-mail to sign in again, then try again.',
    });
    expect(errorSentence(429, { ...body('请求过多', 'Too many'), path: [] }).zh).toBe(
      '请求过多。操作过于频繁，请稍候一分钟再试。',
    );
    expect(errorSentence(503, body('服务暂不可用', 'Service unavailable')).zh).toBe(
      '服务暂不可用。请稍后重试；如仍不成功，请联系秘书处。',
    );
    // The secretariat is not told to contact itself.
    expect(errorSentence(503, body('服务暂不可用', 'Service unavailable'), 'secretariat').zh).toBe(
      '服务暂不可用。请稍后重试；如仍不成功，请联系运维人员。',
    );
    // Nor operations told to contact operations.
    expect(errorSentence(503, body('服务暂不可用', 'Service unavailable'), 'ops').zh).toBe(
      '服务暂不可用。请稍后重试；如仍不成功，请查看系统告警与日志。',
    );
  });

  it('adds nothing to a refusal that already says what to do, and never a code or a field path', () => {
    const said = errorSentence(
      409,
      body('公示期至 2025-03-01 00:00 结束，届时方可发布', 'Release after the period'),
    );
    expect(said).toEqual({
      zh: '公示期至 2025-03-01 00:00 结束，届时方可发布。',
      en: 'Release after the period.',
    });
    for (const text of Object.values(errorSentence(403, body('此链接无效。', 'Not valid.'))))
      expect(text).not.toMatch(/LINK_UNKNOWN|HTTP|token|403/);
  });

  it('adds no instruction to a refusal that names a field (correcting it is what to do), nor a minute to a 429 that says how long', () => {
    // On the sign-in page itself, a link cut short: not "open your link and sign in again".
    expect(errorSentence(403, body('此链接无效', 'This link is not valid'))).toEqual({
      zh: '此链接无效。',
      en: 'This link is not valid.',
    });
    expect(
      errorSentence(404, {
        ...body('本活动没有以该邮箱邀请的推荐单位', 'No unit at that address'),
        path: ['email'],
      }).zh,
    ).toBe('本活动没有以该邮箱邀请的推荐单位。');
    expect(
      errorSentence(429, {
        ...body('提交过于频繁，请约 7 分钟后再试', 'Try again in about 7 minutes'),
        path: [],
      }).zh,
    ).toBe('提交过于频繁，请约 7 分钟后再试。');
  });

  it('tells how to sign in once: not again after a refusal that already says which link to open', () => {
    const expired = {
      code: 'NOT_SIGNED_IN',
      message: {
        zh: '未登录或登录已过期：请打开您的登录链接，按提示获取新的链接后登录',
        en: 'Not signed in',
      },
      path: [],
    };
    expect(errorSentence(401, expired).zh).toBe(
      '未登录或登录已过期：请打开您的登录链接，按提示获取新的链接后登录。',
    );
  });

  it('says a BUSY the page gave up resending as such, not "again in about 2 s" after it waited', () => {
    const busy = {
      code: 'BUSY',
      message: { zh: '请约 2 秒后再提交一次', en: 'send it again in about 2 s' },
      path: [],
    };
    expect(errorSentence(503, busy).zh).toContain('已自动重试多次');
    expect(errorSentence(503, busy).zh).not.toContain('2 秒');
  });

  it('keeps the code, the status and the field for the details toggle', () => {
    expect(errorDetails(403, body('x', 'x'))).toBe('LINK_UNKNOWN · HTTP 403 · token');
    expect(errorDetails(409, { code: 'ALREADY_DECIDED', path: [] })).toBe('ALREADY_DECIDED · HTTP 409');
  });
});
