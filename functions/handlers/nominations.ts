import { s3UploadStorage } from '../adapters/upload-storage.js';
import { chinaDateAt } from '../domain/calendar.js';
import { BUILTIN_CAMPAIGNS } from '../domain/campaigns/index.js';
import { CATEGORY_NAMES } from '../domain/categories.js';
import { renderFormDocx } from '../domain/documents/form-docx.js';
import type { FormDataByCategory } from '../domain/forms/index.js';
import type { Nomination } from '../domain/nomination.js';
import { statusName } from '../domain/nomination.js';
import {
  checkNomination,
  createDraft,
  getNomination,
  listOwnNominations,
  saveForm,
  submit,
  withdraw,
} from '../domain/nominations.js';
import { downloadLinks } from '../domain/uploads.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps } = nominationDeps(clients, config);
const uploads = s3UploadStorage(clients.s3, config.uploadsBucket);

const view = (nomination: Nomination) => ({ nomination, status: statusName(nomination.status) });

/** A recommending unit's own nominations: drafts with live checks, submission, withdrawal. */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const id = event.pathParameters?.id ?? '';
    switch (event.routeKey) {
      case 'POST /api/nominations':
        return json(201, view(await createDraft(deps, actor, event.body)));
      case 'GET /api/nominations': {
        const { nominations, quotas } = await listOwnNominations(deps, actor);
        return json(200, { nominations: nominations.map(view), quotas });
      }
      case 'GET /api/nominations/{id}': {
        const nomination = await getNomination(deps, actor, id);
        const campaign = BUILTIN_CAMPAIGNS.get(nomination.campaignId);
        const check = campaign ? checkNomination(campaign, nomination, chinaDateAt(deps.clock.now())) : null;
        // The step it waits in is shown; its task token never is.
        const { awaiting, ...rest } = nomination;
        const shown = {
          ...rest,
          ...(awaiting ? { awaiting: { step: awaiting.step, since: awaiting.since } } : {}),
        };
        return json(200, {
          nomination: shown,
          status: statusName(nomination.status),
          check,
          downloads: await downloadLinks(uploads, nomination),
        });
      }
      case 'GET /api/nominations/{id}/audit': {
        await getNomination(deps, actor, id); // the same who-may-read rule as the nomination itself
        return json(200, { events: await deps.store.auditTrail(id) });
      }
      case 'GET /api/nominations/{id}/form.docx': {
        const nomination = await getNomination(deps, actor, id);
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
      }
      case 'PUT /api/nominations/{id}/form': {
        const { nomination, check } = await saveForm(deps, actor, id, event.body);
        return json(200, { ...view(nomination), check });
      }
      case 'POST /api/nominations/{id}/submit':
        return json(200, view(await submit(deps, actor, id, event.body)));
      default:
        return json(200, view(await withdraw(deps, actor, id, event.body)));
    }
  },
  { body: 'json' },
);
