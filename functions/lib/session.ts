import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoAccessStore } from '../adapters/access-store.js';
import { clockWithOffset, cryptoSecrets } from '../adapters/secrets.js';
import type { Actor } from '../rules/access.js';
import { BUILTIN_CAMPAIGNS } from '../rules/campaigns/index.js';
import { type AccessDeps, currentActor } from '../use-cases/sign-in.js';
import type { AwsClients } from './aws.js';
import type { Config } from './config.js';
import { cookieValue, SESSION_COOKIE } from './cookies.js';

/** What sign-in, invitations and sessions need, built once per cold start. */
export function accessDeps(clients: AwsClients, config: Config): AccessDeps {
  return {
    store: dynamoAccessStore(clients.documents, config.tableName),
    campaigns: BUILTIN_CAMPAIGNS,
    clock: clockWithOffset(config.clockOffsetMs),
    secrets: cryptoSecrets,
  };
}

/** The signed-in person behind a request, from the session cookie; a 401 without one. */
export function authenticator(
  clients: AwsClients,
  config: Config,
): (event: Pick<APIGatewayProxyEventV2, 'cookies'>) => Promise<Actor> {
  const deps = accessDeps(clients, config);
  return (event) => currentActor(deps, cookieValue(event, SESSION_COOKIE));
}
