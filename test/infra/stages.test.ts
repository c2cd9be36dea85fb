import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/stacks/settings.js';
import { CDK_CONTEXT, synthStack } from './app-fixture.js';
import { asArray, iamStatements, resourcesOf } from './template-queries.js';

// One synth per variant, shared by its tests: dev, prod, and dev in a China region with
// CloudFormation's own checks (they know which resource types cn-north-1 offers: no SES, no
// CloudFront origin access control or functions).
const dev = synthStack();
const prod = synthStack({ stage: 'prod' });
const china = synthStack({ region: 'cn-north-1' }, { cloudFormationChecks: true });

/** cdk-nag's AWS Solutions pack on one stack, as every `cdk synth` runs it: unacknowledged findings. */
function nagFindings(stack: Stack): string[] {
  return new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev', dev.stack],
    ['prod', prod.stack],
    ['dev in cn-north-1', china.stack],
  ])('has no unacknowledged finding in %s', (_, stack) => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('prod', () => {
  const { template } = prod;

  it('keeps the table through a stack deletion and protects it from deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('keeps the uploads bucket through a stack deletion', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' } }),
    });
  });
});

describe('the China regions', () => {
  const { template } = china;

  it('synthesize without SES when mail is off (the default there)', () => {
    expect(resourcesOf(template, 'AWS::SES::EmailIdentity')).toEqual([]);
    const sesActions = iamStatements(template).flatMap(({ statement }) =>
      asArray(statement.Action).filter((a) => a.startsWith('ses:')),
    );
    expect(sesActions).toEqual([]);
  });

  it('name Step Functions integrations in the aws-cn partition', () => {
    const [[, machine] = ['', { Type: '' }]] = resourcesOf(template, 'AWS::StepFunctions::StateMachine');
    const definition = String(machine.Properties?.DefinitionString);
    expect(definition).toContain('"arn:aws-cn:states:::lambda:invoke');
    expect(definition).not.toContain('"arn:aws:');
  });

  it('refuse SES, which they do not offer', () => {
    const context: Record<string, unknown> = { ...CDK_CONTEXT, region: 'cn-northwest-1', mail: 'ses' };
    expect(() => readSettings((key) => context[key], {})).toThrow(/SES is not offered in cn-northwest-1/);
  });
});
