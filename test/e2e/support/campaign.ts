import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { Nomination } from '../../../functions/domain/nomination.js';
import type { LocalCloud } from '../../../infra/local/cloud.js';
import { ApiClient, eventually } from '../../support/api-client.js';

/**
 * What the browser tests do through the local cloud's HTTP API, its mail outbox and its table
 * rather than in the page: the setup no person in the story does (invitations, the other
 * experts' scores) and the campaign clock (the end of the publicity period).
 */

/** The web UI's and API's origin, without the trailing slash. */
export const baseOf = (cloud: LocalCloud) => cloud.urls.web.replace(/\/$/, '');

/** The review criteria every test scores (the built-in campaigns share them). */
export const CRITERIA = ['exemplary', 'st-character', 'representative', 'sound-practice'];

/** The texts of the messages sent to `to`, oldest first (the local outbox's JSON API). */
export async function mails(cloud: LocalCloud, to: string): Promise<string[]> {
  const outbox = (await (await fetch(`${cloud.urls.mail}api/messages`)).json()) as {
    messages: { to: string[]; text: string }[];
  };
  return outbox.messages.filter((m) => m.to.includes(to)).map((m) => m.text);
}

/** The first `…/<path>/#<token>` link in a message's text ('' when there is none). */
export const linkIn = (text: string, path: string) =>
  new RegExp(`(http://\\S+/${path}/#\\S+)`).exec(text)?.[1] ?? '';

/** The secretariat sign-in link the local cloud printed for a campaign. */
export function secretariatLink(cloud: LocalCloud, campaignId: string): string {
  return cloud.signInLinks.find((l) => l.campaignId === campaignId && l.role === 'secretariat')?.url ?? '';
}

/** The operations sign-in link the local cloud printed. */
export function opsLink(cloud: LocalCloud): string {
  return cloud.signInLinks.find((l) => l.role === 'ops')?.url ?? '';
}

/** An API client signed in with a sign-in link. */
export async function signedIn(cloud: LocalCloud, link: string): Promise<ApiClient> {
  const client = new ApiClient(baseOf(cloud));
  await client.signIn(link);
  return client;
}

/** The secretariat of a campaign, signed in through the API. */
export const secretariatOf = (cloud: LocalCloud, campaignId: string) =>
  signedIn(cloud, secretariatLink(cloud, campaignId));

/** Invites a unit or an expert; the sign-in link mailed to them. */
export async function invite(
  cloud: LocalCloud,
  secretariat: ApiClient,
  body: { role: 'unit' | 'expert'; subjectId: string; name: string; email: string } & Record<string, unknown>,
): Promise<string> {
  const answer = await secretariat.call('POST', '/api/invitations', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return linkIn((await mails(cloud, body.email)).at(-1) ?? '', 'signin');
}

/** Waits until the nomination's execution waits in `step` (screening, reviews, selection…). */
export async function awaiting(
  client: ApiClient,
  id: string,
  step: string,
  timeoutMs = 30_000,
): Promise<Nomination> {
  return eventually(
    async () => {
      const { body } = await client.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`);
      return body.nomination?.awaiting?.step === step ? body.nomination : undefined;
    },
    timeoutMs,
    `${id} awaiting ${step}`,
  );
}

/** The same mark on every criterion, recommended and confirmed: a review as the API takes it. */
export const evenReview = (mark: number) => ({
  scores: Object.fromEntries(CRITERIA.map((c) => [c, mark])),
  recommend: true,
  confirmed: true,
});

/** Posts an expert's review through the review link's token (what the expert page sends). */
export async function postReview(cloud: LocalCloud, link: string, review: unknown): Promise<number> {
  const answer = await fetch(`${baseOf(cloud)}/api/review`, {
    method: 'POST',
    headers: { 'x-laurel-review-link': link.split('#')[1] ?? '', 'content-type': 'application/json' },
    body: JSON.stringify(review),
  });
  await answer.body?.cancel();
  return answer.status;
}

/**
 * The publicity period ends: its closing instant is moved into the past in the table (as the
 * full-pipeline test does), since the campaign clock cannot be wound on seven days.
 */
export async function endPublicity(
  cloud: LocalCloud,
  campaignId: string,
  closesAt = '2000-01-01T00:00:00.000Z',
): Promise<void> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: cloud.urls.dynamodb,
    }),
  );
  try {
    await documents.send(
      new UpdateCommand({
        TableName: 'laurel',
        Key: { pk: `campaign#${campaignId}`, sk: 'state' },
        UpdateExpression: 'SET #d.publicity.closesAt = :past',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':past': closesAt },
      }),
    );
  } finally {
    documents.destroy();
  }
}
