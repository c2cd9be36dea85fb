import { chinaDateAt } from '../domain/calendar.js';
import { BUILTIN_CAMPAIGNS } from '../domain/campaigns/index.js';
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
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps } = nominationDeps(clients, config);

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
        return json(200, { ...view(nomination), check });
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
