import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCampaignCatalog } from '../functions/adapters/campaign-catalog.js';
import { clockWithOffset } from '../functions/adapters/secrets.js';
import { BUILTIN_CAMPAIGNS } from '../functions/rules/campaigns/index.js';
import { seedRounds } from '../functions/use-cases/campaign-catalog.js';

/**
 * Operators' view of the rounds in a stage's catalog, with their own AWS credentials (the usual
 * chain), against an AWS stage or the local cloud (`npm start` prints its DynamoDB endpoint:
 * AWS_ENDPOINT_URL_DYNAMODB=… AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local).
 *
 *   npm run campaign -- seed --table <TableName>     the built-in rounds, once per stage after deploying
 *   npm run campaign -- list --table <TableName>     every round: current version, deadline, parent
 *   npm run campaign -- show <id> --table <TableName> one round's current definition and its versions
 */
export const USAGE =
  'usage: npm run campaign -- seed|list|show <id>|create --file <round.json> --secretariat-name <name> --secretariat-email <e-mail> --table <TableName> [--web-url <https://…>] [--region <region>]';

export interface CommandOutput {
  log(line: string): void;
}

export async function runCampaignCommand(argv: readonly string[], out: CommandOutput): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      table: { type: 'string', default: process.env.LAUREL_TABLE },
      region: { type: 'string', default: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const [command, id] = positionals;
  if (values.help || !command) {
    out.log(USAGE);
    return;
  }
  if (!values.table) throw new Error(USAGE);
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient(values.region ? { region: values.region } : {}),
  );
  const catalog = dynamoCampaignCatalog(documents, values.table);
  try {
    if (command === 'seed') {
      const { seeded, present } = await seedRounds(
        { catalog, clock: clockWithOffset(0) },
        BUILTIN_CAMPAIGNS.values(),
      );
      out.log(`seeded: ${seeded.join(', ') || '—'}; already stored: ${present.join(', ') || '—'}`);
    } else if (command === 'list') {
      for (const { campaign, version, savedAt } of await catalog.current()) {
        const parent = campaign.forwardTo ? ` → ${campaign.forwardTo.campaignId}` : '';
        out.log(
          `${campaign.id}  v${version}  ${campaign.name.zh}  deadline ${campaign.deadline}${parent}  (saved ${savedAt})`,
        );
      }
    } else if (command === 'show' && id) {
      const versions = await catalog.versions(id);
      const current = versions[versions.length - 1];
      if (!current) throw new Error(`no round ${id}`);
      out.log(JSON.stringify(current.campaign, null, 2));
      for (const v of versions) {
        out.log(
          `v${v.version}  ${v.savedAt}  ${v.savedBy.name} (${v.savedBy.role})  ${v.note}${v.changed.length ? `  changed: ${v.changed.join(', ')}` : ''}`,
        );
      }
    } else {
      throw new Error(USAGE);
    }
  } finally {
    documents.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCampaignCommand(process.argv.slice(2), console).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
