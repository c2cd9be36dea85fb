import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { StoredMail } from '../../infra/local/mail.js';
import { type ApiClient, eventually } from '../support/api-client.js';
import { inviteAndSignIn, opsLink, secretariatOf, signedIn } from '../support/people.js';
import { runScript } from '../support/run-script.js';
import { LocalCloudSeeder } from '../support/seed.js';
import { appHtml, fromBucket } from '../support/web-bucket.js';

/**
 * AWS China as a home: no SES there, so mail leaves over SMTP — the transport `npm start` uses
 * against the local catcher. The demo campaign's every mail arrives through SMTP, once; a send
 * the SMTP server refuses is retried by the state machine, is not sent again once it was
 * accepted, and shows as a failed task (Laurel.MailFailed) in the operations' history.
 */

const parent = mkdtempSync(join(tmpdir(), 'laurel-china-home-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const outboxOf = (dataDir: string): StoredMail[] => {
  const file = join(dataDir, 'mail', 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StoredMail);
};

/** The links of a mail's text. */
const linksIn = (text: string) => text.match(/https?:\/\/\S+/g) ?? [];

describe('the demo campaign over SMTP', () => {
  it('mails every invitation, review link, return or reject notice and release notice through SMTP, each once', async () => {
    const dataDir = join(parent, 'demo');
    const { code, stdout, stderr } = await runScript(
      'npm',
      ['run', '--silent', 'demo'],
      { ...process.env, PORT: '0', LAUREL_DATA_DIR: dataDir, LAUREL_MAIL_TRANSPORT: '' },
      170_000,
    );
    expect(code, `${stdout}\n${stderr}`.slice(-4000)).toBe(0);

    const outbox = outboxOf(dataDir);
    const kinds = {
      invitation: outbox.filter((m) => m.subject.includes('登录链接')),
      review: outbox.filter((m) => m.subject.includes('】评审邀请：')),
      returned: outbox.filter((m) => m.subject.includes('被退回修改')),
      rejected: outbox.filter((m) => m.subject.includes('未通过初核')),
      selection: outbox.filter((m) => m.subject.includes('入选')),
      forwarded: outbox.filter((m) => m.subject.includes('已报送上级')),
      withdrawn: outbox.filter((m) => m.subject.includes('因公示异议撤销')),
      release: outbox.filter((m) => m.subject.includes('正式发布')),
    };
    for (const [kind, sent] of Object.entries(kinds)) expect(sent.length, kind).toBeGreaterThan(0);
    expect(Object.values(kinds).flat()).toHaveLength(outbox.length);

    for (const mail of outbox) {
      expect(mail.via, mail.subject).toBe('smtp');
      expect(mail.raw).toMatch(/multipart\/alternative/i);
      expect(mail.html).not.toBe('');
      expect(mail.replyTo).toMatch(/<.+@.+>/);
      expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@.+>$/);
    }
    // Each once: no Message-ID twice, and no message twice to one person.
    const ids = outbox.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const sends = outbox.map((m) => `${m.to.join(',')}\n${m.subject}\n${m.text}`);
    expect(new Set(sends).size).toBe(sends.length);

    // The links are well-formed URLs of the app: the demo's web origin, a page, a token.
    const origin = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0];
    for (const mail of [...kinds.invitation, ...kinds.review]) {
      const links = linksIn(mail.text);
      expect(links.length, mail.subject).toBeGreaterThan(0);
      for (const link of links) {
        const url = new URL(link);
        if (origin) expect(url.origin).toBe(new URL(origin).origin);
        expect(url.pathname).toMatch(/^\/(signin|review)\//);
        // A sign-in link's token; a review link's names its nomination before the dot (rules/review.ts).
        expect(url.hash).toMatch(
          url.pathname.startsWith('/review/') ? /^#n-[a-z0-9-]+\.[A-Za-z0-9_-]{43}$/ : /^#[A-Za-z0-9_-]{43}$/,
        );
        expect(mail.html).toContain(`href="${link}"`);
      }
    }
    // Every link of every mail opens the app from the private bucket as it is, with no function
    // to rewrite the path: the China home.
    const app = appHtml();
    const everyLink = outbox.flatMap((mail) => linksIn(mail.text));
    expect(everyLink.length).toBeGreaterThan(0);
    for (const link of everyLink) expect(fromBucket(link), link).toMatchObject({ status: 200, body: app });
  }, 180_000);
});

describe('a refused send in the state machine', () => {
  const dataDir = join(parent, 'faults');
  let cloud: LocalCloud;
  let seeder: LocalCloudSeeder;

  beforeAll(async () => {
    cloud = await startLocalCloud({ dataDir, port: 0 });
    seeder = new LocalCloudSeeder(cloud);
  }, 60_000);
  afterAll(async () => {
    seeder?.destroy();
    await cloud?.stop();
  });

  const switchFault = async (fault: { count: number; code?: number; after?: number }) => {
    const answer = await fetch(`${cloud.urls.mail}api/faults`, {
      method: 'POST',
      body: JSON.stringify(fault),
    });
    expect(answer.status).toBe(200);
  };

  it('is retried, is not sent again once accepted, and shows as a failed mail in the ops view', async () => {
    expect(cloud.urls.smtp).toMatch(/^smtp:\/\/local:local@127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(cloud.urls.health)).json()) as {
      components: { mail: { status: string; detail?: string } };
    };
    expect(health.components.mail).toMatchObject({ status: 'up', detail: expect.stringMatching(/^smtp /) });

    const sec = await secretariatOf(cloud, 'cast-2024');
    const unit: ApiClient = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'cas-astro',
      name: '中国天文学会',
      email: 'astro@cas.cn',
      unitType: 'national-society',
    });
    const experts = ['1', '2', '3'].map((i) => `expert${i}@review.cn`);
    for (const [k, email] of experts.entries()) {
      await inviteAndSignIn(cloud, sec, {
        role: 'expert',
        subjectId: `expert-${k}`,
        name: `专家${k}`,
        email,
      });
    }
    const nomination = await seeder.submitted(unit, 'project');
    const waiting = await seeder.waitingIn(nomination.id, 'screening');

    // The first review link goes out; the second is refused: the task fails half-way.
    await switchFault({ after: 1, count: 1, code: 554 });
    const passed = await sec.call('POST', `/api/nominations/${nomination.id}/screening`, {
      version: waiting.version,
      decision: 'pass',
    });
    expect(passed.status).toBe(200);
    await seeder.waitingIn(nomination.id, 'reviews', 60_000);

    const outbox = () =>
      fetch(`${cloud.urls.mail}api/messages`)
        .then((r) => r.json() as Promise<{ messages: StoredMail[] }>)
        .then((b) => b.messages.filter((m) => m.subject.includes('】评审邀请：')));
    const reviewMails = await outbox();
    // Three experts, one accepted review mail each: the one accepted before the refusal was not sent again.
    expect(reviewMails.map((m) => m.to[0]).sort()).toEqual(experts);
    expect(reviewMails.every((m) => m.via === 'smtp')).toBe(true);

    // Operations see the failed attempt in the execution's history.
    const ops = await signedIn(cloud, await opsLink(cloud, 'cast-2024'));
    const history = await eventually(async () => {
      const answer = await ops.call<{
        events: { type: string; error: string | null; state: string | null }[];
      }>('GET', `/api/ops/executions/${nomination.id}/history`);
      return answer.status === 200 ? answer.body.events : undefined;
    });
    const failures = history.filter((e) => e.error === 'Laurel.MailFailed');
    expect(failures.length, JSON.stringify(history)).toBeGreaterThanOrEqual(1);
    expect(history.filter((e) => e.state === 'AssignExperts').length).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
