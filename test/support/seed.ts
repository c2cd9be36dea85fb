import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { sha256Of } from '../../functions/documents/checksum.js';
import type { NominationStore } from '../../functions/ports/nominations.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { AttachmentRecord, Nomination } from '../../functions/rules/nomination.js';
import type { LocalCloud } from '../../infra/local/cloud.js';
import { validForms } from '../fixtures/forms.js';
import { realJpeg, realPdf } from '../fixtures/real-files.js';
import { type ApiClient, eventually } from './api-client.js';
import { CONSENT, DECLARED } from './consent.js';

/**
 * Attachment records as the server keeps them after a checked upload: the Word form, the stamped
 * scan and `photos` photos. For tests about what comes after uploading (uploads have tests of their own).
 */
export function attachmentRecords(n: Pick<Nomination, 'id' | 'createdAt'>, photos = 2): AttachmentRecord[] {
  const kinds = ['word', 'scan', ...Array<'photo'>(photos).fill('photo')] as const;
  const extension = { word: 'docx', scan: 'pdf', photo: 'jpg' } as const;
  return kinds.map((kind, k) => ({
    id: `a-${n.id.slice(2, 14)}${k}`,
    kind,
    key: `nominations/${n.id}/${kind}/${k}.${extension[kind]}`,
    // No object behind these until a seeder puts one (LocalCloudSeeder.complete pins what it puts).
    versionId: 'not-uploaded',
    sha256: '',
    size: 1_100_000,
    mime: 'application/octet-stream',
    fileName: `${kind}-${k}.${extension[kind]}`,
    uploadedAt: n.createdAt,
  }));
}

/** The bytes a seeded nomination's files hold: a real PDF as the stamped scan, a real JPEG for the rest. */
export interface SeedFiles {
  scanPdf: Uint8Array;
  jpegPhoto: Uint8Array;
}

/** The ARN of a nomination's execution (named after the nomination) in the local Step Functions. */
export const executionArn = (name: string) =>
  `arn:aws-cn:states:cn-north-1:000000000000:execution:laurel-nomination:${name}`;

/**
 * What tests set up behind the HTTP API's back, with the AWS SDK on a local cloud's stand-ins
 * (the dummy credentials every local client uses): the steps a test is not about, such as
 * uploads, which have tests of their own, or the end of a seven-day publicity period, which no
 * test can wait for. The SDK clients are open for a test's own reads; `destroy()` closes them.
 */
export class LocalCloudSeeder {
  readonly sfn: SFNClient;
  readonly documents: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly store: NominationStore;
  private files: Promise<SeedFiles> | undefined;

  constructor(cloud: Pick<LocalCloud, 'urls'>) {
    const local = { region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    this.sfn = new SFNClient({ ...local, endpoint: cloud.urls.stepfunctions });
    this.documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...local, endpoint: cloud.urls.dynamodb }),
    );
    this.s3 = new S3Client({ ...local, endpoint: cloud.urls.s3, forcePathStyle: true });
    this.store = dynamoNominationStore(this.documents, 'laurel');
  }

  /**
   * The files every nomination of this seeder carries, made once: a PDF's bytes hold the time it
   * was made, and a test that downloads a file compares it with what was put.
   */
  seedFiles(): Promise<SeedFiles> {
    this.files ??= realPdf().then((scanPdf) => ({ scanPdf, jpegPhoto: realJpeg(400, 300) }));
    return this.files;
  }

  /**
   * A complete nomination of `category`, created and submitted by `unit` over HTTP, between the
   * two its valid form and its files (three photos for a volunteer, two otherwise) put by the SDK
   * and recorded as checked. The nomination as it stood when submitted.
   */
  async submitted(unit: ApiClient, category: CategoryId): Promise<Nomination> {
    const complete = await this.complete(unit, category);
    const answer = await unit.call('POST', `/api/nominations/${complete.id}/submit`, {
      version: 2,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return complete;
  }

  /** A draft of `category` created by `unit` over HTTP and made complete (version 2), not submitted. */
  async complete(unit: ApiClient, category: CategoryId): Promise<Nomination> {
    const { scanPdf, jpegPhoto } = await this.seedFiles();
    const { body } = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', { category });
    const created = body.nomination;
    const attachments: AttachmentRecord[] = [];
    for (const a of attachmentRecords(created, category === 'volunteer' ? 3 : 2)) {
      const bytes = a.kind === 'scan' ? scanPdf : jpegPhoto;
      const put = await this.s3.send(
        new PutObjectCommand({ Bucket: 'laurel-uploads', Key: a.key, Body: bytes }),
      );
      attachments.push({ ...a, versionId: put.VersionId ?? '', sha256: sha256Of(bytes) });
    }
    const complete = {
      ...created,
      form: validForms[category],
      attachments,
      noClassifiedContent: true,
      version: 2,
    };
    await this.store.save(complete, 1);
    return complete;
  }

  /** Waits until the nomination's execution waits in `step`, read from the table. */
  waitingIn(id: string, step: string, timeoutMs = 20_000): Promise<Nomination> {
    return eventually(
      async () => {
        const n = await this.store.get(id);
        return n?.awaiting?.step === step ? n : undefined;
      },
      timeoutMs,
      `${id} waiting in ${step}`,
    );
  }

  /**
   * The publicity period ends: its closing instant is moved into the past in the table, since
   * the campaign clock cannot be wound on seven days.
   */
  async endPublicity(campaignId: string, closesAt = '2000-01-01T00:00:00.000Z'): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: 'laurel',
        Key: { pk: `campaign#${campaignId}`, sk: 'state' },
        UpdateExpression: 'SET #d.publicity.closesAt = :past',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':past': closesAt },
      }),
    );
    // The published notice carries the period too (pages read it, not the table): as time passing
    // would make it past, the file says the moved end. Only a campaign in publicity has the file.
    const key = `published/${campaignId}/publicity.json`;
    const published = await this.s3
      .send(new GetObjectCommand({ Bucket: 'laurel-web', Key: key }))
      .then((o) => o.Body?.transformToString())
      .catch(() => undefined);
    if (!published) return;
    const notice = JSON.parse(published) as { state?: { publicity?: { closesAt: string } } };
    if (notice.state?.publicity) notice.state.publicity.closesAt = closesAt;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: 'laurel-web',
        Key: key,
        Body: JSON.stringify(notice),
        ContentType: 'application/json',
      }),
    );
  }

  destroy(): void {
    this.sfn.destroy();
    this.documents.destroy();
    this.s3.destroy();
  }
}
