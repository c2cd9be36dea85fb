import { randomBytes } from 'node:crypto';
import { dynamoNominationStore } from '../adapters/nomination-store.js';
import { clockWithOffset } from '../adapters/secrets.js';
import { stepFunctionsWorkflow } from '../adapters/workflow.js';
import { BUILTIN_CAMPAIGNS } from '../domain/campaigns/index.js';
import type { NominationDeps } from '../domain/nominations.js';
import type { AwsClients } from './aws.js';
import type { Config } from './config.js';

/** Time-ordered, unguessable nomination ids: base-36 milliseconds, then 64 random bits. */
export const newNominationId = () =>
  `n-${Date.now().toString(36).padStart(9, '0')}${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .padStart(13, '0')}`;

/** The dependencies every nomination use case gets, built once per cold start. */
export function nominationDeps(clients: AwsClients, config: Config) {
  const workflow = stepFunctionsWorkflow(clients.sfn, config.stateMachineArn);
  const deps: NominationDeps = {
    store: dynamoNominationStore(clients.documents, config.tableName),
    workflow,
    campaigns: BUILTIN_CAMPAIGNS,
    clock: clockWithOffset(config.clockOffsetMs),
    ids: { nominationId: newNominationId },
  };
  return { deps, workflow };
}
