import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessStore } from '../ports/access.js';
import type { Invitation, Session } from '../rules/access.js';
import { conditionFailedAt, transactWrite } from './transactions.js';

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
    async startSession(invitationHash, usedAt, session) {
      try {
        // One transaction: two requests with one link cannot both get a session, and a failed
        // session write leaves the link unused.
        await transactWrite(documents, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: { pk: `invitation#${invitationHash}`, sk: 'item' },
                UpdateExpression: 'SET #data.#usedAt = :usedAt',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#data.#usedAt)',
                ExpressionAttributeNames: { '#data': 'data', '#usedAt': 'usedAt' },
                ExpressionAttributeValues: { ':usedAt': usedAt },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  pk: `session#${session.sessionHash}`,
                  sk: 'item',
                  data: session,
                  expiresAt: epochSeconds(session.expiresAt),
                },
              },
            },
          ],
        });
        return true;
      } catch (error) {
        if (conditionFailedAt(error, 0)) return false;
        throw error;
      }
    },
    getSession: (sessionHash) => get<Session>(`session#${sessionHash}`),
    async deleteSession(sessionHash) {
      await documents.send(
        new DeleteCommand({ TableName: tableName, Key: { pk: `session#${sessionHash}`, sk: 'item' } }),
      );
    },
  };
}
