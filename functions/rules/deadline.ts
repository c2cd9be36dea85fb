import * as z from 'zod';
import { formatChinaTime, INSTANT_RE, parseInstant } from './calendar.js';
import type { Campaign } from './campaign.js';
import { DeadlinePassedError, DomainError } from './errors.js';
import { freeText } from './text.js';
import { parseInput } from './validation.js';

/**
 * Submissions are accepted strictly before the campaign's deadline instant ("before 13
 * February" = until 2025-02-12 23:59:59.999 China time). The secretariat may grant one unit
 * a later instant, with a reason; the extension is data like any other.
 */

export const deadlineExtensionSchema = z.strictObject({
  unitId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .meta({ title: '推荐单位', 'x-title-en': 'Unit' }),
  until: z.string().regex(INSTANT_RE).meta({ title: '延期至', 'x-title-en': 'Extended until' }),
  reason: freeText({ max: 500, min: 1, multiLine: true }).meta({ title: '延期理由', 'x-title-en': 'Reason' }),
});
export type DeadlineExtension = z.infer<typeof deadlineExtensionSchema>;

export function effectiveDeadline(campaign: Campaign, extension?: DeadlineExtension): Date {
  const base = parseInstant(campaign.deadline);
  if (!extension) return base;
  const extended = parseInstant(extension.until);
  return new Date(Math.max(extended.getTime(), base.getTime()));
}

export function isSubmissionOpen(campaign: Campaign, now: Date, extension?: DeadlineExtension): boolean {
  return now.getTime() < effectiveDeadline(campaign, extension).getTime();
}

export function assertSubmissionOpen(campaign: Campaign, now: Date, extension?: DeadlineExtension): void {
  if (isSubmissionOpen(campaign, now, extension)) return;
  const deadline = effectiveDeadline(campaign, extension);
  const shown = formatChinaTime(deadline);
  throw new DeadlinePassedError(
    {
      zh: `已过截止时间（${shown}${extension ? '，含延期' : ''}），不能再提交`,
      en: `The deadline (${shown}${extension ? ', extended' : ''}) has passed; submissions are closed`,
    },
    { deadline: deadline.toISOString(), now: now.toISOString(), extended: Boolean(extension) },
  );
}

/**
 * An extension must move the deadline later, and — in a round that forwards to a parent —
 * no later than the parent's deadline, or the society could not forward in time.
 */
export function checkExtension(campaign: Campaign, extension: unknown, parent?: Campaign): DeadlineExtension {
  const parsed = parseInput(deadlineExtensionSchema, extension, { zh: '延期申请', en: 'deadline extension' });
  const until = parseInstant(parsed.until);
  const invalid = (code: string, zh: string, en: string) =>
    new DomainError({ code, kind: 'rule', path: ['until'], message: { zh, en } });
  if (until <= parseInstant(campaign.deadline)) {
    throw invalid(
      'EXTENSION_NOT_LATER',
      `延期时间须晚于原截止时间 ${formatChinaTime(parseInstant(campaign.deadline))}`,
      `The extension must be later than the deadline ${formatChinaTime(parseInstant(campaign.deadline))}`,
    );
  }
  if (parent && until > parseInstant(parent.deadline)) {
    throw invalid(
      'EXTENSION_AFTER_PARENT_DEADLINE',
      `延期时间不能晚于上级活动截止时间 ${formatChinaTime(parseInstant(parent.deadline))}`,
      `The extension cannot pass the parent campaign's deadline ${formatChinaTime(parseInstant(parent.deadline))}`,
    );
  }
  return parsed;
}
