import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { type Answer, type ApiClient, again, codeOf, unexpected } from './client.js';

/**
 * What people do to one nomination through the API, as the demo and the benchmark both do it:
 * read it, write with the version just read (again on a version conflict), screen it, and put a
 * file in storage through a presigned POST and record it.
 */

export type FileKind = 'word' | 'scan' | 'photo';

export const CONTENT_TYPES = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  scan: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const;

/**
 * What a unit sends with a (re)submission: the nominee was informed under the round's current
 * privacy notice (the built-in definition's; the scripts' rounds are the built-in ones) and consented.
 */
export function consentIn(campaignId: string): { informed: true; noticeVersion: number } {
  const campaign = BUILTIN_CAMPAIGNS.get(campaignId);
  if (!campaign) throw new Error(`no built-in round ${campaignId}`);
  return { informed: true, noticeVersion: campaign.privacy.notice.version };
}

/** The unit's declarations at (re)submission: every one the built-in round asks. */
export function declaredIn(campaignId: string): { version: number; confirmed: string[] } {
  const campaign = BUILTIN_CAMPAIGNS.get(campaignId);
  if (!campaign) throw new Error(`no built-in round ${campaignId}`);
  return {
    version: campaign.declarations.version,
    confirmed: campaign.declarations.items.map((item) => item.id),
  };
}

/** The few fields of a nomination the driver reads. */
export interface NominationVersion {
  id: string;
  version: number;
  attachments: { id: string }[];
}

/** The presigned POST Laurel answers for one file. */
export interface UploadPolicy {
  url: string;
  fields: Record<string, string>;
  attachmentId: string;
  minBytes: number;
  maxBytes: number;
}

export interface FileToUpload {
  kind: FileKind;
  contentType: string;
  fileName: string;
  bytes: Uint8Array;
}

export async function readNomination<N extends NominationVersion = NominationVersion>(
  person: ApiClient,
  id: string,
): Promise<N> {
  const { nomination } = await person.must<{ nomination: N }>(
    200,
    'GET',
    `/api/nominations/${id}`,
    undefined,
    {
      route: 'GET /api/nominations/{id}',
    },
  );
  return nomination;
}

/**
 * Runs a write that names the nomination version it read, reading the version afresh and trying
 * again when the answer is 409 VERSION_CONFLICT (six tries): the workflow stores its task token
 * on the nomination, so the version can move between a read and a write, as it would under a
 * person's browser.
 */
export async function withFreshVersion<T>(
  person: ApiClient,
  nominationId: string,
  request: { method: string; path: string; expected: number },
  write: (version: number) => Promise<Answer<T>>,
): Promise<T> {
  let answer: Answer<T> | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const { version } = await readNomination(person, nominationId);
    answer = await write(version);
    if (answer.status === request.expected) return answer.body;
    if (codeOf(answer.body) !== 'VERSION_CONFLICT') break;
  }
  throw unexpected(
    person.who,
    request.method,
    request.path,
    request.expected,
    answer ?? { status: 0, body: null },
  );
}

/** The secretariat's screening decision on a nomination, with the version read just before. */
export function screen<N = Record<string, unknown>>(
  sec: ApiClient,
  id: string,
  decision: 'pass' | 'return' | 'reject',
  reasons?: string,
): Promise<{ nomination: N }> {
  const path = `/api/nominations/${id}/screening`;
  return withFreshVersion(sec, id, { method: 'POST', path, expected: 200 }, (version) =>
    sec.call<{ nomination: N }>(
      'POST',
      path,
      { version, decision, ...(reasons ? { reasons } : {}) },
      { route: 'POST /api/nominations/{id}/screening' },
    ),
  );
}

/**
 * A presigned POST for one file, and the file posted to storage with it (timed as "S3 presigned
 * POST"); both again if the cloud is lost in between. Answers storage's answer as it came: the
 * caller decides whether a refusal was expected.
 */
export function presignAndPost(
  unit: ApiClient,
  nominationId: string,
  file: FileToUpload,
): Promise<{ policy: UploadPolicy; posted: { status: number; text: string } }> {
  return again(unit.connection, async () => {
    const policy = await unit.must<UploadPolicy>(
      201,
      'POST',
      `/api/nominations/${nominationId}/uploads`,
      { kind: file.kind, contentType: file.contentType, fileName: file.fileName },
      { route: 'POST /api/nominations/{id}/uploads' },
    );
    const posted = await unit.timed('S3 presigned POST', () => postToStorage(policy, file));
    return { policy, posted };
  });
}

async function postToStorage(policy: UploadPolicy, file: FileToUpload) {
  const form = new FormData();
  for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
  form.append('file', new Blob([file.bytes], { type: file.contentType }), file.fileName);
  const response = await fetch(policy.url, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

/**
 * One file uploaded: presigned POST, the file to storage (which must take it), then recorded on
 * the nomination (and inspected) at `version`. Answers the nomination's new version (the record's
 * answer carries it, with the file's record). After a lost answer to the record, the nomination
 * tells whether it was recorded; else it is recorded again.
 */
export async function uploadFile(
  unit: ApiClient,
  nominationId: string,
  file: FileToUpload,
  version: number,
): Promise<{ version: number; attachmentId: string }> {
  const { policy, posted } = await presignAndPost(unit, nominationId, file);
  if (posted.status !== 204) {
    throw new Error(
      `${unit.who}: storage refused ${file.fileName} (${file.bytes.length} bytes): ${posted.status} ${posted.text}`,
    );
  }
  const recorded = await unit.must<{ attachment: { id: string }; version: number }>(
    200,
    'POST',
    `/api/nominations/${nominationId}/attachments`,
    { attachmentId: policy.attachmentId, kind: file.kind, fileName: file.fileName, version },
    {
      route: 'POST /api/nominations/{id}/attachments',
      recover: async () => {
        const now = await readNomination(unit, nominationId);
        const attachment = now.attachments.find((a) => a.id === policy.attachmentId);
        return attachment ? { status: 200, body: { attachment, version: now.version } } : undefined;
      },
    },
  );
  return { version: recorded.version, attachmentId: policy.attachmentId };
}
