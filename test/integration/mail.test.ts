import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { messageIdFor, sesMailer } from '../../functions/adapters/mailer.js';
import { smtpMailer } from '../../functions/adapters/smtp-mailer.js';
import { smtpSettingsFromUrl } from '../../functions/adapters/smtp-settings.js';
import { mailBody } from '../../functions/rules/mail-body.js';
import { startMail } from '../../infra/local/mail.js';

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-mail-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const clientFor = (endpoint: string) =>
  new SESv2Client({
    endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

describe('local SES v2 outbox', () => {
  it('stores what SendEmail sends, lists it with clickable links, and keeps it across a restart', async () => {
    const first = await startMail({ dataDir });
    const ses = clientFor(first.endpoint);
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'laurel@example.org',
        Destination: { ToAddresses: ['expert@example.org'] },
        Content: {
          Simple: {
            Subject: { Data: '请评审：李晓梅 <最美科技志愿者>' },
            Body: { Text: { Data: '打开链接评审 Open: http://127.0.0.1:3000/review/abc123 谢谢' } },
          },
        },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ses.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);

    const page = await (await fetch(first.endpoint)).text();
    expect(page).toContain('<a href="http://127.0.0.1:3000/review/abc123">');
    expect(page).toContain('请评审：李晓梅 &lt;最美科技志愿者&gt;'); // escaped, not markup
    ses.destroy();
    await first.stop();

    const second = await startMail({ dataDir });
    const listed = (await (await fetch(`${second.endpoint}/api/messages`)).json()) as {
      messages: { to: string[]; id: string }[];
    };
    expect(listed.messages).toEqual([
      expect.objectContaining({ id: sent.MessageId, to: ['expert@example.org'] }),
    ]);
    await second.stop();
  });

  it('refuses a message without a recipient as SES does', async () => {
    const mail = await startMail({ dataDir: join(dataDir, 'second') });
    const ses = clientFor(mail.endpoint);
    await expect(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'laurel@example.org',
          Destination: { ToAddresses: [] },
          Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'y' } } } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    expect(mail.messages()).toHaveLength(0);
    ses.destroy();
    await mail.stop();
  });

  it('throttles (429 TooManyRequestsException) and rejects (MessageRejected) on the fault switch; the SDK retries a throttle, the sender throws Laurel.MailFailed once it gives up', async () => {
    const mail = await startMail({ dataDir: join(dataDir, 'ses-faults') });
    const ses = clientFor(mail.endpoint);
    const send = sesMailer(ses, 'laurel@example.org');
    const message = { to: 'expert@example.org', subject: '评审邀请', text: '请评审' };
    // Two throttles: the SDK's own retries (three attempts in all) get the message through.
    mail.fault({ count: 2, code: 454 });
    await send(message);
    expect(mail.messages()).toHaveLength(1);
    // Throttled on every attempt: the SDK gives up, and the task that sent it is retried by name.
    mail.fault({ count: 3, code: 454 });
    await expect(send(message)).rejects.toMatchObject({
      name: 'Laurel.MailFailed',
      message: /Maximum sending rate exceeded/,
      cause: { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429, attempts: 3 } },
    });
    mail.fault({ count: 1, code: 554 });
    await expect(send(message)).rejects.toMatchObject({
      name: 'Laurel.MailFailed',
      cause: { name: 'MessageRejected' },
    });
    expect(mail.messages()).toHaveLength(1);
    expect(mail.faulted()).toBe(6);
    ses.destroy();
    await mail.stop();
  });

  it('starts after a kill cut the last line of the outbox short, dropping that unacknowledged mail', async () => {
    const dir = join(dataDir, 'torn');
    const first = await startMail({ dataDir: dir });
    const ses = clientFor(first.endpoint);
    const mailTo = (to: string) =>
      new SendEmailCommand({
        FromEmailAddress: 'laurel@example.org',
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: to }, Body: { Text: { Data: '正文 body' } } } },
      });
    await ses.send(mailTo('kept@example.org'));
    await first.stop();
    appendFileSync(join(dir, 'outbox.jsonl'), '{"id":"torn","to":["cut@exa'); // SIGKILL mid-write

    const second = await startMail({ dataDir: dir });
    const again = clientFor(second.endpoint);
    await again.send(mailTo('after@example.org'));
    expect(second.messages().map((m) => m.to[0])).toEqual(['kept@example.org', 'after@example.org']);
    await second.stop();
    const third = await startMail({ dataDir: dir });
    expect(third.messages()).toHaveLength(2);
    ses.destroy();
    again.destroy();
    await third.stop();
  });
});

describe("the local outbox's JSON list", () => {
  it('is sent a chunk of the file at a time: a heap smaller than the outbox serves it whole, in order', {
    timeout: 120_000,
  }, async () => {
    // 1,600 messages of 40 KB (raw sources, Chinese text: 64 MB of JSON lines; two bytes a
    // character as one string) behind a 48 MB old generation: built as one string it cannot fit.
    const dir = join(dataDir, 'large-outbox');
    mkdirSync(dir, { recursive: true });
    const raw = `Subject: 请评审\r\n\r\n${'评审链接 review link '.repeat(2000)}`;
    const lines = Array.from({ length: 1600 }, (_, i) =>
      JSON.stringify({
        id: `m-${i}`,
        receivedAt: '2026-12-05T00:00:00.000Z',
        from: 'laurel@example.org',
        to: [`expert-${i}@example.org`],
        cc: [],
        bcc: [],
        subject: `请评审 ${i}`,
        text: 'Open: http://127.0.0.1:3000/review/index.html#abc',
        html: '',
        tags: [],
        via: 'smtp',
        raw,
      }),
    );
    writeFileSync(join(dir, 'outbox.jsonl'), `${lines.join('\n')}\n`);
    const mail = resolve(import.meta.dirname, '../../infra/local/mail.ts');
    const script = `
      const { startMail } = await import(${JSON.stringify(mail)});
      const catcher = await startMail({ dataDir: ${JSON.stringify(dir)} });
      console.log(catcher.endpoint);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--max-old-space-size=48', '--input-type=module', '-e', script],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const endpoint = await new Promise<string>((done, fail) => {
        child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
        child.once('exit', () => fail(new Error(`the catcher exited: ${stderr}`)));
      });
      const listed = (await (await fetch(`${endpoint}/api/messages`)).json()) as {
        messages: { id: string; raw: string }[];
      };
      expect(listed.messages.map((m) => m.id)).toEqual(lines.map((_, i) => `m-${i}`));
      expect(listed.messages[1599]?.raw).toBe(raw);
      expect(stderr).not.toMatch(/heap out of memory/);
    } finally {
      child.kill();
    }
  });
});

describe('local SMTP catcher', () => {
  const from = 'laurel@laurel.localhost';
  const mail = {
    to: 'unit@example.org',
    subject: '【评审】李晓梅 <最美科技志愿者>',
    ...mailBody([
      '单位：',
      '理由：<script>alert(1)</script> http://evil.example/x',
      { link: 'http://127.0.0.1:3000/review/index.html#abc' },
    ]),
    replyTo: { name: '中国科协农村专业技术服务中心' },
    key: 'n-1/return-notice/2025-01-20T01:00:00.001Z',
  };

  it('takes multipart text and HTML over SMTP, with Reply-To and a Message-ID from the send key, raw source on the page', async () => {
    const catcher = await startMail({ dataDir: join(dataDir, 'smtp') });
    const send = smtpMailer(async () => smtpSettingsFromUrl(catcher.smtpUrl), from);
    await send(mail);
    await send(mail); // the same send again: recognisable by its Message-ID
    const [first, second] = catcher.messages();
    expect(first).toMatchObject({
      via: 'smtp',
      to: ['unit@example.org'],
      subject: mail.subject,
      text: mail.text,
    });
    expect(first?.messageId).toBe(messageIdFor(mail, from));
    expect(second?.messageId).toBe(first?.messageId);
    expect(first?.replyTo).toContain('中国科协农村专业技术服务中心');
    expect(first?.replyTo).toContain(from);
    expect(first?.raw).toMatch(/multipart\/alternative/i);
    // User text is escaped and never linked; only the link Laurel made is an anchor.
    expect(first?.html).toContain('&lt;script&gt;');
    expect(first?.html).not.toContain('href="http://evil.example');
    expect(first?.html).toContain('<a href="http://127.0.0.1:3000/review/index.html#abc">');

    const page = await (await fetch(catcher.endpoint)).text();
    expect(page).toContain(`/messages/${first?.id}/raw`);
    const raw = await fetch(`${catcher.endpoint}/messages/${first?.id}/raw`);
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await raw.text()).toContain('Message-ID:');
    await catcher.stop();
  });

  it('serves each raw source from the outbox file after a restart, Chinese text and all (the file is the store; memory keeps only where each line lies)', async () => {
    const dir = join(dataDir, 'smtp-raw');
    const before = await startMail({ dataDir: dir });
    const send = smtpMailer(async () => smtpSettingsFromUrl(before.smtpUrl), from);
    await send(mail);
    await send({ ...mail, to: 'second@example.org', subject: '第二封：公示通知' });
    await before.stop();

    const after = await startMail({ dataDir: dir });
    const again = smtpMailer(async () => smtpSettingsFromUrl(after.smtpUrl), from);
    await again({ ...mail, to: 'third@example.org', subject: '第三封：发布通知' });
    const listed = after.messages();
    expect(listed.map((m) => m.to[0])).toEqual([
      'unit@example.org',
      'second@example.org',
      'third@example.org',
    ]);
    for (const message of listed) {
      const raw = await fetch(`${after.endpoint}/messages/${message.id}/raw`);
      expect(raw.status).toBe(200);
      expect(await raw.text()).toBe(message.raw);
    }
    const outbox = (await (await fetch(`${after.endpoint}/api/messages`)).json()) as { messages: unknown[] };
    expect(outbox.messages).toEqual(listed);
    expect((await fetch(`${after.endpoint}/messages/no-such-id/raw`)).status).toBe(404);
    await after.stop();
  });

  it('refuses with 451 or 554 and hangs on the fault switch; the sender throws Laurel.MailFailed and nothing is stored', async () => {
    const catcher = await startMail({ dataDir: join(dataDir, 'smtp-faults') });
    const send = smtpMailer(async () => smtpSettingsFromUrl(catcher.smtpUrl), from);
    const switched = await fetch(`${catcher.endpoint}/api/faults`, {
      method: 'POST',
      body: JSON.stringify({ count: 1, code: 451 }),
    });
    expect(switched.status).toBe(200);
    await expect(send(mail)).rejects.toMatchObject({ name: 'Laurel.MailFailed' });
    catcher.fault({ count: 1, code: 554 });
    await expect(send(mail)).rejects.toMatchObject({ name: 'Laurel.MailFailed', message: /554/ });
    expect(catcher.messages()).toHaveLength(0);
    await send(mail);
    expect(catcher.messages()).toHaveLength(1);
    expect(catcher.faulted()).toBe(2);
    await catcher.stop();
  });

  it('a hanging server times the send out', { timeout: 30_000 }, async () => {
    const catcher = await startMail({ dataDir: join(dataDir, 'smtp-hang') });
    const send = smtpMailer(async () => smtpSettingsFromUrl(catcher.smtpUrl), from);
    catcher.fault({ count: 1, hang: true });
    await expect(send(mail)).rejects.toMatchObject({ name: 'Laurel.MailFailed' });
    expect(catcher.messages()).toHaveLength(0);
    await catcher.stop();
  });
});
