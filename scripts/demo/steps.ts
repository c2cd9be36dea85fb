import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { Bilingual } from '../../functions/rules/i18n.js';
import type { NominationStatus } from '../../functions/rules/nomination-status.js';
import type { PackageAnswer } from '../../functions/use-cases/forwarding-package-answer.js';
import { ApiClient, again, type Connection, codeOf, messageOf, unexpected } from '../driver/client.js';
import {
  CONTENT_TYPES,
  consentIn,
  declaredIn,
  type FileToUpload,
  presignAndPost,
  readNomination,
  screen,
  uploadFile,
  withFreshVersion,
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
import { MIB, paddedJpeg, paddedPng, realPdf, smallPng } from '../driver/sample-files.js';
import type { RunningCloud } from './cloud.js';
import type { ExpertPlan, NominationPlan, PhotoPlan, UnitPlan } from './data.js';

/**
 * The people and steps of a round, driven through Laurel's HTTP API only (scripts/driver/). When
 * the cloud may be killed under them (the crash-recovery test), each step that cannot simply be
 * sent again says how to find out whether it took effect — as a person would look before trying
 * again.
 */

/** One person at the API: the secretariat, a unit, an expert, operations, the public. */
export type Person = ApiClient;

export type CampaignId = 'cacs-2024' | 'cast-2024';

export interface Refusal {
  what: string;
  request: string;
  answer: string;
  message?: Bilingual;
}

/** One nomination as the demo follows it. */
export interface Tracked {
  id: string;
  campaignId: CampaignId;
  plan: NominationPlan;
  unitId: string;
  unitName: string;
  /** The [auto] criteria the live check found not met (informative: screening decides). */
  flags: Bilingual[];
  /** What happened to it beyond the plain path, in words. */
  notes: string[];
  photoIds: string[];
}

export interface NominationView {
  id: string;
  campaignId: string;
  unitId: string;
  unitName: string;
  category: CategoryId;
  status: NominationStatus;
  version: number;
  /** Absent on list rows, which carry `name` instead. */
  form?: Record<string, unknown>;
  name?: string;
  reasons?: string;
  attachments: { id: string; kind: string; size: number; mime: string }[];
  score?: { meanTotal: number; expertTotals: number[]; recommendations: number };
  selection?: { rank: number | null; selected: boolean; message: Bilingual };
  forwardedAs?: { campaignId: string; nominationId: string };
}

export class Steps {
  readonly base: string;
  private readonly scan: Promise<Uint8Array> = realPdf(2);

  constructor(
    private readonly cloud: RunningCloud,
    /** Where the refusals shown are written down, for the summary. */
    private readonly refusals: Refusal[],
  ) {
    this.base = cloud.urls.web.replace(/\/$/, '');
  }

  person(who: string): Person {
    return new ApiClient(this.base, who, this.connection ? { connection: this.connection } : {});
  }

  private get connection(): Connection | undefined {
    return this.cloud.connection;
  }

  /** Signs in with the secretariat link `npm start` prints for the campaign. */
  secretariat(campaignId: CampaignId): Promise<Person> {
    return this.signInAs('secretariat', campaignId, `secretariat of ${campaignId}`);
  }

  /** Signs in with each operations link `npm start` prints: one per campaign. */
  operations(): Promise<Person[]> {
    const campaigns = [
      ...new Set(this.cloud.signInLinks.filter((l) => l.role === 'ops').map((l) => l.campaignId)),
    ];
    return Promise.all(campaigns.map((c) => this.signInAs('ops', c, `operations of ${c}`)));
  }

  /** Who signed in with which printed link: a link signs in once, and its session lasts the working day. */
  private readonly signedInBy = new Map<string, Promise<Person>>();

  private signInAs(role: string, campaignId: string | undefined, who: string): Promise<Person> {
    const link = this.cloud.signInLinks.find(
      (l) => l.role === role && (campaignId === undefined || l.campaignId === campaignId),
    );
    if (!link) return Promise.reject(new Error(`the local cloud printed no ${who} sign-in link`));
    // A restart prints new links; until then the person signed in with this one stays signed in.
    const known = this.signedInBy.get(link.url);
    if (known) return known;
    const signingIn = (async () => {
      const person = this.person(who);
      const signedIn = await person.signIn(link.url);
      if (signedIn !== role) throw new Error(`the ${who} link signed in a ${signedIn}`);
      return person;
    })();
    this.signedInBy.set(link.url, signingIn);
    signingIn.catch(() => this.signedInBy.delete(link.url));
    return signingIn;
  }

  /** The texts of the mails sent to `to`, oldest first, from the local outbox. */
  async mails(to: string): Promise<string[]> {
    const outbox = await again(this.connection, () => readOutbox(this.cloud.urls.mail));
    return outbox.filter((m) => m.to.includes(to)).map((m) => m.text);
  }

  /**
   * An invitation; after a lost answer the invitee's mailbox tells whether it went out (inviting
   * again would send a second link).
   */
  private async invite(sec: Person, email: string, body: Record<string, unknown>): Promise<void> {
    const before = (await this.mails(email)).filter((t) => linkIn(t, 'signin')).length;
    await sec.must(201, 'POST', '/api/invitations', body, {
      recover: async () => {
        const sent = (await this.mails(email)).filter((t) => linkIn(t, 'signin')).length > before;
        return sent ? { status: 201, body: {} } : undefined;
      },
    });
  }

  /** Invites a unit; it signs in with the link it was e-mailed (the inviter never sees it). */
  async inviteUnit(sec: Person, unit: UnitPlan): Promise<Person> {
    await this.invite(sec, unit.email, unitInvitation(unit));
    const link = linkIn((await this.mails(unit.email)).at(-1) ?? '', 'signin');
    if (!link) throw new Error(`no sign-in link reached ${unit.email}`);
    const person = this.person(`unit ${unit.id}`);
    await person.signIn(link);
    return person;
  }

  async inviteExpert(sec: Person, expert: ExpertPlan): Promise<void> {
    await this.invite(sec, expert.email, expertInvitation(expert));
  }

  // ── Submission ──────────────────────────────────────────────────────────────────────────────

  /** Draft, form, Word form, stamped scan and photos through presigned POSTs, then submit. */
  async submitNomination(
    unit: Person,
    unitPlan: UnitPlan,
    plan: NominationPlan,
    campaignId: CampaignId,
  ): Promise<Tracked> {
    // A unit works on one nomination at a time: after a lost answer, a fresh draft of this
    // category in its list is the one just created (creating again would leave one behind).
    const created = await unit.must<{ nomination: NominationView }>(
      201,
      'POST',
      '/api/nominations',
      { category: plan.category },
      {
        recover: async () => {
          // The list answers rows (no form): the draft's own page is what creating it answered.
          type Row = { id: string; status: string; category: string; version: number };
          const { nominations } = await unit.must<{ nominations: Row[] }>(200, 'GET', '/api/nominations');
          const draft = nominations.find(
            (n) => n.status === 'draft' && n.category === plan.category && n.version === 1,
          );
          return draft
            ? { status: 201, body: { nomination: await readNomination<NominationView>(unit, draft.id) } }
            : undefined;
        },
      },
    );
    const id = created.nomination.id;
    type Saved = {
      nomination: NominationView;
      check: { issues: { path: unknown[]; message: Bilingual }[]; eligibility: CriterionView[] | null };
    };
    const formPath = `/api/nominations/${id}/form`;
    const formBody = (version: number) => ({ version, form: plan.form, noClassifiedContent: true });
    // Saving the same form again is harmless: after a lost answer, save it from the version now stored.
    const saved = await unit.must<Saved>(200, 'PUT', formPath, formBody(1), {
      recover: async () => {
        const { version } = await readNomination(unit, id);
        return unit.call<Saved>('PUT', formPath, formBody(version));
      },
    });
    if (saved.check.issues.length > 0) {
      throw new Error(
        `the demo's form ${plan.key} has issues: ${saved.check.issues.map((i) => i.message.en).join('; ')}`,
      );
    }
    const tracked: Tracked = {
      id,
      campaignId,
      plan,
      unitId: unitPlan.id,
      unitName: unitPlan.name,
      flags: (saved.check.eligibility ?? []).filter((c) => !c.passed).map((c) => c.message),
      notes: [],
      photoIds: [],
    };
    let version = saved.nomination.version;

    const word = await renderFormDocx({
      campaign: builtinCampaign(campaignId),
      category: plan.category,
      form: plan.form,
      unitName: unitPlan.name,
    });
    const file = (kind: 'word' | 'scan', fileName: string, bytes: Uint8Array): FileToUpload => ({
      kind,
      contentType: CONTENT_TYPES[kind],
      fileName,
      bytes,
    });
    version = (await uploadFile(unit, id, file('word', '推荐表.docx', word), version)).version;
    if (plan.showRefusals) await this.tryRefusedUploads(unit, id, version);
    version = (await uploadFile(unit, id, file('scan', '盖章扫描件.pdf', await this.scan), version)).version;
    for (const [index, photo] of plan.photos.entries()) {
      const uploaded = await this.uploadPhoto(unit, id, photo, index + 1, version);
      version = uploaded.version;
      tracked.photoIds.push(uploaded.attachmentId);
    }
    await unit.must(200, 'POST', `/api/nominations/${id}/submit`, {
      version,
      consent: consentIn(campaignId),
      declarations: declaredIn(campaignId),
    });
    return tracked;
  }

  private uploadPhoto(unit: Person, id: string, photo: PhotoPlan, n: number, version: number) {
    const size = Math.round(photo.mib * MIB);
    const file: FileToUpload = {
      kind: 'photo',
      contentType: CONTENT_TYPES[photo.type],
      fileName: `照片${n}.${photo.type === 'png' ? 'png' : 'jpg'}`,
      bytes: photo.type === 'png' ? paddedPng(size) : paddedJpeg(size),
    };
    return uploadFile(unit, id, file, version);
  }

  private async read(person: Person, id: string): Promise<NominationView> {
    return readNomination<NominationView>(person, id);
  }

  /** What storage and Laurel refuse: a photo under 1 MB, and a PNG sent as the stamped PDF scan. */
  private async tryRefusedUploads(unit: Person, id: string, version: number): Promise<void> {
    const small = Math.round(0.9 * MIB);
    const { policy, posted } = await presignAndPost(unit, id, {
      kind: 'photo',
      contentType: CONTENT_TYPES.jpeg,
      fileName: '活动照片（压缩版）.jpg',
      bytes: paddedJpeg(small),
    });
    const s3Code = /<Code>([^<]+)<\/Code>/.exec(posted.text)?.[1] ?? '';
    if (posted.status !== 400 || s3Code !== 'EntityTooSmall') {
      throw new Error(
        `a 0.9 MB photo should be refused by storage (400 EntityTooSmall), got ${posted.status} ${s3Code}`,
      );
    }
    this.refusals.push({
      what: `照片 0.9 MB（${small.toLocaleString('en')} 字节）· a 0.9 MB photo`,
      request: `presigned POST to storage (policy: ${policy.minBytes.toLocaleString('en')}–${policy.maxBytes.toLocaleString('en')} bytes)`,
      answer: `${posted.status} ${s3Code} — nothing stored`,
    });

    const { policy: scanPolicy, posted: stored } = await presignAndPost(unit, id, {
      kind: 'scan',
      contentType: CONTENT_TYPES.scan,
      fileName: '盖章扫描件.pdf',
      bytes: smallPng(),
    });
    if (stored.status !== 204)
      throw new Error(`storage should take any bytes as the scan, got ${stored.status}`);
    const path = `/api/nominations/${id}/attachments`;
    const recorded = await unit.call('POST', path, {
      attachmentId: scanPolicy.attachmentId,
      kind: 'scan',
      fileName: '盖章扫描件.pdf',
      version,
    });
    if (recorded.status !== 422 || codeOf(recorded.body) !== 'ATTACHMENT_TYPE_MISMATCH') {
      throw unexpected(unit.who, 'POST', path, 422, recorded);
    }
    this.refusals.push({
      what: '以 PNG 图片冒充盖章扫描件 · a PNG uploaded as the stamped PDF scan',
      request: `POST ${path.replace(id, '{id}')} (record after upload)`,
      answer: `422 ${codeOf(recorded.body)}`,
      message: messageOf(recorded.body),
    });
  }

  // ── Screening ───────────────────────────────────────────────────────────────────────────────

  async screen(sec: Person, id: string, decision: 'pass' | 'return' | 'reject', reasons?: string) {
    return screen<NominationView>(sec, id, decision, reasons);
  }

  /** The unit reads the reasons, replaces the photo asked for, and resubmits. */
  async correctAndResubmit(unit: Person, tracked: Tracked): Promise<string> {
    const nomination = await this.read(unit, tracked.id);
    if (nomination.status !== 'returned') {
      throw new Error(`${tracked.plan.key} should be returned, is ${nomination.status}`);
    }
    const replace = tracked.plan.replacePhoto;
    if (replace) {
      const path = `/api/nominations/${tracked.id}/attachments/${tracked.photoIds[replace.index] ?? ''}`;
      const removed = await withFreshVersion(
        unit,
        tracked.id,
        { method: 'DELETE', path, expected: 200 },
        // After a lost answer: removed already if the nomination no longer lists it.
        (version) =>
          unit.call<{ nomination: NominationView }>('DELETE', `${path}?version=${version}`, undefined, {
            recover: async () => {
              const now = await this.read(unit, tracked.id);
              return now.attachments.some((a) => a.id === tracked.photoIds[replace.index])
                ? undefined
                : { status: 200, body: { nomination: now } };
            },
          }),
      );
      const uploaded = await this.uploadPhoto(
        unit,
        tracked.id,
        replace.with,
        replace.index + 1,
        removed.nomination.version,
      );
      tracked.photoIds[replace.index] = uploaded.attachmentId;
    }
    const path = `/api/nominations/${tracked.id}/submit`;
    await withFreshVersion(unit, tracked.id, { method: 'POST', path, expected: 200 }, (version) =>
      unit.call('POST', path, {
        version,
        consent: consentIn(tracked.campaignId),
        declarations: declaredIn(tracked.campaignId),
      }),
    );
    return nomination.reasons ?? '';
  }

  // ── Review ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Each expert opens the review links e-mailed to them, reads the materials and submits a
   * confirmed review. Answers how many each reviewed, and which nominations each was shown.
   */
  async reviewAll(
    experts: readonly ExpertPlan[],
    merit: (nominationId: string) => number,
  ): Promise<Map<string, string[]>> {
    const seen = new Map<string, string[]>();
    await Promise.all(
      experts.map(async (expert, e) => {
        const reviewed: string[] = [];
        const links = (await this.mails(expert.email)).map((t) => linkIn(t, 'review')).filter(Boolean);
        for (const link of links) {
          const headers = reviewLinkHeaders(link);
          const anonymous = this.person(`expert ${expert.id}`);
          let view = await anonymous.must<ReviewView>(200, 'GET', '/api/review', undefined, { headers });
          if (!view.declaration) {
            // The page asks first: no conflict of interest; its answer is the page with the materials.
            const declared = await anonymous.must<{ page: ReviewView | null }>(
              201,
              'POST',
              '/api/review/declaration',
              { conflict: false },
              { headers },
            );
            if (!declared.page) continue;
            view = declared.page;
          }
          if (!view.open) continue;
          const review = expertReview(view.rubric, merit(view.nomination.id), {
            bias: expert.bias,
            index: e,
          });
          // Sent again after a lost answer: "already submitted" then means it was recorded (and
          // the repeat lets Laurel finish what the lost request had left undone).
          await anonymous.must(201, 'POST', '/api/review', review, {
            headers,
            recover: async () => {
              const answer = await anonymous.call('POST', '/api/review', review, { headers });
              return answer.status === 409 && codeOf(answer.body) === 'ALREADY_DECIDED'
                ? { ...answer, status: 201 }
                : answer;
            },
          });
          reviewed.push(view.nomination.id);
        }
        seen.set(expert.id, reviewed);
      }),
    );
    return seen;
  }

  // ── Campaign-wide ───────────────────────────────────────────────────────────────────────────

  /** Every nomination of the campaign as list rows (no forms), page by page (100 a page). */
  async list(sec: Person, campaignId: CampaignId): Promise<NominationView[]> {
    const rows: NominationView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page: { nominations: NominationView[]; cursor: string | null } = await sec.must(
        200,
        'GET',
        `/api/campaigns/${campaignId}/nominations${query}`,
      );
      rows.push(...page.nominations);
      cursor = page.cursor;
    } while (cursor);
    return rows;
  }

  /** Builds the forwarding package and looks inside it. */
  async buildPackage(sec: Person, campaignId: CampaignId) {
    // The job once started is followed again after a lost cloud, not started anew: its read
    // presigns the download afresh (the old link names storage's old address), and a second
    // POST after the first job ended would build the package twice.
    let jobId: string | undefined;
    return again(this.connection, async () => {
      // A job: the request answers 202 at once; its read gives the download once built.
      let answer = jobId
        ? await sec.must<PackageAnswer>(200, 'GET', `/api/campaigns/${campaignId}/package/${jobId}`)
        : await sec.must<PackageAnswer>(202, 'POST', `/api/campaigns/${campaignId}/package`, {});
      jobId = answer.job.id;
      while (!answer.download) {
        if (answer.job.status !== 'running')
          throw new Error(`the ${campaignId} package job ${answer.job.status}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        answer = await sec.must<PackageAnswer>(
          200,
          'GET',
          `/api/campaigns/${campaignId}/package/${answer.job.id}`,
        );
      }
      const built = answer.download;
      const response = await fetch(built.url);
      if (!response.ok) throw new Error(`the ${campaignId} package download answered ${response.status}`);
      return { ...built, zip: new Uint8Array(await response.arrayBuffer()) };
    });
  }

  /**
   * A public objection to a nomination on the notice (no sign-in). After a lost answer the
   * secretariat's list tells whether it was received (sending it again would object twice).
   */
  async object(campaignId: CampaignId, body: Record<string, string>) {
    return this.person('the public').call<{ id: string }>(
      'POST',
      `/api/public/${campaignId}/objections`,
      body,
      {
        recover: async () => {
          const sec = await this.secretariat(campaignId);
          const { objections } = await sec.must<{ objections: (Record<string, string> & { id: string })[] }>(
            200,
            'GET',
            `/api/campaigns/${campaignId}/objections`,
          );
          const received = objections.find((o) =>
            Object.entries(body).every(([field, value]) => o[field] === value),
          );
          return received ? { status: 201, body: { id: received.id } } : undefined;
        },
      },
    );
  }
}

interface CriterionView {
  id: string;
  passed: boolean;
  message: Bilingual;
}
