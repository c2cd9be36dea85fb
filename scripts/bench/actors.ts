import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import type { AttachmentKind } from '../../functions/rules/attachments.js';
import type { AttachmentRecord } from '../../functions/rules/nomination.js';
import { realPdf } from '../../test/fixtures/real-files.js';
import { MIB, paddedJpeg } from '../demo/files.js';
import {
  type BenchExpert,
  type BenchNomination,
  type BenchPlan,
  type BenchUnit,
  CAMPAIGN_ID,
} from './plan.js';
import { UNTIL_JOB_DONE } from './report.js';
import { inPool, type Latencies } from './stats.js';

/**
 * The people of the benchmark's round, scripted, through Laurel's HTTP API only: the secretariat
 * invites; units sign in with their e-mailed links, fill in, attach and submit; the secretariat
 * screens; experts review through their e-mailed links; the secretariat selects, opens
 * publicity and releases. Every request is timed under its route.
 */

const CONTENT_TYPES: Record<AttachmentKind, string> = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  scan: 'application/pdf',
  photo: 'image/jpeg',
};
const EXTENSIONS: Record<AttachmentKind, string> = { word: 'docx', scan: 'pdf', photo: 'jpg' };
/** What a seeded file weighs: a Word form, a stamped scan and photos as units send them (about 5 MB in all). */
const SEEDED_BYTES: Record<AttachmentKind, number> = { word: 28_000, scan: 1_600_000, photo: 1_650_000 };

export class RequestError extends Error {}

/** One person's HTTP client: a session cookie, JSON in and out, every request timed. */
export class Client {
  private cookie = '';

  constructor(
    private readonly base: string,
    private readonly latencies: Latencies,
    readonly who: string,
  ) {}

  async call<T = Record<string, unknown>>(
    route: string,
    expected: number,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const answer = await this.latencies.time(route, async () => {
      const response = await send(`${this.base}${path}`, method, payload, {
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      });
      const setCookie = response.headers['set-cookie']?.[0];
      if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
      const type = String(response.headers['content-type'] ?? '');
      const parsed = type.includes('json')
        ? JSON.parse(response.body.toString('utf8') || 'null')
        : new Uint8Array(response.body);
      return { status: response.status, body: parsed as T };
    });
    if (expected !== 0 && answer.status !== expected) {
      throw new RequestError(
        `${this.who}: ${method} ${path} answered ${answer.status} (expected ${expected}): ${JSON.stringify(answer.body).slice(0, 400)}`,
      );
    }
    return answer;
  }

  async signIn(link: string): Promise<string> {
    const token = link.split('#')[1] ?? '';
    const { body } = await this.call<{ actor: { role: string } }>(
      'POST /api/sessions',
      201,
      'POST',
      '/api/sessions',
      {
        token,
      },
    );
    return body.actor.role;
  }
}

/**
 * One HTTP request over a shared keep-alive agent. Not fetch: its client gives up on an answer
 * after 300 s, and a campaign-wide step over thousands of nominations may take longer locally.
 * Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout; a request that
 * still meets a socket the server has just closed (ECONNRESET on a reused socket, so the server
 * never read it) is sent again on a fresh one.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(
  url: string,
  method: string,
  payload: Buffer | undefined,
  headers: Record<string, string>,
  attempt = 0,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method,
        agent,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (request.reusedSocket && error.code === 'ECONNRESET' && attempt < 2) {
        resolve(send(url, method, payload, headers, attempt + 1));
      } else reject(error);
    });
    request.end(payload);
  });
}

interface Policy {
  url: string;
  fields: Record<string, string>;
  attachmentId: string;
}

const errorCode = (body: unknown): string =>
  (body as { error?: { code?: string } } | null)?.error?.code ?? '';

export const linkIn = (text: string, path: string): string =>
  new RegExp(`(http://\\S+/${path}/#\\S+)`).exec(text)?.[1] ?? '';

/** How each expert's marks lean per criterion, so the criteria do not all get the same mark. */
const LEANINGS = [
  [0.5, -0.5, 0, 0],
  [0, 0.5, -0.5, 0],
  [-0.5, 0, 0.5, 0],
  [0, 0, 0.5, -0.5],
] as const;

export class Round {
  readonly ids: string[] = [];
  readonly byId = new Map<string, BenchNomination>();
  private readonly units = new Map<string, Client>();
  private secretariatClient: Client | undefined;
  private readonly seeding: ReturnType<typeof dynamoNominationStore>;
  private readonly seedingDocuments: DynamoDBDocumentClient;
  private readonly scan = realPdf(2);
  /** Files uploaded for real, and records seeded. */
  readonly uploads = { real: 0, realBytes: 0, seeded: 0 };

  constructor(
    private base: string,
    private mailUrl: string,
    private readonly latencies: Latencies,
    private readonly plan: BenchPlan,
    private readonly concurrency: number,
    /** The DynamoDB endpoint the handlers use (the counting proxy), for seeded attachment records. */
    dynamoEndpoint: string,
    tableName: string,
  ) {
    this.seedingDocuments = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamoEndpoint,
        region: 'cn-north-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
    );
    this.seeding = dynamoNominationStore(this.seedingDocuments, tableName);
  }

  destroy(): void {
    this.seedingDocuments.destroy();
  }

  /** After the local cloud started again: its new address and sign-in links. */
  moved(base: string, mailUrl: string): void {
    this.base = base;
    this.mailUrl = mailUrl;
    this.secretariatClient = undefined;
  }

  private client(who: string): Client {
    return new Client(this.base, this.latencies, who);
  }

  private get sec(): Client {
    if (!this.secretariatClient) throw new Error('the secretariat has not signed in');
    return this.secretariatClient;
  }

  async signInSecretariat(links: { campaignId: string; role: string; url: string }[]): Promise<void> {
    const link = links.find((l) => l.role === 'secretariat' && l.campaignId === CAMPAIGN_ID);
    if (!link) throw new Error(`the local cloud printed no secretariat link for ${CAMPAIGN_ID}`);
    const sec = this.client(`secretariat of ${CAMPAIGN_ID}`);
    await sec.signIn(link.url);
    this.secretariatClient = sec;
  }

  private async outbox(): Promise<{ to: string[]; text: string }[]> {
    const response = await fetch(`${this.mailUrl.replace(/\/$/, '')}/api/messages`);
    if (!response.ok) throw new Error(`the local outbox answered ${response.status}`);
    return ((await response.json()) as { messages: { to: string[]; text: string }[] }).messages;
  }

  async mailCount(): Promise<number> {
    return (await this.outbox()).length;
  }

  // ── Setup: invitations and sign-in ──────────────────────────────────────────────────────────

  async inviteEveryone(): Promise<void> {
    await inPool(this.plan.units, this.concurrency, async (unit) => {
      await this.sec.call('POST /api/invitations', 201, 'POST', '/api/invitations', {
        role: 'unit',
        subjectId: unit.id,
        name: unit.name,
        email: unit.email,
        unitType: unit.type,
      });
    });
    await inPool(this.plan.experts, this.concurrency, async (expert) => {
      await this.sec.call('POST /api/invitations', 201, 'POST', '/api/invitations', {
        role: 'expert',
        subjectId: expert.id,
        name: expert.name,
        email: expert.email,
        ...(expert.affiliation ? { affiliation: expert.affiliation } : {}),
      });
    });
  }

  /** Each unit signs in with the link mailed to it (read from the outbox once). */
  async unitsSignIn(): Promise<void> {
    const links = new Map<string, string>();
    for (const mail of await this.outbox()) {
      const link = linkIn(mail.text, 'signin');
      for (const to of mail.to) if (link) links.set(to, link);
    }
    await inPool(this.plan.units, this.concurrency, async (unit) => {
      const link = links.get(unit.email);
      if (!link) throw new Error(`no sign-in link reached ${unit.email}`);
      const client = this.client(`unit ${unit.id}`);
      const role = await client.signIn(link);
      if (role !== 'unit') throw new Error(`${unit.email}'s link signed in a ${role}`);
      this.units.set(unit.id, client);
    });
  }

  // ── 1. Submission ───────────────────────────────────────────────────────────────────────────

  /** Units work at the same time, each on its own nominations one after another. */
  async submitAll(): Promise<void> {
    const byUnit = new Map<string, BenchNomination[]>();
    for (const n of this.plan.nominations) {
      const list = byUnit.get(n.unit.id) ?? [];
      list.push(n);
      byUnit.set(n.unit.id, list);
    }
    await inPool([...byUnit.values()], this.concurrency, async (mine) => {
      for (const n of mine) {
        const id = await this.submitOne(n);
        this.ids[n.index] = id;
        this.byId.set(id, n);
      }
    });
  }

  private async submitOne(n: BenchNomination): Promise<string> {
    const unit = this.units.get(n.unit.id);
    if (!unit) throw new Error(`unit ${n.unit.id} has not signed in`);
    const created = await unit.call<{ nomination: { id: string } }>(
      'POST /api/nominations',
      201,
      'POST',
      '/api/nominations',
      { category: n.category },
    );
    const id = created.body.nomination.id;
    const saved = await unit.call<{ nomination: { version: number }; check: { issues: unknown[] } }>(
      'PUT /api/nominations/{id}/form',
      200,
      'PUT',
      `/api/nominations/${id}/form`,
      { version: 1, form: n.form, noClassifiedContent: true },
    );
    if (saved.body.check.issues.length > 0) {
      throw new Error(
        `the form of nomination ${n.index} has issues: ${JSON.stringify(saved.body.check.issues)}`,
      );
    }
    let version = saved.body.nomination.version;
    version = n.realUploads ? await this.uploadFiles(unit, id, n, version) : await this.seedFiles(id, n);
    await unit.call('POST /api/nominations/{id}/submit', 200, 'POST', `/api/nominations/${id}/submit`, {
      version,
    });
    return id;
  }

  /** The unit downloads its Word form, then uploads it, the stamped scan and photos through presigned POSTs. */
  private async uploadFiles(unit: Client, id: string, n: BenchNomination, from: number): Promise<number> {
    const docx = await unit.call<Uint8Array>(
      'GET /api/nominations/{id}/form.docx',
      200,
      'GET',
      `/api/nominations/${id}/form.docx`,
    );
    const files: { kind: AttachmentKind; name: string; bytes: Uint8Array }[] = [
      { kind: 'word', name: '推荐表.docx', bytes: docx.body },
      { kind: 'scan', name: '盖章扫描件.pdf', bytes: await this.scan },
      ...Array.from({ length: n.photos }, (_, k) => ({
        kind: 'photo' as const,
        name: `照片${k + 1}.jpg`,
        bytes: paddedJpeg(Math.round((1.2 + 0.3 * k) * MIB)),
      })),
    ];
    let version = from;
    for (const file of files) {
      const policy = await unit.call<Policy>(
        'POST /api/nominations/{id}/uploads',
        201,
        'POST',
        `/api/nominations/${id}/uploads`,
        { kind: file.kind, contentType: CONTENT_TYPES[file.kind], fileName: file.name },
      );
      const form = new FormData();
      for (const [name, value] of Object.entries(policy.body.fields)) form.append(name, value);
      form.append('file', new Blob([file.bytes], { type: CONTENT_TYPES[file.kind] }), file.name);
      const posted = await this.latencies.time('S3 presigned POST', () =>
        fetch(policy.body.url, { method: 'POST', body: form }).then(async (r) => ({
          status: r.status,
          text: await r.text(),
        })),
      );
      if (posted.status !== 204)
        throw new Error(`storage refused ${file.name}: ${posted.status} ${posted.text}`);
      const recorded = await unit.call<{ nomination: { version: number } }>(
        'POST /api/nominations/{id}/attachments',
        200,
        'POST',
        `/api/nominations/${id}/attachments`,
        { attachmentId: policy.body.attachmentId, kind: file.kind, fileName: file.name, version },
      );
      version = recorded.body.nomination.version;
      this.uploads.real += 1;
      this.uploads.realBytes += file.bytes.byteLength;
    }
    return version;
  }

  /**
   * Attachment records written as the record-attachment handler writes them (a consistent read
   * of the nomination, then a one-item conditional write per file), through the counting proxy;
   * no bytes reach storage and the content inspection is skipped.
   */
  private async seedFiles(id: string, n: BenchNomination): Promise<number> {
    const kinds: AttachmentKind[] = ['word', 'scan', ...Array<AttachmentKind>(n.photos).fill('photo')];
    let version = 0;
    for (const [k, kind] of kinds.entries()) {
      const current = await this.seeding.get(id);
      if (!current) throw new Error(`nomination ${id} vanished`);
      const attachmentId = `a-${randomBytes(8).toString('hex')}`;
      const at = new Date().toISOString();
      const record: AttachmentRecord = {
        id: attachmentId,
        kind,
        key: `nominations/${id}/${kind}/${attachmentId}.${EXTENSIONS[kind]}`,
        size: SEEDED_BYTES[kind] + k * 1000,
        mime: CONTENT_TYPES[kind],
        fileName: kind === 'photo' ? `照片${k - 1}.jpg` : kind === 'word' ? '推荐表.docx' : '盖章扫描件.pdf',
        uploadedAt: at,
      };
      version = current.version + 1;
      await this.seeding.save(
        { ...current, attachments: [...current.attachments, record], version, updatedAt: at },
        current.version,
      );
      this.uploads.seeded += 1;
    }
    return version;
  }

  // ── 2. Screening ────────────────────────────────────────────────────────────────────────────

  /** The secretariat opens each nomination and passes it (reading the version afresh on a race). */
  async screenAll(): Promise<void> {
    await inPool(this.ids, this.concurrency, async (id) => {
      for (let attempt = 0; ; attempt++) {
        const { body } = await this.sec.call<{ nomination: { version: number } }>(
          'GET /api/nominations/{id}',
          200,
          'GET',
          `/api/nominations/${id}`,
        );
        const answer = await this.sec.call(
          'POST /api/nominations/{id}/screening',
          0,
          'POST',
          `/api/nominations/${id}/screening`,
          { version: body.nomination.version, decision: 'pass' },
        );
        if (answer.status === 200) return;
        if (errorCode(answer.body) !== 'VERSION_CONFLICT' || attempt >= 5) {
          throw new RequestError(`screening ${id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
      }
    });
  }

  // ── 3. Expert review ────────────────────────────────────────────────────────────────────────

  /** Every expert opens each review link mailed to them, reads, and submits confirmed scores. Answers the reviews per expert. */
  async reviewAll(): Promise<Map<string, number>> {
    const experts = new Map(this.plan.experts.map((e, i) => [e.email, { expert: e, index: i }]));
    const tasks: { expert: BenchExpert; index: number; link: string }[] = [];
    for (const mail of await this.outbox()) {
      const link = linkIn(mail.text, 'review');
      if (!link) continue;
      for (const to of mail.to) {
        const e = experts.get(to);
        if (e) tasks.push({ ...e, link });
      }
    }
    const perExpert = new Map<string, number>();
    await inPool(tasks, this.concurrency, async ({ expert, index, link }) => {
      const headers = { 'x-laurel-review-link': link.split('#')[1] ?? '' };
      const reader = this.client(`expert ${expert.id}`);
      const { body: view } = await reader.call<{
        open: boolean;
        nomination: { id: string; unitName: string };
        rubric: { id: string; maxScore: number }[];
      }>('GET /api/review', 200, 'GET', '/api/review', undefined, headers);
      if (!view.open) return;
      const n = this.byId.get(view.nomination.id);
      if (expert.affiliation && n?.unit.id === expert.affiliation) {
        throw new Error(`expert ${expert.id} was asked to review a nomination of their own unit`);
      }
      const merit = n?.merit ?? 7;
      const scores = Object.fromEntries(
        view.rubric.map((c, k) => {
          const leaning = LEANINGS[index % LEANINGS.length]?.[k] ?? 0;
          return [
            c.id,
            Math.max(0, Math.min(c.maxScore, Math.round((merit + expert.bias + leaning) * 2) / 2)),
          ];
        }),
      );
      const recommend = merit + expert.bias >= 7.5;
      await reader.call(
        'POST /api/review',
        201,
        'POST',
        '/api/review',
        {
          scores,
          recommend,
          comment: recommend ? '事迹突出，科技特色鲜明，建议推荐。' : '成效数据偏少，建议补充后再议。',
          confirmed: true,
        },
        headers,
      );
      perExpert.set(expert.id, (perExpert.get(expert.id) ?? 0) + 1);
    });
    return perExpert;
  }

  // ── 4–6. Campaign-wide steps ────────────────────────────────────────────────────────────────

  /**
   * A campaign-wide step as the console sends it: 200 when its job ended within the request's
   * wait, else 202 with the job's progress, followed at GET …/jobs/{jobId} until it is done.
   */
  private campaignStep<T>(route: string, path: string, body?: unknown): Promise<T> {
    return this.latencies.time(`${route}${UNTIL_JOB_DONE}`, () =>
      this.followCampaignStep<T>(route, path, body),
    );
  }

  private async followCampaignStep<T>(route: string, path: string, body?: unknown): Promise<T> {
    let answer = await this.sec.call<T & { job: { id: string; status: string } | null }>(
      route,
      0,
      'POST',
      path,
      body,
    );
    if (answer.status !== 200 && answer.status !== 202) {
      throw new RequestError(
        `${route} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 400)}`,
      );
    }
    while (answer.body.job?.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await this.sec.call(
        'GET /api/campaigns/{campaignId}/jobs/{jobId}',
        200,
        'GET',
        `/api/campaigns/${CAMPAIGN_ID}/jobs/${answer.body.job.id}`,
      );
    }
    if (answer.body.job && answer.body.job.status !== 'done') {
      throw new RequestError(`${route}: the job ended ${JSON.stringify(answer.body.job)}`);
    }
    return answer.body;
  }

  async selection(): Promise<{ ranked: number; selected: number }> {
    const path = `/api/campaigns/${CAMPAIGN_ID}`;
    const ranking = await this.sec.call<{ outcomes: unknown[] }>(
      'GET /api/campaigns/{campaignId}/ranking',
      200,
      'GET',
      `${path}/ranking`,
    );
    const confirmed = await this.campaignStep<{ outcomes: { selected: boolean }[] }>(
      'POST /api/campaigns/{campaignId}/selection',
      `${path}/selection`,
      {},
    );
    return {
      ranked: ranking.body.outcomes.length,
      selected: confirmed.outcomes.filter((o) => o.selected).length,
    };
  }

  async openPublicity(): Promise<{ closesAt: string; onNotice: number }> {
    const opened = await this.campaignStep<{ state: { publicity: { closesAt: string } } }>(
      'POST /api/campaigns/{campaignId}/publicity',
      `/api/campaigns/${CAMPAIGN_ID}/publicity`,
    );
    const notice = await this.client('the public').call<{ entries: unknown[] }>(
      'GET /api/public/{campaignId}/publicity',
      200,
      'GET',
      `/api/public/${CAMPAIGN_ID}/publicity`,
    );
    return { closesAt: opened.state.publicity.closesAt, onNotice: notice.body.entries.length };
  }

  async release(): Promise<{ released: number; categories: number }> {
    return this.campaignStep<{ released: number; categories: number }>(
      'POST /api/campaigns/{campaignId}/release',
      `/api/campaigns/${CAMPAIGN_ID}/release`,
    );
  }

  async finalList(): Promise<number> {
    const { body } = await this.client('the public').call<{ entries: unknown[] }>(
      'GET /api/public/{campaignId}/released',
      200,
      'GET',
      `/api/public/${CAMPAIGN_ID}/released`,
    );
    return body.entries.length;
  }

  /** A nomination as the store keeps it at submission, for the store probe's item sizes. */
  static storedShape(n: BenchNomination): Record<string, unknown> {
    const at = '2025-01-20T01:00:00.000Z';
    const kinds: AttachmentKind[] = ['word', 'scan', ...Array<AttachmentKind>(n.photos).fill('photo')];
    return {
      id: 'n-bench-probe',
      campaignId: CAMPAIGN_ID,
      unitId: n.unit.id,
      unitType: n.unit.type,
      unitName: n.unit.name,
      unitEmail: n.unit.email,
      category: n.category,
      status: 'submitted',
      version: 1,
      form: n.form,
      attachments: kinds.map((kind, k) => ({
        id: `a-probe${k}`,
        kind,
        key: `nominations/n-bench-probe/${kind}/a-probe${k}.${EXTENSIONS[kind]}`,
        size: SEEDED_BYTES[kind],
        mime: CONTENT_TYPES[kind],
        fileName: `${kind}.${EXTENSIONS[kind]}`,
        uploadedAt: at,
      })),
      noClassifiedContent: true,
      createdAt: at,
      updatedAt: at,
      submittedAt: at,
    };
  }

  /** Units and experts known to the plan, for the report. */
  counts(): { units: number; experts: number; unitTypes: Map<string, number> } {
    const unitTypes = new Map<string, number>();
    for (const u of this.plan.units as BenchUnit[]) unitTypes.set(u.type, (unitTypes.get(u.type) ?? 0) + 1);
    return { units: this.plan.units.length, experts: this.plan.experts.length, unitTypes };
  }
}
