import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AuditEvent,
  NominationFilter,
  NominationStore,
  NoticeClaims,
  StatusChange,
} from '../ports/nominations.js';
import { listName, refuseQuotaChanges } from '../ports/nominations.js';
import { CATEGORY_IDS } from '../rules/categories.js';
import type { DeadlineExtension } from '../rules/deadline.js';
import { QuotaExceededError } from '../rules/errors.js';
import { withCurrentForm } from '../rules/forms/index.js';
import { type Nomination, staleVersion } from '../rules/nomination.js';
import { NOMINATION_STATUSES, type NominationStatus, rankingRowFollows } from '../rules/nomination-status.js';
import {
  type ListedNomination,
  listedFrom,
  listedName,
  type NotedParts,
  nameSearchKey,
  notedPartsOf,
  searchPrefix,
} from '../rules/nomination-view.js';
import { type CampaignCounts, countsDelta, type NominationFigures } from '../rules/overview.js';
import { decodeCursor, encodeCursor, invalidCursor, MAX_PAGE } from '../rules/paging.js';
import { type RankingShownSource, rankingShownFrom, rankingShownOf } from '../rules/ranking-lines.js';
import { PUBLISHED_FORM_FIELDS } from '../rules/retention.js';
import { type AwaitingExperts, awaitingExpertsOf } from '../rules/review.js';
import type { ReviewedNomination } from '../rules/scoring.js';
import { statusesAnswering } from '../rules/steps.js';
import { auditItem } from './audit-item.js';
import { rankingKey } from './review-store.js';
import { batchGetItems, batchWrite, FACETS_ATTRIBUTE, itemAddress } from './table.js';
import {
  conditionFailedAt,
  itemWhereConditionFailed,
  transactWrite,
  updatedIfCondition,
  writtenIfCondition,
} from './transactions.js';

/** The attribute of a notice's audit item while its send is claimed and not yet settled. */
const CLAIMED_AT = 'claimedAt';

/**
 * Nominations in the single table.
 *
 *   nomination#<id> / item          the nomination but its form and attachments (its version at the
 *                                   top level, for conditions; `parts`: a fingerprint of each part)
 *   nomination#<id> / item#form, item#attachments  the large parts, each written only by a change
 *                                   of it (in the same transaction as the item): a status change
 *                                   rewrites a small item, not the ~12 KB form (a new draft's empty
 *                                   ones have no item until they change: `emptyPartsOf`); read with the item
 *                                   by one Query (`begins_with(sk, 'item')`). An item written before
 *                                   the parts were apart holds its form itself, and reads as it is;
 *                                   its next write moves the parts out.
 *                                   The files' item also keeps their ids as a set (`ids`), so
 *                                   that a file's record is added by one conditional write that
 *                                   reads nothing first (`appendAttachment`), never twice.
 *   nomination#<id> / item#confirmations  the unit's declarations (their texts) and consent at its
 *                                   last (re)submission, once it has any: written by a submission,
 *                                   not by the status changes after it (an item written before they
 *                                   were apart holds them in `data`; its next write moves them out)
 *   nomination#<id> / item#eligibility  the [auto] criteria as the last (re)submission's check
 *                                   evaluated them, once it ran: written by that check alone
 *   nomination#<id> / item#token    the task token of the human step it waits in (AWS's are up
 *                                   to 2 KB): written as each step is armed, so the small item
 *                                   keeps only the step and since when (`data.awaiting`), and
 *                                   the status changes that rewrite it carry no token
 *   nomination#<id> / audit#<at>#<action>#<actor>  one append-only event per action; a notice's
 *                                   event is first written as a claim (`claimedAt`, left out of
 *                                   the trail) before its mail is sent, then marked sent or refused
 *   quota#<campaign>#<unit> / <key> the quota ledger: slots used per category (or in total)
 *   campaign#<campaign> / extension#<unit>   a unit's deadline extension
 *   campaign#<campaign> / counts    the counts aggregate: per status, status#category, ever-submitted#category,
 *                                   day#<date> (ADD with each change: rules/overview.ts, countsDelta)
 *   ranking#<campaign> / <category>#<id>  `status` of the stored ranking's row (review-store.ts),
 *                                   kept with each change past screening, so a ranking reads no nomination
 *   awaiting-experts#<campaign> / <id>  a nomination in review still waiting for its first experts:
 *                                   the few fields the conflict checks read (put as it enters review,
 *                                   deleted as it leaves or its experts are taken), so the round's
 *                                   planning reads one small page instead of every form in review
 *
 * The nomination item also carries `noted` (the nominee's name, how many files, and the criteria
 * the submission's check failed or flagged: what a list shows of the parts); lists read `data` and `noted` and show `listedFrom` them. (Items written
 * before kept a copy of the row, `listed`, which lists read as it is.) And `facets`, its
 * category and unit (never its status, which changes): all the indexes hold of it besides their keys (TABLE_SHAPE), what the unit's
 * list and the name search filter on. An index holding the whole item was written again, whole,
 * by each change of it; now a change writes an index only when its key or the facets moved, and a
 * list reads its page's rows from the table by key (one BatchGetItem a page). An item written
 * before the facets has none: the filters let it through and the rows read are checked again.
 *
 * gsi1: campaign#<c>#status#<s> → <category>#<updatedAt>#<id>  (secretariat lists by status; keys only;
 *       a draft's is its createdAt: its saves leave the index alone)
 * gsi2: unit#<c>#<unit> → <createdAt>#<id>                     (a unit's own list; facets)
 * gsi3: names#<c>#<category> → <name search key>#<id>          (search by the start of the name;
 *       drafts have none: the secretariat never lists them; facets)
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const nominationKey = (id: string) => ({ pk: `nomination#${id}`, sk: 'item' });

/**
 * The parts of a nomination kept in items of their own: large, or written once, and changed by
 * few writes. Each part says what it holds of the nomination (`of`) and how it reads back
 * (`into`, given the small item's `data`); an optional part with nothing in it has no item (a
 * draft has no confirmations).
 */
const PARTS = {
  form: {
    of: (n: Nomination) => n.form,
    into: (value: unknown): Partial<Nomination> => ({ form: (value ?? {}) as Nomination['form'] }),
    optional: false,
  },
  attachments: {
    of: (n: Nomination) => n.attachments,
    into: (value: unknown): Partial<Nomination> => ({
      attachments: (value ?? []) as Nomination['attachments'],
    }),
    optional: false,
  },
  /**
   * What the unit confirmed at its last (re)submission: the declarations (~1 KB of their texts)
   * and the consent. Written once a submission; on the small item, every status change after it
   * would write them again into the table and each of its three indexes.
   */
  confirmations: {
    of: (n: Nomination) => ({
      ...(n.declarations ? { declarations: n.declarations } : {}),
      ...(n.consent ? { consent: n.consent } : {}),
    }),
    // An item written before this part was apart keeps them in `data`: no part, nothing to add.
    into: (value: unknown): Partial<Nomination> => (value ?? {}) as Partial<Nomination>,
    optional: true,
  },
  /**
   * The [auto] criteria as evaluated at the last (re)submission, with their messages (~1 KB):
   * written once by the submission's check, read by the screening view and the ranking. On the
   * small item, every status change and every task token stored after it would write them again.
   */
  eligibility: {
    of: (n: Nomination) => (n.eligibility ? { eligibility: n.eligibility } : {}),
    // An item written before this part was apart keeps them in `data`: no part, nothing to add.
    into: (value: unknown): Partial<Nomination> => (value ?? {}) as Partial<Nomination>,
    optional: true,
  },
  /**
   * The awaited step's task token: AWS's run to 2 KB (TASK_TOKEN_MAX_LENGTH), twice the rest of
   * the small item. On it, every status change after a step is armed would write the token
   * again (two write units a KB in a transaction); here only arming a step writes it. The step
   * and since when stay on the small item (`data.awaiting`): the lists show them.
   */
  token: {
    of: (n: Nomination) => (n.awaiting ? { taskToken: n.awaiting.taskToken } : {}),
    // The token's item names the step it was armed for. It is written with the small item's copy
    // of it by one transaction, or — where that is refused (storeAwaiting) — before it: a read
    // between the two writes — or after a task that died between them, which Step Functions runs
    // again — pairs the token with its own step, never
    // with the step before, whose decision must not be delivered to the next step's token. An
    // item written before this part was apart keeps the token in `data.awaiting`; one written
    // before the token's item named its step takes the small item's.
    into: (value: unknown, data: Nomination): Partial<Nomination> => {
      const stored = value as StoredToken | undefined;
      const token = tokenOf(stored);
      if (!token) return {};
      if (stored && 'awaited' in stored && stored.awaited)
        return { awaiting: { ...stored.awaited, taskToken: token } };
      return data.awaiting ? { awaiting: { ...data.awaiting, taskToken: token } } : {};
    },
    optional: true,
  },
} as const;

/**
 * A task token as its item keeps it: the bytes its base64 spells when it is base64 that spells
 * them back exactly (three quarters of its characters: a 2 KB token in 1.5 KB, two write units
 * instead of three), else its text. AWS documents a token as an opaque string, so both are kept.
 */
type StoredToken = ({ bytes: Uint8Array; alphabet: 'base64' | 'base64url' } | { taskToken: string }) & {
  /** The step it was armed for (awaitedStep); absent on items written before it was kept here. */
  awaited?: AwaitedStep;
};

function storedToken(awaiting: NonNullable<Nomination['awaiting']>): StoredToken {
  const { taskToken } = awaiting;
  const awaited = awaitedStep(awaiting);
  for (const alphabet of ['base64url', 'base64'] as const) {
    const bytes = Buffer.from(taskToken, alphabet);
    if (bytes.length > 0 && bytes.toString(alphabet) === taskToken) return { bytes, alphabet, awaited };
  }
  return { taskToken, awaited };
}

const tokenOf = (stored: StoredToken | undefined): string | undefined =>
  stored && 'bytes' in stored ? Buffer.from(stored.bytes).toString(stored.alphabet) : stored?.taskToken;

/** What a part's item holds: the part itself, the token as `storedToken` keeps it. */
const partData = (part: Part, n: Nomination): unknown =>
  part === 'token' && n.awaiting ? storedToken(n.awaiting) : PARTS[part].of(n);

/** The attribute of the files' item that holds their ids: a string set, whose members a condition tests. */
const FILE_IDS = 'ids';

/**
 * What a part's item keeps besides `data`: the files' ids (`appendAttachment`'s condition that a
 * record is not there already). DynamoDB stores no empty set: an item without files has none.
 */
const partExtras = (part: Part, n: Nomination): Record<string, unknown> =>
  part === 'attachments' && n.attachments.length > 0
    ? { [FILE_IDS]: new Set(n.attachments.map((a) => a.id)) }
    : {};

/**
 * What `appendAttachment` leaves as the files' fingerprint: it adds to the stored list without
 * reading it, so it cannot take the fingerprint of the whole. Never a fingerprint itself (those
 * are base64url), it differs from every one, so a change that knows only this writes the files
 * whole; a read puts the fingerprint of the list it read in its place (`knownPrints`).
 */
const APPENDED = 'appended:';
type Part = keyof typeof PARTS;
const PART_NAMES = Object.keys(PARTS) as Part[];
/** The fields of a nomination its parts hold, left out of the small item. */
const PART_FIELDS = [
  'form',
  'attachments',
  'declarations',
  'consent',
  'eligibility',
] as const satisfies readonly (keyof Nomination)[];
type PartFingerprints = Partial<Record<Part, string>>;

const partKey = (id: string, part: Part) => ({ pk: `nomination#${id}`, sk: `item#${part}` });

/**
 * Whether a part changed is told by its fingerprint, kept on the small item: of the value with
 * every map's keys in order, since a map read back from DynamoDB keeps no key order — else a
 * container that read a part and wrote the nomination on found the part changed, and wrote it
 * again, whole (the form, the confirmations' texts), though nothing in it had.
 */
const fingerprintOf = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(sortedKeys(value)))
    .digest('base64url')
    .slice(0, 22);

const isEmpty = (value: unknown) =>
  value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/**
 * The fingerprint of what the ranking's row shows of the nomination (`rankingShownFrom`): a change
 * that keeps the status rewrites the row only when this changed (a name corrected or erased, a
 * verdict recorded). Worked out from the stored item's own fields, so the item stores nothing more.
 */
function shownPrintOf(n: RankingShownSource): string | undefined {
  const shown = rankingShownFrom(n);
  return shown ? fingerprintOf(shown) : undefined;
}

/** The value with every map's keys in order: a map read back from DynamoDB keeps no key order. */
const sortedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortedKeys)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, v]) => [k, sortedKeys(v)]),
        )
      : value;

/** The fingerprint of each part the nomination has (an optional part with nothing in it has none). */
function fingerprints(n: Nomination): PartFingerprints {
  return Object.fromEntries(
    PART_NAMES.flatMap((part) => {
      const value = PARTS[part].of(n);
      return PARTS[part].optional && isEmpty(value) ? [] : [[part, fingerprintOf(value)]];
    }),
  );
}

/**
 * The awaited step as the small item (and its token's item) keep it: everything but the token —
 * the step, since when, and whose clock counts a review's days (the campaign's review clock
 * counts only the nominations whose step says so).
 */
type AwaitedStep = Omit<NonNullable<Nomination['awaiting']>, 'taskToken'>;
const awaitedStep = ({ taskToken: _token, ...awaited }: NonNullable<Nomination['awaiting']>): AwaitedStep =>
  awaited;

/** The nomination without what its parts hold. */
function withoutParts(n: Nomination): Partial<Nomination> {
  const rest: Partial<Nomination> = { ...n };
  for (const field of PART_FIELDS) delete rest[field];
  // The token is a part of its own (PARTS.token); read back, `into` puts it in again.
  if (n.awaiting) (rest as { awaiting?: unknown }).awaiting = awaitedStep(n.awaiting);
  return rest;
}

/**
 * What the indexes hold of a nomination besides their keys: what the lists filter on, and only
 * what never changes. The status is not among them: each status change would write the facets
 * again into the unit's and the name index (a write unit each, two in a transaction) although
 * neither index's key moved; a list narrowed by status checks it on the rows it reads from the
 * table (`fits`). Items written before still carry a status in their facets: nothing reads it.
 */
interface Facets {
  category: string;
  unitId: string;
}

const facetsOf = (n: Pick<Nomination, 'category' | 'unitId'>): Facets => ({
  category: n.category,
  unitId: n.unitId,
});

function nominationItem(n: Nomination) {
  const rest = withoutParts(n);
  // What a list shows of the parts; the rest of its row is `data` (listedFrom). No copy of the
  // row is kept: the table holds it once, and lists read it from there.
  const noted = notedPartsOf(n);
  return {
    ...nominationKey(n.id),
    version: n.version,
    data: rest,
    parts: fingerprints(n),
    noted,
    [FACETS_ATTRIBUTE]: facetsOf(n),
    gsi1pk: `campaign#${n.campaignId}#status#${n.status}`,
    // A draft's place is its creation: its saves and files, a draft's many writes, leave the
    // status index alone (a moved key costs a delete and a put there). No list shows drafts from
    // it; the erasure reads their ids.
    gsi1sk: `${n.category}#${n.status === 'draft' ? n.createdAt : n.updatedAt}#${n.id}`,
    gsi2pk: `unit#${n.campaignId}#${n.unitId}`,
    gsi2sk: `${n.createdAt}#${n.id}`,
    ...(n.status === 'draft'
      ? {}
      : { gsi3pk: `names#${n.campaignId}#${n.category}`, gsi3sk: `${nameSearchKey(noted.name)}#${n.id}` }),
  };
}

/**
 * The writes of the parts whose fingerprint differs from the stored one (every part when none is
 * known): a put of what it holds, or the delete of an optional part left with nothing in it.
 */
function changedParts(
  tableName: string,
  n: Nomination,
  stored: PartFingerprints | undefined,
): TransactItem[] {
  const now = fingerprints(n);
  return PART_NAMES.filter((part) => stored?.[part] !== now[part]).flatMap((part): TransactItem[] => {
    if (now[part] !== undefined)
      return [
        {
          Put: {
            TableName: tableName,
            Item: { ...partKey(n.id, part), data: partData(part, n), ...partExtras(part, n) },
          },
        },
      ];
    // Emptied (erased), or never written: only a part once stored has an item to remove.
    return stored?.[part] !== undefined
      ? [{ Delete: { TableName: tableName, Key: partKey(n.id, part) } }]
      : [];
  });
}

/**
 * The fingerprints of the nomination's parts that hold nothing (a draft's form and files): a part
 * without its item reads as empty (`into`), so a creation passes these as stored and writes three
 * items, not five (each charged twice in its transaction); the first change of a part puts it.
 */
const emptyPartsOf = (n: Nomination): PartFingerprints =>
  Object.fromEntries(Object.entries(fingerprints(n)).filter(([part]) => isEmpty(PARTS[part as Part].of(n))));

/**
 * The nomination from its item and its parts' items (the Query of `begins_with(sk, 'item')`); an
 * item from before the parts were apart holds them itself.
 */
function assembled(items: readonly Record<string, unknown>[]): Nomination | undefined {
  const item = items.find((i) => i.sk === 'item');
  return item && withPartsOf(item, (name) => items.find((i) => i.sk === `item#${name}`)?.data);
}

/**
 * The nomination of an item, its parts (when kept apart) from `part`. A part the item has no
 * fingerprint of adds nothing: the item holds it (written before it was apart) or it is empty.
 */
function withPartsOf(item: Record<string, unknown>, part: (name: Part) => unknown): Nomination {
  const data = item.data as Nomination;
  // A form stored in an earlier shape (a founding date before it was a month) reads in today's.
  if (!item.parts) return withCurrentForm(data);
  const stored = item.parts as PartFingerprints;
  const parts = PART_NAMES.filter((name) => stored[name] !== undefined || !PARTS[name].optional).map((name) =>
    PARTS[name].into(part(name), data),
  );
  return withCurrentForm(Object.assign({ ...data }, ...parts) as Nomination);
}

/**
 * The keys of a nomination's item and of every part it may keep apart: read by key (a BatchGetItem
 * with other items, `nominationFrom`), a part the nomination does not have is simply not found.
 */
export const nominationKeys = (id: string): Record<string, string>[] => [
  nominationKey(id),
  ...PART_NAMES.map((part) => partKey(id, part)),
];

/**
 * The nomination of its items in a read's answer (by `pk/sk`: its item and its parts' items, read
 * with other items of its partition by one request); undefined when it has no item.
 */
export function nominationFrom(
  found: ReadonlyMap<string, Record<string, unknown>>,
  id: string,
  /** The container's memory of nominations read (`seenNominations`): a change of this state then reads nothing first. */
  seen?: SeenNominations,
): Nomination | undefined {
  const item = found.get(`nomination#${id}/item`);
  const nomination = item && withPartsOf(item, (name) => found.get(`nomination#${id}/item#${name}`)?.data);
  if (nomination && seen) rememberedIn(seen, nomination, item.parts as PartFingerprints | undefined);
  return nomination;
}

/** What a change needs to know of the state it replaces: the counts' figures and the parts' fingerprints. */
interface StoredFigures {
  version: number;
  figures: NominationFigures;
  parts?: PartFingerprints;
  /** `shownPrintOf` the stored nomination. */
  shownPrint?: string | undefined;
}

const figuresOf = (n: Nomination): NominationFigures => ({
  status: n.status,
  category: n.category,
  ...(n.submittedAt ? { submittedAt: n.submittedAt } : {}),
});

/** How many nominations a container remembers the last seen state of (a warm container's few). */
const REMEMBERED = 500;

/**
 * The last state a container's stores read or wrote of each nomination, by version: a change made
 * on a state just read (a use case reads, then writes with that version) needs no second read of
 * what it replaces. Safe because every write is conditional on the stored version and raises it:
 * a nomination's version names one state, so if the write goes through, the stored state was the
 * one remembered; if another container wrote meanwhile, the condition refuses the write (a 409,
 * as without this). Whoever read it — the nomination store, or the review store reading it with
 * an expert's assignment (`nominationFrom`) — read that one state. Bounded: a warm container
 * forgets the oldest first.
 */
export type SeenNominations = Map<string, StoredFigures>;
export const seenNominations = (): SeenNominations => new Map();

/**
 * The stored fingerprints with the mark a file's record left (APPENDED) replaced by the
 * fingerprint of the files as read: read with the item, they are the files of that version.
 */
function knownPrints(n: Nomination, parts: PartFingerprints): PartFingerprints {
  return Object.fromEntries(
    Object.entries(parts).map(([part, print]) => [
      part,
      print?.startsWith(APPENDED) ? fingerprintOf(PARTS[part as Part].of(n)) : print,
    ]),
  );
}

function rememberedIn(seen: SeenNominations, n: Nomination, parts: PartFingerprints | undefined): void {
  seen.delete(n.id);
  seen.set(n.id, {
    version: n.version,
    figures: figuresOf(n),
    ...(parts ? { parts: knownPrints(n, parts) } : {}),
    shownPrint: shownPrintOf({ ...n, name: listedName(n) }),
  });
  if (seen.size > REMEMBERED) seen.delete(seen.keys().next().value as string);
}

const countsKey = (campaignId: string) => ({ pk: `campaign#${campaignId}`, sk: 'counts' });

/** A nomination's place in the round's planning window while it waits for its first experts. */
export const awaitingKey = (campaignId: string, nominationId: string) => ({
  pk: `awaiting-experts#${campaignId}`,
  sk: nominationId,
});

/** The counts aggregate's update: ADD each key's delta (functions/rules/overview.ts, `countsDelta`). */
function countsUpdate(tableName: string, campaignId: string, delta: CampaignCounts): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = Object.entries(delta).map(([key, by], i) => {
    names[`#k${i}`] = key;
    values[`:d${i}`] = by;
    return `#k${i} :d${i}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: countsKey(campaignId),
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * The status of the nomination's row of the stored ranking and what a ranking page shows of it
 * (name, unit, verdict), set in the same transaction as the change.
 */
function rankingStatusUpdate(
  tableName: string,
  nomination: Nomination,
  /** The ranking's entry as stored (`rankingEntryOf`; review-store.ts, putRankingEntry), when the change completes the reviews. */
  entry?: ReviewedNomination,
): TransactItem {
  const shown = rankingShownOf(nomination);
  const set = ['#s = :status', ...(shown ? ['shown = :shown'] : []), ...(entry ? ['#d = :entry'] : [])];
  return {
    Update: {
      TableName: tableName,
      Key: rankingKey(nomination.campaignId, nomination.category, nomination.id),
      UpdateExpression: `SET ${set.join(', ')}${shown ? '' : ' REMOVE shown'}`,
      ExpressionAttributeNames: { '#s': 'status', ...(entry ? { '#d': 'data' } : {}) },
      ExpressionAttributeValues: {
        ':status': nomination.status,
        ...(shown ? { ':shown': shown } : {}),
        ...(entry ? { ':entry': entry } : {}),
      },
    },
  };
}

/** Statuses a list without a status filter goes through, in order: every one but draft. */
const LISTED_STATUSES = NOMINATION_STATUSES.filter((s) => s !== 'draft');

/** What a list reads of each item of its page, from the table. */
const LIST_PROJECTION = 'listed, #d, noted, pk, sk';

/** A list's row: kept on items written before the row was worked out from `data` and `noted`. */
const listedOf = (item: Record<string, unknown>): ListedNomination =>
  (item.listed as ListedNomination | undefined) ??
  listedFrom(item.data as Nomination, item.noted as NotedParts);

const conditionFailed = conditionFailedAt;

/**
 * A status change's writes (`changeStatus`): the item on the stored version's condition, its
 * quota slot, its audit event, its changed parts, its ranking row and its place in the planning
 * window; with the counts' delta apart, so that a transaction of many changes updates the
 * counts once with their sum. `before` is the state the change replaces.
 */
function statusChangeWrites(
  tableName: string,
  { nomination, expectedVersion, quota, audit, rankingEntry }: StatusChange,
  before: StoredFigures | undefined,
): { items: TransactItem[]; delta: CampaignCounts } {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: nominationItem(nomination),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
  ];
  if (quota) {
    items.push({
      Update: {
        TableName: tableName,
        Key: { pk: `quota#${nomination.campaignId}#${nomination.unitId}`, sk: quota.ledgerKey },
        UpdateExpression: 'ADD used :delta',
        ...(quota.delta > 0 && quota.limit !== undefined
          ? {
              ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
              ExpressionAttributeValues: { ':delta': quota.delta, ':limit': quota.limit },
            }
          : { ExpressionAttributeValues: { ':delta': quota.delta } }),
      },
    });
  }
  if (audit) items.push(auditItem(tableName, audit));
  // The counts move with the status, the category and the day of submission; the parts are
  // written when they changed.
  items.push(...changedParts(tableName, nomination, before?.parts));
  const was = before?.figures;
  const delta = was?.status ? countsDelta(was, nomination) : {};
  // The ranking's row carries the status and what is shown as the change that set them wrote
  // them: a change that keeps both (a step awaited, a save) leaves the row alone — unless it
  // brings the row's entry (the reviews complete).
  if (
    rankingEntry ||
    ((was?.status !== nomination.status ||
      before?.shownPrint !== shownPrintOf({ ...nomination, name: listedName(nomination) })) &&
      rankingRowFollows(nomination.status, was?.status as NominationStatus | undefined))
  )
    items.push(rankingStatusUpdate(tableName, nomination, rankingEntry));
  // Entering review, the nomination waits for its first experts; leaving it, it waits no more.
  if (was?.status !== nomination.status && nomination.status === 'in-review') {
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...awaitingKey(nomination.campaignId, nomination.id), data: awaitingExpertsOf(nomination) },
      },
    });
  } else if (was?.status === 'in-review' && nomination.status !== 'in-review') {
    items.push({
      Delete: { TableName: tableName, Key: awaitingKey(nomination.campaignId, nomination.id) },
    });
  }
  return { items, delta };
}

/** A status change of a batch with its writes (statusChangeWrites). */
interface PlannedChange {
  change: StatusChange;
  items: TransactItem[];
  delta: CampaignCounts;
}

/**
 * TransactWriteItems' limits (AWS: at most 100 actions and 4 MB a transaction, and no item twice):
 * a batch's changes are packed below them, room kept for the counts' update of each campaign.
 */
const TRANSACTION_ACTIONS = 100;
const TRANSACTION_BYTES = 3_500_000;

/**
 * The changes packed into transactions in their order, each within TRANSACTION_ACTIONS and
 * TRANSACTION_BYTES with a counts update per campaign it holds, and a nomination at most once in
 * each (AWS refuses a transaction naming an item twice).
 */
function transactionsOf(planned: readonly PlannedChange[]): PlannedChange[][] {
  const batches: PlannedChange[][] = [];
  let batch: PlannedChange[] = [];
  let actions = 0;
  let bytes = 0;
  const campaigns = new Set<string>();
  const ids = new Set<string>();
  for (const p of planned) {
    const { id, campaignId } = p.change.nomination;
    const size = Buffer.byteLength(JSON.stringify(p.items));
    const extra = p.items.length + (campaigns.has(campaignId) ? 0 : 1);
    if (
      batch.length > 0 &&
      (actions + extra > TRANSACTION_ACTIONS || bytes + size > TRANSACTION_BYTES || ids.has(id))
    ) {
      batches.push(batch);
      batch = [];
      actions = 0;
      bytes = 0;
      campaigns.clear();
      ids.clear();
    }
    batch.push(p);
    actions += p.items.length + (campaigns.has(campaignId) ? 0 : 1);
    bytes += size;
    campaigns.add(campaignId);
    ids.add(id);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * One transaction's writes: each change's, then each campaign's counts update with the sum of
 * its changes' deltas; `owners` names the nomination each write is of (undefined for the counts),
 * to read a cancellation's reasons by.
 */
function batchWrites(tableName: string, batch: readonly PlannedChange[]) {
  const items: TransactItem[] = [];
  const owners: (string | undefined)[] = [];
  const sums = new Map<string, CampaignCounts>();
  for (const { change, items: own, delta } of batch) {
    items.push(...own);
    owners.push(...own.map(() => change.nomination.id));
    const sum = sums.get(change.nomination.campaignId) ?? {};
    for (const [key, by] of Object.entries(delta)) sum[key] = (sum[key] ?? 0) + by;
    sums.set(change.nomination.campaignId, sum);
  }
  for (const [campaignId, sum] of sums) {
    const delta = Object.fromEntries(Object.entries(sum).filter(([, by]) => by !== 0));
    if (Object.keys(delta).length === 0) continue;
    items.push(countsUpdate(tableName, campaignId, delta));
    owners.push(undefined);
  }
  return { items, owners };
}

/** A notice's audit item key: where its claim and its record are written. */
const noticeKey = (event: AuditEvent) => {
  const item = auditItem('', event).Put?.Item as Record<string, string>;
  return { pk: item.pk, sk: item.sk };
};

/**
 * The claim on a notice: its audit item with the moment it was claimed, written if nothing is
 * there or the claim there is older than `staleBefore` (its holder died). A refused claim hands
 * back the item it met, to tell a settled notice from a held one without a read.
 */
function noticeClaim(
  tableName: string,
  event: AuditEvent,
  claimedAt: string,
  staleBefore: string,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...noticeKey(event), data: event, [CLAIMED_AT]: claimedAt },
      ConditionExpression: 'attribute_not_exists(pk) OR #claimed < :stale',
      ExpressionAttributeNames: { '#claimed': CLAIMED_AT },
      ExpressionAttributeValues: { ':stale': staleBefore },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** The state a change replaces: remembered at that version, else one small consistent read. */
async function storedStateBefore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  seen: SeenNominations,
  id: string,
  version: number,
): Promise<StoredFigures | undefined> {
  const known = seen.get(id);
  if (known?.version === version) return known;
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: nominationKey(id),
      ProjectionExpression:
        'version, parts, noted.#n, #d.#s, #d.category, #d.submittedAt, #d.unitId, #d.unitName, #d.selection, #d.score',
      ExpressionAttributeNames: { '#d': 'data', '#s': 'status', '#n': 'name' },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  return {
    version: Number(Item.version),
    figures: Item.data as NominationFigures,
    ...(Item.parts ? { parts: Item.parts as PartFingerprints } : {}),
    shownPrint: shownPrintOf({
      ...(Item.data as Omit<RankingShownSource, 'name'>),
      name: (Item.noted as { name?: string } | undefined)?.name ?? '',
    }),
  };
}

/**
 * A status change's transaction items (`changeStatus` writes them alone; the last review writes
 * them with its own): the item on the stored version's condition first — a refusal at index 0 is
 * a version race — then its other writes and the counts' update. The version condition makes the
 * state known here (remembered, else read) the state the write replaces.
 */
export async function statusChangeItems(
  documents: DynamoDBDocumentClient,
  tableName: string,
  seen: SeenNominations,
  change: StatusChange,
): Promise<TransactItem[]> {
  const { nomination, expectedVersion } = change;
  const { items, delta } = statusChangeWrites(
    tableName,
    change,
    await storedStateBefore(documents, tableName, seen, nomination.id, expectedVersion),
  );
  if (Object.keys(delta).length > 0) items.push(countsUpdate(tableName, nomination.campaignId, delta));
  return items;
}

/** What a container knows after a status change was written: only a write that raised the version names a state of its own. */
export function rememberStatusChange(
  seen: SeenNominations,
  { nomination, expectedVersion }: StatusChange,
): void {
  if (nomination.version > expectedVersion) rememberedIn(seen, nomination, fingerprints(nomination));
  else seen.delete(nomination.id);
}

export function dynamoNominationStore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  /** What this store knows of the nominations it read or wrote; shared with the review store (`seenNominations`). */
  seen: SeenNominations = seenNominations(),
): NominationStore {
  const queryAll = async (input: ConstructorParameters<typeof QueryCommand>[0]) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  const rememberNomination = (n: Nomination, parts: PartFingerprints | undefined) =>
    rememberedIn(seen, n, parts);

  /** The state a change replaces: remembered at that version, else one small consistent read. */
  const storedBefore = (id: string, version: number) =>
    storedStateBefore(documents, tableName, seen, id, version);

  const changeStatus: NominationStore['changeStatus'] = async (change) => {
    const { nomination, quota, quotaRefusal } = change;
    const items = await statusChangeItems(documents, tableName, seen, change);
    try {
      await transactWrite(documents, { TransactItems: items });
    } catch (error) {
      seen.delete(nomination.id);
      if (conditionFailed(error, 0)) throw staleVersion(nomination.id);
      if (quota && conditionFailed(error, 1)) {
        throw new QuotaExceededError(quotaRefusal?.message ?? { zh: '推荐名额已满', en: 'Quota reached' }, {
          category: nomination.category,
          unitType: nomination.unitType,
          limit: quota.limit ?? null,
        });
      }
      throw error;
    }
    rememberWritten(change);
  };

  const rememberWritten = (change: StatusChange) => rememberStatusChange(seen, change);

  const settleNotices: NominationStore['settleNotices'] = async (settled) => {
    const byAddress = new Map(settled.map((s) => [itemAddress(noticeKey(s.event)), s]));
    const released = [...byAddress.values()].flatMap(({ event, outcome }) =>
      'released' in outcome ? [{ event, claimedAt: outcome.released.claimedAt }] : [],
    );
    // A sent or refused notice is written whole, its claim dropped, by BatchWriteItem (25 a
    // request, half a transaction's write units): it takes no condition, and needs none — the
    // notice went (or was refused for good) whoever holds the key now, even a sender that took
    // this caller's claim over as stale, and the record stops the next send. The item holds only
    // its key and its event, so the Put writes what an update of the claim would.
    await batchWrite(
      documents,
      tableName,
      [...byAddress.values()].flatMap(({ event, outcome }) =>
        'released' in outcome
          ? []
          : [
              {
                PutRequest: {
                  Item: { ...noticeKey(event), data: 'refused' in outcome ? outcome.refused : event },
                },
              },
            ],
      ),
    );
    // A claim let go is deleted only while it is the caller's own (a condition BatchWriteItem
    // cannot carry): one another sender took over as stale keeps its live claim, or its record
    // once settled. Rare (a failed send, a list past the send window).
    await Promise.all(
      released.map(({ event, claimedAt }) =>
        writtenIfCondition(
          documents,
          new DeleteCommand({
            TableName: tableName,
            Key: noticeKey(event),
            ConditionExpression: '#claimed = :mine',
            ExpressionAttributeNames: { '#claimed': CLAIMED_AT },
            ExpressionAttributeValues: { ':mine': claimedAt },
          }),
        ),
      ),
    );
  };

  const changeStatuses: NominationStore['changeStatuses'] = async (changes) => {
    refuseQuotaChanges(changes);
    const planned: PlannedChange[] = [];
    for (const change of changes) {
      const before = await storedBefore(change.nomination.id, change.expectedVersion);
      planned.push({ change, ...statusChangeWrites(tableName, change, before) });
    }
    const stale: string[] = [];
    for (const batch of transactionsOf(planned)) {
      let left = batch;
      while (left.length > 0) {
        const { items, owners } = batchWrites(tableName, left);
        try {
          await transactWrite(documents, { TransactItems: items });
          for (const { change } of left) rememberWritten(change);
          left = [];
        } catch (error) {
          // Cancelled: the changes whose condition failed (their version moved on, their event was
          // there) are left to the caller; nothing of the transaction was written, so the others go again.
          const refused = new Set(
            owners.flatMap((owner, index) =>
              owner !== undefined && conditionFailed(error, index) ? [owner] : [],
            ),
          );
          if (refused.size === 0) throw error;
          for (const id of refused) {
            seen.delete(id);
            stale.push(id);
          }
          left = left.filter(({ change }) => !refused.has(change.nomination.id));
        }
      }
    }
    return { stale };
  };

  /** The `data` of the items of these keys, by `pk/sk`; `projection` reads only some of it. */
  const batchData = async (
    keys: readonly Record<string, string>[],
    projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> },
  ) => {
    const found = await batchGetItems(documents, tableName, keys, projection);
    return new Map([...found].map(([address, item]) => [address, item.data]));
  };

  /**
   * The items an index query found, read from the table by key (the indexes hold keys and facets
   * only), in the query's order; `projection` reads only some attributes. Each comes with the
   * index's own item (its keys: where a page goes on). One that left the table meanwhile is left out.
   * An item the index gave twice (an index is eventually consistent: an item whose index key changed
   * while a listing paged can be met at its old and its new place) is read and answered once.
   */
  const fromTable = async (
    found: readonly Record<string, unknown>[],
    projection?: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
  ) => {
    const entries = [...new Map(found.map((entry) => [itemAddress(entry), entry])).values()];
    const items = await batchGetItems(
      documents,
      tableName,
      entries.map((i) => ({ pk: i.pk, sk: i.sk })),
      projection,
    );
    return entries.flatMap((entry) => {
      const item = items.get(itemAddress(entry));
      return item ? [{ entry, item }] : [];
    });
  };

  /** Nominations read from their items (which hold no parts): their parts added, 100 keys a request. */
  const withParts = async (
    items: readonly Record<string, unknown>[],
    /** A consistent read of the parts, for nominations read to be changed (their items were read so). */
    consistent = false,
  ): Promise<Nomination[]> => {
    // Only the parts each item has (its fingerprints name them).
    const keys = items.flatMap((i) =>
      Object.keys((i.parts as PartFingerprints | undefined) ?? {})
        .filter((part): part is Part => part in PARTS)
        .map((part) => partKey(String(i.pk).slice('nomination#'.length), part)),
    );
    const parts = consistent
      ? new Map(
          [...(await batchGetItems(documents, tableName, keys, { ConsistentRead: true }))].map(
            ([address, item]) => [address, item.data],
          ),
        )
      : await batchData(keys);
    return items.map((item) => withPartsOf(item, (name) => parts.get(`${item.pk}/item#${name}`)));
  };

  return {
    async create(nomination, audit) {
      await transactWrite(documents, {
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: nominationItem(nomination),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...changedParts(tableName, nomination, emptyPartsOf(nomination)),
          auditItem(tableName, audit),
          countsUpdate(tableName, nomination.campaignId, countsDelta(undefined, nomination)),
          // A nomination is created as a draft; one imported further on is ranked at once.
          ...(rankingRowFollows(nomination.status) ? [rankingStatusUpdate(tableName, nomination)] : []),
        ],
      });
      rememberNomination(nomination, fingerprints(nomination));
    },

    async get(id) {
      // The item and its parts' items, by one request.
      const { Items } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
          ExpressionAttributeValues: { ':pk': `nomination#${id}`, ':item': 'item' },
          ConsistentRead: true,
        }),
      );
      const nomination = assembled(Items ?? []);
      const item = (Items ?? []).find((i) => i.sk === 'item');
      if (nomination && item) rememberNomination(nomination, item.parts as PartFingerprints | undefined);
      return nomination;
    },

    async scope(id) {
      // Only the two attributes the access check needs: a read of a few bytes, not the whole form.
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: nominationKey(id),
          ProjectionExpression: '#d.campaignId, #d.unitId',
          ExpressionAttributeNames: { '#d': 'data' },
        }),
      );
      const data = Item?.data as { campaignId?: string; unitId?: string } | undefined;
      return data?.campaignId && data.unitId
        ? { campaignId: data.campaignId, unitId: data.unitId }
        : undefined;
    },

    async unitFigures(campaignId, unitId) {
      // The unit's keys from its index (a unit's few dozen nominations, one request), their
      // category and status from the table (one batch read of two fields each): the index holds
      // no status, which would have it written again with each status change.
      const keys = await queryAll({
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `unit#${campaignId}#${unitId}` },
        ProjectionExpression: 'pk, sk',
      });
      const rows = await fromTable(keys, {
        ProjectionExpression: 'pk, sk, #d.category, #d.#st',
        ExpressionAttributeNames: { '#d': 'data', '#st': 'status' },
      });
      return rows.map(({ item }) => {
        const { category, status } = item.data as Pick<Nomination, 'category' | 'status'>;
        return { category, status };
      });
    },

    async listByStatus(campaignId, status) {
      const found = await queryAll({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `campaign#${campaignId}#status#${status}` },
      });
      // The index is eventually consistent: one that has moved on since is not in this status.
      const items = (await fromTable(found))
        .map(({ item }) => item)
        .filter((item) => (item.data as Nomination).status === status);
      return withParts(items);
    },

    async page(campaignId, filter, request) {
      const limit = request.limit ?? MAX_PAGE;
      const parts = listParts(tableName, campaignId, filter);
      const list = listName(campaignId, filter);
      const position = decodeCursor(request.cursor, list);
      let part = position?.part ?? 0;
      let key: Record<string, unknown> | undefined = position?.key;
      if (part >= parts.length || (key && !parts[part]?.owns(key))) throw invalidCursor();
      const items: ListedNomination[] = [];
      // A filter (search, or status within a unit) may drop most of what a query reads: the page
      // stops after reading this many, answering what it found and the cursor to go on.
      let budget = 20 * MAX_PAGE;
      while (part < parts.length && items.length < limit && budget > 0) {
        const query = parts[part] as ListPart;
        const answer = await documents.send(
          new QueryCommand({
            ...query.input,
            Limit: query.narrows ? MAX_PAGE : limit - items.length,
            ...(key ? { ExclusiveStartKey: key } : {}),
          }),
        );
        budget -= answer.ScannedCount ?? 0;
        // The rows from the table, as they are now (one that no longer fits the list — changed
        // since the index was written, or written before the facets — is left out), read only as
        // many as the page has room for: a filtered query reads up to a page of 100.
        const entries = answer.Items ?? [];
        let used = 0;
        while (used < entries.length && items.length < limit) {
          const slice = entries.slice(used, used + limit - items.length);
          const rows = await fromTable(slice, {
            ProjectionExpression: LIST_PROJECTION,
            ExpressionAttributeNames: { '#d': 'data' },
          });
          items.push(...rows.map(({ item }) => listedOf(item)).filter((row) => query.fits(row)));
          used += slice.length;
        }
        if (used < entries.length) {
          // Cut the page short: go on after the last item read (its key is the index's key).
          key = query.keyOf(entries[used - 1] as Record<string, unknown>);
          break;
        }
        if (answer.LastEvaluatedKey) key = answer.LastEvaluatedKey;
        else {
          part += 1;
          key = undefined;
        }
      }
      const more = part < parts.length;
      return {
        items,
        cursor: more
          ? encodeCursor({ list, part, ...(key ? { key: key as Record<string, string> } : {}) })
          : null,
      };
    },

    async publishedPage(campaignId, status, request) {
      const [query] = listParts(tableName, campaignId, { status }) as [ListPart];
      const list = `published#${listName(campaignId, { status })}`;
      const key = decodeCursor(request.cursor, list)?.key;
      if (key && !query.owns(key)) throw invalidCursor();
      // Each category's deeds field, under names of its own (#e0…), in the item (a form stored
      // whole, before the parts were apart) or in the form's own item.
      const deedsFields = [...new Set(CATEGORY_IDS.map((c) => PUBLISHED_FORM_FIELDS[c].deeds))];
      const deedsNames = Object.fromEntries(deedsFields.map((field, i) => [`#e${i}`, field]));
      const answer = await documents.send(
        new QueryCommand({
          ...query.input,
          Limit: request.limit ?? MAX_PAGE,
          ...(key ? { ExclusiveStartKey: key } : {}),
        }),
      );
      // The index holds keys only: what the notice shows, from the table (one still in this status).
      const items = (
        await fromTable(answer.Items ?? [], {
          ProjectionExpression: [
            'pk, sk, parts, noted, listed.#n, #d.id, #d.category, #d.unitName, #d.#st',
            ...deedsFields.map((_, i) => `#d.#f.#e${i}`),
          ].join(', '),
          ExpressionAttributeNames: {
            '#d': 'data',
            '#f': 'form',
            '#n': 'name',
            '#st': 'status',
            ...deedsNames,
          },
        })
      )
        .map(({ item }) => item)
        .filter((item) => (item.data as Nomination).status === status);
      const forms = await batchData(
        items.filter((i) => i.parts).map((i) => partKey(String(i.pk).slice('nomination#'.length), 'form')),
        {
          ProjectionExpression: ['pk, sk', ...deedsFields.map((_, i) => `#d.#e${i}`)].join(', '),
          ExpressionAttributeNames: { '#d': 'data', ...deedsNames },
        },
      );
      return {
        items: items.map((item) => {
          const data = item.data as Pick<Nomination, 'id' | 'category' | 'unitName' | 'form'>;
          const form = (item.parts ? forms.get(`${item.pk}/item#form`) : data.form) as
            | Record<string, unknown>
            | undefined;
          const noted = (item.noted ?? item.listed) as { name?: string } | undefined;
          return {
            id: data.id,
            category: data.category,
            unitName: data.unitName,
            name: noted?.name ?? '',
            deeds: String(form?.[PUBLISHED_FORM_FIELDS[data.category].deeds] ?? ''),
          };
        }),
        cursor: answer.LastEvaluatedKey
          ? encodeCursor({ list, key: answer.LastEvaluatedKey as Record<string, string> })
          : null,
      };
    },

    async idsWithStatus(campaignId, status) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `campaign#${campaignId}#status#${status}` },
        ProjectionExpression: 'pk',
      });
      return items.map((i) => String(i.pk).slice('nomination#'.length));
    },

    async counts(campaignId) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: countsKey(campaignId), ConsistentRead: true }),
      );
      const { pk: _pk, sk: _sk, ...counts } = Item ?? {};
      return Object.fromEntries(
        Object.entries(counts)
          .map(([k, v]) => [k, Number(v)] as const)
          .filter(([, v]) => v > 0),
      );
    },

    async storeAwaiting(id, awaiting, only) {
      // One request, one write: the token's item and the small item's update (the step, the
      // token's fingerprint, the version raised — nothing an index, the counts or the ranking row
      // holds) in one transaction, on the condition that the nomination's status leaves the step
      // waiting. A decision that read the nomination before fails its version condition and reads
      // again, finding this token; one that wrote before refuses the transaction, and the step is
      // armed by the two writes below, which answer the status it met. Per waiting step, with a
      // 2 KB token (a 1.6 KB item: 2 units) and a small item under 1 KB, figures per step:
      //   two plain writes (the token's item, then the small item):     2 requests, 2 writes, 3 WRU
      //   this transaction (both items, each charged twice):             1 request,  1 write,  6 WRU
      //   the token's item alone, every status change checking it:      2 requests (a read of the
      //     status after the write), 1 write, 2 WRU + a ConditionCheck of the 1.6 KB item in
      //     every status change's transaction (4 WRU if billed as a write) and code in each
      //   the token on the small item: 1 request, 1 write, 3 WRU, but every write of the small
      //     item after it (the decision, and each until the next step: the token stays for a
      //     decision delivered again after a lost answer) charged for the 1.6 KB more, twice in a
      //     transaction: 4 WRU each, 4 to 8 writes a nomination.
      // Requests and write requests are furthest from their targets (84.5 of 45, 39.2 of 15): the
      // transaction halves them for 3 WRU more a step.
      seen.delete(id);
      const token = PARTS.token.of({ awaiting } as Nomination);
      const tokenPut = new PutCommand({
        TableName: tableName,
        Item: { ...partKey(id, 'token'), data: partData('token', { awaiting } as Nomination) },
      });
      const answering = statusesAnswering(awaiting.step);
      try {
        await transactWrite(documents, {
          TransactItems: [
            { Put: tokenPut.input as NonNullable<TransactItem['Put']> },
            {
              Update: {
                TableName: tableName,
                Key: nominationKey(id),
                UpdateExpression:
                  'SET #d.#aw = :awaiting, parts.#tk = :print, version = version + :one, #d.version = #d.version + :one',
                // An item written before its parts were apart (no `parts`), or one whose status
                // already answers the step, takes the two writes below.
                ConditionExpression: `attribute_exists(parts) AND NOT (#d.#s IN (${answering.map((_, i) => `:a${i}`).join(', ')}))${only?.ifScoreKept ? ' AND (attribute_exists(#d.score) OR #d.#s <> :scored)' : ''}`,
                ExpressionAttributeNames: { '#d': 'data', '#aw': 'awaiting', '#tk': 'token', '#s': 'status' },
                ExpressionAttributeValues: {
                  ':awaiting': awaitedStep(awaiting),
                  ':print': fingerprintOf(token),
                  ':one': 1,
                  ...Object.fromEntries(answering.map((status, i) => [`:a${i}`, status])),
                  ...(only?.ifScoreKept ? { ':scored': 'scored' } : {}),
                },
              },
            },
          ],
        });
        return { id, awaiting };
      } catch (error) {
        if (!conditionFailed(error, 1)) throw error;
        // Nothing written: the caller reads the nomination and arms the step again without it.
        if (only?.ifScoreKept) return 'refused';
      }
      // The token first, in its own item, then the small item's update, answering the status it
      // meets: a read between them, or after a task that died between them (Step Functions runs
      // it again), finds the token with the step it names (PARTS.token.into), never with the
      // step before.
      await documents.send(tokenPut);
      const armed = (withToken: boolean) =>
        new UpdateCommand({
          TableName: tableName,
          Key: nominationKey(id),
          UpdateExpression: withToken
            ? // An item written before its parts were apart keeps the token itself.
              'SET #d.#aw = :awaiting, version = version + :one, #d.version = #d.version + :one'
            : 'SET #d.#aw = :awaiting, parts.#tk = :print, version = version + :one, #d.version = #d.version + :one',
          ConditionExpression: withToken ? 'attribute_exists(pk)' : 'attribute_exists(parts)',
          ExpressionAttributeNames: {
            '#d': 'data',
            '#aw': 'awaiting',
            ...(withToken ? {} : { '#tk': 'token' }),
          },
          ExpressionAttributeValues: {
            ':awaiting': withToken ? awaiting : awaitedStep(awaiting),
            ':one': 1,
            ...(withToken ? {} : { ':print': fingerprintOf(token) }),
          },
          ReturnValues: 'ALL_NEW',
        });
      const stored =
        (await updatedIfCondition(documents, armed(false))) ??
        (await updatedIfCondition(documents, armed(true)));
      if (!stored) {
        await documents.send(new DeleteCommand({ TableName: tableName, Key: partKey(id, 'token') }));
        return undefined;
      }
      const { status } = stored.data as Nomination;
      return { id, awaiting, ...(answering.includes(status) ? { status } : {}) };
    },

    async appendAttachment({ nominationId, record, expectedVersion, owner, statuses }) {
      // Only a draft's index keys stay put as it changes (nominationItem): a returned nomination's
      // status-index key moves with its updatedAt, and forming it needs the category, unread here.
      if (!statuses.includes('draft')) return false;
      seen.delete(nominationId);
      try {
        await transactWrite(documents, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: nominationKey(nominationId),
                // The item's own conditions stand for the read's checks; `parts` and `noted`
                // name an item of today's shape (an older one is left to `save`, which reads it).
                ConditionExpression:
                  'version = :expected AND #d.campaignId = :campaign AND #d.unitId = :unit AND #d.#st = :draft' +
                  ' AND attribute_exists(#parts.#files) AND attribute_exists(#noted.#count)',
                UpdateExpression:
                  'SET version = :next, #d.#v = :next, #d.updatedAt = :at, #parts.#files = :appended,' +
                  ' #noted.#count = #noted.#count + :one',
                ExpressionAttributeNames: {
                  '#d': 'data',
                  '#st': 'status',
                  '#v': 'version',
                  '#parts': 'parts',
                  '#files': 'attachments',
                  '#noted': 'noted',
                  '#count': 'attachmentCount',
                },
                ExpressionAttributeValues: {
                  ':expected': expectedVersion,
                  ':next': expectedVersion + 1,
                  ':campaign': owner.campaignId,
                  ':unit': owner.unitId,
                  ':draft': 'draft',
                  ':at': record.uploadedAt,
                  ':appended': `${APPENDED}${record.id}`,
                  ':one': 1,
                },
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: partKey(nominationId, 'attachments'),
                // No files yet (a draft's empty part has no item), or none of this id: an item
                // with files but no ids was written before they were kept, and is left to `save`.
                ConditionExpression:
                  'attribute_not_exists(pk) OR size(#data) = :none OR (attribute_exists(#ids) AND NOT contains(#ids, :id))',
                UpdateExpression:
                  'SET #data = list_append(if_not_exists(#data, :empty), :records) ADD #ids :ids',
                ExpressionAttributeNames: { '#data': 'data', '#ids': FILE_IDS },
                ExpressionAttributeValues: {
                  ':none': 0,
                  ':id': record.id,
                  ':empty': [],
                  ':records': [record],
                  ':ids': new Set([record.id]),
                },
              },
            },
          ],
        });
        return true;
      } catch (error) {
        if (conditionFailed(error, 0) || conditionFailed(error, 1)) return false;
        throw error;
      }
    },

    save(nomination, expectedVersion, audit) {
      // A save is a change of state that takes no quota slot.
      return changeStatus({ nomination, expectedVersion, ...(audit ? { audit } : {}) });
    },

    changeStatus,

    changeStatuses,

    async getMany(ids) {
      // The small items by key, then the parts each has: 100 keys a request, both read consistently
      // (the parts must be the item's, or a change would write a stale part back as a changed one).
      const found = await batchGetItems(documents, tableName, ids.map(nominationKey), {
        ConsistentRead: true,
      });
      const items = [...found.values()];
      const nominations = await withParts(items, true);
      return new Map(
        nominations.map((n, i) => {
          rememberNomination(n, items[i]?.parts as PartFingerprints | undefined);
          return [n.id, n];
        }),
      );
    },

    async awaitingExperts(campaignId, limit) {
      // One page, never more: the round's planning window (eventually consistent is enough, it
      // only steers the balance).
      const { Items } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `awaiting-experts#${campaignId}` },
          Limit: limit,
        }),
      );
      return (Items ?? []).map((i) => i.data as AwaitingExperts);
    },

    async expertsTaken(campaignId, nominationId) {
      await documents.send(
        new DeleteCommand({ TableName: tableName, Key: awaitingKey(campaignId, nominationId) }),
      );
    },

    async auditTrail(id) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `nomination#${id}`, ':audit': 'audit#' },
        ConsistentRead: true,
      });
      // A notice claimed but not yet sent is no event yet.
      return items.filter((i) => i[CLAIMED_AT] === undefined).map((i) => i.data as AuditEvent);
    },

    async claimNotices(events, claimedAt, staleBefore) {
      // Each notice's item once (a transaction may not name an item twice), in key order.
      const byAddress = new Map(events.map((event) => [itemAddress(noticeKey(event)), event]));
      const ordered = [...byAddress.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const found: NoticeClaims = { claimed: [], recorded: [], held: [] };
      // What this call claimed goes again if it may not keep it (a held notice, a failure).
      const letGo = () =>
        settleNotices(found.claimed.map((event) => ({ event, outcome: { released: { claimedAt } } })));
      try {
        // A transaction claims all its notices or none: one that meets a live claim holds no part
        // of the list while it fails to be retried, so no two senders each hold a part and wait on
        // the other, whatever order they claim in. Past 100 notices (a chunk with its
        // secretariats' notices) the transactions go in key order, and the held path lets go of
        // what the earlier ones claimed.
        for (let at = 0; at < ordered.length; at += TRANSACTION_ACTIONS) {
          let left = ordered.slice(at, at + TRANSACTION_ACTIONS).map(([, event]) => event);
          while (left.length > 0) {
            const claims = left.map((event) => noticeClaim(tableName, event, claimedAt, staleBefore));
            try {
              await transactWrite(documents, { TransactItems: claims });
              found.claimed.push(...left);
              left = [];
            } catch (error) {
              // Cancelled: each refused claim's reason carries the item it met (ALL_OLD): settled
              // (recorded), or another sender's live claim (held). Nothing was written.
              const refused = left.flatMap((event, index) =>
                conditionFailedAt(error, index)
                  ? [{ event, item: itemWhereConditionFailed(error, index) }]
                  : [],
              );
              if (refused.length === 0) throw error;
              for (const { event, item } of refused) {
                // An item missing from the reason is not known settled: answered held, the step is
                // retried rather than told the notice went.
                if (item && item[CLAIMED_AT] === undefined) found.recorded.push(event);
                else found.held.push(event);
              }
              if (found.held.length > 0) {
                await letGo();
                return { ...found, claimed: [] };
              }
              // Only settled notices refused: the others are claimed again without them.
              left = left.filter((event) => !refused.some((r) => r.event === event));
            }
          }
        }
      } catch (error) {
        await letGo();
        throw error;
      }
      return found;
    },

    settleNotices,

    async appendAudit(event) {
      try {
        await transactWrite(documents, { TransactItems: [auditItem(tableName, event)] });
        return true;
      } catch (error) {
        if (conditionFailed(error, 0)) return false;
        throw error;
      }
    },

    async extensionFor(campaignId, unitId) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `campaign#${campaignId}`, sk: `extension#${unitId}` },
        }),
      );
      return Item?.data as DeadlineExtension | undefined;
    },

    async quotaLedger(campaignId, unitId) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `quota#${campaignId}#${unitId}` },
        ConsistentRead: true,
      });
      return Object.fromEntries(items.map((i) => [String(i.sk), Number(i.used ?? 0)]));
    },
  };
}

interface ListPart {
  input: ConstructorParameters<typeof QueryCommand>[0];
  /** Whether a cursor's key belongs to this query (else DynamoDB would refuse it: a 400 for us). */
  owns(key: Record<string, unknown>): boolean;
  /** The ExclusiveStartKey that goes on after this item. */
  keyOf(item: Record<string, unknown>): Record<string, unknown>;
  /** Whether a row read from the table belongs in this list: what the key and the filter say. */
  fits(row: ListedNomination): boolean;
  /** Whether the list keeps fewer rows than the query finds (a filter, or a status checked on the rows). */
  narrows: boolean;
}

type ListIndex = 'gsi1' | 'gsi2' | 'gsi3';

/** What a list keeps of an index's items: by its key, or by a filter. */
interface ListFields {
  status?: string;
  notDraft?: boolean;
  category?: string;
  unit?: string;
}

/**
 * The index queries a filtered list reads, one after the other. A name search reads the name
 * index (one key range per category), a unit's list its own partition (its quota keeps it
 * small), any other list the status index; what the chosen index does not key is a filter on
 * `listed`, the small row the list shows.
 */
function listParts(tableName: string, campaignId: string, filter: NominationFilter): ListPart[] {
  const keyOf =
    (index: ListIndex) =>
    (item: Record<string, unknown>): Record<string, unknown> => ({
      pk: item.pk,
      sk: item.sk,
      [`${index}pk`]: item[`${index}pk`],
      [`${index}sk`]: item[`${index}sk`],
    });
  const owns = (index: ListIndex, partition: string) => (key: Record<string, unknown>) =>
    Object.keys(key).length === 4 &&
    key[`${index}pk`] === partition &&
    typeof key[`${index}sk`] === 'string' &&
    typeof key.pk === 'string' &&
    String(key.pk).startsWith('nomination#') &&
    key.sk === 'item';
  /**
   * The filters on the facets for what the index's key leaves open; an item written before the
   * facets passes them, and `fits` checks its row. The facets hold no status (see Facets): a
   * status, or leaving drafts out, is checked on the rows alone.
   */
  const filterOn = (fields: ListFields) => {
    const conditions: string[] = [];
    const values: Record<string, unknown> = {};
    if (fields.category) {
      conditions.push('#f.category = :category');
      values[':category'] = fields.category;
    }
    if (fields.unit) {
      conditions.push('#f.unitId = :unit');
      values[':unit'] = fields.unit;
    }
    return conditions.length === 0
      ? { values }
      : {
          values,
          FilterExpression: `attribute_not_exists(#f) OR (${conditions.join(' AND ')})`,
          ExpressionAttributeNames: { '#f': FACETS_ATTRIBUTE },
        };
  };
  const fitting =
    (fields: ListFields) =>
    (row: ListedNomination): boolean =>
      (fields.status === undefined || row.status === fields.status) &&
      (!fields.notDraft || row.status !== 'draft') &&
      (fields.category === undefined || row.category === fields.category) &&
      (fields.unit === undefined || row.unitId === fields.unit);
  const part = (
    index: ListIndex,
    partition: string,
    range: { prefix?: string } | undefined,
    fields: ListFields,
    /** What the index's key says of its items: checked on the row, as it may have changed since. */
    keyed: ListFields = {},
  ): ListPart => {
    const { values, ...filterExpression } = filterOn(fields);
    return {
      input: {
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: range?.prefix
          ? `${index}pk = :pk AND begins_with(${index}sk, :prefix)`
          : `${index}pk = :pk`,
        ...filterExpression,
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(range?.prefix ? { ':prefix': range.prefix } : {}),
          ...values,
        },
      },
      owns: owns(index, partition),
      keyOf: keyOf(index),
      fits: fitting({ ...keyed, ...fields }),
      narrows:
        Boolean(filterExpression.FilterExpression) || Boolean(fields.status) || Boolean(fields.notDraft),
    };
  };

  const prefix = searchPrefix(filter.q);
  if (prefix !== undefined) {
    // Drafts are not in the name index: no filter needed to leave them out.
    return (filter.category ? [filter.category] : CATEGORY_IDS).map((category) =>
      part(
        'gsi3',
        `names#${campaignId}#${category}`,
        { prefix },
        {
          ...(filter.status ? { status: filter.status } : {}),
          ...(filter.unit ? { unit: filter.unit } : {}),
        },
        { category, notDraft: true },
      ),
    );
  }
  if (filter.unit) {
    return [
      part(
        'gsi2',
        `unit#${campaignId}#${filter.unit}`,
        undefined,
        {
          ...(filter.status ? { status: filter.status } : filter.drafts ? {} : { notDraft: true }),
          ...(filter.category ? { category: filter.category } : {}),
        },
        { unit: filter.unit },
      ),
    ];
  }
  return (filter.status ? [filter.status] : LISTED_STATUSES).map((status) =>
    part(
      'gsi1',
      `campaign#${campaignId}#status#${status}`,
      filter.category ? { prefix: `${filter.category}#` } : undefined,
      {},
      { status, ...(filter.category ? { category: filter.category } : {}) },
    ),
  );
}
