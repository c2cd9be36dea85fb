import * as z from 'zod';
import type { CampaignCatalog, CampaignVersion } from '../ports/campaign-catalog.js';
import type { NominationStore } from '../ports/nominations.js';
import type { Clock } from '../ports/system.js';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { type Campaign, campaignIn, definitionIssues } from '../rules/campaign.js';
import { DomainError, ValidationError } from '../rules/errors.js';
import type { Bilingual } from '../rules/i18n.js';
import { holdsQuotaSlot } from '../rules/nomination-status.js';
import { changedFields, correctionIssues, type HeldSlot } from '../rules/round-correction.js';
import { freeText } from '../rules/text.js';
import { parseInput } from '../rules/validation.js';
import { type InvitationDeps, inviteByMail } from './sign-in.js';

/**
 * The rounds as stored (functions/ports/campaign-catalog.ts): seeding the built-in ones, and
 * reading them for operators.
 */

export interface CatalogDeps {
  catalog: CampaignCatalog;
  clock: Clock;
}

const SYSTEM = { role: 'system' as const, subjectId: 'seed', name: 'Laurel' };

/**
 * Stores each of `rounds` as its version 1 unless the catalog holds it already: run at every
 * local start and once per AWS stage after deploying (`npm run campaign -- seed`); running it
 * again changes nothing, and never overwrites a round corrected since.
 */
export async function seedRounds(
  deps: CatalogDeps,
  rounds: Iterable<Campaign>,
): Promise<{ seeded: string[]; present: string[] }> {
  const stored = new Set((await deps.catalog.current()).map((v) => v.campaign.id));
  const seeded: string[] = [];
  const present: string[] = [];
  for (const campaign of rounds) {
    if (stored.has(campaign.id)) {
      present.push(campaign.id);
      continue;
    }
    const entry: CampaignVersion = {
      campaign,
      version: 1,
      savedAt: deps.clock.now().toISOString(),
      savedBy: SYSTEM,
      // Shown to officers beside the version: in their language, as every note is.
      note: '内置活动，系统初始化 · Built-in round, seeded',
      changed: [],
    };
    ((await deps.catalog.save(entry)) ? seeded : present).push(campaign.id);
  }
  return { seeded, present };
}

export const roundCreationSchema = builtOnFirstUse(() =>
  z.strictObject({
    /** The round's definition, as functions/rules/campaign.ts describes it (docs/schemas/campaign.json). */
    definition: z.unknown().meta({ title: '活动定义', 'x-title-en': 'Round definition' }),
    /** The round's secretariat: invited by e-mail as the round is created. */
    secretariat: z
      .strictObject({
        name: freeText({ max: 100, min: 1 }).meta({ title: '秘书处名称', 'x-title-en': 'Secretariat name' }),
        email: z.email().max(254).meta({ title: '秘书处电子邮箱', 'x-title-en': 'Secretariat e-mail' }),
      })
      .meta({ title: '秘书处', 'x-title-en': 'Secretariat' }),
    note: freeText({ max: 500, multiLine: true }).default('').meta({ title: '说明', 'x-title-en': 'Note' }),
  }),
);

export const roundCorrectionSchema = builtOnFirstUse(() =>
  z.strictObject({
    definition: z.unknown().meta({ title: '活动定义', 'x-title-en': 'Round definition' }),
    /** The version the correction starts from: a correction made meanwhile by someone else is a 409. */
    basedOn: z.int().min(1).meta({ title: '所依据的版本', 'x-title-en': 'Based on version' }),
    note: freeText({ max: 500, min: 1, multiLine: true }).meta({
      title: '更改原因',
      'x-title-en': 'Reason for the change',
    }),
  }),
);

export interface RoundDeps extends CatalogDeps, InvitationDeps {
  store: Pick<NominationStore, 'page' | 'counts'>;
}

const ROUND: Bilingual = { zh: '活动定义', en: 'round definition' };

/** The definition checked against the rounds known, or a 400 listing every problem by field. */
function checkedDefinition(raw: unknown, known: ReadonlyMap<string, Campaign>): Campaign {
  const { campaign, issues } = definitionIssues(raw, known);
  if (!campaign || issues.length > 0) throw new ValidationError(issues, ROUND);
  return campaign;
}

const by = (actor: Pick<Actor, 'role' | 'subjectId' | 'name'>) => ({
  role: actor.role,
  subjectId: actor.subjectId,
  name: actor.name,
});

/**
 * Stores a new round's definition as its version 1, checked by the same schema and cross-round
 * rules as the built-in rounds (every problem by field, a 400), refused (409) when the id is
 * taken. Shared by the API (which then invites the round's secretariat by e-mail) and by the
 * operators' command (which prints how to invite it, as `npm run invite` hands links over).
 */
export async function storeNewRound(
  deps: CatalogDeps & { campaigns: ReadonlyMap<string, Campaign> },
  actor: Pick<Actor, 'role' | 'subjectId' | 'name'>,
  definition: unknown,
  note: string,
): Promise<CampaignVersion> {
  const id = (definition as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && deps.campaigns.has(id)) throw roundExists(id);
  const campaign = checkedDefinition(definition, deps.campaigns);
  const entry: CampaignVersion = {
    campaign,
    version: 1,
    savedAt: deps.clock.now().toISOString(),
    savedBy: by(actor),
    note,
    changed: [],
  };
  if (!(await deps.catalog.save(entry))) throw roundExists(campaign.id);
  return entry;
}

/**
 * Creates a round from its definition, checked by the same schema and cross-round rules as the
 * built-in ones, and invites its secretariat by e-mail. Operations create any round; a
 * secretariat only a round that forwards into its own (CAST's secretariat, a society's round).
 */
export async function createRound(deps: RoundDeps, actor: Actor, input: unknown) {
  const request = parseInput(roundCreationSchema(), input, ROUND);
  const forwardsTo = (request.definition as { forwardTo?: { campaignId?: unknown } } | null)?.forwardTo
    ?.campaignId;
  if (actor.role !== 'ops')
    // Stryker disable next-line StringLiteral: '' stands for "no round", which no actor's campaignId equals; any other non-round text refuses alike (equivalent)
    requireRole(actor, ['secretariat'], typeof forwardsTo === 'string' ? forwardsTo : '');
  const entry = await storeNewRound(deps, actor, request.definition, request.note);
  const { campaign } = entry;
  // The round's first secretariat, invited by operations of the new round (whoever created it).
  const issuer: Actor = { ...actor, role: 'ops', campaignId: campaign.id };
  const { invitation, sentTo } = await inviteByMail(
    { ...deps, campaigns: new Map(deps.campaigns).set(campaign.id, campaign) },
    issuer,
    { role: 'secretariat', subjectId: 'secretariat', ...request.secretariat },
  );
  return { round: roundView(entry), secretariat: { sentTo, expiresAt: invitation.expiresAt } };
}

/**
 * A new version of a running round. Checked as a new definition would be, then against what
 * units have submitted (functions/rules/round-correction.ts); the version it replaces stays
 * stored, with who changed what and why.
 */
export async function correctRound(deps: RoundDeps, actor: Actor, campaignId: string, input: unknown) {
  const request = parseInput(roundCorrectionSchema(), input, ROUND);
  const previous = campaignIn(deps.campaigns, campaignId);
  assertMayChange(actor, previous);
  const versions = await deps.catalog.versions(campaignId);
  const current = versions[versions.length - 1];
  if (!current || current.version !== request.basedOn) throw changedMeanwhile(current?.version ?? 0);
  // Stryker disable next-line MethodExpression,ConditionalExpression: definitionIssues replaces the round's own entry with the new definition, so leaving the old one in checks the same (equivalent); kept to say what the check is against
  const others = new Map([...deps.campaigns].filter(([id]) => id !== campaignId));
  const next = checkedDefinition(request.definition, others);
  const issues = correctionIssues(current.campaign, next, await heldSlots(deps, current.campaign));
  if (issues.length > 0) throw new ValidationError(issues, ROUND);
  const entry: CampaignVersion = {
    campaign: next,
    version: current.version + 1,
    savedAt: deps.clock.now().toISOString(),
    savedBy: by(actor),
    note: request.note,
    changed: changedFields(current.campaign, next),
  };
  if (!(await deps.catalog.save(entry))) throw changedMeanwhile(current.version);
  return { round: roundView(entry) };
}

/** Every round as the site shows it (names, deadlines, forms): the current version of each. */
export async function listRounds(deps: Pick<CatalogDeps, 'catalog'>) {
  const rounds = (await deps.catalog.current()).map(({ campaign, version }) => ({ campaign, version }));
  rounds.sort((a, b) => a.campaign.id.localeCompare(b.campaign.id));
  return { rounds };
}

/** One round's versions, oldest first: who changed what, when and why. */
export async function roundVersions(deps: RoundDeps, actor: Actor, campaignId: string) {
  assertMayChange(actor, campaignIn(deps.campaigns, campaignId));
  return { versions: (await deps.catalog.versions(campaignId)).map(roundView) };
}

/**
 * The rounds that forward into this one (a society's internal round into CAST's): their
 * organizer, deadline, version and how many nominations each has forwarded so far.
 */
export async function childRounds(deps: RoundDeps, campaignId: string) {
  campaignIn(deps.campaigns, campaignId);
  const children = (await deps.catalog.current()).filter(
    (v) => v.campaign.forwardTo?.campaignId === campaignId,
  );
  const rounds = await Promise.all(
    children.map(async ({ campaign, version }) => ({
      campaignId: campaign.id,
      name: campaign.name,
      organizer: campaign.organizer.name,
      deadline: campaign.deadline,
      version,
      // Stryker disable next-line OptionalChaining,StringLiteral: every child has forwardTo (the filter above); the fallback only satisfies the type (equivalent)
      asUnitType: campaign.forwardTo?.asUnitType ?? '',
      forwarded: (await deps.store.counts(campaign.id)).forwarded ?? 0,
    })),
  );
  return { rounds };
}

/** A stored version as the API shows it: the definition, its version and who saved it why. */
const roundView = ({ campaign, version, savedAt, savedBy, note, changed }: CampaignVersion) => ({
  campaign,
  version,
  savedAt,
  savedBy: { role: savedBy.role, name: savedBy.name },
  note,
  changed,
});

/** Operations change any round; a secretariat its own round, or a round that forwards into its own. */
function assertMayChange(actor: Actor, round: Campaign): void {
  if (actor.role === 'ops') return;
  const own = actor.campaignId === round.id || actor.campaignId === round.forwardTo?.campaignId;
  // Stryker disable next-line StringLiteral: '' stands for "not this actor's round", which no actor's campaignId equals; any other such text refuses alike (equivalent)
  requireRole(actor, ['secretariat'], own ? actor.campaignId : '');
}

/** The nominations that hold a quota slot, as a correction's quota check counts them. */
async function heldSlots(deps: RoundDeps, campaign: Campaign): Promise<HeldSlot[]> {
  const held: HeldSlot[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.page(campaign.id, {}, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const n of page.items) {
      if (holdsQuotaSlot(n.status, campaign)) {
        held.push({ unitId: n.unitId, unitName: n.unitName, unitType: n.unitType, category: n.category });
      }
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return held;
}

const roundExists = (id: string) =>
  new DomainError({
    code: 'CAMPAIGN_EXISTS',
    kind: 'conflict',
    path: ['definition', 'id'],
    message: { zh: `活动编号“${id}”已被使用`, en: `A round "${id}" exists already` },
  });

const changedMeanwhile = (version: number) =>
  new DomainError({
    code: 'VERSION_CONFLICT',
    kind: 'conflict',
    path: ['basedOn'],
    message: {
      zh: `活动已被他人修改，当前为第 ${version} 版；请基于最新版本重新修改`,
      en: `The round was changed meanwhile (it is at version ${version}); start again from the latest version`,
    },
    details: { version },
  });
