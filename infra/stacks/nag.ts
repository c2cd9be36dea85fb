import { Stack, Validations } from 'aws-cdk-lib';
// The function cdk-nag itself uses to name a wildcard finding, so an acknowledgement matches it exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions) acknowledgements. Each names one rule — and, for wildcard findings,
 * the one resource pattern — on the construct that causes it, with the reason it is accepted.
 * cdk-nag 3 reads CDK's own acknowledgements (`Validations.of(x).acknowledge`), on the
 * construct or any of its ancestors; `RuleId[Resource::…]` is v3's form of v2's `appliesTo`.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

/** Acknowledges AwsSolutions-IAM5 for exactly one wildcard resource (a token or a literal). */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
  acknowledge(scope, `IAM5[Resource::${flat}]`, reason);
}
