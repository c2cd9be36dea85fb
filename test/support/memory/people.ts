import type { Actor, InvitationRequest } from '../../../functions/rules/access.js';
import type { AttachmentKind } from '../../../functions/rules/attachments.js';
import { campaignIn } from '../../../functions/rules/campaign.js';
import type { CategoryId } from '../../../functions/rules/categories.js';
import { submissionsEnded } from '../../../functions/rules/deadline.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import { confirmSelection } from '../../../functions/use-cases/campaign-steps.js';
import { createDraft, getNomination, saveForm, submit } from '../../../functions/use-cases/nominations.js';
import { startReviewClocks } from '../../../functions/use-cases/review-clock.js';
import { declareReview, submitReview } from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { closeSubmissions } from '../../../functions/use-cases/secretariat.js';
import { currentActor, inviteByMail, signIn } from '../../../functions/use-cases/sign-in.js';
import { recordAttachment, requestUpload } from '../../../functions/use-cases/uploads.js';
import { docx, jpeg, pdf } from '../../fixtures/files.js';
import { validForms } from '../../fixtures/forms.js';
import type { World } from './index.js';

/**
 * What the people of a campaign do, through the use cases of an in-memory world: the secretariat
 * invites units and experts (who sign in through the mailed link), a unit fills, uploads and
 * submits, an expert reviews through the mailed link. The counterpart of test/support/people.ts
 * and seed.ts for the unit tier: nothing here reaches around a use case into a store.
 */

/** The secretariat of a campaign, as its session says (operations invite it; not the subject here). */
export const secretariatOf = (campaignId: string): Actor => ({
  role: 'secretariat',
  campaignId,
  subjectId: `sec-${campaignId}`,
  name: '秘书处',
  email: `secretariat@${campaignId}.cn`,
});

/**
 * Ends the campaign's submissions before its deadline, as its secretariat may with a reason, so a
 * test that runs inside the window can go on to the selection; nothing when they ended already.
 */
export async function endSubmissions(world: World, campaignId: string): Promise<void> {
  const campaign = world.deps.campaigns.get(campaignId);
  const { submissionsClosed } = await world.deps.campaignStore.state(campaignId);
  if (!campaign || submissionsEnded(campaign, world.clock.now(), submissionsClosed)) return;
  await closeSubmissions(world.deps, secretariatOf(campaignId), campaignId, {
    reason: '各推荐单位均已报送完毕',
  });
}

/** The token of the first `…/<path>/index.html#<token>` link in a text ('' when there is none). */
const tokenIn = (text: string, path: string) =>
  new RegExp(`/${path}/index\\.html#(\\S+)`).exec(text)?.[1] ?? '';

/** Invites a unit or an expert by mail and signs them in through the link they were sent. */
export async function invite(
  world: World,
  issuer: Actor,
  request: Omit<InvitationRequest, 'validDays'> & { affiliation?: string },
): Promise<Actor> {
  await inviteByMail(world.deps, issuer, request);
  const link = tokenIn(world.outbox.to(request.email).at(-1)?.text ?? '', 'signin');
  const { sessionToken } = await signIn(world.deps, link);
  return currentActor(world.deps, sessionToken);
}

/** A recommending unit of `campaignId`, invited by its secretariat and signed in. */
export const inviteUnit = (
  world: World,
  campaignId: string,
  subjectId: string,
  unitType: string,
  name = subjectId,
) =>
  invite(world, secretariatOf(campaignId), {
    role: 'unit',
    subjectId,
    name,
    email: `${subjectId}@units.cn`,
    unitType,
  });

/** Experts of `campaignId` (their ids and, where given, the unit they belong to), invited into its pool. */
export async function inviteExperts(
  world: World,
  campaignId: string,
  experts: readonly { id: string; affiliation?: string }[],
): Promise<void> {
  for (const { id, affiliation } of experts) {
    await invite(world, secretariatOf(campaignId), {
      role: 'expert',
      subjectId: id,
      name: `专家 ${id}`,
      email: expertEmail(id),
      ...(affiliation ? { affiliation } : {}),
    });
  }
}

export const expertEmail = (expertId: string) => `${expertId}@experts.cn`;

/** Files that pass the type check, in the sizes the campaigns take (a photo is at least 1 MiB). */
const FILES: Record<AttachmentKind, { bytes: () => Uint8Array; contentType: string; name: string }> = {
  word: {
    bytes: docx,
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    name: '推荐表.docx',
  },
  scan: { bytes: () => pdf(40_000), contentType: 'application/pdf', name: '盖章扫描件.pdf' },
  photo: { bytes: () => jpeg(1_100_000), contentType: 'image/jpeg', name: '照片.jpg' },
  consent: { bytes: () => pdf(30_000), contentType: 'application/pdf', name: '知情同意书.pdf' },
};

/** Uploads one file as the browser does (presigned POST) and has it recorded; the nomination after. */
export async function upload(
  world: World,
  unit: Actor,
  nomination: Pick<Nomination, 'id' | 'version'>,
  kind: AttachmentKind,
  bytes = FILES[kind].bytes(),
): Promise<Nomination> {
  const file = FILES[kind];
  const policy = await requestUpload(world.deps, unit, nomination.id, {
    kind,
    contentType: file.contentType,
    fileName: file.name,
  });
  await world.deps.uploads.post(policy.fields, bytes);
  await recordAttachment(world.deps, unit, nomination.id, {
    attachmentId: policy.attachmentId,
    kind,
    fileName: file.name,
    version: nomination.version,
  });
  // The route answers the file's record alone; the page's next read shows the nomination.
  const recorded = await world.deps.store.get(nomination.id);
  if (!recorded) throw new Error(`nomination ${nomination.id} vanished`);
  return recorded;
}

/** A draft with the valid sample form, the declaration, and every file its category needs. */
export async function completeDraft(
  world: World,
  unit: Actor,
  category: CategoryId,
  form: Record<string, unknown> = validForms[category] as unknown as Record<string, unknown>,
): Promise<Nomination> {
  const draft = await createDraft(world.deps, unit, { category });
  let n = (
    await saveForm(world.deps, unit, draft.id, { version: draft.version, form, noClassifiedContent: true })
  ).nomination;
  const photos = category === 'volunteer' ? 3 : 2;
  const consentScan = campaignIn(world.deps.campaigns, unit.campaignId).privacy.consentScan;
  const kinds = [
    'word',
    'scan',
    ...Array<'photo'>(photos).fill('photo'),
    ...(consentScan ? ['consent'] : []),
  ];
  for (const kind of kinds as AttachmentKind[]) {
    n = await upload(world, unit, n, kind);
  }
  return n;
}

/** The unit's confirmation that the nominee was informed under its round's current notice and consented. */
export const consentIn = (world: World, unit: Actor) => ({
  informed: true,
  noticeVersion: campaignIn(world.deps.campaigns, unit.campaignId).privacy.notice.version,
});

/** The unit's declarations under its round's current ones: every one its round asks. */
export const declaredIn = (world: World, unit: Actor) => {
  const { declarations } = campaignIn(world.deps.campaigns, unit.campaignId);
  return { version: declarations.version, confirmed: declarations.items.map((item) => item.id) };
};

/** A person's action takes a while: the next one happens a minute later (audit events keep their order). */
export const MINUTE_MS = 60_000;

/** A complete nomination, submitted, its execution caught up (waiting in screening). */
export async function submitted(world: World, unit: Actor, category: CategoryId): Promise<Nomination> {
  const draft = await completeDraft(world, unit, category);
  world.clock.advance(MINUTE_MS);
  await submit(world.deps, unit, draft.id, {
    version: draft.version,
    consent: consentIn(world, unit),
    declarations: declaredIn(world, unit),
  });
  await world.settle();
  world.clock.advance(MINUTE_MS);
  return getNomination(world.deps, unit, draft.id);
}

/** The secretariat passes each nomination at screening; then the executions catch up (experts assigned). */
export async function passAll(world: World, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const n = await stored(world, id);
    await screen(world.deps, secretariatOf(n.campaignId), id, { version: n.version, decision: 'pass' });
  }
  await world.settle();
  world.clock.advance(MINUTE_MS);
}

/**
 * Nominations of one CAST unit (中国天文学会, a national society), one per category given, taken
 * through screening, review by experts e1–e3 and the selection: forwarded, waiting in
 * AwaitPublicity. Their ids, by category order given.
 */
export async function forwardedInCast(world: World, categories: readonly CategoryId[]): Promise<string[]> {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  const ids: string[] = [];
  for (const category of categories) ids.push((await submitted(world, unit, category)).id);
  await passAll(world, ids);
  await reviewEverything(world, ['e1', 'e2', 'e3']);
  await endSubmissions(world, 'cast-2024');
  await confirmSelection(world.deps, secretariatOf('cast-2024'), 'cast-2024', {});
  await world.settle();
  world.clock.advance(MINUTE_MS);
  return ids;
}

/** The nomination as stored now (for tests; a person reads it through getNomination). */
export async function stored(world: World, id: string): Promise<Nomination> {
  const n = await world.deps.store.get(id);
  if (!n) throw new Error(`no nomination ${id}`);
  return n;
}

/** The review-link tokens mailed to an expert, oldest first. */
export const reviewTokens = (world: World, expertId: string): string[] =>
  world.outbox
    .to(expertEmail(expertId))
    .map((m) => tokenIn(m.text, 'review'))
    .filter(Boolean);

/** The review criteria of the built-in campaigns. */
export const CRITERIA = ['exemplary', 'st-character', 'representative', 'sound-practice'];

/** The same mark on every criterion, recommended and confirmed: a review as the expert page sends it. */
export const evenReview = (mark: number, recommend = true) => ({
  scores: Object.fromEntries(CRITERIA.map((c) => [c, mark])),
  recommend,
  confirmed: true as const,
});

/**
 * Every expert reviews every nomination they were sent a link for, with the mark `markOf` gives
 * (by nomination and expert); then the executions catch up.
 */
export async function reviewEverything(
  world: World,
  expertIds: readonly string[],
  markOf: (nominationId: string, expertId: string) => number = () => 8,
): Promise<void> {
  for (const expertId of expertIds) {
    for (const token of reviewTokens(world, expertId)) {
      const assignment = await world.deps.reviews.byLink(world.deps.secrets.hash(token));
      if (!assignment || assignment.review) continue;
      world.clock.advance(MINUTE_MS);
      if (!assignment.declaration) {
        // As the page goes: the declaration of no conflict, then (a moment later) the review.
        await declareReview(world.deps, token, { conflict: false });
        world.clock.advance(MINUTE_MS);
      }
      await submitReview(world.deps, token, evenReview(markOf(assignment.nominationId, expertId)));
    }
  }
  await world.settle();
}

/**
 * The review clock's daily schedule fires now, on the world's clock (its event's `time`: the day it
 * counts), and the day's campaign jobs run: every nomination in review counted, units reminded.
 */
export async function reviewClockRuns(world: World) {
  const started = await startReviewClocks(world.deps, { time: world.clock.now().toISOString() });
  await world.settle();
  return started;
}
