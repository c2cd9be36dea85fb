import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { displayNameOf, type FormDataByCategory } from '../../functions/rules/forms/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { holdsQuotaSlot } from '../../functions/rules/nomination-status.js';
import { quotaLedgerKey } from '../../functions/rules/quota.js';
import { startDynamoDb } from '../../infra/local/dynamodb.js';
import type { ExecutionRecord } from '../../infra/local/stepfunctions/execution-record.js';

/**
 * Where a campaign ended, read from a stopped local cloud's data folder, in terms that do not
 * depend on random ids or timestamps: nominations keyed by campaign, unit, category and name.
 * Two runs of the same campaign that end alike give equal states (test/integration/crash-recovery).
 */
export interface CampaignState {
  /** "<campaign> <unit> <category> <name>" → final status. */
  nominations: Record<string, string>;
  /** Per campaign, the keys of its released nominations, sorted. */
  released: Record<string, string[]>;
  /** "<campaign> <unit> <ledger key>" → slots used. */
  quotas: Record<string, number>;
  /** Ledger entries that differ from a recount of the nominations holding a slot (should be none). */
  quotaMismatches: string[];
  /**
   * "<recipient> | <subject>" → how many such mails were sent; a review request's recipient is
   * "(an expert)": who is drawn depends on timing (see readCampaignState).
   */
  mails: Record<string, number>;
  /** Review requests one expert got more than once for one nomination (should be none). */
  repeatedReviewRequests: string[];
  /** Per nomination, audit actions and how often each was recorded. */
  audits: Record<string, Record<string, number>>;
  /** Per nomination, its objections' resolutions ("uphold", "dismiss", "open"), sorted. */
  objections: Record<string, string[]>;
  /** Per nomination, its execution's status and the states it entered (repeats in a row collapsed). */
  executions: Record<string, string>;
  /** Per nomination, how many experts were assigned and how many reviewed. */
  reviews: Record<string, string>;
}

type Item = Record<string, unknown>;

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function scanTable(dataDir: string): Promise<Item[]> {
  // Java starts slowly on a busy machine: wait longer than a local cloud would.
  const dynamo = await startDynamoDb({ dataDir: join(dataDir, 'dynamodb'), startupTimeoutMs: 120_000 });
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'cn-north-1', endpoint: dynamo.endpoint, credentials: CREDENTIALS }),
  );
  try {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: 'laurel', ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  } finally {
    documents.destroy();
    await dynamo.stop();
  }
}

const sorted = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};

const push = <T>(into: Record<string, T[]>, key: string, value: T) => {
  const list = into[key] ?? [];
  list.push(value);
  into[key] = list;
};

/** Reads the final state of the campaigns from a data folder whose cloud has stopped. */
/**
 * How many slots one quota ledger item (`quota#<campaign>#<unit>` / its key) should hold: the
 * unit's nominations under that key whose status holds a slot.
 */
export function quotaRecount(
  nominations: readonly Nomination[],
  ledger: Readonly<Record<string, unknown>>,
): number {
  const [, campaignId = '', unitId = ''] = String(ledger.pk).split('#');
  const campaign = builtinCampaign(campaignId as 'cast-2024' | 'cacs-2024');
  return nominations.filter((n) => {
    const rule = campaign.unitTypes.find((u) => u.id === n.unitType)?.quota;
    return (
      n.campaignId === campaignId &&
      n.unitId === unitId &&
      rule !== undefined &&
      quotaLedgerKey(rule, n.category) === ledger.sk &&
      holdsQuotaSlot(n.status, campaign)
    );
  }).length;
}

export async function readCampaignState(dataDir: string): Promise<CampaignState> {
  const items = await scanTable(dataDir);
  // A nomination's form and attachments live in items of their own (adapters/nomination-store.ts).
  const partsOf = new Map(
    items
      .filter((i) => String(i.sk).startsWith('item#') && String(i.pk).startsWith('nomination#'))
      .map((i) => [`${i.pk}/${i.sk}`, i.data]),
  );
  const nominations = items
    .filter((i) => i.sk === 'item' && String(i.pk).startsWith('nomination#'))
    .map((i) => {
      const data = i.data as Nomination;
      if (!i.parts) return data;
      return {
        ...data,
        form: (partsOf.get(`${i.pk}/item#form`) ?? {}) as Nomination['form'],
        attachments: (partsOf.get(`${i.pk}/item#attachments`) ?? []) as Nomination['attachments'],
      };
    });

  // A key per nomination; a second nomination with the same key (say, a draft left behind by a
  // retried create) gets a numbered one, so it shows as a difference.
  const keyOf = new Map<string, string>();
  for (const n of [...nominations].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const name = displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]);
    let key = `${n.campaignId} ${n.unitId} ${n.category} ${name || '(no name)'}`;
    for (let k = 2; [...keyOf.values()].includes(key); k++) key = `${key.replace(/ #\d+$/, '')} #${k}`;
    keyOf.set(n.id, key);
  }
  const nameOf = (id: string) => keyOf.get(id) ?? `(unknown nomination ${id})`;

  const state: CampaignState = {
    nominations: {},
    released: {},
    quotas: {},
    quotaMismatches: [],
    mails: {},
    repeatedReviewRequests: [],
    audits: {},
    objections: {},
    executions: {},
    reviews: {},
  };
  for (const n of nominations) {
    state.nominations[nameOf(n.id)] = n.status;
    if (n.status === 'released') push(state.released, n.campaignId, nameOf(n.id));
  }
  for (const list of Object.values(state.released)) list.sort();

  for (const ledger of items.filter((i) => String(i.pk).startsWith('quota#'))) {
    const [, campaignId = '', unitId = ''] = String(ledger.pk).split('#');
    const key = `${campaignId} ${unitId} ${String(ledger.sk)}`;
    state.quotas[key] = Number(ledger.used ?? 0);
    const recount = quotaRecount(nominations, ledger);
    if (recount !== state.quotas[key])
      state.quotaMismatches.push(`${key}: ledger ${state.quotas[key]}, recount ${recount}`);
  }

  for (const item of items.filter((i) => String(i.sk).startsWith('audit#'))) {
    const event = item.data as { nominationId: string; action: string };
    const key = nameOf(event.nominationId);
    state.audits[key] = state.audits[key] ?? {};
    // "forwarded-from:<id>" names another nomination: by its key, not its random id.
    count(
      state.audits[key],
      event.action.replace(/n-[0-9a-z]{10,40}/g, (id) => `<${nameOf(id)}>`),
    );
  }
  for (const item of items.filter((i) => String(i.sk).startsWith('objection#'))) {
    const objection = item.data as { nominationId: string; resolution?: { decision: string } };
    push(state.objections, nameOf(objection.nominationId), objection.resolution?.decision ?? 'open');
  }
  for (const list of Object.values(state.objections)) list.sort();
  const assignments = new Map<string, { assigned: number; reviewed: number }>();
  for (const item of items.filter((i) => String(i.sk).startsWith('review#'))) {
    const key = nameOf(String(item.nominationId));
    const seen = assignments.get(key) ?? { assigned: 0, reviewed: 0 };
    seen.assigned += 1;
    if (item.review) seen.reviewed += 1;
    assignments.set(key, seen);
  }
  for (const [key, { assigned, reviewed }] of assignments) {
    state.reviews[key] = `${assigned} assigned, ${reviewed} reviewed`;
  }

  const outbox = join(dataDir, 'mail/outbox.jsonl');
  const reviewRequests: Record<string, number> = {};
  if (existsSync(outbox)) {
    for (const line of readFileSync(outbox, 'utf8').split('\n').filter(Boolean)) {
      const mail = JSON.parse(line) as { to: string[]; subject: string };
      // Which experts review which nomination is drawn from the loads when each batch is
      // assigned, and a batch is what the planning window holds at that moment (eventually
      // consistent by design: it only steers the balance), so it moves with timing: a kill, a
      // fault, a slower machine. That each nomination's review was requested of as many experts is
      // what two runs must share (and `reviews` counts who were assigned and reviewed).
      const reviewRequest = mail.subject.includes('· Review request');
      const sent = `${mail.to.join(', ')} | ${mail.subject}`;
      count(state.mails, reviewRequest ? `(an expert) | ${mail.subject}` : sent);
      if (reviewRequest) count(reviewRequests, sent);
    }
    state.repeatedReviewRequests = Object.entries(reviewRequests)
      .filter(([, n]) => n > 1)
      .map(([sent, n]) => `${sent} ×${n}`)
      .sort();
  }

  const executionsDir = join(dataDir, 'stepfunctions/executions');
  for (const file of existsSync(executionsDir) ? readdirSync(executionsDir) : []) {
    if (!file.endsWith('.json')) continue;
    const record = JSON.parse(readFileSync(join(executionsDir, file), 'utf8')) as ExecutionRecord;
    const path = record.history
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => String(e.details?.name))
      .filter((name, i, all) => name !== all[i - 1]);
    state.executions[nameOf(record.name)] = `${record.status}: ${path.join(' → ')}`;
  }

  // A state read from an empty or half-written folder would compare equal to another empty one:
  // a crash test that found nothing must fail, not pass.
  for (const [what, found] of [
    ['nominations', nominations.length],
    ['quota ledgers', Object.keys(state.quotas).length],
    ['audit events', Object.keys(state.audits).length],
    ['executions', Object.keys(state.executions).length],
  ] as const) {
    if (found === 0) throw new Error(`readCampaignState: no ${what} in ${dataDir}`);
  }

  return {
    ...state,
    nominations: sorted(state.nominations),
    released: sorted(state.released),
    quotas: sorted(state.quotas),
    mails: sorted(state.mails),
    audits: sorted(state.audits),
    objections: sorted(state.objections),
    executions: sorted(state.executions),
    reviews: sorted(state.reviews),
  };
}
