import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import { PUBLISHED_PREFIX } from '../../functions/grants.js';
import { API_REQUEST_HEADERS, ORIGIN_PROOF_HEADER } from '../../functions/lib/api.js';
import { contentSecurityPolicy, HSTS_SECONDS } from '../security-headers.js';
import { EdgeFirewall } from './firewall.js';
import { REPO_ROOT } from './lambdas.js';
import { acknowledge, acknowledgeWildcardResource } from './nag.js';
import { isChinaRegion, type Settings } from './settings.js';

/** The built web UI (issue #6); deployed only when it has been built before the synth. */
export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

/**
 * Same rule as the local gateway: the UI is a single-page app, so a path whose last segment
 * has no extension (`/unit/nominations/…`, `/signin/`) serves `/index.html` and the app routes
 * it. Runs at the edge on viewer requests of the web behaviour only, never on /api/*. Paths
 * naming a file, as every mailed or printed link does (`/signin/index.html`), pass unchanged.
 */
export const SPA_INDEX_CODE = `function handler(event) {
  var request = event.request;
  if (request.uri.split('/').pop().indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export interface WebProps {
  settings: Settings;
  api: apigw.IHttpApi;
  accessLogs: s3.IBucket;
}

/**
 * The site: the web UI from a private bucket (origin access control, no public access) and the
 * HTTP API under /api/*, so pages and API share one origin and the session cookie stays
 * first-party. The API is never cached and receives every viewer header but Host.
 */
export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://… where people open Laurel: the custom domain if set, else CloudFront's. */
  readonly url: string;
  /**
   * What CloudFront adds to every API request (ORIGIN_PROOF_HEADER), and the functions compare
   * (LAUREL_ORIGIN_PROOF): the API answers only requests that came through the distribution.
   */
  readonly originProof: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      // Only build output lives here, rebuilt from the repository: it goes with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const apiDomain = `${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    // HTTP APIs have no resource policy, and switching off the execute-api endpoint needs an API
    // Gateway custom domain in front (and an ICP-filed one in China): the execute-api address stays
    // reachable, so the functions refuse what does not carry this secret, which only CloudFront adds.
    this.originProof = new secretsmanager.Secret(this, 'OriginProof', {
      description: `Laurel ${props.settings.stage}: the header CloudFront adds to API requests; the functions refuse requests without it`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    acknowledge(
      this.originProof,
      'SMG4',
      'Rotated by operations, not on a schedule: CloudFront and the functions take the value when the stack is deployed (a dynamic reference), so a rotation is put-secret-value followed by cdk deploy (docs/security.md); a rotation Lambda would change the secret without changing either.',
    );
    const { webDomain, webCertificateArn, webCertificateIamId } = props.settings;
    // CloudFront in the China regions has no origin access control and no CloudFront Functions
    // (CloudFormation offers neither type there): an origin access identity, and no path rewrite.
    // The links Laurel mails or prints name files of the build (functions/rules/links.ts), so they
    // open from the bucket as they are in both homes; only deep links typed or bookmarked
    // (`/unit/…`) need the global home's function (docs/web.md).
    const china = isChinaRegion(props.settings.region);
    const webOrigin = china
      ? origins.S3BucketOrigin.withOriginAccessIdentity(this.bucket)
      : origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const spaIndex = china
      ? []
      : [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'SpaIndex', {
              code: cloudfront.FunctionCode.fromInline(SPA_INDEX_CODE),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              comment: 'Paths of the single-page app serve index.html',
            }),
          },
        ];
    // infra/security-headers.ts: the same headers the local gateway adds, plus HSTS.
    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Laurel: CSP (own scripts only, no framing), nosniff, no-referrer, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The uploads bucket by its region's S3 domain (presigned POSTs and GETs name the bucket
          // in the host): naming the bucket itself would make a cycle, as its CORS names the site.
          contentSecurityPolicy: contentSecurityPolicy(`https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_SECONDS),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    // A CloudFront web ACL must be made in us-east-1; the China partition offers WAF at the
    // regional level only, where it cannot front CloudFront nor an HTTP API (docs/security.md).
    const edgeFirewall =
      !china && Stack.of(this).region === 'us-east-1'
        ? new EdgeFirewall(this, 'EdgeFirewall', { stage: props.settings.stage })
        : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Laurel ${props.settings.stage}`,
      ...(edgeFirewall ? { webAclId: edgeFirewall.webAcl.attrArn } : {}),
      defaultRootObject: 'index.html',
      // CloudFront in China serves HTTP/2 over IPv4 from its own four edge locations, no price classes.
      httpVersion: china ? cloudfront.HttpVersion.HTTP2 : cloudfront.HttpVersion.HTTP2_AND_3,
      ...(china
        ? { enableIpv6: false }
        : // Users are in mainland China; Asia's edges without the most expensive classes.
          { priceClass: cloudfront.PriceClass.PRICE_CLASS_200 }),
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
      ...(webDomain && webCertificateArn
        ? {
            domainNames: [webDomain],
            // CloudFront takes ACM certificates from us-east-1 only.
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', webCertificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: webOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        ...(spaIndex.length ? { functionAssociations: spaIndex } : {}),
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            readTimeout: Duration.seconds(30),
            // CloudFront sets it on every request to the API; a viewer's header of that name is not
            // forwarded (the origin request policy below names the headers that are).
            customHeaders: { [ORIGIN_PROOF_HEADER]: this.originProof.secretValue.unsafeUnwrap() },
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: new cloudfront.OriginRequestPolicy(this, 'ApiRequests', {
            comment: 'Laurel API: the headers the handlers read, and the viewer address CloudFront sets',
            // Not the managed AllViewerExceptHostHeader: it passes viewer headers only, so the
            // handlers saw no CloudFront-Viewer-Address and counted every visitor of an edge as one.
            headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(
              ...API_REQUEST_HEADERS,
              'CloudFront-Viewer-Address',
            ),
            cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
            queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
          }),
          responseHeadersPolicy: securityHeaders,
        },
      },
    });
    if (china && webDomain && webCertificateIamId) {
      // The Distribution construct takes ACM certificates only; China's CloudFront takes a server
      // certificate from IAM, with the ICP-filed domain as the alias.
      const cfn = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [webDomain]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: webCertificateIamId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
    }
    acknowledge(
      this.distribution,
      'CFR1',
      'No geo restriction: recommending units, experts and the public notice are reached nationwide and by Chinese institutions abroad; access is controlled by sign-in, not by location.',
    );
    if (!edgeFirewall) {
      acknowledge(
        this.distribution,
        'CFR2',
        'No WAF web ACL in this stack: a CloudFront web ACL must be created in us-east-1 (the stack is elsewhere), and the China partition offers WAF at the regional level only, which fronts neither CloudFront nor an HTTP API. The objections handler limits each client address itself (functions/routes.ts OBJECTION_RATE_LIMIT, counted in the table); the API is throttled per stage and every mutating route requires a session.',
      );
    }
    if (china) {
      acknowledge(
        this.distribution,
        'CFR7',
        'The China regions offer no CloudFront origin access control; the bucket stays private behind an origin access identity instead.',
      );
    }
    if (china && webDomain && webCertificateIamId) {
      acknowledge(
        this.distribution,
        'CFR4',
        'The IAM server certificate is set with a property override (the Distribution construct takes ACM certificates only), which cdk-nag does not read: the template has ViewerCertificate with MinimumProtocolVersion TLSv1.2_2021, sni-only (test/infra/china.test.ts).',
      );
    } else if (!webDomain) {
      acknowledge(
        this.distribution,
        'CFR4',
        "Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose security policy cannot be raised; set webDomain and webCertificateArn (webCertificateIamId in the China regions; TLS 1.2 minimum is then enforced). Laurel's own origins accept TLS 1.2 only.",
      );
    }
    this.url = `https://${webDomain ?? this.distribution.distributionDomainName}`;

    if (existsSync(WEB_DIST)) {
      new s3deploy.BucketDeployment(this, 'Deployment', {
        sources: [s3deploy.Source.asset(WEB_DIST)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
        // The public lists the functions publish live beside the build: a deployment neither
        // overwrites nor prunes them.
        exclude: [`${PUBLISHED_PREFIX}*`],
        memoryLimit: 512,
      });
      // The deployment runs in a Lambda that the CDK itself defines once per stack.
      const deployer = Stack.of(this).node.children.find((child) =>
        child.node.id.startsWith('Custom::CDKBucketDeployment'),
      );
      if (deployer) acknowledgeBucketDeployment(deployer, this.bucket);
    }
  }
}

/**
 * The CDK's own BucketDeployment function copies the built UI from the CDK asset bucket into
 * the web bucket and invalidates CloudFront. Its code, runtime and policy are the CDK's; it
 * runs only during a deployment.
 */
function acknowledgeBucketDeployment(deployer: IConstruct, webBucket: s3.IBucket): void {
  acknowledge(
    deployer,
    'L1',
    "The CDK's BucketDeployment function; its runtime is chosen and updated by aws-cdk-lib.",
  );
  acknowledge(
    deployer,
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "The CDK's BucketDeployment function writes its logs with the basic execution role the CDK attaches.",
  );
  const why =
    'Granted by the CDK to its BucketDeployment function, used only while deploying: read the build from the CDK asset bucket, replace the old files in the web bucket, invalidate CloudFront.';
  for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
    acknowledge(deployer, `IAM5[Action::${action}]`, why);
  }
  acknowledgeWildcardResource(deployer, '*', why);
  acknowledgeWildcardResource(deployer, `${webBucket.bucketArn}/*`, why);
  const stack = Stack.of(deployer);
  const qualifier =
    (stack.synthesizer instanceof DefaultStackSynthesizer
      ? stack.synthesizer.bootstrapQualifier
      : undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const assetBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
    /\$\{Qualifier\}/,
    qualifier,
  )
    .replace(/\$\{AWS::AccountId\}/, stack.account)
    .replace(/\$\{AWS::Region\}/, stack.region);
  acknowledgeWildcardResource(deployer, `arn:${stack.partition}:s3:::${assetBucket}/*`, why);
}
