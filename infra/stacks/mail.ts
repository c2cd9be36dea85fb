import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';
import type { Settings } from './settings.js';

/** Queue that keeps what could not be delivered, for 14 days (the SQS maximum). */
export const deadLetterQueue = (scope: Construct, id: string, key: kms.IKey) =>
  new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });

/**
 * SES v2: the sending domain (DKIM-signed; its DNS records are stack outputs) and a configuration
 * set, the identity's default, so every SendEmail of the handlers is tracked without code
 * changes. Bounces and complaints put the address on the account's suppression list (SES stops
 * sending to it) and are published to an encrypted SNS topic, queued for operations (they carry
 * e-mail addresses: personal data) with a dead-letter queue behind both hops.
 */
export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly events: sns.Topic;
  readonly eventsQueue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  /** What ses:SendEmail is checked against: the identity and the configuration set. */
  readonly sendResources: string[];

  constructor(
    scope: Construct,
    id: string,
    props: { settings: Settings; topicKey: kms.IKey; queueKey: kms.IKey },
  ) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: `laurel-${props.settings.stage}`,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.settings.mailDomain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
    });

    this.events = new sns.Topic(this, 'Events', {
      displayName: `Laurel ${props.settings.stage} mail bounces and complaints`,
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    // SES publishes the events of this account's configuration set, nothing else.
    this.events.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.events.topicArn],
        conditions: { StringEquals: { 'AWS:SourceAccount': stack.account } },
      }),
    );
    // …and may use the topic's key to do so.
    props.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.events),
      events: [
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });

    this.deadLetters = deadLetterQueue(this, 'DeadLetters', props.queueKey);
    this.eventsQueue = new sqs.Queue(this, 'EventsQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });
    this.events.addSubscription(
      new subscriptions.SqsSubscription(this.eventsQueue, { deadLetterQueue: this.deadLetters }),
    );

    this.sendResources = [
      this.identity.emailIdentityArn,
      stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    ];
  }
}

/**
 * SMTP through a mail provider (the China regions, which offer no SES): the provider's
 * credentials in a Secrets Manager secret, JSON `{host, port, user, pass, secure}`. The stack
 * creates it with a placeholder password; operations put the provider's values in before the
 * first mail (README, Deploy › China regions). Only the functions that send mail may read it.
 */
export class SmtpMail extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Laurel ${props.settings.stage}: SMTP relay {host, port, user, pass, secure} for the mail senders`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ host: '', port: 465, user: '', secure: true }),
        generateStringKey: 'pass',
        excludePunctuation: true,
      },
    });
    acknowledge(
      this.secret,
      'SMG4',
      "No automatic rotation: the SMTP password is issued by the mail provider, not by AWS; operations replace it with put-secret-value when the provider's is changed.",
    );
  }
}
