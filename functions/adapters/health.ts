import { connect } from 'node:net';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import type { Config } from '../lib/config.js';
import { dynamoClient, s3Client, sesClient, sfnClient } from './aws-clients.js';
import { smtpSettingsFromUrl } from './smtp-settings.js';

export interface ComponentState {
  status: 'up' | 'down';
  latencyMs: number;
  detail?: string;
}

const CHECK_TIMEOUT_MS = 3000;

async function probe(check: () => Promise<string | undefined>, now: () => number): Promise<ComponentState> {
  const started = now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    const detail = await Promise.race([check(), timeout]);
    return { status: 'up', latencyMs: now() - started, ...(detail ? { detail } : {}) };
  } catch (error) {
    return { status: 'down', latencyMs: now() - started, detail: (error as Error).name || String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks each backing service a cheap, read-only question through the same SDK clients the
 * handlers use — identical in AWS and in the local cloud.
 */
export async function checkComponents(
  config: Config,
  now: () => number = Date.now,
): Promise<Record<'dynamodb' | 's3' | 'stepfunctions' | 'mail', ComponentState>> {
  const [dynamodb, s3, stepfunctions, mail] = await Promise.all([
    probe(async () => {
      const table = await dynamoClient(config).send(
        new DescribeTableCommand({ TableName: config.tableName }),
      );
      if (table.Table?.TableStatus !== 'ACTIVE')
        throw new Error(`table ${config.tableName} is ${table.Table?.TableStatus}`);
      return `table ${config.tableName}`;
    }, now),
    probe(async () => {
      await s3Client(config).send(new HeadBucketCommand({ Bucket: config.uploadsBucket }));
      return `bucket ${config.uploadsBucket}`;
    }, now),
    probe(async () => {
      const machines = await sfnClient(config).send(new ListStateMachinesCommand({ maxResults: 100 }));
      return `${machines.stateMachines?.length ?? 0} state machine(s)`;
    }, now),
    probe(async () => {
      const mail = config.mail;
      if (mail.transport === 'smtp') {
        // The relay's secret is the mailing functions' only: health greets a relay it has the URL of.
        if (!mail.url) return 'smtp relay (settings in the secret; not probed from here)';
        const { host, port } = smtpSettingsFromUrl(mail.url);
        await smtpGreeting(host, port);
        return `smtp ${host}:${port}`;
      }
      const account = await sesClient(config).send(new GetAccountCommand({}));
      if (!account.SendingEnabled) throw new Error('sending disabled');
      return undefined;
    }, now),
  ]);
  return { dynamodb, s3, stepfunctions, mail };
}

/** Connects, reads the 220 greeting, says EHLO, expects 250, and quits: an SMTP server that answers. */
function smtpGreeting(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = '';
    let greeted = false;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(CHECK_TIMEOUT_MS, () => fail(new Error('SMTP timeout')));
    socket.on('error', fail);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      // A reply ends with a line whose code is followed by a space (not a hyphen).
      const last = /(?:^|\r?\n)(\d{3}) [^\n]*\r?\n$/.exec(buffer);
      if (!last) return;
      buffer = '';
      if (!greeted) {
        if (last[1] !== '220') return fail(new Error(`SMTP greeting ${last[1]}`));
        greeted = true;
        socket.write('EHLO laurel-health\r\n');
        return;
      }
      if (last[1] !== '250') return fail(new Error(`SMTP EHLO ${last[1]}`));
      socket.end('QUIT\r\n');
      resolve();
    });
  });
}
