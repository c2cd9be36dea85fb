import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { DomainError } from '../rules/errors.js';
import { recordRead } from '../use-cases/personal-information.js';
import {
  declareReview,
  declineReview,
  dismissConflict,
  extendReview,
  openReview,
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
    'GET /api/review': async ({ event }) => {
      const shown = await openReview(deps, reviewLink(event));
      // Files are linked only once the expert declared no conflict (the use case hides them before).
      const { id, attachments } = shown.nomination;
      const downloads = attachments ? await downloadLinks(deps, { id, attachments }) : {};
      // The materials were shown (after a declaration of no conflict): the read is recorded.
      if (attachments) {
        const reader = { role: 'expert', subjectId: shown.expert.id, name: shown.expert.name } as const;
        await recordRead(deps, reader, id, ['form-without-contact', 'photos']);
      }
      return json(200, { ...shown, downloads }, { 'cache-control': 'no-store' });
    },
    'POST /api/review': async ({ event, body }) =>
      json(201, await submitReview(deps, reviewLink(event), body)),
    'POST /api/review/declaration': async ({ event, body }) =>
      json(201, await declareReview(deps, reviewLink(event), body)),
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
