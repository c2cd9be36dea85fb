import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type StateMachineSpec, substitutionMap } from '../state-machines.js';
import { REPO_ROOT } from './lambdas.js';
import { acknowledgeWildcardResource } from './nag.js';
import { isChinaRegion, retentionDays, type Settings } from './settings.js';

/** The ASL text exactly as local mode reads it. */
export const readAsl = (spec: StateMachineSpec): string => readFileSync(join(REPO_ROOT, spec.file), 'utf8');

/** The `${Key}` placeholders of an ASL text. */
export const placeholdersIn = (definition: string): string[] => [
  ...new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] ?? '')),
];

/**
 * The ASL files name service integrations with the commercial partition
 * (`arn:aws:states:::lambda:invoke`); the China regions are the `aws-cn` partition. Rewritten only
 * there, and only this prefix. (Better: a `${Partition}` placeholder in the ASL, filled by both homes.)
 */
export const forPartition = (definition: string, china: boolean): string =>
  china ? definition.replaceAll('"arn:aws:states:::', '"arn:aws-cn:states:::') : definition;

export interface WorkflowProps {
  spec: StateMachineSpec;
  settings: Settings;
  /** The machine's name, fixed so its ARN is known before it exists (see Workflow.arnFor). */
  name: string;
  /** Every function by its FUNCTIONS name: the substitution map names them all. */
  functions: ReadonlyMap<string, lambda.IFunction>;
}

/**
 * One Standard state machine from its ASL file, with `definitionSubstitutions` from the map local
 * mode uses. Its name is fixed, so its ARN is known before it exists: the functions receive that
 * ARN (environment, IAM) without a reference to the resource, which would otherwise be a cycle
 * (the machine refers to the functions' ARNs).
 */
export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  /** ARN pattern of this machine's executions. */
  readonly executionsArn: string;
  /** The functions the ASL invokes: the only ones the machine's role may invoke. */
  readonly taskFunctions: readonly lambda.IFunction[];

  /** The ARN a state machine of this name has in the scope's stack (account, region, partition). */
  static arnFor(scope: Construct, name: string): string {
    return Stack.of(scope).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prod = props.settings.stage === 'prod';
    this.stateMachineName = props.name;
    this.stateMachineArn = Workflow.arnFor(this, props.name);
    this.executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.name}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const definition = readAsl(props.spec);
    const functionArn = (name: string) => {
      const fn = props.functions.get(name);
      if (!fn) throw new Error(`no function named ${name} for ${props.spec.file}`);
      return fn.functionArn;
    };
    const substitutions = substitutionMap(functionArn);
    // `${Key}` → function name: the functions whose placeholders the ASL uses are its tasks.
    const nameByKey = substitutionMap((name) => name);
    const taskNames = new Set([
      ...placeholdersIn(definition).map((key) => nameByKey[key]),
      ...(props.spec.earlierTasks ?? []),
    ]);
    this.taskFunctions = [...props.functions].filter(([name]) => taskNames.has(name)).map(([, fn]) => fn);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small.
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: retentionDays(props.settings.logRetentionDays),
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(
        forPartition(definition, isChinaRegion(props.settings.region)),
      ),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      // Every event, without payloads: payloads carry ids only, but the callback steps' input holds task tokens.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // A new definition goes live only once every function has the code that answers it: a
    // waiting step may ask to be answered a new way (rules/steps.ts: a detour as a task failure),
    // and a function still on its old code would answer an execution started on the new
    // definition the old way (a success, which now goes straight on). CloudFormation updates a
    // resource after the ones it depends on; the functions learn the machine's ARN by its name,
    // so this adds no cycle.
    for (const fn of props.functions.values()) this.stateMachine.node.addDependency(fn);
    acknowledgeWildcardResource(
      this.stateMachine.role,
      '*',
      'X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* and the CloudWatch Logs vended-delivery actions (CreateLogDelivery, …) support no resource-level permissions: "*" is the only resource they accept. Added by CDK for tracing and logging.',
    );
    // Unqualified ARNs only: the ASL invokes $LATEST by ARN, never a version or alias.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: this.taskFunctions.map((fn) => fn.functionArn),
      }),
    );
  }
}
