import { expect } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import type { LocalCloud } from '../../infra/local/cloud.js';
import { ApiClient, eventually } from './api-client.js';

/**
 * What tests do as the people of a campaign, through a local cloud's HTTP API and its mail
 * outbox: sign in with a fresh operator link (each link signs in once) or an e-mailed invitation, invite units
 * and experts, wait for a nomination's next step, and review through an e-mailed review link.
 * Integration and browser tests share these, so a change of route or mail shows in one place.
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

/** The first `…/<path>/index.html#<token>` link in a message's text ('' when there is none). */
const linkIn = (text: string, path: string) =>
  new RegExp(`(http://\\S+/${path}/index\\.html#\\S+)`).exec(text)?.[1] ?? '';

/** The sign-in link of the last message sent to `email` ('' when there is none). */
export async function signInLinkMailedTo(cloud: LocalCloud, email: string): Promise<string> {
  return linkIn((await mails(cloud, email)).at(-1) ?? '', 'signin');
}

/** Every review link mailed to `email`, oldest first (one per assignment). */
export async function reviewLinksMailedTo(cloud: LocalCloud, email: string): Promise<string[]> {
  return (await mails(cloud, email)).map((text) => linkIn(text, 'review')).filter(Boolean);
}

/** The header the expert page sends: the review link's token, which lives in the link's fragment. */
export const reviewLinkHeader = (link: string) => ({ 'x-laurel-review-link': link.split('#')[1] ?? '' });

/**
 * A fresh secretariat sign-in link for a campaign, as `npm run invite` issues one: a link signs in
 * once, so every sign-in of a test takes a link of its own.
 */
export const secretariatLink = (cloud: LocalCloud, campaignId: string): Promise<string> =>
  cloud.issueSignInLink(campaignId, 'secretariat');

/** A fresh operations sign-in link for a campaign (operations see their own campaign only). */
export const opsLink = (cloud: LocalCloud, campaignId = 'cast-2024'): Promise<string> =>
  cloud.issueSignInLink(campaignId, 'ops');

/** An API client signed in with a sign-in link. */
export async function signedIn(cloud: LocalCloud, link: string): Promise<ApiClient> {
  const client = new ApiClient(baseOf(cloud));
  await client.signIn(link);
  return client;
}

/** The secretariat of a campaign, signed in through the API with a link of its own. */
export const secretariatOf = async (cloud: LocalCloud, campaignId: string) =>
  signedIn(cloud, await secretariatLink(cloud, campaignId));

export type Invitation = {
  role: 'unit' | 'expert';
  subjectId: string;
  name: string;
  email: string;
} & Record<string, unknown>;

/** Invites a unit or an expert; the sign-in link mailed to them (for a test that signs in in the browser). */
export async function invite(cloud: LocalCloud, secretariat: ApiClient, body: Invitation): Promise<string> {
  const answer = await secretariat.call('POST', '/api/invitations', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return signInLinkMailedTo(cloud, body.email);
}

/** Invites a unit or an expert and signs them in through the mailed link. */
export async function inviteAndSignIn(
  cloud: LocalCloud,
  secretariat: ApiClient,
  body: Invitation,
): Promise<ApiClient> {
  return signedIn(cloud, await invite(cloud, secretariat, body));
}

/** Waits until the nomination's execution waits in `step` (screening, reviews, selection…), as `client` sees it. */
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

/**
 * Posts an expert's review through the review link's token as the expert page does: the
 * declaration of no conflict first (a repeat is refused, which changes nothing), then the
 * review; the review's status.
 */
export async function postReview(cloud: LocalCloud, link: string, review: unknown): Promise<number> {
  const declared = await fetch(`${baseOf(cloud)}/api/review/declaration`, {
    method: 'POST',
    headers: { ...reviewLinkHeader(link), 'content-type': 'application/json' },
    body: JSON.stringify({ conflict: false }),
  });
  await declared.body?.cancel();
  const answer = await fetch(`${baseOf(cloud)}/api/review`, {
    method: 'POST',
    headers: { ...reviewLinkHeader(link), 'content-type': 'application/json' },
    body: JSON.stringify(review),
  });
  await answer.body?.cancel();
  return answer.status;
}

export interface JobAnswerBody {
  job: { id: string; status: 'running' | 'done' | 'failed'; total: number; moved: number } | null;
}

/**
 * A campaign-wide step (selection, publicity, release) as the console sends it: the request's
 * first status, then — after following a 202 at `GET …/jobs/{jobId}` until the job ends — the
 * final answer.
 */
export async function finishCampaignStep<T>(
  client: ApiClient,
  path: string,
  body?: unknown,
): Promise<{
  firstStatus: number;
  progress: JobAnswerBody['job'][];
  status: number;
  body: T & JobAnswerBody;
}> {
  const first = await client.call<T & JobAnswerBody>('POST', path, body);
  let answer = first;
  const progress: JobAnswerBody['job'][] = [];
  const jobs = `${path.slice(0, path.lastIndexOf('/'))}/jobs/`;
  while ((answer.status === 200 || answer.status === 202) && answer.body.job?.status === 'running') {
    progress.push(answer.body.job);
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await client.call<T & JobAnswerBody>('GET', `${jobs}${answer.body.job.id}`);
  }
  return { firstStatus: first.status, progress, status: answer.status, body: answer.body };
}

/**
 * Closes the campaign's submissions early, as its secretariat does once every unit has submitted,
 * so a run inside the submission window may go on to the selection; a repeat answers alike.
 */
export async function closeSubmissionsEarly(secretariat: ApiClient, campaignId: string): Promise<void> {
  const answer = await secretariat.call('POST', `/api/campaigns/${campaignId}/close-submissions`, {
    reason: '各推荐单位均已报送完毕',
  });
  if (answer.status !== 200)
    throw new Error(`close-submissions: ${answer.status} ${JSON.stringify(answer.body)}`);
}
