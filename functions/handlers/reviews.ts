import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { pipelineDeps } from '../lib/nomination-deps.js';
import { DomainError } from '../rules/errors.js';
import { openReview, submitReview } from '../use-cases/reviews.js';
import { downloadLinks } from '../use-cases/uploads.js';

const config = loadConfig();
const clients = createAwsClients(config);
const deps = pipelineDeps(clients, config);

/** The review link's token travels in a header, never in a URL that servers log. */
export const REVIEW_LINK_HEADER = 'x-laurel-review-link';

/**
 * GET /api/review — what the expert's link shows (changes nothing).
 * POST /api/review — the expert's confirmed scores; once only.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const token = event.headers?.[REVIEW_LINK_HEADER];
    if (!token) {
      throw new DomainError({
        code: 'LINK_UNKNOWN',
        kind: 'forbidden',
        message: { zh: '缺少评审链接', en: 'The review link is missing' },
      });
    }
    if (event.routeKey === 'GET /api/review') {
      const shown = await openReview(deps, token);
      const downloads = await downloadLinks(deps.uploads, shown.nomination);
      return json(200, { ...shown, downloads }, { 'cache-control': 'no-store' });
    }
    return json(201, await submitReview(deps, token, event.body));
  },
  { body: 'json' },
);
