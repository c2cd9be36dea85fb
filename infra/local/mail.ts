import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  truncateSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { accessKeyOf } from './iam.js';

/**
 * The local mail catcher: an SMTP server (the transport `npm start` uses, as AWS China does) and
 * an Amazon SES v2 endpoint (SendEmail as REST JSON, for LAUREL_MAIL_TRANSPORT=ses). Every message
 * is kept in an append-only file, so the outbox survives a restart (only an index of it stays in
 * memory: a national round mails tens of thousands of messages, each with its raw source). A small page
 * lists the messages with clickable links and their raw source, so a person can follow the review
 * link an expert would get. A fault switch makes the SMTP server refuse (4xx, 5xx) or hang on the
 * next messages — and the SES endpoint throttle (429), reject or hang — for tests of the retries.
 */

export interface StoredMail {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html: string;
  tags: { Name: string; Value: string }[];
  /** How it arrived; messages stored before SMTP came have none ('ses'). */
  via?: 'smtp' | 'ses';
  messageId?: string;
  replyTo?: string;
  /** The message as the SMTP client sent it (SMTP only). */
  raw?: string;
}

/** What the SMTP server does with the next messages: refuse with a reply code, or never answer. */
export interface MailFault {
  /** How many messages in a row (counted down on each). */
  count: number;
  /** 451 (try again later), 554 (refused)…; absent with `hang`. */
  code?: number;
  /** Takes the message and never answers: the client times out. */
  hang?: boolean;
  /** How many messages to accept first (counted down), e.g. to fail a task half-way through its mails. */
  after?: number;
}

export interface LocalMail {
  /** The HTTP side: the mail page, the JSON outbox, the SES v2 endpoint, the fault switch. */
  endpoint: string;
  /** smtp://host:port of the SMTP server (plain SMTP on this machine). */
  smtpUrl: string;
  messages(): readonly StoredMail[];
  /** Refuses or hangs on the next `count` messages, SMTP or SES (POST /api/faults does the same). */
  fault(fault: MailFault): void;
  /** The messages refused or left hanging so far. */
  faulted(): number;
  stop(): Promise<void>;
}

interface SendEmailBody {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: {
    Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } };
    Raw?: { Data?: string };
  };
  EmailTags?: { Name: string; Value: string }[];
}

const MAX_BODY_BYTES = 10 * 1024 * 1024; // SES's own limit on a message

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('message too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Escapes a text body and turns its http(s) links into anchors. */
export function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function renderOutbox(messages: readonly StoredMail[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<article>
  <h2>${escapeHtml(m.subject)}</h2>
  <p class="meta">${escapeHtml(m.receivedAt)} · 发件人 From ${escapeHtml(m.from)} · 收件人 To ${escapeHtml(m.to.join(', '))}</p>
  <p class="meta">${m.via === 'smtp' ? 'SMTP' : 'SES'}${m.messageId ? ` · Message-ID ${escapeHtml(m.messageId)}` : ''}${m.replyTo ? ` · 回复 Reply-To ${escapeHtml(m.replyTo)}` : ''}${m.raw ? ` · <a href="/messages/${encodeURIComponent(m.id)}/raw">原文 Raw source</a>` : ''}</p>
  <pre>${linkify(m.text)}</pre>
  ${m.html ? `<details><summary>HTML</summary><iframe sandbox="allow-top-navigation-by-user-activation allow-popups" srcdoc="${escapeHtml(m.html)}" title="${escapeHtml(m.subject)}"></iframe></details>` : ''}
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Laurel 本地邮件 · Local outbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
article{border-top:1px solid #ccc;padding:1rem 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
.meta{color:#555}iframe{width:100%;height:24rem;border:1px solid #ccc}a{color:#0645ad}</style></head>
<body><h1>本地邮件 · Local outbox (${messages.length})</h1>
${rows || '<p>还没有邮件。No mail yet.</p>'}
</body></html>`;
}

/**
 * A kill (SIGKILL) during an append can leave the outbox's last line cut short: the kernel may
 * stop a write between pages. That mail was never acknowledged to its sender, so it is dropped —
 * the file is cut back to its last complete line — rather than stopping the start or gluing the
 * next mail onto it.
 */
function dropTornLine(file: string): void {
  if (!existsSync(file)) return;
  const bytes = readFileSync(file);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  truncateSync(file, bytes.lastIndexOf(0x0a) + 1);
}

/**
 * The outbox file, one message a line, with an index in memory — each message's id and where its
 * line lies — rather than the messages: the page, the JSON outbox and a raw source are read from
 * the file when asked, which people and tests do now and then, while mail arrives all the time.
 */
class Outbox {
  private readonly lines = new Map<string, { start: number; bytes: number }>();
  private end = 0;

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    const text = readFileSync(file);
    let start = 0;
    while (start < text.length) {
      const newline = text.indexOf(0x0a, start);
      const stop = newline === -1 ? text.length : newline;
      const line = text.subarray(start, stop).toString('utf8');
      if (line.trim() !== '')
        this.lines.set((JSON.parse(line) as StoredMail).id, { start, bytes: stop - start });
      start = stop + 1;
    }
    this.end = text.length;
  }

  get count(): number {
    return this.lines.size;
  }

  append(mail: StoredMail): void {
    const line = JSON.stringify(mail);
    appendFileSync(this.file, `${line}\n`);
    const bytes = Buffer.byteLength(line);
    this.lines.set(mail.id, { start: this.end, bytes });
    this.end += bytes + 1;
  }

  /**
   * Writes every message stored so far, oldest first, to `out` as the members of a JSON array (the
   * lines as they are, joined by commas), a chunk of the file at a time. Built as one string, the
   * outbox of a national round (16,000 messages with their raw sources, hundreds of MB, two bytes
   * a character) was the cloud's largest object, several times over while it was split and joined.
   */
  async writeJsonMembers(out: NodeJS.WritableStream): Promise<void> {
    if (this.end === 0) return;
    let firstLine = true;
    let atLineStart = true;
    const joinLines = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        // Appends are whole lines in one synchronous write, and the read stops at the end known
        // when it began: each newline ends a message; a chunk may cut one in two.
        let from = 0;
        while (from < chunk.length) {
          const newline = chunk.indexOf(0x0a, from);
          const stop = newline === -1 ? chunk.length : newline;
          if (stop > from) {
            if (atLineStart && !firstLine) this.push(',');
            firstLine = false;
            atLineStart = false;
            this.push(chunk.subarray(from, stop));
          }
          if (newline !== -1) atLineStart = true;
          from = stop + 1;
        }
        done();
      },
    });
    await pipeline(createReadStream(this.file, { start: 0, end: this.end - 1 }), joinLines, out, {
      end: false,
    });
  }

  all(): StoredMail[] {
    if (this.count === 0) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    return lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as StoredMail);
  }

  find(id: string): StoredMail | undefined {
    const at = this.lines.get(id);
    if (!at) return undefined;
    const buffer = Buffer.alloc(at.bytes);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, at.bytes, at.start);
    } finally {
      closeSync(fd);
    }
    return JSON.parse(buffer.toString('utf8')) as StoredMail;
  }
}

export async function startMail(options: {
  dataDir: string;
  port?: number;
  /** The SMTP server's port; 0 (default) picks a free one. */
  smtpPort?: number;
  host?: string;
  /**
   * IAM, when given: SES v2 SendEmail is checked against the signer's grants (403
   * AccessDeniedException), and SMTP needs a login whose user is an access key allowed to read the
   * relay's secret (535 otherwise), as AWS China's relay needs the secret's password. Without it,
   * anyone may send (the catcher on its own, in tests of mail).
   */
  authorize?: {
    ses(accessKeyId: string | undefined, from: string): string | undefined;
    smtp(user: string): string | undefined;
  };
  /** The login the printed SMTP URL carries when `authorize` is given. */
  smtpLogin?: { user: string; pass: string };
}): Promise<LocalMail> {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'outbox.jsonl');
  dropTornLine(file);
  const outbox = new Outbox(file);
  const store = (mail: StoredMail) => outbox.append(mail);

  let fault: MailFault | undefined;
  let faulted = 0;
  const hanging = new Set<() => void>();
  /** The fault that meets this message (SMTP or SES alike), counted down; undefined: accept it. */
  const takeFault = (): MailFault | undefined => {
    if (fault?.after) {
      fault.after -= 1;
      return undefined;
    }
    if (!fault || fault.count <= 0) return undefined;
    fault.count -= 1;
    faulted += 1;
    const now = fault;
    if (fault.count === 0) fault = undefined;
    return now;
  };
  const authorize = options.authorize;
  const smtp = new SMTPServer({
    // Plain SMTP on this machine; a login when IAM is enforced: the relay in AWS China is TLS with a password.
    secure: false,
    disabledCommands: authorize ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !authorize,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      const denied = authorize?.smtp(auth.username ?? '');
      if (denied) {
        callback(
          Object.assign(new Error(`Authentication Credentials Invalid: ${denied}`), { responseCode: 535 }),
        );
        return;
      }
      callback(null, { user: auth.username });
    },
    banner: 'Laurel local mail catcher',
    size: MAX_BODY_BYTES,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const now = takeFault();
        if (now?.hang) {
          hanging.add(() => callback(new Error('stopping')));
          return;
        }
        if (now) {
          callback(
            Object.assign(new Error(`refused by the fault switch (${now.code ?? 451})`), {
              responseCode: now.code ?? 451,
            }),
          );
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const addresses = (a: AddressObject | AddressObject[] | undefined) =>
              (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
            store({
              id: randomUUID(),
              receivedAt: new Date().toISOString(),
              from: parsed.from?.text ?? session.envelope.mailFrom?.toString() ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              cc: addresses(parsed.cc),
              bcc: [],
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              tags: [],
              via: 'smtp',
              ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
              ...(parsed.replyTo ? { replyTo: parsed.replyTo.text } : {}),
              raw: raw.toString('utf8'),
            });
            callback();
          })
          .catch((error: Error) => callback(Object.assign(error, { responseCode: 554 })));
      });
    },
  });
  smtp.on('error', () => {}); // a client that hangs up is its own business
  await new Promise<void>((resolve) =>
    smtp.listen(options.smtpPort ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'POST' && url.pathname === '/v2/email/outbound-emails') {
        const body = JSON.parse(await readBody(req)) as SendEmailBody;
        const denied = authorize?.ses(accessKeyOf(req.headers.authorization), body.FromEmailAddress ?? '');
        if (denied) {
          res.setHeader('x-amzn-errortype', 'AccessDeniedException');
          sendJson(res, 403, { message: denied });
          return;
        }
        // The fault switch as SES answers: a try-later code is its throttle (429, which the SDK
        // retries before it throws), a refusal MessageRejected; a hang never answers.
        const now = takeFault();
        if (now?.hang) {
          hanging.add(() => res.destroy());
          return;
        }
        if (now && (now.code ?? 451) < 500) {
          res.setHeader('x-amzn-errortype', 'TooManyRequestsException');
          sendJson(res, 429, { message: 'Maximum sending rate exceeded.' });
          return;
        }
        if (now) {
          res.setHeader('x-amzn-errortype', 'MessageRejected');
          sendJson(res, 400, { message: `Message rejected by the fault switch (${now.code})` });
          return;
        }
        const simple = body.Content?.Simple;
        const to = body.Destination?.ToAddresses ?? [];
        if (!body.FromEmailAddress || (!simple && !body.Content?.Raw) || to.length === 0) {
          res.setHeader('x-amzn-errortype', 'BadRequestException');
          sendJson(res, 400, { message: 'FromEmailAddress, a destination and content are required' });
          return;
        }
        const mail: StoredMail = {
          id: randomUUID(),
          receivedAt: new Date().toISOString(),
          from: body.FromEmailAddress,
          to,
          cc: body.Destination?.CcAddresses ?? [],
          bcc: body.Destination?.BccAddresses ?? [],
          subject: simple?.Subject?.Data ?? '',
          text:
            simple?.Body?.Text?.Data ??
            (body.Content?.Raw?.Data ? Buffer.from(body.Content.Raw.Data, 'base64').toString('utf8') : ''),
          html: simple?.Body?.Html?.Data ?? '',
          tags: body.EmailTags ?? [],
          via: 'ses',
        };
        store(mail);
        sendJson(res, 200, { MessageId: mail.id });
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v2/email/account') {
        sendJson(res, 200, {
          SendingEnabled: true,
          ProductionAccessEnabled: true,
          EnforcementStatus: 'HEALTHY',
          SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: 1000, SentLast24Hours: outbox.count },
        });
        return;
      }
      if (req.method === 'POST' && url.pathname === '/api/faults') {
        const body = JSON.parse(await readBody(req)) as MailFault;
        fault = body.count > 0 ? body : undefined;
        sendJson(res, 200, { fault: fault ?? null, faulted });
        return;
      }
      const raw = /^\/messages\/([^/]+)\/raw$/.exec(url.pathname);
      if (req.method === 'GET' && raw) {
        const mail = outbox.find(decodeURIComponent(raw[1] ?? ''));
        if (!mail?.raw) return sendJson(res, 404, { message: 'Not found' });
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(mail.raw);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/messages') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"messages":[');
        try {
          await outbox.writeJsonMembers(res);
        } catch (error) {
          // Half an answer is sent: it can only be cut short, never turned into an error reply.
          res.destroy(error as Error);
          return;
        }
        res.end(']}');
        return;
      }
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderOutbox(outbox.all()));
        return;
      }
      sendJson(res, 404, { message: 'Not found' });
    } catch (error) {
      res.setHeader('x-amzn-errortype', 'BadRequestException');
      sendJson(res, 400, { message: (error as Error).message });
    }
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    smtpUrl: `smtp://${
      authorize && options.smtpLogin
        ? `${encodeURIComponent(options.smtpLogin.user)}:${encodeURIComponent(options.smtpLogin.pass)}@`
        : ''
    }${options.host ?? '127.0.0.1'}:${smtpPort}`,
    messages: () => outbox.all(),
    fault: (next) => {
      fault = next.count > 0 ? { ...next } : undefined;
    },
    faulted: () => faulted,
    stop: async () => {
      for (const release of hanging) release();
      hanging.clear();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        }),
      ]);
    },
  };
}
