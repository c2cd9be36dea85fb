import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthStack } from './app-fixture.js';

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

// The China regions: test/infra/china.test.ts.
