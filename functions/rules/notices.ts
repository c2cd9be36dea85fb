import type { Bilingual } from './i18n.js';

/**
 * What each notice to a unit says, by the event it tells of: the subject's few words, then a
 * sentence or two saying what happened and what, if anything, to do. The facts around them (the
 * nominee, the reasons, the link, the deadline, whom to call) are added by `noticeMail`.
 */
export type UnitNoticeKind =
  | 'return'
  | 'correction-reminder'
  | 'reject'
  | 'select'
  | 'not-select'
  | 'forward'
  | 'withdrawn-after-objection'
  | 'release';

export interface NoticeWording {
  subject: Bilingual;
  message: (facts: {
    campaign: Bilingual;
    parent?: Bilingual | undefined;
    /** How many nominations one notice tells of (a campaign job's notice lists a unit's): 1 unless said. */
    count?: number;
  }) => Bilingual[];
}

export const UNIT_NOTICES: Record<UnitNoticeKind, NoticeWording> = {
  return: {
    subject: { zh: '推荐被退回修改', en: 'Returned for correction' },
    message: () => [
      {
        zh: '经初核，您的推荐需要修改：请按以下理由修改后，在截止时间前重新提交。',
        en: 'Screening returned your nomination for correction: correct it as the reasons say and submit it again before the deadline.',
      },
    ],
  },
  'correction-reminder': {
    subject: { zh: '退回修改即将到期', en: 'Correction period ending' },
    message: () => [
      {
        zh: '您被退回修改的推荐尚未重新提交：请按以下理由修改，并在截止时间前重新提交；逾期不能再提交。',
        en: 'Your nomination returned for correction has not been resubmitted: correct it as the reasons say and submit it again before the deadline; after it, it can no longer be submitted.',
      },
    ],
  },
  reject: {
    subject: { zh: '推荐未通过初核', en: 'Not accepted at screening' },
    message: () => [
      {
        zh: '经初核，您的推荐未通过，理由如下。',
        en: 'Screening did not accept your nomination, for the reasons below.',
      },
    ],
  },
  select: {
    subject: { zh: '推荐已入选', en: 'Selected' },
    message: ({ campaign, count = 1 }) => [
      count > 1
        ? {
            zh: `经专家评审和择优，您的以下 ${count} 项推荐已入选${campaign.zh}。`,
            en: `After expert review and selection, these ${count} nominations of yours were selected in ${campaign.en}.`,
          }
        : {
            zh: `经专家评审和择优，您的推荐已入选${campaign.zh}。`,
            en: `After expert review and selection, your nomination was selected in ${campaign.en}.`,
          },
    ],
  },
  'not-select': {
    subject: { zh: '推荐未入选', en: 'Not selected' },
    message: ({ campaign, count = 1 }) => [
      count > 1
        ? {
            zh: `经专家评审和择优，您的以下 ${count} 项推荐未入选${campaign.zh}，说明附后。感谢您的推荐。`,
            en: `After expert review and selection, these ${count} nominations of yours were not selected in ${campaign.en}; each one's note follows. Thank you for nominating.`,
          }
        : {
            zh: `经专家评审和择优，您的推荐未入选${campaign.zh}。感谢您的推荐。`,
            en: `After expert review and selection, your nomination was not selected in ${campaign.en}. Thank you for nominating.`,
          },
    ],
  },
  forward: {
    subject: { zh: '推荐已报送上级', en: 'Forwarded' },
    message: ({ parent }) => [
      {
        zh: `您的推荐已择优报送${parent?.zh ?? '上级'}，后续结果将另行通知。`,
        en: `Your nomination was forwarded to ${parent?.en ?? 'the next round'}; you will be told of its outcome.`,
      },
    ],
  },
  'withdrawn-after-objection': {
    subject: { zh: '推荐因公示异议撤销', en: 'Withdrawn after an objection' },
    message: () => [
      {
        zh: '公示期间收到对您推荐的异议，经核实，该推荐已从公示名单中撤销，处理说明如下。',
        en: 'An objection to your nomination was upheld during publicity; it has been taken off the list, as explained below.',
      },
    ],
  },
  release: {
    subject: { zh: '推荐已正式发布', en: 'Released' },
    message: ({ campaign, count = 1 }) => [
      count > 1
        ? {
            zh: `您的以下 ${count} 项推荐已列入${campaign.zh}正式发布名单。`,
            en: `These ${count} nominations of yours are on the final list of ${campaign.en}.`,
          }
        : {
            zh: `您的推荐已列入${campaign.zh}正式发布名单。`,
            en: `Your nomination is on the final list of ${campaign.en}.`,
          },
    ],
  },
};

/** The notice to the society's secretariat when a nomination it forwarded is released. */
export const FORWARDED_RELEASE_NOTICE: NoticeWording = {
  subject: { zh: '报送的推荐已正式发布', en: 'Nominations you forwarded are released' },
  message: ({ campaign, count = 1 }) => [
    count > 1
      ? {
          zh: `贵单位择优报送的以下 ${count} 项推荐已列入${campaign.zh}正式发布名单。`,
          en: `These ${count} nominations you forwarded are on the final list of ${campaign.en}.`,
        }
      : {
          zh: `贵单位择优报送的推荐已列入${campaign.zh}正式发布名单。`,
          en: `A nomination you forwarded is on the final list of ${campaign.en}.`,
        },
  ],
};
