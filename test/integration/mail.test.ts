import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
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
