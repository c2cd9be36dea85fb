import { ServiceError } from './service-errors.js';

/** Where this service pretends to live: ARNs are built and checked against it. */
export interface Account {
  region: string;
  accountId: string;
}

/** China regions live in the `aws-cn` partition, GovCloud in `aws-us-gov`, the rest in `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function stateMachineArn(account: Account, name: string): string {
  return `arn:${partitionOf(account.region)}:states:${account.region}:${account.accountId}:stateMachine:${name}`;
}

export function executionArn(account: Account, stateMachineName: string, name: string): string {
  return `arn:${partitionOf(account.region)}:states:${account.region}:${account.accountId}:execution:${stateMachineName}:${name}`;
}

const ARN_SHAPE = /^arn:aws(?:-cn|-us-gov)?:states:[a-z0-9-]+:\d{12}:/;

/** Splits `arn:…:<resourceType>:<names…>`; a malformed ARN is `InvalidArn`, as on AWS. */
function resourceNames(arn: string, resourceType: string, count: number): string[] {
  const parts = arn.split(':');
  if (!ARN_SHAPE.test(arn) || parts[5] !== resourceType || parts.length !== 6 + count) {
    throw new ServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  const names = parts.slice(6);
  if (names.some((name) => !isValidName(name))) throw new ServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
  return names;
}

export function parseStateMachineArn(arn: string): { name: string } {
  const [name = ''] = resourceNames(arn, 'stateMachine', 1);
  return { name };
}

export function parseExecutionArn(arn: string): { stateMachineName: string; name: string } {
  const [stateMachineName = '', name = ''] = resourceNames(arn, 'execution', 2);
  return { stateMachineName, name };
}

const FORBIDDEN_IN_NAMES = new Set([...' <>{}[]?*"#%\\^|~`$&,;:/']);

/**
 * AWS's rule for state machine and execution names: 1–80 characters, no white space,
 * brackets, wildcards, `" # % \ ^ | ~ ` $ & , ; : /`, nor control characters.
 */
export function isValidName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || /\s/.test(char) || FORBIDDEN_IN_NAMES.has(char)) {
      return false;
    }
  }
  return true;
}

export function assertValidName(name: string): void {
  if (!isValidName(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
}
