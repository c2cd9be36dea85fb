import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { tablePaths } from '../../functions/lib/api.js';
import { FALLBACK_FUNCTION, type FunctionSpec } from '../../functions/routes.js';
import { acknowledge } from './nag.js';
import { retentionDays, type Settings } from './settings.js';

/** 'POST /api/nominations/{id}/submit' → its method and path. */
export function parseRouteKey(routeKey: string): { method: apigw.HttpMethod; path: string } {
  const [method, path] = routeKey.split(' ');
  const known = Object.values(apigw.HttpMethod) as string[];
  if (!method || !path || !known.includes(method)) throw new Error(`not a route key: ${routeKey}`);
  return { method: method as apigw.HttpMethod, path };
}

/** One JSON line per request; no query strings or bodies (sign-in tokens travel in bodies and fragments). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  responseLength: '$context.responseLength',
});

/**
 * The HTTP API: one route per route key in FUNCTIONS, each to its function (payload format 2.0,
 * the event shape the local gateway produces too). Reached through CloudFront under /api/*.
 * Authorization is the handlers' own (session cookie, role checks in the use cases).
 */
export class LaurelHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const prod = props.settings.stage === 'prod';
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `laurel-${props.settings.stage}`,
      description: 'Laurel HTTP API (routes from functions/routes.ts)',
      // Stage created below with access logs and throttling.
      createDefaultStage: false,
    });
    acknowledge(
      this.api,
      'APIG4',
      'Authorization is per operation in the handlers: a session cookie (HttpOnly, Secure, from a signed single-use sign-in link) checked against the table, roles checked by the use cases; public routes (health, OpenAPI, sign-in, public notice and objections, expert review links) are public by design. API Gateway authorizers cannot see these sessions without a second Lambda per request.',
    );
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: retentionDays(props.settings.logRetentionDays),
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.settings.apiRateLimit, burstLimit: props.settings.apiBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
  }

  /**
   * One route per route of the table, each to its function; then the fallback function on
   * `$default` (a path the table lacks: 404) and on `ANY` of every path (a method the path is not
   * served with: 405 with `Allow`). API Gateway prefers a route's own method to `ANY`.
   */
  addFunctionRoutes(specs: readonly FunctionSpec[], functions: ReadonlyMap<string, lambda.IFunction>): void {
    const integrationOf = (name: string) => {
      const fn = functions.get(name);
      if (!fn) throw new Error(`no function for ${name}`);
      return new HttpLambdaIntegration(`${name}-integration`, fn, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      });
    };
    for (const spec of specs) {
      if (spec.routes.length === 0) continue;
      const integration = integrationOf(spec.name);
      for (const { route } of spec.routes) {
        const { method, path } = parseRouteKey(route);
        this.api.addRoutes({ path, methods: [method], integration });
      }
    }
    if (!specs.some((spec) => spec.name === FALLBACK_FUNCTION)) return;
    const fallback = integrationOf(FALLBACK_FUNCTION);
    for (const path of tablePaths(specs)) {
      this.api.addRoutes({ path, methods: [apigw.HttpMethod.ANY], integration: fallback });
    }
    // A child of the API, so the API's acknowledged APIG4 (authorization in the handlers) covers it too.
    new apigw.HttpRoute(this.api, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: fallback,
    });
  }
}
