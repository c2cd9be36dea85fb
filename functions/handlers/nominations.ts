import { s3UploadStorage } from '../adapters/upload-storage.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { chinaDateAt } from '../rules/calendar.js';
import { BUILTIN_CAMPAIGNS } from '../rules/campaigns/index.js';
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
import { downloadLinks } from '../use-cases/uploads.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps } = nominationDeps(clients, config);
const uploads = s3UploadStorage(clients.s3, config.uploadsBucket);

/**
 * A recommending unit's own nominations: drafts with live checks, submission, withdrawal. The
 * form as Word is served by form-docx.ts, so this function does not bundle the docx library.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const id = event.pathParameters?.id ?? '';
    switch (event.routeKey) {
      case 'POST /api/nominations':
        return json(201, nominationView(await createDraft(deps, actor, event.body)));
      case 'GET /api/nominations': {
        const { nominations, quotas } = await listOwnNominations(deps, actor);
        return json(200, { nominations: nominations.map(nominationView), quotas });
      }
      case 'GET /api/nominations/{id}': {
        const nomination = await getNomination(deps, actor, id);
        const campaign = BUILTIN_CAMPAIGNS.get(nomination.campaignId);
        const check = campaign ? checkNomination(campaign, nomination, chinaDateAt(deps.clock.now())) : null;
        const downloads = mayDownloadFiles(actor) ? await downloadLinks(uploads, nomination) : {};
        return json(
          200,
          nominationDetail(actor, nomination, statusName(nomination.status), check, downloads),
        );
      }
      case 'GET /api/nominations/{id}/audit': {
        await getNomination(deps, actor, id); // the same who-may-read rule as the nomination itself
        return json(200, { events: await deps.store.auditTrail(id) });
      }
      case 'PUT /api/nominations/{id}/form': {
        const { nomination, check } = await saveForm(deps, actor, id, event.body);
        return json(200, { ...nominationView(nomination), check });
      }
      case 'POST /api/nominations/{id}/submit':
        return json(200, nominationView(await submit(deps, actor, id, event.body)));
      default:
        return json(200, nominationView(await withdraw(deps, actor, id, event.body)));
    }
  },
  { body: 'json' },
);
