import type { Campaign } from './campaign.js';
import { CATEGORY_NAMES, type CategoryId } from './categories.js';
import type { FieldIssue } from './errors.js';
import { quotaLedgerKey } from './quota.js';

/**
 * What may change in a round once units have submitted: a later deadline yes, an earlier one no;
 * a lower quota only while no unit holds more than it allows; the form of a category with
 * submitted nominations (its form, photos, attachment limits and eligibility thresholds) never,
 * so every nomination stays checked by what it was submitted under; the parent round never.
 * Before the first submission anything the definition check allows may change.
 */

/** A nomination that holds a quota slot (submitted and not withdrawn or rejected). */
export interface HeldSlot {
  unitId: string;
  unitName: string;
  unitType: string;
  category: CategoryId;
}

/** Equal JSON values, whatever the order of their keys (a stored definition comes back in any order). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const [ka, kb] = [keys(a), keys(b)];
  return (
    ka.length === kb.length &&
    ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

export function correctionIssues(
  previous: Campaign,
  next: Campaign,
  held: readonly HeldSlot[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const issue = (path: (string | number)[], code: string, zh: string, en: string) =>
    issues.push({ path, code, message: { zh, en } });
  if (next.id !== previous.id) {
    issue(
      ['id'],
      'id_changed',
      `活动编号不可更改（应为 ${previous.id}）`,
      `the id cannot change (it is ${previous.id})`,
    );
    return issues;
  }
  // A confirmation names the notice's version: the same version must always mean the same text.
  const [before, after] = [previous.privacy.notice, next.privacy.notice];
  if (after.version < before.version) {
    issue(
      ['privacy', 'notice', 'version'],
      'notice_version_lowered',
      `个人信息告知书的版本号不能降低（现为第 ${before.version} 版）`,
      `the privacy notice's version cannot go down (it is ${before.version})`,
    );
  } else if (after.version === before.version && !same(after.text, before.text)) {
    issue(
      ['privacy', 'notice', 'version'],
      'notice_changed_same_version',
      `个人信息告知书内容已修改，请将版本号改为 ${before.version + 1}：推荐单位须按新版本重新确认`,
      `the privacy notice's text changed: raise its version to ${before.version + 1}, so units confirm the new text`,
    );
  }
  if (held.length === 0) return issues;

  if (Date.parse(next.deadline) < Date.parse(previous.deadline)) {
    issue(
      ['deadline'],
      'deadline_earlier',
      `已有推荐提交，截止时间只能推迟，不能提前（现为 ${previous.deadline}）`,
      `nominations have been submitted: the deadline may move later, not earlier (it is ${previous.deadline})`,
    );
  }
  if (!same(next.forwardTo, previous.forwardTo)) {
    issue(
      ['forwardTo'],
      'parent_changed',
      '已有推荐提交，上级活动不可更改',
      'nominations have been submitted: the parent round cannot change',
    );
  }
  const submittedCategories = new Set(held.map((h) => h.category));
  for (const category of submittedCategories) {
    const before = previous.categories.find((c) => c.id === category);
    const index = next.categories.findIndex((c) => c.id === category);
    const name = CATEGORY_NAMES[category];
    if (index < 0) {
      issue(
        ['categories'],
        'category_removed',
        `“${name.zh}”已有推荐提交，不能删除该类别`,
        `"${name.en}" has submitted nominations: it cannot be removed`,
      );
    } else if (!same(next.categories[index], before)) {
      issue(
        ['categories', index],
        'form_changed',
        `“${name.zh}”已有推荐提交，推荐表不能更改`,
        `"${name.en}" has submitted nominations: its form cannot change`,
      );
    }
  }
  for (const part of ['attachments', 'eligibility'] as const) {
    if (!same(next[part], previous[part])) {
      issue(
        [part],
        'form_changed',
        part === 'attachments' ? '已有推荐提交，附件要求不能更改' : '已有推荐提交，申报条件不能更改',
        `nominations have been submitted: the ${part === 'attachments' ? 'attachment limits' : 'eligibility thresholds'} cannot change`,
      );
    }
  }
  next.unitTypes.forEach((unitType, index) => {
    const rule = unitType.quota;
    // Stryker disable next-line ConditionalExpression,StringLiteral: an unlimited quota has no limit, and `count > undefined` is false, so the count below finds no unit over it either (equivalent mutants)
    if (rule.scope === 'unlimited') return;
    const used = new Map<string, { unitName: string; count: number }>();
    for (const slot of held.filter((h) => h.unitType === unitType.id)) {
      const key = `${slot.unitId}#${quotaLedgerKey(rule, slot.category)}`;
      const entry = used.get(key) ?? { unitName: slot.unitName, count: 0 };
      entry.count += 1;
      used.set(key, entry);
    }
    const over = [...used.values()].filter((u) => u.count > rule.limit);
    if (over.length === 0) return;
    const names = over.map((u) => `${u.unitName}（${u.count}）`).join('、');
    issue(
      ['unitTypes', index, 'quota'],
      'quota_below_use',
      `名额不能降为 ${rule.limit}：${names} 已推荐超过此数`,
      `the quota cannot go down to ${rule.limit}: ${over.map((u) => `${u.unitName} (${u.count})`).join(', ')} already nominated more`,
    );
  });
  return issues;
}

/** The top-level fields in which two versions differ, for the audit of a correction. */
export function changedFields(previous: Campaign, next: Campaign): string[] {
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]) as Set<keyof Campaign>;
  return [...keys].filter((key) => !same(previous[key], next[key])).sort();
}
