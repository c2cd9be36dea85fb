import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCampaignCatalog } from '../functions/adapters/campaign-catalog.js';
import { clockWithOffset } from '../functions/adapters/secrets.js';
import type { CampaignCatalog } from '../functions/ports/campaign-catalog.js';
import { BUILTIN_CAMPAIGNS } from '../functions/rules/campaigns/index.js';
import { DomainError, ValidationError } from '../functions/rules/errors.js';
import { seedRounds, storeNewRound } from '../functions/use-cases/campaign-catalog.js';

/**
 * Operators' view of the rounds in a stage's catalog, with their own AWS credentials (the usual
 * chain), against an AWS stage or the local cloud (`npm start` prints its DynamoDB endpoint:
 * AWS_ENDPOINT_URL_DYNAMODB=… AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local).
 *
 *   npm run campaign -- seed --table <TableName>     the built-in rounds, once per stage after deploying
 *   npm run campaign -- list --table <TableName>     every round: current version, deadline, parent
 *   npm run campaign -- show <id> --table <TableName> one round's current definition and its versions
 *   npm run campaign -- create --file <round.json> --table <TableName> [--note <why>]
 *                                                   a new round, checked as the API checks it; then
 *                                                   invite its secretariat with `npm run invite`
 */
export const USAGE =
  'usage: npm run campaign -- seed|list|show <id>|create --file <round.json> [--note <why>] --table <TableName> [--region <region>]';

/** The operator acting from this command, as recorded on the versions it saves. */
const OPERATOR = {
  role: 'ops' as const,
  subjectId: 'operator-command',
  name: 'Operations (npm run campaign)',
};

export interface CommandOutput {
  log(line: string): void;
}

/** The stage's catalog, and what to close when done: DynamoDB from the usual credential chain. */
export type OpenCatalog = (
  table: string,
  region: string | undefined,
) => { catalog: CampaignCatalog; close(): void };

const openDynamoCatalog: OpenCatalog = (table, region) => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(region ? { region } : {}));
  return { catalog: dynamoCampaignCatalog(documents, table), close: () => documents.destroy() };
};

/** A refusal as an operator reads it: the sentence, then each problem by field, in both languages. */
export function refusalLines(error: DomainError): string[] {
  const lines = [`${error.messages.zh} / ${error.messages.en}`];
  if (error instanceof ValidationError) {
    for (const issue of error.issues) {
      lines.push(`  ${issue.path.join('.') || '(definition)'}: ${issue.message.zh} / ${issue.message.en}`);
    }
  }
  return lines;
}

export async function runCampaignCommand(
  argv: readonly string[],
  out: CommandOutput,
  open: OpenCatalog = openDynamoCatalog,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      table: { type: 'string', default: process.env.LAUREL_TABLE },
      region: { type: 'string', default: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
      file: { type: 'string' },
      note: { type: 'string', default: '' },
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
  if (command === 'create' && !values.file) throw new Error(USAGE);
  const { catalog, close } = open(values.table, values.region);
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
    } else if (command === 'create' && values.file) {
      const definition: unknown = JSON.parse(await readFile(values.file, 'utf8'));
      const campaigns = new Map((await catalog.current()).map((v) => [v.campaign.id, v.campaign]));
      const entry = await storeNewRound(
        { catalog, clock: clockWithOffset(0), campaigns },
        OPERATOR,
        definition,
        values.note,
      );
      const { campaign } = entry;
      out.log(`created ${campaign.id} v${entry.version}  ${campaign.name.zh}  deadline ${campaign.deadline}`);
      out.log(
        `next: npm run invite -- --table ${values.table} --web-url <WebUrl> --campaign ${campaign.id} --name <secretariat> --email <e-mail>`,
      );
    } else {
      throw new Error(USAGE);
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    for (const line of refusalLines(error)) out.log(line);
    throw new Error(`${command} refused`);
  } finally {
    close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCampaignCommand(process.argv.slice(2), console).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
