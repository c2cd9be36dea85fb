import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import type { Actor } from '../../functions/rules/access.js';
import type { AttachmentKind } from '../../functions/rules/attachments.js';
import type { AttachmentRecord } from '../../functions/rules/nomination.js';
import { recordInspected } from '../../functions/use-cases/uploads.js';
import { ApiClient } from '../driver/client.js';
import {
  consentIn,
  declaredIn,
  type FileToUpload,
  CONTENT_TYPES as MIME,
  screen,
  uploadFile,
} from '../driver/nominations.js';
import {
  expertInvitation,
  expertReview,
  linkIn,
  type ReviewView,
  readOutbox,
  reviewLinkHeaders,
  unitInvitation,
} from '../driver/people.js';
import { inPool } from '../driver/poll.js';
import { MIB, paddedJpeg, realPdf } from '../driver/sample-files.js';
import { keepAliveTransport, type Transport } from '../driver/transport.js';
import {
  type BenchExpert,
  type BenchNomination,
  type BenchPlan,
  type BenchUnit,
  CAMPAIGN_ID,
} from './plan.js';
import { mailKindsOf, UNTIL_JOB_DONE } from './report.js';
import type { Latencies } from './stats.js';

/**
 * The people of the benchmark's round, scripted, through Laurel's HTTP API only (scripts/driver/):
 * the secretariat invites; units sign in with their e-mailed links, fill in, attach and submit;
 * the secretariat screens; experts review through their e-mailed links; the secretariat selects,
 * opens publicity and releases. Every request is timed under its route (the clients' timer), over
 * keep-alive node:http (scripts/driver/transport.ts: fetch gives up on an answer after 300 s).
 */

const CONTENT_TYPES: Record<AttachmentKind, string> = {
  word: MIME.word,
  scan: MIME.scan,
  photo: MIME.jpeg,
  consent: MIME.scan,
};
const EXTENSIONS: Record<AttachmentKind, string> = {
  word: 'docx',
  scan: 'pdf',
  photo: 'jpg',
  consent: 'pdf',
};
/** What a seeded file weighs: a Word form, a stamped scan and photos as units send them (about 5 MB in all). */
const SEEDED_BYTES: Record<AttachmentKind, number> = {
  word: 28_000,
  scan: 1_600_000,
  photo: 1_650_000,
  consent: 400_000,
};
/** How often the secretariat looks at a campaign-wide step's job while it runs. */
const JOB_POLL_MS = 500;

export class Round {
  readonly ids: string[] = [];
  readonly byId = new Map<string, BenchNomination>();
  private readonly units = new Map<string, ApiClient>();
  private secretariatClient: ApiClient | undefined;
  private readonly seeding: ReturnType<typeof dynamoNominationStore>;
  private readonly seedingDocuments: DynamoDBDocumentClient;
  private readonly scan = realPdf(2);
  /** Files uploaded for real, and records seeded. */
  readonly uploads = { real: 0, realBytes: 0, seeded: 0 };
  /** The largest answer of the API (not of storage, nor of the static public files): a function's response. */
  readonly largestResponse = { bytes: 0, request: '' };
  /** Every request over one keep-alive agent; the API's answers weighed on the way back. */
  private readonly transport: Transport = async (request) => {
    const answer = await keepAliveTransport(request);
    const path = new URL(request.url).pathname;
    if (path.startsWith('/api/') && answer.body.byteLength > this.largestResponse.bytes) {
      this.largestResponse.bytes = answer.body.byteLength;
      this.largestResponse.request = `${request.method} ${path}`;
    }
    return answer;
  };

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

  private client(who: string): ApiClient {
    return new ApiClient(this.base, who, { transport: this.transport, timer: this.latencies });
  }

  private get sec(): ApiClient {
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

  /** Every mail the outbox holds, counted by what it tells. */
  async mailKinds(): Promise<Map<string, number>> {
    return mailKindsOf((await readOutbox(this.mailUrl)).map((m) => m.subject));
  }

  // ── Setup: invitations and sign-in ──────────────────────────────────────────────────────────

  async inviteEveryone(): Promise<void> {
    const invite = (body: Record<string, unknown>) =>
      this.sec.must(201, 'POST', '/api/invitations', body, { route: 'POST /api/invitations' });
    await inPool(this.plan.units, this.concurrency, async (unit) => {
      await invite(unitInvitation(unit));
    });
    await inPool(this.plan.experts, this.concurrency, async (expert) => {
      await invite(expertInvitation(expert));
    });
  }

  /** Each unit signs in with the link mailed to it (read from the outbox once). */
  async unitsSignIn(): Promise<void> {
    const links = new Map<string, string>();
    for (const mail of await readOutbox(this.mailUrl)) {
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
    const created = await unit.must<{ nomination: { id: string } }>(
      201,
      'POST',
      '/api/nominations',
      { category: n.category },
      { route: 'POST /api/nominations' },
    );
    const id = created.nomination.id;
    const saved = await unit.must<{ nomination: { version: number }; check: { issues: unknown[] } }>(
      200,
      'PUT',
      `/api/nominations/${id}/form`,
      { version: 1, form: n.form, noClassifiedContent: true },
      { route: 'PUT /api/nominations/{id}/form' },
    );
    if (saved.check.issues.length > 0) {
      throw new Error(`the form of nomination ${n.index} has issues: ${JSON.stringify(saved.check.issues)}`);
    }
    let version = saved.nomination.version;
    version = n.realUploads
      ? await this.uploadFiles(unit, id, n, version)
      : await this.seedFiles(id, n, version);
    await unit.must(
      200,
      'POST',
      `/api/nominations/${id}/submit`,
      { version, consent: consentIn(CAMPAIGN_ID), declarations: declaredIn(CAMPAIGN_ID) },
      { route: 'POST /api/nominations/{id}/submit' },
    );
    return id;
  }

  /** The unit downloads its Word form, then uploads it, the stamped scan and photos through presigned POSTs. */
  private async uploadFiles(unit: ApiClient, id: string, n: BenchNomination, from: number): Promise<number> {
    const docx = await unit.bytes(`/api/nominations/${id}/form.docx`, {
      route: 'GET /api/nominations/{id}/form.docx',
    });
    const files: FileToUpload[] = [
      { kind: 'word', contentType: CONTENT_TYPES.word, fileName: '推荐表.docx', bytes: docx },
      { kind: 'scan', contentType: CONTENT_TYPES.scan, fileName: '盖章扫描件.pdf', bytes: await this.scan },
      ...Array.from({ length: n.photos }, (_, k) => ({
        kind: 'photo' as const,
        contentType: CONTENT_TYPES.photo,
        fileName: `照片${k + 1}.jpg`,
        bytes: paddedJpeg(Math.round((1.2 + 0.3 * k) * MIB)),
      })),
    ];
    let version = from;
    for (const file of files) {
      version = (await uploadFile(unit, id, file, version)).version;
      this.uploads.real += 1;
      this.uploads.realBytes += file.bytes.byteLength;
    }
    return version;
  }

  /**
   * Attachment records written as the record-attachment route writes them — its `recordInspected`
   * per file, as the unit (one conditional write; a read only on a refusal) at the version its
   * page holds — through the counting proxy; no bytes reach storage and the inspection is skipped.
   */
  private async seedFiles(id: string, n: BenchNomination, from: number): Promise<number> {
    const kinds: AttachmentKind[] = ['word', 'scan', ...Array<AttachmentKind>(n.photos).fill('photo')];
    const unit: Actor = {
      role: 'unit',
      campaignId: CAMPAIGN_ID,
      subjectId: n.unit.id,
      name: n.unit.name,
      email: n.unit.email,
      unitType: n.unit.type,
    };
    let version = from;
    for (const [k, kind] of kinds.entries()) {
      const attachmentId = `a-${randomBytes(8).toString('hex')}`;
      const at = new Date().toISOString();
      const record: AttachmentRecord = {
        id: attachmentId,
        kind,
        key: `nominations/${id}/${kind}/${attachmentId}.${EXTENSIONS[kind]}`,
        // No bytes behind a seeded record: nothing reads them back.
        versionId: 'seeded-without-bytes',
        sha256: '',
        size: SEEDED_BYTES[kind] + k * 1000,
        mime: CONTENT_TYPES[kind],
        fileName: kind === 'photo' ? `照片${k - 1}.jpg` : kind === 'word' ? '推荐表.docx' : '盖章扫描件.pdf',
        uploadedAt: at,
      };
      version = (await recordInspected({ store: this.seeding }, unit, id, record, version)).version;
      this.uploads.seeded += 1;
    }
    return version;
  }

  // ── 2. Screening ────────────────────────────────────────────────────────────────────────────

  /** The secretariat opens each nomination and passes it (reading the version afresh on a race). */
  async screenAll(): Promise<void> {
    await inPool(this.ids, this.concurrency, async (id) => {
      await screen(this.sec, id, 'pass');
    });
  }

  // ── 3. Expert review ────────────────────────────────────────────────────────────────────────

  /** Every expert opens each review link mailed to them, reads, and submits confirmed scores. Answers the reviews per expert. */
  async reviewAll(): Promise<Map<string, number>> {
    const experts = new Map(this.plan.experts.map((e, i) => [e.email, { expert: e, index: i }]));
    const tasks: { expert: BenchExpert; index: number; link: string }[] = [];
    for (const mail of await readOutbox(this.mailUrl)) {
      const link = linkIn(mail.text, 'review');
      if (!link) continue;
      for (const to of mail.to) {
        const e = experts.get(to);
        if (e) tasks.push({ ...e, link });
      }
    }
    const perExpert = new Map<string, number>();
    await inPool(tasks, this.concurrency, async ({ expert, index, link }) => {
      const headers = reviewLinkHeaders(link);
      const reader = this.client(`expert ${expert.id}`);
      let view = await reader.must<ReviewView>(200, 'GET', '/api/review', undefined, {
        headers,
        route: 'GET /api/review',
      });
      if (!view.declaration) {
        // The page asks first: no conflict of interest; its answer is the page with the materials.
        const declared = await reader.must<{ page: ReviewView | null }>(
          201,
          'POST',
          '/api/review/declaration',
          { conflict: false },
          {
            headers,
            route: 'POST /api/review/declaration',
          },
        );
        if (!declared.page) return;
        view = declared.page;
      }
      if (!view.open) return;
      const n = this.byId.get(view.nomination.id);
      if (expert.affiliation && n?.unit.id === expert.affiliation) {
        throw new Error(`expert ${expert.id} was asked to review a nomination of their own unit`);
      }
      const review = expertReview(view.rubric, n?.merit ?? 7, { bias: expert.bias, index });
      await reader.must(201, 'POST', '/api/review', review, { headers, route: 'POST /api/review' });
      perExpert.set(expert.id, (perExpert.get(expert.id) ?? 0) + 1);
    });
    return perExpert;
  }

  // ── 4–6. Campaign-wide steps ────────────────────────────────────────────────────────────────

  /**
   * A campaign-wide step as the console sends it: 200 when its job ended within the request's
   * wait, else 202 with the job's progress, followed at GET …/jobs/{jobId} until it is done; timed
   * whole as well as request by request.
   */
  private campaignStep<T>(route: string, path: string, body?: unknown): Promise<T> {
    return this.latencies.time(`${route}${UNTIL_JOB_DONE}`, () =>
      this.sec.finish<T>(path, body, { route, pollMs: JOB_POLL_MS }),
    );
  }

  async selection(): Promise<{ ranked: number; selected: number }> {
    const path = `/api/campaigns/${CAMPAIGN_ID}`;
    // The ranking is paged (100 a page): every page, each a timed request of the ranking route.
    let ranked = 0;
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page: { outcomes: unknown[]; cursor: string | null } = await this.sec.must(
        200,
        'GET',
        `${path}/ranking${query}`,
        undefined,
        { route: 'GET /api/campaigns/{campaignId}/ranking' },
      );
      ranked += page.outcomes.length;
      cursor = page.cursor;
    } while (cursor);
    // The bench runs inside the submission window: the secretariat closes submissions early first.
    await this.sec.must(
      200,
      'POST',
      `${path}/close-submissions`,
      { reason: '各推荐单位均已报送完毕' },
      {
        route: 'POST /api/campaigns/{campaignId}/close-submissions',
      },
    );
    // The answer counts every outcome; the outcomes themselves come a page at a time (not needed here).
    const confirmed = await this.campaignStep<{ counts: { selected: number } }>(
      'POST /api/campaigns/{campaignId}/selection',
      `${path}/selection`,
      {},
    );
    return {
      ranked,
      selected: confirmed.counts.selected,
    };
  }

  async openPublicity(): Promise<{ closesAt: string; onNotice: number }> {
    const opened = await this.campaignStep<{ state: { publicity: { closesAt: string } } }>(
      'POST /api/campaigns/{campaignId}/publicity',
      `/api/campaigns/${CAMPAIGN_ID}/publicity`,
    );
    const notice = await this.client('the public').must<{ entries: unknown[] }>(
      200,
      'GET',
      `/published/${CAMPAIGN_ID}/publicity.json`,
      undefined,
      { route: 'GET /published/{campaignId}/publicity.json' },
    );
    return { closesAt: opened.state.publicity.closesAt, onNotice: notice.entries.length };
  }

  /**
   * Anonymous visits of the public notice as a browser makes them — the list as JSON (the page's
   * script) and the pre-rendered page (readers without JavaScript) — `times` each; the number made.
   */
  async visitPublicNotice(times: number): Promise<number> {
    const visitor = this.client('the public');
    let visits = 0;
    for (let i = 0; i < times; i += 1) {
      for (const file of ['publicity.json', 'publicity.html']) {
        await visitor.must(200, 'GET', `/published/${CAMPAIGN_ID}/${file}`, undefined, {
          route: `GET /published/{campaignId}/${file}`,
        });
        visits += 1;
      }
    }
    return visits;
  }

  async release(): Promise<{ released: number; categories: number }> {
    return this.campaignStep<{ released: number; categories: number }>(
      'POST /api/campaigns/{campaignId}/release',
      `/api/campaigns/${CAMPAIGN_ID}/release`,
    );
  }

  async finalList(): Promise<number> {
    const released = await this.client('the public').must<{ entries: unknown[] }>(
      200,
      'GET',
      `/published/${CAMPAIGN_ID}/released.json`,
      undefined,
      { route: 'GET /published/{campaignId}/released.json' },
    );
    return released.entries.length;
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
