import * as z from 'zod';
import type { Actor } from './access.js';
import { builtOnFirstUse } from './built-on-first-use.js';
import { DomainError } from './errors.js';

/**
 * Notice and consent (PIPL arts. 13–17). Each campaign carries the notice its units show the
 * nominee (what is processed, why, who sees it, for how long, how to ask for a copy, a correction
 * or deletion), numbered: the unit confirms at submission that the nominee was informed under
 * that very version and consented, and the nomination keeps who confirmed it, when, under which
 * version. A campaign may also ask for the nominee's signed consent as a scanned attachment.
 */

const bilingualText = builtOnFirstUse(() =>
  z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) }),
);

export const privacyNoticeSchema = builtOnFirstUse(() =>
  z.strictObject({
    /** Raised with every change of the text: a confirmation names the version it was given under. */
    version: z.int().min(1),
    text: bilingualText(),
  }),
);
export type PrivacyNotice = z.infer<ReturnType<typeof privacyNoticeSchema>>;

/** The notice of a campaign that states none of its own. */
export const STANDARD_NOTICE: PrivacyNotice = {
  version: 1,
  text: {
    zh: '为开展本次科技志愿服务先进典型推荐活动，主办方处理被推荐人的姓名、性别、出生年月、政治面貌、通讯地址、联系方式、照片和事迹材料，仅用于资格审核、专家评审、择优推荐、公示和发布。评审专家看不到联系方式、通讯地址和出生年月；公示和发布只公开姓名、类别和推荐单位。上述信息在活动发布后按主办方规定的期限保存，期满删除，只保留公布的名单。被推荐人可通过推荐单位向主办方秘书处查阅、复制、更正或删除其个人信息。',
    en: "To run this round of S&T volunteer service models, the organizer processes the nominee's name, gender, birth month, political status, postal address, phone, photos and deeds, only for screening, expert review, forwarding, publicity and release. Experts do not see the phone, the postal address or the birth month; publicity and release show the name, category and recommending unit only. The information is kept after the release for the period the organizer sets, then deleted, all but the published list. Through the recommending unit, the nominee may ask the organizer's secretariat for access to, a copy of, a correction or the deletion of their personal information.",
  },
};

/**
 * How long personal information is kept after the release (PIPL art. 19): a year unless the round
 * says otherwise. At most three years: the uploads bucket's lifecycle expires what a deletion job
 * somehow missed after that (infra/stacks/storage.ts, UPLOAD_BACKSTOP_DAYS).
 */
export const DEFAULT_RETENTION_DAYS = 365;
export const MAX_RETENTION_DAYS = 1095;
/**
 * At least ninety days: the uploads bucket keeps replaced versions and forwarding packages up to
 * that long (the stack's settings may not exceed it), so nothing outlives a round's retention.
 */
export const MIN_RETENTION_DAYS = 90;

export const privacySchema = builtOnFirstUse(() =>
  z.strictObject({
    notice: privacyNoticeSchema().default(STANDARD_NOTICE),
    /** Whether each nomination carries the nominee's signed consent, scanned as a PDF (kind `consent`). */
    consentScan: z.boolean().default(false),
    /** Days after the release until the deletion job erases every personal field and file. */
    retentionDays: z.int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS).default(DEFAULT_RETENTION_DAYS),
  }),
);
export type Privacy = z.infer<ReturnType<typeof privacySchema>>;
export const DEFAULT_PRIVACY: Privacy = {
  notice: STANDARD_NOTICE,
  consentScan: false,
  retentionDays: DEFAULT_RETENTION_DAYS,
};

/** What the unit sends with its submission. */
export const consentConfirmationSchema = builtOnFirstUse(() =>
  z
    .strictObject({
      informed: z.boolean().meta({
        title: '已告知被推荐人并取得同意',
        'x-title-en': 'The nominee was informed and consented',
      }),
      noticeVersion: z.int().min(1).meta({ title: '告知书版本', 'x-title-en': 'Notice version' }),
    })
    .meta({ title: '个人信息告知同意', 'x-title-en': 'Notice and consent' }),
);
export type ConsentConfirmation = z.infer<ReturnType<typeof consentConfirmationSchema>>;

/** The record kept on the nomination: who confirmed, when, under which version of the notice. */
export interface ConsentRecord {
  noticeVersion: number;
  confirmedAt: string;
  by: { role: string; subjectId: string; name: string };
}

/**
 * The record of a confirmation given under the campaign's current notice; a 422 naming the field
 * when it is missing, not given, or given under an earlier version (the text changed since the
 * page was opened: the unit must read the new one).
 */
export function consentRecord(
  notice: PrivacyNotice,
  confirmation: ConsentConfirmation | undefined,
  actor: Pick<Actor, 'role' | 'subjectId' | 'name'>,
  at: Date,
): ConsentRecord {
  if (!confirmation?.informed) {
    throw new DomainError({
      code: 'CONSENT_MISSING',
      kind: 'rule',
      path: ['consent', 'informed'],
      message: {
        zh: '请先确认已向被推荐人告知个人信息处理规则并取得其同意（个人信息告知同意）',
        en: 'Confirm first that the nominee was told how their personal information is processed and consented (notice and consent)',
      },
    });
  }
  if (confirmation.noticeVersion !== notice.version) {
    throw new DomainError({
      code: 'CONSENT_NOTICE_STALE',
      kind: 'rule',
      path: ['consent', 'noticeVersion'],
      message: {
        zh: `个人信息告知书已更新为第 ${notice.version} 版（所确认的是第 ${confirmation.noticeVersion} 版），请阅读新版本后重新确认`,
        en: `The privacy notice is now version ${notice.version} (the confirmation names version ${confirmation.noticeVersion}); read the new version and confirm again`,
      },
      details: { current: notice.version, confirmed: confirmation.noticeVersion },
    });
  }
  return {
    noticeVersion: notice.version,
    confirmedAt: at.toISOString(),
    by: { role: actor.role, subjectId: actor.subjectId, name: actor.name },
  };
}
