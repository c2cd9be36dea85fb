import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageIdFor } from '../../functions/adapters/mailer.js';
import { refusedForGood, smtpMailer } from '../../functions/adapters/smtp-mailer.js';
import { smtpSettingsFromUrl } from '../../functions/adapters/smtp-settings.js';
import { loadConfig } from '../../functions/lib/config.js';
import { isRefusedForGood, mailFailed } from '../../functions/ports/mail.js';
import { mailBody } from '../../functions/rules/mail-body.js';
import { NOTICE_CLAIM_LEASE_MS, NOTICE_SEND_WINDOW_MS } from '../../functions/use-cases/nominations.js';
import { mailerOf } from '../../functions/wiring/mail.js';

describe('the mail transport setting', () => {
  it('is SES unless asked for SMTP; the CDK’s empty variables mean unset', () => {
    expect(loadConfig({}).mail).toEqual({ transport: 'ses' });
    expect(loadConfig({ LAUREL_MAIL_TRANSPORT: '', LAUREL_SMTP_SECRET_ARN: '' }).mail).toEqual({
      transport: 'ses',
    });
    expect(
      loadConfig({
        LAUREL_MAIL_TRANSPORT: 'smtp',
        LAUREL_SMTP_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:1:secret:smtp',
      }).mail,
    ).toEqual({ transport: 'smtp', secretArn: 'arn:aws-cn:secretsmanager:cn-north-1:1:secret:smtp' });
    expect(
      loadConfig({ LAUREL_MAIL_TRANSPORT: 'smtp', LAUREL_SMTP_URL: 'smtp://127.0.0.1:2525' }).mail,
    ).toEqual({
      transport: 'smtp',
      url: 'smtp://127.0.0.1:2525',
    });
  });

  it('refuses SMTP without a secret or a URL, and a transport it does not know', () => {
    expect(() => loadConfig({ LAUREL_MAIL_TRANSPORT: 'smtp' })).toThrow(/LAUREL_SMTP_SECRET_ARN/);
    expect(() => loadConfig({ LAUREL_MAIL_TRANSPORT: 'sendmail' })).toThrow(/LAUREL_MAIL_TRANSPORT/);
    expect(() => loadConfig({ LAUREL_MAIL_TRANSPORT: 'smtp', LAUREL_SMTP_URL: 'http://x' })).toThrow(
      /LAUREL_SMTP_URL/,
    );
  });

  it('reads smtp:// as plain local SMTP and smtps:// as TLS with credentials', () => {
    expect(smtpSettingsFromUrl('smtp://127.0.0.1:2525')).toEqual({
      host: '127.0.0.1',
      port: 2525,
      secure: false,
      insecure: true,
    });
    expect(smtpSettingsFromUrl('smtps://user%40x.cn:p%40ss@smtpdm.aliyun.com')).toEqual({
      host: 'smtpdm.aliyun.com',
      port: 465,
      secure: true,
      user: 'user@x.cn',
      pass: 'p@ss',
      insecure: false,
    });
  });
});

describe('a mail’s parts', () => {
  it('escapes typed text in the HTML and makes anchors only of the links Laurel gives', () => {
    const { text, html } = mailBody([
      '理由：<b>附件</b> 见 https://evil.example/x & "更多"',
      '',
      { link: 'https://laurel.example.cn/review/index.html#tok' },
    ]);
    expect(text).toBe(
      '理由：<b>附件</b> 见 https[:]//evil[.]example/x & "更多"\n\nhttps://laurel.example.cn/review/index.html#tok',
    );
    expect(html).toContain('&lt;b&gt;附件&lt;/b&gt; 见 https[:]//evil[.]example/x &amp; &quot;更多&quot;');
    expect(html).not.toContain('href="https://evil.example');
    expect(html).toContain(
      '<a href="https://laurel.example.cn/review/index.html#tok">https://laurel.example.cn/review/index.html#tok</a>',
    );
  });

  it('has one Message-ID per send key, on the sender’s domain, and a fresh one without a key', () => {
    const mail = {
      to: 'a@b.cn',
      subject: 's',
      text: 't',
      key: 'n-1/release-notice/2025-05-01T00:00:00.000Z',
    };
    const id = messageIdFor(mail, 'noreply@mail.example.cn');
    expect(id).toMatch(/^<[0-9a-f]{32}@mail\.example\.cn>$/);
    expect(messageIdFor({ ...mail }, 'noreply@mail.example.cn')).toBe(id);
    expect(messageIdFor({ ...mail, key: 'other' }, 'noreply@mail.example.cn')).not.toBe(id);
    const { key: _none, ...unkeyed } = mail;
    expect(messageIdFor(unkeyed, 'noreply@mail.example.cn')).not.toBe(
      messageIdFor(unkeyed, 'noreply@mail.example.cn'),
    );
  });
});

describe("a bundle's one mail transport", () => {
  afterEach(() => vi.unstubAllEnvs());
  const ses = loadConfig({ LAUREL_MAIL_TRANSPORT: 'ses' });
  const smtp = loadConfig({ LAUREL_MAIL_TRANSPORT: 'smtp', LAUREL_SMTP_URL: 'smtp://127.0.0.1:2525' });

  it('serves either transport where the sources run (no bundled transport defined)', () => {
    expect(typeof mailerOf(ses)).toBe('function');
    expect(typeof mailerOf(smtp)).toBe('function');
  });

  it("refuses at the cold start a transport the deployment's bundle does not carry, naming the setting to fix", () => {
    // infra/bundling.ts defines this at bundling; the sources read it at run time.
    vi.stubEnv('LAUREL_BUNDLED_MAIL_TRANSPORT', 'smtp');
    expect(typeof mailerOf(smtp)).toBe('function');
    expect(() => mailerOf(ses)).toThrow(/LAUREL_MAIL_TRANSPORT=ses.*smtp transport alone.*mail=ses/);
    vi.stubEnv('LAUREL_BUNDLED_MAIL_TRANSPORT', 'ses');
    expect(typeof mailerOf(ses)).toBe('function');
    expect(() => mailerOf(smtp)).toThrow(/LAUREL_MAIL_TRANSPORT=smtp.*ses transport alone.*mail=smtp/);
  });
});

describe('a mail refused for good, told apart from one that may pass on a retry', () => {
  const smtp = (responseCode: number, code = 'EENVELOPE', command = 'RCPT TO') =>
    Object.assign(new Error(`${responseCode} refused`), { responseCode, code, command });
  const named = (name: string) => Object.assign(new Error(name), { name });

  it('the SMTP transport reads a refusal as for good only on a 5xx to RCPT TO: this recipient, not every mail', () => {
    expect(refusedForGood(smtp(550))).toBe(true);
    expect(refusedForGood(smtp(553))).toBe(true);
  });

  it('the SMTP transport reads every other refusal as one a retry or an operator fixes: never recorded as not delivered', () => {
    expect(refusedForGood(smtp(451))).toBe(false);
    expect(refusedForGood(smtp(421, 'ECONNECTION'))).toBe(false);
    expect(refusedForGood(smtp(535, 'EAUTH'))).toBe(false);
    // The sender refused, the greeting refused (too many connections, a quota), STARTTLS required,
    // the message refused after its data: each would refuse the next notice too.
    expect(refusedForGood(smtp(550, 'EENVELOPE', 'MAIL FROM'))).toBe(false);
    expect(refusedForGood(smtp(554, 'EPROTOCOL', 'CONN'))).toBe(false);
    expect(refusedForGood(smtp(530, 'EENVELOPE', 'MAIL FROM'))).toBe(false);
    expect(refusedForGood(smtp(554, 'EMESSAGE', 'DATA'))).toBe(false);
    expect(refusedForGood(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))).toBe(false);
    expect(refusedForGood(undefined)).toBe(false);
  });

  it("a relay's real refusals, through the SMTP transport: 550 to the recipient is for good, to the sender or a 451 is not", async () => {
    const relay = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onMailFrom(address, _session, callback) {
        if (address.address.startsWith('blocked'))
          return callback(Object.assign(new Error('5.7.1 sender not allowed'), { responseCode: 550 }));
        callback();
      },
      onRcptTo(address, _session, callback) {
        const [local] = address.address.split('@');
        if (local === 'nobody')
          return callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
        if (local === 'later')
          return callback(Object.assign(new Error('4.2.0 try later'), { responseCode: 451 }));
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.server.address() as AddressInfo;
    const settings = async () => ({ host: '127.0.0.1', port, secure: false, insecure: true });
    const mail = (to: string) => ({ to, subject: 'x', text: 'x' });
    const failure = async (from: string, to: string) => {
      const send = smtpMailer(settings, from);
      return send(mail(to)).then(
        () => undefined,
        (error: unknown) => error,
      );
    };
    try {
      const gone = await failure('laurel@cast.org.cn', 'nobody@units.cn');
      expect((gone as Error).name).toBe('Laurel.MailFailed');
      expect(isRefusedForGood(gone)).toBe(true);
      const later = await failure('laurel@cast.org.cn', 'later@units.cn');
      expect((later as Error).name).toBe('Laurel.MailFailed');
      expect(isRefusedForGood(later)).toBe(false);
      const sender = await failure('blocked@cast.org.cn', 'someone@units.cn');
      expect((sender as Error).name).toBe('Laurel.MailFailed');
      expect(isRefusedForGood(sender)).toBe(false);
      expect(await failure('laurel@cast.org.cn', 'someone@units.cn')).toBeUndefined();
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  it('only the Mailer port says a notice is refused for good, from what its transport read', () => {
    expect(isRefusedForGood(mailFailed(smtp(550), { refusedForGood: true }))).toBe(true);
    // A transport that did not read it so (SES always, SMTP but for RCPT TO) is a failure to retry.
    expect(isRefusedForGood(mailFailed(smtp(550)))).toBe(false);
    expect(isRefusedForGood(mailFailed(named('MessageRejected')))).toBe(false);
    // A 550 thrown by anything else is not a refused notice.
    expect(isRefusedForGood(smtp(550))).toBe(false);
  });

  it("lets a claimed notice lapse before the retries of a step killed mid-send are spent, and after one send's timeouts begun within the chunk's send window", () => {
    // The Laurel.StoreBusy retry budget of every state of the three machines: a task killed while
    // it held a claim is retried, and its last retry must find the claim lapsed.
    const budgets = ['nomination', 'campaign-job'].flatMap((machine) => {
      const asl = JSON.parse(readFileSync(`statemachines/${machine}.asl.json`, 'utf8')) as {
        States: Record<
          string,
          {
            Retry?: {
              ErrorEquals: string[];
              IntervalSeconds?: number;
              MaxAttempts?: number;
              BackoffRate?: number;
              MaxDelaySeconds?: number;
            }[];
          }
        >;
      };
      return Object.values(asl.States).flatMap((state) =>
        (state.Retry ?? [])
          .filter((r) => r.ErrorEquals.includes('Laurel.StoreBusy'))
          .map((r) =>
            Array.from({ length: r.MaxAttempts ?? 3 }, (_, i) =>
              Math.min(
                (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** i,
                r.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
              ),
            ).reduce((sum, wait) => sum + wait, 0),
          ),
      );
    });
    expect(budgets.length).toBeGreaterThan(5);
    expect(NOTICE_CLAIM_LEASE_MS).toBeLessThan(Math.min(...budgets) * 1000);
    // One SES send ends within its connection and request timeouts (aws-clients.ts): 13 s.
    expect(NOTICE_CLAIM_LEASE_MS).toBeGreaterThan(13_000);
    // A chunk's notices are claimed together: the last send may start up to the send window after
    // the claims, and must end and be settled within the lease.
    expect(NOTICE_SEND_WINDOW_MS + 13_000).toBeLessThan(NOTICE_CLAIM_LEASE_MS);
  });
});
