import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessStore } from '../ports/access.js';
import type { Invitation, Session } from '../rules/access.js';

/**
 * Invitations and sessions in the single table, addressed by the hash of their token.
 * Both carry `expiresAt` in epoch seconds (the table's TTL attribute) so DynamoDB removes them
 * once they can no longer be used; reads still check the expiry, as TTL deletion lags.
 */
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function dynamoAccessStore(documents: DynamoDBDocumentClient, tableName: string): AccessStore {
  const get = async <T>(pk: string): Promise<T | undefined> => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk, sk: 'item' }, ConsistentRead: true }),
    );
    return Item ? (Item.data as T) : undefined;
  };
  return {
    async putInvitation(invitation) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `invitation#${invitation.tokenHash}`,
            sk: 'item',
            data: invitation,
            // Invitations of a campaign, newest first, for the secretariat's list.
            gsi1pk: `campaign#${invitation.campaignId}#invitations`,
            gsi1sk: `${invitation.createdAt}#${invitation.tokenHash}`,
            expiresAt: epochSeconds(invitation.expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    getInvitation: (tokenHash) => get<Invitation>(`invitation#${tokenHash}`),
    async putSession(session) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `session#${session.sessionHash}`,
            sk: 'item',
            data: session,
            expiresAt: epochSeconds(session.expiresAt),
          },
        }),
      );
    },
    getSession: (sessionHash) => get<Session>(`session#${sessionHash}`),
    async deleteSession(sessionHash) {
      await documents.send(
        new DeleteCommand({ TableName: tableName, Key: { pk: `session#${sessionHash}`, sk: 'item' } }),
      );
    },
  };
}
