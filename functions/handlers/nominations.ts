import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { auditFor } from '../rules/audit-view.js';
import { chinaDateAt } from '../rules/calendar.js';
import { checkNomination } from '../rules/form-check.js';
import { statusName } from '../rules/nomination.js';
import { mayDownloadFiles, nominationDetail, nominationView } from '../rules/nomination-view.js';
import {
  createDraft,
  getNomination,
  listOwnNominations,
  saveForm,
  submit,
  withdraw,
} from '../use-cases/nominations.js';
import { accessRecords, recordRead } from '../use-cases/personal-information.js';
import { downloadLinks } from '../use-cases/uploads.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, readSubmissionWithScope, workflow } from '../wiring/parts.js';
import { uploads } from '../wiring/upload-parts.js';

const deps = wiring({ workflow, uploads, campaignStore });
readSubmissionWithScope(deps, 'POST /api/nominations/{id}/submit');

/**
 * A recommending unit's own nominations: drafts with live checks, submission, withdrawal. The
 * form as Word is served by form-docx.ts, so this function does not bundle the docx library.
 */
export const handler = apiFunction(
  'nominations',
  {
    'POST /api/nominations': async ({ actor, body }) =>
      json(201, nominationView(await createDraft(deps, actor, body))),
    'GET /api/nominations': async ({ actor, query }) =>
      json(200, await listOwnNominations(deps, actor, query)),
    'GET /api/nominations/{id}': async ({ actor, params }) => {
      const nomination = await getNomination(deps, actor, params.id ?? '');
      const campaign = deps.campaigns.get(nomination.campaignId);
      const check = campaign ? checkNomination(campaign, nomination, chinaDateAt(deps.clock.now())) : null;
      const downloads = mayDownloadFiles(actor) ? await downloadLinks(deps, nomination) : {};
      await recordRead(deps, actor, nomination.id, mayDownloadFiles(actor) ? ['form', 'files'] : ['form']);
      return json(200, nominationDetail(actor, nomination, statusName(nomination.status), check, downloads));
    },
    'GET /api/nominations/{id}/audit': async ({ actor, params }) => {
      await getNomination(deps, actor, params.id ?? ''); // the same who-may-read rule as the nomination itself
      return json(200, { events: auditFor(actor, await deps.store.auditTrail(params.id ?? '')) });
    },
    'GET /api/nominations/{id}/reads': async ({ actor, params }) =>
      json(200, await accessRecords(deps, actor, params.id ?? '')),
    'PUT /api/nominations/{id}/form': async ({ actor, params, body }) => {
      const { nomination, check } = await saveForm(deps, actor, params.id ?? '', body);
      return json(200, { ...nominationView(nomination), check });
    },
    'POST /api/nominations/{id}/submit': async ({ actor, params, body }) =>
      json(200, nominationView(await submit(deps, actor, params.id ?? '', body))),
    'POST /api/nominations/{id}/withdraw': async ({ actor, params, body }) =>
      json(200, nominationView(await withdraw(deps, actor, params.id ?? '', body))),
  },
  deps.gate,
);
