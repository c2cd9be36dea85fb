import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { RateLimit } from '../../functions/ports/rate-limits.js';
import { OBJECTION_RATE_LIMIT } from '../../functions/routes.js';

/** The windows a WAF rate-based rule can count over, and the lowest limit it takes (AWS WAF developer guide). */
export const WAF_WINDOWS_SECONDS = [60, 120, 300, 600] as const;
export const WAF_LOWEST_LIMIT = 10;

/** The objection route as WAF sees the path: `/api/public/<campaign>/objections`. */
export const OBJECTION_PATH_PATTERN = '^/api/public/[^/]+/objections$';

/**
 * The WAF rate-based rule of a route's limit, with the table's numbers: the same requests per
 * client address in the same window as the handler counts (functions/routes.ts). A limit WAF
 * cannot express — below its lowest limit, or a window it does not offer — is a build error, not
 * a silently different rule.
 */
export function rateRule(
  name: string,
  limit: RateLimit,
  pathPattern: string,
  priority: number,
): CfnWebACL.RuleProperty {
  if (limit.requests < WAF_LOWEST_LIMIT) {
    throw new Error(
      `${name}: WAF's lowest rate limit is ${WAF_LOWEST_LIMIT}, the table says ${limit.requests}`,
    );
  }
  if (!(WAF_WINDOWS_SECONDS as readonly number[]).includes(limit.windowSeconds)) {
    throw new Error(
      `${name}: WAF counts over ${WAF_WINDOWS_SECONDS.join('/')} s, the table says ${limit.windowSeconds}`,
    );
  }
  const minutes = limit.windowSeconds / 60;
  return {
    name,
    priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'too-many-requests',
          responseHeaders: [{ name: 'retry-after', value: String(limit.windowSeconds) }],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        limit: limit.requests,
        evaluationWindowSec: limit.windowSeconds,
        aggregateKeyType: 'IP',
        scopeDownStatement: {
          andStatement: {
            statements: [
              {
                byteMatchStatement: {
                  fieldToMatch: { method: {} },
                  positionalConstraint: 'EXACTLY',
                  searchString: 'POST',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
              {
                regexMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  regexString: pathPattern,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            ],
          },
        },
      },
    },
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      metricName: `${name}-${limit.requests}-per-${minutes}min`,
      sampledRequestsEnabled: true,
    },
  };
}

/** The 429 WAF answers with: the API's error envelope, in both languages, as the handler words it. */
export function tooManyRequestsBody(limit: RateLimit): string {
  const minutes = limit.windowSeconds / 60;
  return JSON.stringify({
    error: {
      code: 'TOO_MANY_REQUESTS',
      message: {
        zh: `提交过于频繁：同一网络地址 ${minutes} 分钟内最多提交 ${limit.requests} 次，请稍后再试`,
        en: `Too many requests: at most ${limit.requests} from one address in ${minutes} minutes; try again later`,
      },
      path: [],
    },
  });
}

/**
 * The CloudFront web ACL (global partition; CloudFront web ACLs live in us-east-1): anonymous
 * objections limited per viewer address at the edge, before they reach API Gateway — the same
 * numbers the objections handler refuses at, so AWS and the local cloud agree.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `laurel-${props.stage}-edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'APPLICATION_JSON',
          content: tooManyRequestsBody(OBJECTION_RATE_LIMIT),
        },
      },
      rules: [rateRule('anonymous-objections', OBJECTION_RATE_LIMIT, OBJECTION_PATH_PATTERN, 0)],
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: `laurel-${props.stage}-edge`,
        sampledRequestsEnabled: true,
      },
    });
  }
}
