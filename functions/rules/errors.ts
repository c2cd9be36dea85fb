import type { Bilingual } from './i18n.js';

/**
 * What kind of failure a domain error is. The HTTP layer maps each kind to one status
 * (one table in functions/lib/http.ts); the domain itself knows nothing of HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rule'
  | 'too-many'
  /** It existed and is gone for good (a deleted person's nomination, its review links). */
  | 'gone';

export interface FieldIssue {
  /** Path of the offending field, e.g. ['address', 'city'] or ['photos', 1]. */
  path: (string | number)[];
  /** Stable, machine-readable code, e.g. 'too_long' or 'party_members_exceed_volunteers'. */
  code: string;
  message: Bilingual;
}

/** Base of every rule violation: a stable code, the field it concerns and a message in Chinese and English. */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly path: (string | number)[];
  readonly messages: Bilingual;
  readonly details: Record<string, unknown>;

  constructor(args: {
    code: string;
    kind: ErrorKind;
    message: Bilingual;
    path?: (string | number)[];
    details?: Record<string, unknown>;
  }) {
    super(`${args.code}: ${args.message.en}`);
    this.name = new.target.name;
    this.code = args.code;
    this.kind = args.kind;
    this.path = args.path ?? [];
    this.messages = args.message;
    this.details = args.details ?? {};
  }
}

/** Input that does not have the shape of the form or document; carries every field issue at once. */
export class ValidationError extends DomainError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], what: Bilingual = { zh: '表单', en: 'form' }) {
    const first = issues[0];
    super({
      code: 'VALIDATION_FAILED',
      kind: 'invalid',
      path: first?.path ?? [],
      message: {
        zh: `${what.zh}有 ${issues.length} 处错误${first ? `：${first.message.zh}` : ''}`,
        en: `The ${what.en} has ${issues.length} error(s)${first ? `: ${first.message.en}` : ''}`,
      },
      details: { issues },
    });
    this.issues = issues;
  }
}

export class QuotaExceededError extends DomainError {
  constructor(message: Bilingual, details: Record<string, unknown>) {
    super({ code: 'QUOTA_EXCEEDED', kind: 'rule', path: ['category'], message, details });
  }
}

export class DeadlinePassedError extends DomainError {
  constructor(message: Bilingual, details: Record<string, unknown>) {
    super({ code: 'DEADLINE_PASSED', kind: 'rule', path: [], message, details });
  }
}

export class AttachmentRejectedError extends DomainError {
  constructor(code: string, path: (string | number)[], message: Bilingual, details: Record<string, unknown>) {
    super({ code, kind: 'rule', path, message, details });
  }
}

export class IncompleteAttachmentsError extends DomainError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    const first = issues[0];
    super({
      code: 'ATTACHMENTS_INCOMPLETE',
      kind: 'rule',
      path: first?.path ?? ['attachments'],
      message: {
        zh: `附件不完整：${issues.map((i) => i.message.zh).join('；')}`,
        en: `Attachments are incomplete: ${issues.map((i) => i.message.en).join('; ')}`,
      },
      details: { issues },
    });
    this.issues = issues;
  }
}

/** A campaign definition (data written by an organizer) that is inconsistent. */
export class CampaignDefinitionError extends DomainError {
  constructor(campaignId: string, issues: FieldIssue[]) {
    super({
      code: 'CAMPAIGN_DEFINITION_INVALID',
      kind: 'invalid',
      path: issues[0]?.path ?? [],
      message: {
        zh: `活动定义“${campaignId}”无效：${issues.map((i) => `${i.path.join('.')} ${i.message.zh}`).join('；')}`,
        en: `Campaign definition "${campaignId}" is invalid: ${issues.map((i) => `${i.path.join('.')} ${i.message.en}`).join('; ')}`,
      },
      details: { issues },
    });
  }
}

export class HonoureeImportError extends DomainError {
  constructor(issues: FieldIssue[]) {
    super({
      code: 'HONOUREE_IMPORT_INVALID',
      kind: 'invalid',
      path: issues[0]?.path ?? [],
      message: {
        zh: `往届名单导入失败，共 ${issues.length} 处错误：${issues
          .slice(0, 5)
          .map((i) => i.message.zh)
          .join('；')}`,
        en: `The past-honouree list could not be imported, ${issues.length} error(s): ${issues
          .slice(0, 5)
          .map((i) => i.message.en)
          .join('; ')}`,
      },
      details: { issues },
    });
  }
}

/**
 * A transient failure, not a refusal: the store's contention outlasted every retry, or another
 * run holds what this one must do (a notice it is sending, or died sending). Named
 * `Laurel.StoreBusy` so the state machines' Retry lists retry a task that meets it; a request that
 * meets it is answered 503 with Retry-After (functions/lib/http.ts), for the caller to send again —
 * every route that can meet it finishes on a repeat what the first attempt left undone.
 */
export class StoreBusyError extends Error {
  /** How long a caller should wait before sending the request again. */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Laurel.StoreBusy';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 2;
  }
}
