import { describe, expect, it } from 'vitest';
import { ORIGIN_PROOF_HEADER } from '../../functions/lib/api.js';
import { FUNCTIONS } from '../../functions/routes.js';
import { synthStack } from './app-fixture.js';
import { asArray, iamStatements, type Resource, resourcesOf, variablesOf } from './template-queries.js';

/**
 * The execute-api endpoint of an HTTP API cannot be closed without an API Gateway custom domain
 * and has no resource policy: the API answers only what CloudFront sent, which carries a secret
 * of the stack's as an origin custom header; every function compares it (functions/lib/api.ts).
 * The same in the global stack and in the China regions.
 */
describe.each([
  ['global', {}],
  ['China', { region: 'cn-north-1' }],
] as const)('the %s stack', (_, settings) => {
  const { template } = synthStack(settings);
  const [[secretId, secret]] = resourcesOf(template, 'AWS::SecretsManager::Secret').filter(([id]) =>
    id.includes('OriginProof'),
  ) as [[string, Resource]];
  const distributionConfig = () => {
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    return distribution.Properties?.DistributionConfig as {
      Origins: {
        Id: string;
        DomainName: unknown;
        OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
      }[];
      CacheBehaviors: { PathPattern: string; TargetOriginId: string; OriginRequestPolicyId: unknown }[];
    };
  };
  const apiOrigin = () => {
    const config = distributionConfig();
    const behaviour = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    return config.Origins.find((o) => o.Id === behaviour?.TargetOriginId);
  };

  it('generates a long origin-proof secret', () => {
    expect(secret.Properties?.GenerateSecretString).toMatchObject({
      PasswordLength: 48,
      ExcludePunctuation: true,
    });
  });

  it("makes CloudFront add it to every request of the API's origin, and only there", () => {
    const headers = apiOrigin()?.OriginCustomHeaders ?? [];
    expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_PROOF_HEADER]);
    expect(JSON.stringify(headers[0]?.HeaderValue)).toContain(`{"Ref":"${secretId}"}`);
    expect(JSON.stringify(headers[0]?.HeaderValue)).toContain('resolve:secretsmanager');
    expect(JSON.stringify(apiOrigin()?.DomainName)).toContain('execute-api');
    const others = distributionConfig().Origins.filter((o) => o !== apiOrigin());
    expect(others.flatMap((o) => o.OriginCustomHeaders ?? [])).toEqual([]);
  });

  it("forwards no viewer header of that name: the API origin's request policy does not list it", () => {
    const policies = resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const [, policy] of policies) {
      const headers = JSON.stringify(policy.Properties?.OriginRequestPolicyConfig).toLowerCase();
      expect(headers).not.toContain(ORIGIN_PROOF_HEADER);
      expect(headers).not.toContain('allviewer');
    }
  });

  it('tells every function of the route table the same value, and lets none read the secret', () => {
    const header = JSON.stringify(apiOrigin()?.OriginCustomHeaders?.[0]?.HeaderValue);
    const functions = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([, fn]) => variablesOf(fn).LAUREL_STAGE !== undefined,
    );
    expect(functions.length).toBeGreaterThanOrEqual(FUNCTIONS.length);
    for (const [id, fn] of functions)
      expect(JSON.stringify(variablesOf(fn).LAUREL_ORIGIN_PROOF), id).toBe(header);
    const readers = iamStatements(template).filter(({ statement }) =>
      JSON.stringify(asArray(statement.Resource)).includes(secretId),
    );
    expect(readers).toEqual([]);
  });
});
