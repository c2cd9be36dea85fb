import { formDocxFileName, renderNominationDocx } from '../documents/form-docx.js';
import { apiFunction } from '../lib/api.js';
import type { Campaign } from '../rules/campaign.js';
import type { Nomination } from '../rules/nomination.js';
import { notFound } from '../rules/nomination.js';
import { listedNomination } from '../rules/nomination-view.js';
import { forwardedCopy } from '../use-cases/endorsement.js';
import { getNomination } from '../use-cases/nominations.js';
import { recordRead } from '../use-cases/personal-information.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, workflow } from '../wiring/parts.js';

const deps = wiring({ campaignStore, workflow });

/**
 * The nomination form as Word, to print, stamp and scan. A function of its own: the docx library
 * is most of its bundle, and no other route needs it.
 */
export const handler = apiFunction(
  'form-docx',
  {
    'GET /api/nominations/{id}/form.docx': async ({ actor, params }) => {
      const nomination = await getNomination(deps, actor, params.id ?? '');
      const campaign = deps.campaigns.get(nomination.campaignId);
      if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, nomination.campaignId);
      await recordRead(deps, actor, nomination.id, ['word-form']);
      return wordFile(campaign, nomination);
    },
    // The society's own form for CAST: the copy in CAST's round, with the society as recommending
    // unit and its opinion printed above the place of its stamp.
    'GET /api/campaigns/{campaignId}/forwarded/{nominationId}/form.docx': async ({ actor, params }) => {
      const { copy, parent } = await forwardedCopy(
        deps,
        actor,
        params.campaignId ?? '',
        params.nominationId ?? '',
      );
      await recordRead(deps, actor, copy.id, ['word-form']);
      return wordFile(parent, copy);
    },
  },
  deps.gate,
);

async function wordFile(campaign: Campaign, nomination: Nomination) {
  const docx = await renderNominationDocx(campaign, nomination);
  const fileName = formDocxFileName(
    nomination.category,
    listedNomination(nomination).name,
    nomination.unitName,
  );
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    },
    isBase64Encoded: true,
    body: Buffer.from(docx).toString('base64'),
  };
}
