import type { Template } from 'aws-cdk-lib/assertions';

/** Small readers over a synthesized template, for assertions that span several resources. */

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The statements of a resource's PolicyDocument (IAM, bucket, queue and topic policies). */
/** A statement's actions, as a list. */
export const actionsOf = (s: Statement): string[] => asArray(s.Action);

export const policyStatements = (r: Resource | undefined): Statement[] =>
  asArray((r?.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined)?.Statement);

/** A Lambda function's environment variables. */
export const variablesOf = (fn: Resource | undefined): Record<string, unknown> =>
  (fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

export function resourcesOf(template: Template, type: string): [string, Resource][] {
  const all = template.toJSON().Resources as Record<string, Resource>;
  return Object.entries(all).filter(([, r]) => r.Type === type);
}

/** Every IAM statement of the stack (managed by CDK as AWS::IAM::Policy, or inline in a role). */
export function iamStatements(template: Template): { policy: string; statement: Statement }[] {
  const fromPolicies = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([id, r]) =>
    policyStatements(r).map((statement) => ({ policy: id, statement })),
  );
  const fromRoles = resourcesOf(template, 'AWS::IAM::Role').flatMap(([id, r]) =>
    asArray(r.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined).flatMap(
      (p) => p.PolicyDocument.Statement.map((statement) => ({ policy: id, statement })),
    ),
  );
  return [...fromPolicies, ...fromRoles];
}

/** The statements attached to the role of the Lambda function with this logical id. */
export function statementsOfFunction(template: Template, functionId: string): Statement[] {
  const fn = (template.toJSON().Resources as Record<string, Resource>)[functionId];
  const roleRef = (fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined)?.['Fn::GetAtt'][0];
  if (!roleRef) throw new Error(`no role for ${functionId}`);
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, r]) =>
      asArray(r.Properties?.Roles as unknown[]).some(
        (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleRef }),
      ),
    )
    .flatMap(([, r]) => policyStatements(r));
}

/** Logical id of the Laurel function named `name` in the route table. */
export function functionIdOf(template: Template, name: string): string {
  const match = resourcesOf(template, 'AWS::Lambda::Function').find(
    ([, r]) =>
      String(r.Properties?.Description ?? '').startsWith(`Laurel dev: ${name} (`) ||
      String(r.Properties?.Description ?? '').startsWith(`Laurel prod: ${name} (`),
  );
  if (!match) throw new Error(`no function ${name}`);
  return match[0];
}
