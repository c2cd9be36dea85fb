import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The AWS SDK's default credential chain as the bundles take it (CREDENTIAL_CHAIN_ALIAS in
 * infra/bundling.ts): Lambda's own link only, the execution role's credentials that the runtime
 * sets in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN before a handler loads
 * (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * The chain's other links (SSO, shared profiles, processes, web identity, container and instance
 * metadata) never answer in Lambda, and they bring @aws-sdk/nested-clients and their own code
 * into every bundle. Only the bundles take this module: tests, scripts and the local cloud run
 * the SDK from node_modules with its whole chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
