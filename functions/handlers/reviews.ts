import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { DomainError } from '../rules/errors.js';
import {
  declareReview,
  declineReview,
  dismissConflict,
  extendReview,
  openReview,
  type ReviewPage,
  submitReview,
  swapReviewer,
} from '../use-cases/reviews.js';
import { downloadLinks } from '../use-cases/uploads.js';
import { wiring } from '../wiring/compose.js';
import { send } from '../wiring/mail.js';
import { campaignStore, reviews, workflow } from '../wiring/parts.js';
import { uploads } from '../wiring/upload-parts.js';

const deps = wiring({ workflow, reviews, uploads, campaignStore, send });

/** The review link's token travels in a header, never in a URL that servers log. */
export const REVIEW_LINK_HEADER = 'x-laurel-review-link';

/** A review page holds personal information: no cache keeps it. */
const NOT_STORED = { 'cache-control': 'no-store' };

/** The page with a link to each file it lists: only once the expert declared no conflict (the use case hides them before). */
async function withDownloads(page: ReviewPage) {
  const { id, attachments } = page.nomination;
  return { ...page, downloads: attachments ? await downloadLinks(deps, { id, attachments }) : {} };
}

/** The expert's link is the only credential of these routes (no session): checked by the use case. */
function reviewLink(event: Pick<APIGatewayProxyEventV2, 'headers'>): string {
  const token = event.headers?.[REVIEW_LINK_HEADER];
  if (token) return token;
  throw new DomainError({
    code: 'LINK_UNKNOWN',
    kind: 'forbidden',
    message: { zh: '缺少评审链接', en: 'The review link is missing' },
  });
}

/**
 * What the expert's link shows (changes nothing), the declaration, a decline, and the confirmed
 * scores (once only); the secretariat's swap of a reviewer, dismissal of a false conflict, and
 * extension of a due date.
 */
export const handler = apiFunction(
  'reviews',
  {
    'GET /api/review': async ({ event }) =>
      json(200, await withDownloads(await openReview(deps, reviewLink(event))), NOT_STORED),
    'POST /api/review': async ({ event, body }) =>
      json(201, await submitReview(deps, reviewLink(event), body)),
    // A declaration of no conflict answers with the page the expert sees next: the web app shows
    // it without asking for it again.
    'POST /api/review/declaration': async ({ event, body }) => {
      const { page, ...declared } = await declareReview(deps, reviewLink(event), body);
      return json(201, { ...declared, page: page && (await withDownloads(page)) }, NOT_STORED);
    },
    'POST /api/review/decline': async ({ event, body }) =>
      json(201, await declineReview(deps, reviewLink(event), body)),
    'POST /api/nominations/{id}/reviewers/swap': async ({ actor, params, body }) =>
      json(201, await swapReviewer(deps, actor, params.id ?? '', body)),
    'POST /api/nominations/{id}/reviewers/conflict-dismissals': async ({ actor, params, body }) =>
      json(201, await dismissConflict(deps, actor, params.id ?? '', body)),
    'POST /api/nominations/{id}/reviewers/extensions': async ({ actor, params, body }) =>
      json(201, await extendReview(deps, actor, params.id ?? '', body)),
  },
  deps.gate,
);
