import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoAccessStore } from '../functions/adapters/access-store.js';
import { dynamoCampaignCatalog } from '../functions/adapters/campaign-catalog.js';
import { clockWithOffset, cryptoSecrets } from '../functions/adapters/secrets.js';
import { signInLink } from '../functions/rules/links.js';
import { issueInvitation } from '../functions/use-cases/sign-in.js';

/**
 * Operations issue the first sign-in link of a deployed stage — a campaign's secretariat, or
 * another operator — straight into its table, with the operator's own AWS credentials (the
 * usual chain: AWS_PROFILE, SSO, environment). Every later link is issued in the app by the
 * secretariat. The link is printed, never mailed: hand it over on a channel you trust.
 *
 *   npm run invite -- --table <TableName> --web-url <WebUrl> --campaign cast-2024 \
 *     --name '中国科协科学技术普及部' --email secretariat@example.org [--role secretariat] [--days 14]
 *
 * TableName and WebUrl are outputs of the stack (README › Deploy).
 */
const USAGE =
  'usage: npm run invite -- --table <TableName> --web-url <https://…> --campaign <id> --name <name> --email <e-mail> [--role secretariat|ops] [--subject <id>] [--days 1-90] [--region <region>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string', default: process.env.LAUREL_TABLE },
      'web-url': { type: 'string', default: process.env.LAUREL_WEB_URL },
      campaign: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string', default: 'secretariat' },
      subject: { type: 'string' },
      days: { type: 'string', default: '14' },
      region: { type: 'string', default: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { table, campaign: campaignId, name, email, role, region } = values;
  const webUrl = values['web-url']?.replace(/\/$/, '');
  if (!table || !webUrl || !campaignId || !name || !email) throw new Error(USAGE);
  if (role !== 'secretariat' && role !== 'ops') throw new Error('--role is secretariat or ops');
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(region ? { region } : {}));
  try {
    // The rounds the stage runs, from its catalog (`npm run campaign -- list`).
    const campaigns = new Map(
      (await dynamoCampaignCatalog(documents, table).current()).map((v) => [v.campaign.id, v.campaign]),
    );
    const campaign = campaigns.get(campaignId);
    if (!campaign) {
      throw new Error(
        `unknown campaign ${campaignId}; known: ${[...campaigns.keys()].join(', ') || 'none (npm run campaign -- seed)'}`,
      );
    }
    // The issuer recorded on the invitation (createdBy): operations, acting from this script.
    const operator = {
      role: 'ops' as const,
      campaignId,
      subjectId: 'invite-script',
      name: 'scripts/invite.ts',
      email: 'operations@laurel.invalid',
    };
    const { token, invitation } = await issueInvitation(
      {
        access: dynamoAccessStore(documents, table),
        campaigns,
        clock: clockWithOffset(0),
        secrets: cryptoSecrets,
      },
      operator,
      {
        role,
        subjectId: values.subject ?? role,
        name,
        email,
        validDays: Number(values.days),
      },
    );
    console.log(
      `${role} sign-in link for ${campaign.name.zh} (${campaignId}), valid until ${invitation.expiresAt}:`,
    );
    console.log(`  ${signInLink(webUrl, token)}`);
  } finally {
    documents.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
