import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AccessStore, accessEmail, type RevokedAccess } from '../ports/access.js';
import type { Invitation, Role, Session } from '../rules/access.js';
import { queryPartition } from './table.js';
import { conditionFailedAt, transactWrite, writtenIfCondition } from './transactions.js';

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
      const { renewedFrom } = invitation;
      try {
        await transactWrite(documents, {
          TransactItems: [
            {
              Put: {
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
              },
            },
            // Its note under the address, with it or not at all: what a revocation finds.
            {
              Put: {
                TableName: tableName,
                Item: accessNote(invitation, `invitation#${invitation.tokenHash}`),
              },
            },
            // A fresh link only while the link it renews stands: never one born of a revoked link.
            ...(renewedFrom
              ? [
                  {
                    ConditionCheck: {
                      TableName: tableName,
                      Key: { pk: `invitation#${renewedFrom}`, sk: 'item' },
                      ConditionExpression: `attribute_exists(pk) AND ${NOT_REVOKED}`,
                      ExpressionAttributeNames: REVOKED_NAMES,
                    },
                  },
                ]
              : []),
          ],
        });
        return true;
      } catch (error) {
        if (renewedFrom && conditionFailedAt(error, 2)) return false;
        throw error;
      }
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
                // Never from a link revoked meanwhile: a revocation marks the links, then ends the sessions.
                ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#data.#usedAt) AND ${NOT_REVOKED}`,
                ExpressionAttributeNames: { ...REVOKED_NAMES, '#usedAt': 'usedAt' },
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
            { Put: { TableName: tableName, Item: accessNote(session, `session#${session.sessionHash}`) } },
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
      // Its note under the address stays until its TTL: a revocation finding it deletes nothing more.
      await documents.send(
        new DeleteCommand({ TableName: tableName, Key: { pk: `session#${sessionHash}`, sk: 'item' } }),
      );
    },
    async revokeAccess(campaignId, email, roles, at) {
      const pk = accessNotes(campaignId, email);
      const notesNow = async () =>
        (await queryPartition(documents, tableName, pk)).filter((n) => roles.includes(n.role as Role));
      const people = new Map<string, RevokedAccess['people'][number]>();
      const marked = new Set<string>();
      let links = 0;
      let sessions = 0;
      // The links first, read again until a read finds none left unmarked; then the sessions of
      // the last read. A sign-in or a fresh link wins its condition only before its link is marked,
      // so it is written by the next read — a consistent query of the address's partition — and
      // none begins after: nothing made while this runs is left standing.
      let notes = await notesNow();
      for (;;) {
        const unmarked = notes.filter(
          (n) => String(n.sk).startsWith('invitation#') && !marked.has(String(n.sk)),
        );
        if (unmarked.length === 0) break;
        for (const note of unmarked) {
          const sk = String(note.sk);
          marked.add(sk);
          const revoked = await writtenIfCondition(
            documents,
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: sk, sk: 'item' },
              UpdateExpression: 'SET #data.#revokedAt = :at',
              ConditionExpression: `attribute_exists(pk) AND ${NOT_REVOKED}`,
              ExpressionAttributeNames: REVOKED_NAMES,
              ExpressionAttributeValues: { ':at': at },
            }),
          );
          if (revoked) links += 1;
        }
        notes = await notesNow();
      }
      for (const note of notes) {
        const person = {
          role: note.role as Role,
          subjectId: String(note.subjectId),
          name: String(note.name),
        };
        people.set(`${person.role}#${person.subjectId}`, person);
        const sk = String(note.sk);
        if (!sk.startsWith('session#')) continue;
        const { Attributes } = await documents.send(
          new DeleteCommand({ TableName: tableName, Key: { pk: sk, sk: 'item' }, ReturnValues: 'ALL_OLD' }),
        );
        if (Attributes) sessions += 1;
        await documents.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }));
      }
      return { people: [...people.values()], links, sessions };
    },
  };
}

/** A link not revoked: what a sign-in, a fresh link and a revocation's own mark each require. */
const NOT_REVOKED = 'attribute_not_exists(#data.#revokedAt)';
const REVOKED_NAMES = { '#data': 'data', '#revokedAt': 'revokedAt' };

/** The partition of an address's notes, which a revocation reads. */
const accessNotes = (campaignId: string, email: string) => `access#${campaignId}#${accessEmail(email)}`;

/**
 * The note under the address of an invitation or a session (`sk` names which): whose it is, and
 * the same TTL, so it goes when they do.
 */
function accessNote(of: Invitation | Session, sk: string) {
  return {
    pk: accessNotes(of.campaignId, of.email),
    sk,
    role: of.role,
    subjectId: of.subjectId,
    name: of.name,
    expiresAt: epochSeconds(of.expiresAt),
  };
}
