import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Settings } from './settings.js';

export interface MonitoringProps {
  settings: Settings;
  key: kms.IKey;
  stateMachine: sfn.StateMachine;
  /** The campaign-wide steps' jobs (selection, publicity, release). */
  campaignJobs: sfn.StateMachine;
  functions: ReadonlyMap<string, lambda.IFunction>;
  api: apigw.HttpApi;
  deadLetterQueues: readonly sqs.IQueue[];
  /** Only where SES sends: its reputation metrics. */
  mail?: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms to one encrypted topic (e-mailed to operations if `alarmEmail` is set). Any failed or
 * timed-out execution is a nomination stuck outside its flow, so one is enough to alarm; so is
 * one Lambda error (handlers turn expected failures into 4xx answers, an error is a bug or an
 * outage) or one throttle. A detour (a waiting step answered by SendTaskFailure named
 * `Laurel.Outcome.*`, caught into its end state) is none of these: the execution succeeds and the
 * await step's Lambda returned, so no alarm here counts it — nor should one be put on the state
 * machine's task or service-integration failure metrics, which do.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `Laurel ${props.settings.stage} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm state changes to the encrypted topic.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    if (props.settings.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.settings.alarmEmail));
    }
    const action = new actions.SnsAction(this.topic);
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      return created;
    };

    const sm = props.stateMachine;
    alarm(
      'ExecutionsFailed',
      sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'A nomination execution failed (SystemFailure or an unhandled error): see the ops view, restart it there.',
    );
    alarm(
      'ExecutionsTimedOut',
      sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'A nomination execution hit its one-year timeout.',
    );
    alarm(
      'CampaignJobsFailed',
      props.campaignJobs.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'A campaign-wide job (selection, publicity or release) gave up: the secretariat sees it failed and may repeat the step; see its history in the Step Functions console.',
    );
    alarm(
      'ExecutionsThrottled',
      sm.metricThrottled({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'Step Functions throttled state transitions.',
    );

    for (const [name, fn] of props.functions) {
      alarm(`${name}-Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), `${name}: errors`);
      alarm(
        `${name}-Throttles`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `${name}: throttled invocations`,
      );
    }

    alarm(
      'Api5xx',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'The HTTP API answered 5xx (integration failure or timeout).',
      5,
    );

    props.deadLetterQueues.forEach((queue, i) => {
      alarm(
        `DeadLetters${i}`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        'Messages could not be delivered and wait in a dead-letter queue.',
      );
    });

    if (props.mail) {
      // SES reviews accounts above 5 % bounces or 0.1 % complaints; alarm well before.
      const reputation = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/SES',
          metricName,
          period: Duration.hours(1),
          statistic: 'Maximum',
        });
      alarm('BounceRate', reputation('Reputation.BounceRate'), 'SES bounce rate above 2 %.', 0.02);
      alarm(
        'ComplaintRate',
        reputation('Reputation.ComplaintRate'),
        'SES complaint rate above 0.05 %.',
        0.0005,
      );
    }
  }
}
