import { builtinCampaign } from '../../functions/domain/campaigns/index.js';
import type { CategoryId } from '../../functions/domain/categories.js';
import { renderFormDocx } from '../../functions/domain/documents/form-docx.js';
import type { Bilingual } from '../../functions/domain/i18n.js';
import type { NominationStatus } from '../../functions/domain/nomination-status.js';
import { realPdf } from '../../test/fixtures/real-files.js';
import { codeOf, messageOf, Person, unexpected, withFreshVersion } from './api.js';
import type { RunningCloud } from './cloud.js';
import type { ExpertPlan, NominationPlan, PhotoPlan, UnitPlan } from './data.js';
import { MIB, paddedJpeg, paddedPng, smallPng } from './files.js';

/** The people and steps of a round, driven through Laurel's HTTP API only. */

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
  form: Record<string, unknown>;
  reasons?: string;
  attachments: { id: string; kind: string; size: number; mime: string }[];
  score?: { meanTotal: number; expertTotals: number[]; recommendations: number };
  selection?: { rank: number | null; selected: boolean; message: Bilingual };
  forwardedAs?: { campaignId: string; nominationId: string };
}

const CONTENT_TYPES = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  scan: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const;

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
    return new Person(this.base, who);
  }

  /** Signs in with the secretariat link `npm start` prints for the campaign. */
  secretariat(campaignId: CampaignId): Promise<Person> {
    return this.signInAs('secretariat', campaignId, `secretariat of ${campaignId}`);
  }

  /** Signs in with the operations link `npm start` prints. */
  operations(): Promise<Person> {
    return this.signInAs('ops', undefined, 'operations');
  }

  private async signInAs(role: string, campaignId: string | undefined, who: string): Promise<Person> {
    const link = this.cloud.signInLinks.find(
      (l) => l.role === role && (campaignId === undefined || l.campaignId === campaignId),
    );
    if (!link) throw new Error(`the local cloud printed no ${who} sign-in link`);
    const person = this.person(who);
    const signedIn = await person.signIn(link.url);
    if (signedIn !== role) throw new Error(`the ${who} link signed in a ${signedIn}`);
    return person;
  }

  /** The texts of the mails sent to `to`, oldest first, from the local outbox. */
  async mails(to: string): Promise<string[]> {
    const response = await fetch(`${this.cloud.urls.mail}api/messages`);
    if (!response.ok) throw new Error(`the local outbox answered ${response.status}`);
    const outbox = (await response.json()) as { messages: { to: string[]; text: string }[] };
    return outbox.messages.filter((m) => m.to.includes(to)).map((m) => m.text);
  }

  /** Invites a unit; it signs in with the link it was e-mailed (the inviter never sees it). */
  async inviteUnit(sec: Person, unit: UnitPlan): Promise<Person> {
    await sec.must(201, 'POST', '/api/invitations', {
      role: 'unit',
      subjectId: unit.id,
      name: unit.name,
      email: unit.email,
      unitType: unit.type,
    });
    const link = linkIn((await this.mails(unit.email)).at(-1) ?? '', 'signin');
    if (!link) throw new Error(`no sign-in link reached ${unit.email}`);
    const person = this.person(`unit ${unit.id}`);
    await person.signIn(link);
    return person;
  }

  async inviteExpert(sec: Person, expert: ExpertPlan): Promise<void> {
    await sec.must(201, 'POST', '/api/invitations', {
      role: 'expert',
      subjectId: expert.id,
      name: expert.name,
      email: expert.email,
      ...(expert.affiliation ? { affiliation: expert.affiliation } : {}),
    });
  }

  // ── Submission ──────────────────────────────────────────────────────────────────────────────

  /** Draft, form, Word form, stamped scan and photos through presigned POSTs, then submit. */
  async submitNomination(
    unit: Person,
    unitPlan: UnitPlan,
    plan: NominationPlan,
    campaignId: CampaignId,
  ): Promise<Tracked> {
    const created = await unit.must<{ nomination: NominationView }>(201, 'POST', '/api/nominations', {
      category: plan.category,
    });
    const id = created.nomination.id;
    const saved = await unit.must<{
      nomination: NominationView;
      check: { issues: { path: unknown[]; message: Bilingual }[]; eligibility: CriterionView[] | null };
    }>(200, 'PUT', `/api/nominations/${id}/form`, { version: 1, form: plan.form, noClassifiedContent: true });
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
    version = (await this.upload(unit, id, 'word', CONTENT_TYPES.word, '推荐表.docx', word, version)).version;
    if (plan.showRefusals) await this.tryRefusedUploads(unit, id, version);
    version = (
      await this.upload(unit, id, 'scan', CONTENT_TYPES.scan, '盖章扫描件.pdf', await this.scan, version)
    ).version;
    for (const [index, photo] of plan.photos.entries()) {
      const uploaded = await this.uploadPhoto(unit, id, photo, index + 1, version);
      version = uploaded.version;
      tracked.photoIds.push(uploaded.attachmentId);
    }
    await unit.must(200, 'POST', `/api/nominations/${id}/submit`, { version });
    return tracked;
  }

  private uploadPhoto(unit: Person, id: string, photo: PhotoPlan, n: number, version: number) {
    const size = Math.round(photo.mib * MIB);
    const bytes = photo.type === 'png' ? paddedPng(size) : paddedJpeg(size);
    const fileName = `照片${n}.${photo.type === 'png' ? 'png' : 'jpg'}`;
    return this.upload(unit, id, 'photo', CONTENT_TYPES[photo.type], fileName, bytes, version);
  }

  /** A presigned POST for one file, the file posted to storage, then recorded (and inspected). */
  private async upload(
    unit: Person,
    id: string,
    kind: 'word' | 'scan' | 'photo',
    contentType: string,
    fileName: string,
    bytes: Uint8Array,
    version: number,
  ): Promise<{ version: number; attachmentId: string }> {
    const policy = await this.presign(unit, id, kind, contentType, fileName);
    const posted = await postFile(policy, bytes, contentType, fileName);
    if (posted.status !== 204) {
      throw new Error(
        `${unit.who}: storage refused ${fileName} (${bytes.length} bytes): ${posted.status} ${posted.text}`,
      );
    }
    const recorded = await unit.must<{ nomination: NominationView }>(
      200,
      'POST',
      `/api/nominations/${id}/attachments`,
      { attachmentId: policy.attachmentId, kind, fileName, version },
    );
    return { version: recorded.nomination.version, attachmentId: policy.attachmentId };
  }

  private presign(unit: Person, id: string, kind: string, contentType: string, fileName: string) {
    return unit.must<Policy>(201, 'POST', `/api/nominations/${id}/uploads`, { kind, contentType, fileName });
  }

  /** What storage and Laurel refuse: a photo under 1 MB, and a PNG sent as the stamped PDF scan. */
  private async tryRefusedUploads(unit: Person, id: string, version: number): Promise<void> {
    const small = Math.round(0.9 * MIB);
    const policy = await this.presign(unit, id, 'photo', CONTENT_TYPES.jpeg, '活动照片（压缩版）.jpg');
    const posted = await postFile(policy, paddedJpeg(small), CONTENT_TYPES.jpeg, '活动照片（压缩版）.jpg');
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

    const scanPolicy = await this.presign(unit, id, 'scan', CONTENT_TYPES.scan, '盖章扫描件.pdf');
    const png = smallPng();
    const stored = await postFile(scanPolicy, png, CONTENT_TYPES.scan, '盖章扫描件.pdf');
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
    const path = `/api/nominations/${id}/screening`;
    return withFreshVersion(sec, id, { method: 'POST', path, expected: 200 }, (version) =>
      sec.call<{ nomination: NominationView }>('POST', path, {
        version,
        decision,
        ...(reasons ? { reasons } : {}),
      }),
    );
  }

  /** The unit reads the reasons, replaces the photo asked for, and resubmits. */
  async correctAndResubmit(unit: Person, tracked: Tracked): Promise<string> {
    const { nomination } = await unit.must<{ nomination: NominationView }>(
      200,
      'GET',
      `/api/nominations/${tracked.id}`,
    );
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
        (version) => unit.call<{ nomination: NominationView }>('DELETE', `${path}?version=${version}`),
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
      unit.call('POST', path, { version }),
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
          const headers = { 'x-laurel-review-link': link.split('#')[1] ?? '' };
          const anonymous = this.person(`expert ${expert.id}`);
          const view = await anonymous.must<ReviewView>(200, 'GET', '/api/review', undefined, headers);
          if (!view.open) continue;
          const m = merit(view.nomination.id);
          const scores = Object.fromEntries(
            view.rubric.map((c, k) => [c.id, Math.max(0, Math.min(c.maxScore, mark(m, expert.bias, e, k)))]),
          );
          const recommend = m + expert.bias >= 7.5;
          await anonymous.must(
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
          reviewed.push(view.nomination.id);
        }
        seen.set(expert.id, reviewed);
      }),
    );
    return seen;
  }

  // ── Campaign-wide ───────────────────────────────────────────────────────────────────────────

  async list(sec: Person, campaignId: CampaignId): Promise<NominationView[]> {
    const { nominations } = await sec.must<{ nominations: NominationView[] }>(
      200,
      'GET',
      `/api/campaigns/${campaignId}/nominations`,
    );
    return nominations;
  }

  /** Builds the forwarding package and looks inside it. */
  async buildPackage(sec: Person, campaignId: CampaignId) {
    const built = await sec.must<{ url: string; nominations: number; bytes: number }>(
      201,
      'POST',
      `/api/campaigns/${campaignId}/package`,
    );
    const response = await fetch(built.url);
    if (!response.ok) throw new Error(`the ${campaignId} package download answered ${response.status}`);
    const zip = new Uint8Array(await response.arrayBuffer());
    return { ...built, zip };
  }

  /** A public objection to a nomination on the notice (no sign-in). */
  async object(campaignId: CampaignId, body: Record<string, string>) {
    return this.person('the public').call<{ id: string }>(
      'POST',
      `/api/public/${campaignId}/objections`,
      body,
    );
  }
}

interface CriterionView {
  id: string;
  passed: boolean;
  message: Bilingual;
}

interface Policy {
  url: string;
  fields: Record<string, string>;
  attachmentId: string;
  minBytes: number;
  maxBytes: number;
}

interface ReviewView {
  open: boolean;
  nomination: { id: string; category: CategoryId; unitName: string };
  rubric: { id: string; maxScore: number; weight: number }[];
}

async function postFile(policy: Policy, bytes: Uint8Array, contentType: string, fileName: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), fileName);
  const response = await fetch(policy.url, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

export const linkIn = (text: string, path: string): string =>
  new RegExp(`(http://\\S+/${path}/#\\S+)`).exec(text)?.[1] ?? '';

/** How each expert's marks lean per criterion, so the criteria do not all get the same mark. */
const LEANINGS = [
  [0.5, -0.5, 0, 0],
  [0, 0.5, -0.5, 0],
  [-0.5, 0, 0.5, 0],
  [0, 0, 0.5, -0.5],
] as const;

/** An expert's mark for one criterion, in half points: the nomination's merit, the expert's bias and leaning. */
function mark(merit: number, bias: number, expert: number, criterion: number): number {
  const leaning = LEANINGS[expert % LEANINGS.length]?.[criterion] ?? 0;
  return Math.round((merit + bias + leaning) * 2) / 2;
}
