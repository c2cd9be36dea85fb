import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LaurelStack } from './stacks/laurel-stack.js';
import { readSettings } from './stacks/settings.js';

/**
 * The CDK app: one stack per stage (`-c stage=dev|prod`, default from cdk.json), checked by
 * cdk-nag's AWS Solutions rules on every synth — an unacknowledged finding fails the synth.
 */
const app = new App();
const settings = readSettings((key) => app.node.tryGetContext(key));
const stack = new LaurelStack(app, `Laurel-${settings.stage}`, {
  settings,
  env: { account: settings.account, region: settings.region },
  description: `Laurel ${settings.stage}: CAST nomination campaign (HTTP API, Step Functions, DynamoDB, S3, SES)`,
  terminationProtection: settings.stage === 'prod',
});
Tags.of(stack).add('project', 'laurel');
Tags.of(stack).add('stage', settings.stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
