import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import {
  addDays,
  chinaDateAt,
  endOfChinaDay,
  formatDeadline,
  instantSchema,
  isCalendarDate,
  parseInstant,
} from './calendar.js';
import type { Campaign } from './campaign.js';
import { DeadlinePassedError, DomainError } from './errors.js';
import type { Bilingual } from './i18n.js';
import { freeText } from './text.js';
import { parseInput } from './validation.js';

/**
 * Submissions are accepted strictly before the campaign's deadline instant. Offices read the
 * notice's "2月13日前" as "by the end of 13 February", so the data holds 2025-02-14T00:00+08:00 and
 * a submission at 23:59:59 on the 13th counts. The secretariat may grant one unit a later
 * instant, with a reason, or close submissions for everyone early, with a reason; both are data.
 * A nomination returned for correction has its own correction deadline, which may run past the
 * submission deadline (but never past the organizer's own forwarding deadline).
 */

export const deadlineExtensionSchema = builtOnFirstUse(() =>
  z.strictObject({
    unitId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .meta({ title: '推荐单位', 'x-title-en': 'Unit' }),
    until: instantSchema().meta({ title: '延期至', 'x-title-en': 'Extended until' }),
    reason: freeText({ max: 500, min: 1, multiLine: true }).meta({
      title: '延期理由',
      'x-title-en': 'Reason',
    }),
  }),
);
export type DeadlineExtension = z.infer<ReturnType<typeof deadlineExtensionSchema>>;

/**
 * The secretariat ends submissions before the deadline, for every unit without an extension: an
 * extension is a decision about one unit, and outlasts a general close.
 */
export const closeSubmissionsSchema = builtOnFirstUse(() =>
  z.strictObject({
    reason: freeText({ max: 500, min: 2, multiLine: true }).meta({
      title: '提前截止理由',
      'x-title-en': 'Reason for closing early',
    }),
  }),
);

export interface SubmissionClosure {
  at: string;
  reason: string;
  by: { subjectId: string; name: string };
}

export function effectiveDeadline(campaign: Campaign, extension?: DeadlineExtension): Date {
  const base = parseInstant(campaign.deadline);
  if (!extension) return base;
  const extended = parseInstant(extension.until);
  return new Date(Math.max(extended.getTime(), base.getTime()));
}

export function isSubmissionOpen(
  campaign: Campaign,
  now: Date,
  extension?: DeadlineExtension,
  closure?: SubmissionClosure,
): boolean {
  if (closure && !extension && now.getTime() >= Date.parse(closure.at)) return false;
  return now.getTime() < effectiveDeadline(campaign, extension).getTime();
}

/** Refuses a submission (or a new draft) once the unit's deadline has passed or submissions were closed. */
export function assertSubmissionOpen(
  campaign: Campaign,
  now: Date,
  extension?: DeadlineExtension,
  closure?: SubmissionClosure,
): void {
  if (isSubmissionOpen(campaign, now, extension, closure)) return;
  if (closure && !extension && now.getTime() >= Date.parse(closure.at)) {
    const shown = formatDeadline(new Date(closure.at));
    throw new DeadlinePassedError(
      {
        zh: `秘书处已于 ${shown} 提前截止报送（理由：${closure.reason}），不能再新建或提交推荐`,
        en: `The secretariat closed submissions early on ${shown} (reason: ${closure.reason}); no nomination can be created or submitted`,
      },
      { closedAt: closure.at, now: now.toISOString(), closedEarly: true },
    );
  }
  const deadline = effectiveDeadline(campaign, extension);
  const shown = formatDeadline(deadline);
  throw new DeadlinePassedError(
    {
      zh: `已过截止时间（${shown}${extension ? '，含延期' : ''}），不能再提交`,
      en: `The deadline (${shown}${extension ? ', extended' : ''}) has passed; submissions are closed`,
    },
    { deadline: deadline.toISOString(), now: now.toISOString(), extended: Boolean(extension) },
  );
}

/** Whether submissions have ended for the whole campaign: its deadline passed, or closed early. */
export function submissionsEnded(campaign: Campaign, now: Date, closure?: SubmissionClosure): boolean {
  return Boolean(closure) || now.getTime() >= parseInstant(campaign.deadline).getTime();
}

/**
 * Selection, publicity and release wait for the end of submissions: before it, more nominations
 * may still come in and the ranking would not be final.
 */
export function assertSubmissionsEnded(
  campaign: Campaign,
  now: Date,
  closure: SubmissionClosure | undefined,
  step: Bilingual,
): void {
  if (submissionsEnded(campaign, now, closure)) return;
  const shown = formatDeadline(parseInstant(campaign.deadline));
  throw new DomainError({
    code: 'SUBMISSIONS_OPEN',
    kind: 'conflict',
    message: {
      zh: `报送截止时间 ${shown} 尚未到，暂不能${step.zh}；如需提前，请先说明理由提前截止报送`,
      en: `Submissions are open until ${shown}; ${step.en} must wait, unless the secretariat closes submissions early with a reason`,
    },
    details: { deadline: parseInstant(campaign.deadline).toISOString(), now: now.toISOString() },
  });
}

/** A closure of submissions, refused once they have ended anyway. */
export function checkClosure(
  campaign: Campaign,
  now: Date,
  input: unknown,
  by: SubmissionClosure['by'],
  existing?: SubmissionClosure,
): SubmissionClosure {
  const { reason } = parseInput(closeSubmissionsSchema(), input, { zh: '提前截止', en: 'early close' });
  // The same request again (a double click, a retried request): the same answer.
  if (existing && existing.reason === reason) return existing;
  if (existing || submissionsEnded(campaign, now)) {
    throw new DomainError({
      code: 'SUBMISSIONS_ENDED',
      kind: 'conflict',
      message: existing
        ? {
            zh: `报送已于 ${formatDeadline(new Date(existing.at))} 提前截止`,
            en: `Submissions were already closed on ${formatDeadline(new Date(existing.at))}`,
          }
        : { zh: '报送截止时间已过，无需提前截止', en: 'The deadline has passed; there is nothing to close' },
    });
  }
  return { at: now.toISOString(), reason, by };
}

/**
 * An extension must move the deadline later, and — in a round that forwards to a parent —
 * no later than the parent's deadline, or the society could not forward in time.
 */
export function checkExtension(campaign: Campaign, extension: unknown, parent?: Campaign): DeadlineExtension {
  const parsed = parseInput(deadlineExtensionSchema(), extension, {
    zh: '延期申请',
    en: 'deadline extension',
  });
  const until = parseInstant(parsed.until);
  const invalid = (code: string, zh: string, en: string) =>
    new DomainError({ code, kind: 'rule', path: ['until'], message: { zh, en } });
  if (until <= parseInstant(campaign.deadline)) {
    throw invalid(
      'EXTENSION_NOT_LATER',
      `延期时间须晚于原截止时间 ${formatDeadline(parseInstant(campaign.deadline))}`,
      `The extension must be later than the deadline ${formatDeadline(parseInstant(campaign.deadline))}`,
    );
  }
  if (parent && until > parseInstant(parent.deadline)) {
    throw invalid(
      'EXTENSION_AFTER_PARENT_DEADLINE',
      `延期时间不能晚于上级活动截止时间 ${formatDeadline(parseInstant(parent.deadline))}`,
      `The extension cannot pass the parent campaign's deadline ${formatDeadline(parseInstant(parent.deadline))}`,
    );
  }
  return parsed;
}

// ── Corrections ───────────────────────────────────────────────────────────────────────────────

/** The secretariat may set the last day of a correction when it returns a nomination. */
export const correctionDateSchema = builtOnFirstUse(() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
    .refine(isCalendarDate, '日期格式为 YYYY-MM-DD · a date YYYY-MM-DD')
    .meta({
      title: '修改截止日期（当日 24:00 止）',
      'x-title-en': 'Correct by (end of that day, China time)',
    }),
);

/**
 * The latest a correction may run: the organizer's own forwarding deadline — the parent round's
 * deadline for a round that forwards — or the campaign's `corrections.latest` when it sets one.
 */
export function latestCorrection(campaign: Campaign, parent?: Campaign): Date | undefined {
  const bounds = [
    parent ? parseInstant(parent.deadline).getTime() : undefined,
    campaign.corrections.latest ? parseInstant(campaign.corrections.latest).getTime() : undefined,
  ].filter((t): t is number => t !== undefined);
  return bounds.length > 0 ? new Date(Math.min(...bounds)) : undefined;
}

/**
 * The furthest a requested correction date may lie after the return, where the campaign sets no
 * latest one (and its own default window is shorter): a return waits for its unit, and the
 * round's selection waits for every return, so a date mistyped years ahead (2205 for 2025) would
 * hold the round for good. A few days are the notice's norm; a month is generous.
 */
export const MAX_CORRECTION_DAYS = 30;

/**
 * A return's correction deadline: the end of the requested China day, or by default the end of
 * the day `corrections.days` after the return. Never after the organizer's forwarding deadline
 * (the default is cut to it), nor more than MAX_CORRECTION_DAYS after the return; a requested day
 * past either, or already over, is refused.
 */
export function correctionDeadline(
  campaign: Campaign,
  now: Date,
  parent?: Campaign,
  requested?: string,
): Date {
  const latest = latestCorrection(campaign, parent);
  const invalid = (code: string, zh: string, en: string) =>
    new DomainError({ code, kind: 'rule', path: ['correctionDate'], message: { zh, en } });
  if (latest && now.getTime() >= latest.getTime()) {
    throw invalid(
      'CORRECTION_TOO_LATE',
      `已过本单位向上报送的截止时间 ${formatDeadline(latest)}，不能再退回修改；请通过或不予通过`,
      `The organizer's forwarding deadline ${formatDeadline(latest)} has passed: a return could not be answered in time; pass or reject instead`,
    );
  }
  if (requested !== undefined) {
    const end = endOfChinaDay(requested);
    if (end.getTime() <= now.getTime()) {
      throw invalid(
        'CORRECTION_IN_PAST',
        '修改截止日期已过，请选择今天或以后的日期',
        'The correction date is over; choose today or a later day',
      );
    }
    if (latest && end.getTime() > latest.getTime()) {
      throw invalid(
        'CORRECTION_AFTER_FORWARDING',
        `修改截止日期不能晚于 ${formatDeadline(latest)}（向上报送截止时间）`,
        `The correction date cannot pass ${formatDeadline(latest)}, the organizer's forwarding deadline`,
      );
    }
    // Where the round sets its own latest, that bounds it; else a month, or the round's default if longer.
    const days = Math.max(MAX_CORRECTION_DAYS, campaign.corrections.days);
    const furthest = endOfChinaDay(addDays(chinaDateAt(now), days));
    if (!latest && end.getTime() > furthest.getTime()) {
      throw invalid(
        'CORRECTION_TOO_FAR',
        `修改截止日期不能晚于 ${formatDeadline(furthest)}（退回后最多 ${days} 天），请核对年份和日期`,
        `The correction date cannot pass ${formatDeadline(furthest)} (at most ${days} days after the return); check the year and day`,
      );
    }
    return end;
  }
  const byDefault = endOfChinaDay(addDays(chinaDateAt(now), campaign.corrections.days));
  // Stryker disable next-line EqualityOperator: on equal instants both branches give the same instant (an equivalent mutant)
  return latest && byDefault.getTime() > latest.getTime() ? latest : byDefault;
}

/**
 * A returned nomination may be resubmitted while its correction window runs, or while the
 * unit's submission deadline has not passed, whichever ends later.
 */
export function assertResubmissionOpen(
  campaign: Campaign,
  now: Date,
  correctionUntil: string | undefined,
  extension?: DeadlineExtension,
  closure?: SubmissionClosure,
): void {
  if (correctionUntil && now.getTime() < Date.parse(correctionUntil)) return;
  if (isSubmissionOpen(campaign, now, extension, closure)) return;
  if (!correctionUntil) assertSubmissionOpen(campaign, now, extension, closure);
  const shown = formatDeadline(new Date(correctionUntil ?? campaign.deadline));
  throw new DeadlinePassedError(
    {
      zh: `修改期限（${shown}）已过，不能再重新提交`,
      en: `The correction period ended on ${shown}; the nomination can no longer be resubmitted`,
    },
    { correctionUntil, now: now.toISOString() },
  );
}

/**
 * Whether to remind the unit: a correction still open that ends within `withinHours` — or before
 * the next check, `checkedEveryHours` from now: the review clock looks once a day, so a window
 * that ends in less than a day is reminded now, or it would end unreminded before the next look
 * (with `reminderHours` 12 and a window ending at midnight, the 08:00 look has 16 hours left).
 */
export function correctionReminderDue(
  correctionUntil: string | undefined,
  now: Date,
  withinHours: number,
  checkedEveryHours = 0,
): boolean {
  // Stryker disable next-line ConditionalExpression: without it `Date.parse(undefined)` is NaN and both comparisons below are false (an equivalent mutant)
  if (!correctionUntil) return false;
  const left = Date.parse(correctionUntil) - now.getTime();
  return left > 0 && left <= Math.max(withinHours, checkedEveryHours) * 3_600_000;
}
