import { describe, expect, it } from 'vitest';
import { API_REQUEST_HEADERS } from '../../functions/lib/api.js';
import { OBJECTION_RATE_LIMIT } from '../../functions/routes.js';
import { OBJECTION_PATH_PATTERN, rateRule, tooManyRequestsBody } from '../../infra/stacks/firewall.js';
import { synthStack } from './app-fixture.js';
import { resourcesOf } from './template-queries.js';

/** The parts of AWS::WAFv2::WebACL this test reads. */
interface WebAcl {
  Scope: string;
  DefaultAction: unknown;
  Rules: {
    Statement: {
      RateBasedStatement: {
        Limit: number;
        EvaluationWindowSec: number;
        AggregateKeyType: string;
        ScopeDownStatement: {
          AndStatement: {
            Statements: [{ ByteMatchStatement: unknown }, { RegexMatchStatement: { RegexString: string } }];
          };
        };
      };
    };
    Action: { Block: { CustomResponse: unknown } };
  }[];
  CustomResponseBodies: Record<string, { Content: string }>;
}

/**
 * The edge rate limit on anonymous objections: a WAF rate-based rule with the route table's
 * numbers (the handler refuses at the same ones, locally and in AWS), on the CloudFront
 * distribution of the global stack in us-east-1; none where WAF cannot front CloudFront.
 */
describe('the CloudFront web ACL of the global stack', () => {
  const { template } = synthStack({ region: 'us-east-1' });

  it('limits anonymous objections per viewer address with the table’s numbers, answering 429 in the envelope', () => {
    const acls = resourcesOf(template, 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const [[, acl]] = acls as unknown as [[string, { Properties: WebAcl }]];
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    const rule = acl.Properties.Rules[0];
    if (!rule) throw new Error('no rule');
    const rate = rule.Statement.RateBasedStatement;
    expect(rate.Limit).toBe(OBJECTION_RATE_LIMIT.requests);
    expect(rate.EvaluationWindowSec).toBe(OBJECTION_RATE_LIMIT.windowSeconds);
    expect(rate.AggregateKeyType).toBe('IP');
    const scope = rate.ScopeDownStatement.AndStatement.Statements;
    expect(scope[0].ByteMatchStatement).toMatchObject({
      SearchString: 'POST',
      PositionalConstraint: 'EXACTLY',
    });
    expect(scope[1].RegexMatchStatement.RegexString).toBe(OBJECTION_PATH_PATTERN);
    expect(new RegExp(OBJECTION_PATH_PATTERN).test('/api/public/cast-2024/objections')).toBe(true);
    expect(new RegExp(OBJECTION_PATH_PATTERN).test('/api/campaigns/cast-2024/objections')).toBe(false);
    expect(rule.Action.Block.CustomResponse).toMatchObject({
      ResponseCode: 429,
      CustomResponseBodyKey: 'too-many-requests',
      ResponseHeaders: [{ Name: 'retry-after', Value: String(OBJECTION_RATE_LIMIT.windowSeconds) }],
    });
    const body = JSON.parse(acl.Properties.CustomResponseBodies['too-many-requests']?.Content ?? '');
    expect(body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(body.error.message.zh).toContain(`最多提交 ${OBJECTION_RATE_LIMIT.requests} 次`);
    expect(body.error.message.en).toContain(`at most ${OBJECTION_RATE_LIMIT.requests}`);
  });

  it('is attached to the distribution', () => {
    const [aclId] = resourcesOf(template, 'AWS::WAFv2::WebACL')[0] ?? [];
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { WebACLId: { 'Fn::GetAtt': [aclId, 'Arn'] } },
    });
  });

  it('refuses at build time a limit WAF cannot express, rather than enforcing other numbers', () => {
    expect(() => rateRule('x', { requests: 5, windowSeconds: 600 }, OBJECTION_PATH_PATTERN, 0)).toThrow(
      /lowest rate limit is 10/,
    );
    expect(() => rateRule('x', { requests: 10, windowSeconds: 900 }, OBJECTION_PATH_PATTERN, 0)).toThrow(
      /60\/120\/300\/600/,
    );
    expect(JSON.parse(tooManyRequestsBody(OBJECTION_RATE_LIMIT))).toHaveProperty('error.path', []);
  });
});

describe.each([
  ['China', { region: 'cn-north-1' }],
  ['global, outside us-east-1', { region: 'eu-west-1' }],
] as const)('the %s stack', (_, settings) => {
  // Synthesised while tests are collected, as the other infra tests do (a synth takes seconds).
  const { template } = synthStack(settings);
  it('has no web ACL (WAF cannot front this distribution from here); the handler’s limit stands alone', () => {
    expect(resourcesOf(template, 'AWS::WAFv2::WebACL')).toHaveLength(0);
  });
});

describe.each([
  ['global', {}],
  ['China', { region: 'cn-north-1' }],
] as const)('the %s stack’s /api/* behaviour', (_, settings) => {
  const { template } = synthStack(settings);
  it('passes the API the headers its handlers read and CloudFront’s own viewer address, never the Host', () => {
    const [[, policy]] = resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy') as unknown as [
      [
        string,
        {
          Properties: {
            OriginRequestPolicyConfig: { HeadersConfig: { HeaderBehavior: string; Headers: string[] } };
          };
        },
      ],
    ];
    const headers = policy.Properties.OriginRequestPolicyConfig.HeadersConfig;
    expect(headers.HeaderBehavior).toBe('whitelist');
    expect(headers.Headers).toEqual([...API_REQUEST_HEADERS, 'CloudFront-Viewer-Address']);
    expect(headers.Headers.map((h) => h.toLowerCase())).not.toContain('host');
  });
});
