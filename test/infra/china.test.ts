import type { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/routes.js';
import { readSettings } from '../../infra/stacks/settings.js';
import { CDK_CONTEXT, synthStack } from './app-fixture.js';
import {
  asArray,
  functionIdOf,
  iamStatements,
  resourcesOf,
  statementsOfFunction,
  variablesOf,
} from './template-queries.js';

/**
 * The China regions (README, Deploy › China regions): mail by SMTP with its credentials in Secrets
 * Manager (no SES there), the web bucket behind an origin access identity, no CloudFront Function,
 * the site's certificate from IAM. Both regions, with CloudFormation's own checks (they know which
 * resource types each region offers).
 */
const REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;
const IAM_CERTIFICATE = 'ASCAEXAMPLE1234567890';
const synths = REGIONS.map((region) => ({
  region,
  ...synthStack(
    { region, webDomain: 'laurel.example.org.cn', webCertificateIamId: IAM_CERTIFICATE },
    { cloudFormationChecks: true },
  ),
}));
const withoutDomain = synthStack({ region: 'cn-north-1' });

function nagFindings(stack: Stack): string[] {
  return new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

const SENDERS = FUNCTIONS.filter((spec) => spec.grants.sendsMail).map((spec) => spec.name);

describe.each(synths)('dev in $region', ({ stack, template }) => {
  it('has no unacknowledged cdk-nag finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('has no SES resource and no ses:* permission', () => {
    const ses = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).filter((r) =>
      r.Type.startsWith('AWS::SES::'),
    );
    expect(ses).toEqual([]);
    const sesActions = iamStatements(template).flatMap(({ statement }) =>
      asArray(statement.Action).filter((a) => a.toLowerCase().startsWith('ses:')),
    );
    expect(sesActions).toEqual([]);
  });

  // The other secret is the origin proof, which no function reads (test/infra/origin-proof.test.ts).
  const smtpSecrets = () =>
    resourcesOf(template, 'AWS::SecretsManager::Secret').filter(([id]) => id.includes('Smtp'));

  it('keeps the SMTP credentials in one secret that exactly the mail senders may read', () => {
    const secrets = smtpSecrets();
    expect(secrets).toHaveLength(1);
    const [[secretId]] = secrets as [[string, unknown]];
    const secretRef = { Ref: secretId };
    const readers = iamStatements(template).filter(({ statement }) =>
      asArray(statement.Action).some((a) => a.startsWith('secretsmanager:')),
    );
    for (const { statement } of readers) {
      expect(asArray(statement.Action)).toEqual(['secretsmanager:GetSecretValue']);
      expect(asArray(statement.Resource)).toEqual([secretRef]);
    }
    const mayRead = FUNCTIONS.filter((spec) =>
      statementsOfFunction(template, functionIdOf(template, spec.name)).some((s) =>
        asArray(s.Action).includes('secretsmanager:GetSecretValue'),
      ),
    ).map((spec) => spec.name);
    expect(mayRead.sort()).toEqual([...SENDERS].sort());
    expect(SENDERS.length).toBeGreaterThan(0);
  });

  it('tells every function to send by SMTP with that secret', () => {
    const [[secretId]] = smtpSecrets() as [[string, unknown]];
    for (const spec of FUNCTIONS) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function').find(
        ([id]) => id === functionIdOf(template, spec.name),
      );
      expect(variablesOf(fn?.[1])).toMatchObject({
        LAUREL_MAIL_TRANSPORT: 'smtp',
        LAUREL_SMTP_SECRET_ARN: { Ref: secretId },
      });
    }
  });

  it('serves the site from the bucket through an origin access identity, with no edge function', () => {
    expect(resourcesOf(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl')).toEqual([]);
    expect(resourcesOf(template, 'AWS::CloudFront::Function')).toEqual([]);
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, never]];
    const config = (distribution as { Properties: { DistributionConfig: Record<string, unknown> } })
      .Properties.DistributionConfig;
    const json = JSON.stringify(config);
    expect(json).not.toContain('FunctionAssociations');
    expect(json).not.toContain('LambdaFunctionAssociations');
    expect(json).not.toContain('OriginAccessControlId');
    expect(config).toMatchObject({ HttpVersion: 'http2', IPV6Enabled: false });
    expect(config.PriceClass).toBeUndefined();
  });

  it('presents the IAM server certificate for the ICP-filed domain', () => {
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, never]];
    expect(distribution).toMatchObject({
      Properties: {
        DistributionConfig: {
          Aliases: ['laurel.example.org.cn'],
          ViewerCertificate: {
            IamCertificateId: IAM_CERTIFICATE,
            SslSupportMethod: 'sni-only',
            MinimumProtocolVersion: 'TLSv1.2_2021',
          },
        },
      },
    });
  });

  it('names Step Functions integrations in the aws-cn partition', () => {
    const [[, machine] = ['', { Type: '' }]] = resourcesOf(template, 'AWS::StepFunctions::StateMachine');
    const definition = String(machine.Properties?.DefinitionString);
    expect(definition).toContain('"arn:aws-cn:states:::lambda:invoke');
    expect(definition).not.toContain('"arn:aws:');
  });
});

describe('the China regions’ settings', () => {
  it('default to SMTP mail', () => {
    const context: Record<string, unknown> = { ...CDK_CONTEXT, region: 'cn-northwest-1' };
    expect(readSettings((key) => context[key], {}).mail).toBe('smtp');
  });

  it('refuse SES, which they do not offer', () => {
    const context: Record<string, unknown> = { ...CDK_CONTEXT, region: 'cn-northwest-1', mail: 'ses' };
    expect(() => readSettings((key) => context[key], {})).toThrow(/SES is not offered in cn-northwest-1/);
  });

  it('refuse an ACM certificate, and a domain without its IAM certificate', () => {
    const read = (extra: Record<string, unknown>) => {
      const context: Record<string, unknown> = { ...CDK_CONTEXT, region: 'cn-north-1', ...extra };
      return () => readSettings((key) => context[key], {});
    };
    expect(
      read({
        webDomain: 'laurel.example.org.cn',
        webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      }),
    ).toThrow(/takes no ACM certificate/);
    expect(read({ webDomain: 'laurel.example.org.cn' })).toThrow(
      /webDomain and webCertificateIamId go together/,
    );
  });

  it('synthesize without a domain too (no certificate, no alias), still cdk-nag clean', () => {
    expect(nagFindings(withoutDomain.stack)).toEqual([]);
    const [[, distribution]] = resourcesOf(
      withoutDomain.template,
      'AWS::CloudFront::Distribution',
    ) as unknown as [[string, { Properties: { DistributionConfig: Record<string, unknown> } }]];
    expect(distribution.Properties.DistributionConfig.Aliases).toBeUndefined();
  });
});

describe('the global regions', () => {
  it('keep SES and give the SMTP variables empty', () => {
    const { template } = synthStack();
    // The origin proof's only (test/infra/origin-proof.test.ts): no SMTP secret.
    expect(resourcesOf(template, 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual([
      expect.stringContaining('OriginProof'),
    ]);
    const [[, fn]] = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith('Health'),
    ) as [[string, never]];
    expect(variablesOf(fn)).toMatchObject({ LAUREL_MAIL_TRANSPORT: 'ses', LAUREL_SMTP_SECRET_ARN: '' });
  });
});
