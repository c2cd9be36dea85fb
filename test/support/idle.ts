import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_REGION, type LocalCloud } from '../../infra/local/cloud.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/iam.js';

/**
 * Waits until the local cloud is idle: no campaign-wide job (a selection, publicity, a release, a
 * forwarding package) recorded as running, and no execution of the machines that run them still
 * going. Nomination executions wait for people by design and count only when asked
 * (`nominations: true`, e.g. at the end of a whole campaign). Fails after `timeoutMs`, naming
 * what still runs. Reads the machines' ARNs from the environment the in-process cloud set.
 */
export async function untilIdle(
  cloud: Pick<LocalCloud, 'urls'>,
  { timeoutMs = 60_000, nominations = false }: { timeoutMs?: number; nominations?: boolean } = {},
): Promise<void> {
  const clientOptions = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...clientOptions, endpoint: cloud.urls.dynamodb });
  const documents = DynamoDBDocumentClient.from(dynamo);
  const sfn = new SFNClient({ ...clientOptions, endpoint: cloud.urls.stepfunctions });
  const machines = [
    process.env.LAUREL_CAMPAIGN_JOB_MACHINE_ARN,
    process.env.LAUREL_PACKAGE_JOB_MACHINE_ARN,
    ...(nominations ? [process.env.LAUREL_STATE_MACHINE_ARN] : []),
  ].filter((arn): arn is string => Boolean(arn));
  const busy = async (): Promise<string[]> => {
    const { Items = [] } = await documents.send(
      new ScanCommand({
        TableName: 'laurel',
        ConsistentRead: true,
        FilterExpression: 'begins_with(sk, :job) AND #data.#status = :running',
        ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
        ExpressionAttributeValues: { ':job': 'job#', ':running': 'running' },
      }),
    );
    const running = await Promise.all(
      machines.map((stateMachineArn) =>
        sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' })),
      ),
    );
    return [
      ...Items.map((item) => `job ${String(item.sk)}`),
      ...running.flatMap((answer) => (answer.executions ?? []).map((e) => `execution ${e.name}`)),
    ];
  };
  try {
    let still: string[] = [];
    for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
      still = await busy();
      if (still.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the local cloud is not idle after ${timeoutMs / 1000} s: ${still.join(', ')}`);
  } finally {
    dynamo.destroy();
    sfn.destroy();
  }
}
