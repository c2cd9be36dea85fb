import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionName } from '../../functions/rules/audit-actions.js';
import { UNIT_NOTICES } from '../../functions/rules/notices.js';
import { OVERWRITE_IGNORED } from '../../functions/use-cases/uploads.js';

/**
 * The audit trail is read by officers and units: every step the functions record reads in words,
 * never as the code it is stored under (issue 17: no codes in people's way).
 */

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [readFileSync(join(dir, entry.name), 'utf8')]
        : [],
  );

/** Every action written as a literal where an audit event is made: `action: 'x'` and `action: c ? 'x' : 'y'`. */
function recordedActions(): string[] {
  const found = new Set<string>();
  for (const text of sources('functions')) {
    for (const line of text.split('\n')) {
      // A parameter typed `action: string` records nothing (and the mutation sandbox puts its body on
      // the same line, literals included).
      if (!/\baction: (?!string\b)/.test(line)) continue;
      // A template names a family by its prefix (`selection-limit:${n}`): the prefix with a value.
      const template = /action: `([a-z][a-z-]+:)\$\{/.exec(line)?.[1];
      if (template) {
        // Named value by value in the table (selection-decision:include …), or by the prefix.
        if (!Object.keys(AUDIT_ACTIONS).some((key) => key.startsWith(template))) found.add(`${template}x`);
        continue;
      }
      for (const [, literal] of line.matchAll(/'([a-z][a-z:-]+)'/g)) if (literal) found.add(literal);
    }
  }
  return [...found];
}

describe('the audit trail in words', () => {
  it('names every recorded action, every notice sent and the ignored overwrite, in both languages', () => {
    const actions = [
      ...recordedActions(),
      ...Object.keys(UNIT_NOTICES).map((kind) => `${kind}-notice`),
      'forwarded-release-notice',
      OVERWRITE_IGNORED,
    ];
    expect(actions).toContain('review-no-conflict-declared');
    expect(actions).toContain('selection-limit:x');
    expect(actions).toContain('correction-reminder-notice');
    const unnamed = actions.filter((a) => {
      const name = auditActionName(a);
      return name.zh === a || name.en === a || /[a-z]-[a-z]/.test(name.zh);
    });
    expect(unnamed).toEqual([]);
  });
});
