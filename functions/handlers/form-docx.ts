import { renderFormDocx } from '../documents/form-docx.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { BUILTIN_CAMPAIGNS } from '../rules/campaigns/index.js';
import { CATEGORY_NAMES } from '../rules/categories.js';
import type { FormDataByCategory } from '../rules/forms/index.js';
import { getNomination } from '../use-cases/nominations.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps } = nominationDeps(clients, config);

/**
 * GET /api/nominations/{id}/form.docx — the nomination form as Word, to print, stamp and scan.
 * A function of its own: the docx library is most of its bundle, and no other route needs it.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const nomination = await getNomination(deps, actor, event.pathParameters?.id ?? '');
    const campaign = BUILTIN_CAMPAIGNS.get(nomination.campaignId);
    if (!campaign) return json(404, {});
    const docx = await renderFormDocx({
      campaign,
      category: nomination.category,
      form: nomination.form as unknown as FormDataByCategory[typeof nomination.category],
      unitName: nomination.unitName,
    });
    const fileName = `${CATEGORY_NAMES[nomination.category].zh}推荐表-${nomination.id}.docx`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      },
      isBase64Encoded: true,
      body: Buffer.from(docx).toString('base64'),
    };
  },
  { body: 'json' },
);
