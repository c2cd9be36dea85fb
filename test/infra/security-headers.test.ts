import { describe, expect, it } from 'vitest';
import { synthStack } from './app-fixture.js';
import { resourcesOf } from './template-queries.js';

/**
 * Every answer of the site — the web behaviour and /api/* — carries the security headers of
 * infra/security-headers.ts through one CloudFront response headers policy, in the global
 * stack and in the China regions alike (the local gateway adds the same: hostile-user test).
 */
describe.each([
  ['global', {}],
  ['China', { region: 'cn-north-1' }],
] as const)('the %s stack', (_, settings) => {
  const { template } = synthStack(settings);

  it('has one response headers policy: CSP with own scripts only and no framing, nosniff, no-referrer, HSTS', () => {
    const policies = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies).toHaveLength(1);
    const [[, policy]] = policies as unknown as [
      [string, { Properties: { ResponseHeadersPolicyConfig: Record<string, unknown> } }],
    ];
    const security = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig as Record<
      string,
      Record<string, unknown>
    >;
    const csp = JSON.stringify(security.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('https://*.s3.'); // the uploads bucket's S3 domain, where pages post files
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63_072_000,
      IncludeSubdomains: true,
    });
  });

  it('attaches it to the pages and to the API', () => {
    const [[policyId]] = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy') as unknown as [
      [string],
    ];
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, never]];
    const config = (distribution as { Properties: { DistributionConfig: Record<string, unknown> } })
      .Properties.DistributionConfig as {
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors: Record<string, unknown>[];
    };
    const behaviours = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    expect(behaviours.map((b) => b.ResponseHeadersPolicyId)).toEqual(
      behaviours.map(() => ({ Ref: policyId })),
    );
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toContain('/api/*');
  });
});
