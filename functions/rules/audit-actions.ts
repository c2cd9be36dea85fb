import type { NominationDecision } from './discretion.js';
import type { Bilingual } from './i18n.js';
import type { UnitNoticeKind } from './notices.js';

/**
 * The steps of a nomination's audit trail in words, for every reader of it (the unit's
 * timeline, the secretariat's screening view). Unknown actions read as they are stored.
 */

/** The secretariat's decisions at selection (`selection-decision:<kind>`), after one lead-in. */
const SELECTION_DECISIONS: Record<NominationDecision['decision'], Bilingual> = {
  include: { zh: '不按名次选入', en: 'included against the score order' },
  'leave-out': { zh: '不按名次不选入', en: 'left out against the score order' },
  'follow-ranking': { zh: '恢复按名次', en: 'follow the ranking again' },
};

/** The notices mailed to the unit (`<kind>-notice`, recorded once sent), after one lead-in. */
const UNIT_NOTICE_NAMES: Record<UnitNoticeKind, Bilingual> = {
  return: { zh: '退回通知邮件', en: 'Return notice' },
  'correction-reminder': { zh: '修改期限即将到期提醒', en: 'Correction-deadline reminder' },
  reject: { zh: '未通过通知邮件', en: 'Rejection notice' },
  select: { zh: '入选通知邮件', en: 'Selection notice' },
  'not-select': { zh: '未入选通知邮件', en: 'Not-selected notice' },
  forward: { zh: '报送上级通知邮件', en: 'Forwarding notice' },
  'withdrawn-after-objection': { zh: '异议撤销通知邮件', en: 'Withdrawal notice' },
  release: { zh: '发布通知邮件', en: 'Release notice' },
};

export const AUDIT_ACTIONS: Record<string, Bilingual> = {
  ...Object.fromEntries(
    Object.entries(SELECTION_DECISIONS).map(([kind, name]) => [
      `selection-decision:${kind}`,
      { zh: `秘书处择优决定：${name.zh}`, en: `The secretariat's decision: ${name.en}` },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(UNIT_NOTICE_NAMES).map(([kind, name]) => [
      `${kind}-notice`,
      { zh: `已向推荐单位发送${name.zh}`, en: `${name.en} e-mailed to the unit` },
    ]),
  ),
  // A notice the mail server refused for good (functions/use-cases/nominations.ts, mailOnce): the
  // event's reason is the address it was refused at.
  ...Object.fromEntries(
    Object.entries(UNIT_NOTICE_NAMES).map(([kind, name]) => [
      `${kind}-notice-refused`,
      {
        zh: `${name.zh}未能送达：对方邮件服务器拒收，请核实推荐单位的邮箱并另行通知`,
        en: `${name.en} not delivered: the unit's mail server refused it; check its address and tell it another way`,
      },
    ]),
  ),
  'forwarded-release-notice-refused': {
    zh: '发布通知未能送达报送学会秘书处：对方邮件服务器拒收，请核实邮箱并另行通知',
    en: "The forwarding society's notice of the release not delivered: its mail server refused it; check the address and tell it another way",
  },
  create: { zh: '创建草稿', en: 'Draft created' },
  'erase-personal-data': {
    zh: '个人信息已删除（仅保留公布的名单和匿名评分）',
    en: 'Personal information deleted (the published list and anonymised scores stay)',
  },
  'correct-personal-data': {
    zh: '秘书处更正个人信息',
    en: 'Personal information corrected by the secretariat',
  },
  'deletion-requested': {
    zh: '应本人请求删除个人信息：退出本次活动',
    en: "Left the campaign: the nominee's data is deleted at their request",
  },
  'erasure-reason': {
    zh: '删除个人信息的理由（秘书处记录）',
    en: "The secretariat's reason for the deletion",
  },
  submit: { zh: '提交推荐', en: 'Submitted' },
  resubmit: { zh: '修改后重新提交', en: 'Resubmitted after correction' },
  withdraw: { zh: '撤回推荐', en: 'Withdrawn' },
  'screening:pass': { zh: '通过秘书处初核，进入专家评审', en: 'Passed screening; in expert review' },
  'screening:return': { zh: '秘书处退回修改', en: 'Returned for correction by the secretariat' },
  'screening:reject': { zh: '未通过秘书处初核', en: 'Rejected at screening' },
  review: { zh: '收到一份专家评审意见', en: 'An expert review was received' },
  'reviews-complete': { zh: '专家评审完成', en: 'Expert review complete' },
  scored: { zh: '专家评审完成', en: 'Expert review complete' },
  select: { zh: '择优入选', en: 'Selected' },
  'not-select': { zh: '未入选', en: 'Not selected' },
  forward: { zh: '已推荐上报', en: 'Forwarded' },
  'open-publicity': { zh: '进入公示', en: 'Published for public notice' },
  'uphold-objection': { zh: '公示期异议成立，撤销', en: 'Withdrawn after an upheld objection' },
  release: { zh: '正式发布', en: 'Released' },
  endorsement: { zh: '学会填写推荐意见', en: "The society's opinion recorded" },
  'endorsement-scan': { zh: '学会上传盖章扫描件', en: "The society's stamped scan uploaded" },
  'forwarded-release-notice': {
    zh: '已通知报送学会秘书处：推荐已正式发布',
    en: 'The forwarding society told of the release',
  },
  'review-no-conflict-declared': {
    zh: '评审专家声明无利益冲突',
    en: 'An expert declared no conflict of interest',
  },
  'review-conflict-declared': {
    zh: '评审专家声明存在利益冲突',
    en: 'An expert declared a conflict of interest',
  },
  'review-declined': { zh: '评审专家谢绝评审', en: 'An expert declined to review' },
  'review-recused': { zh: '评审专家回避', en: 'An expert was recused' },
  'review-overdue': { zh: '专家评审逾期', en: 'An expert review is overdue' },
  'review-overdue-reassigned': {
    zh: '专家评审逾期，已改派其他专家',
    en: 'An overdue review was handed to another expert',
  },
  'review-reassigned': { zh: '已改派评审专家', en: 'Another expert was assigned' },
  'review-experts-drawn': { zh: '随机抽取评审专家', en: 'Experts were drawn at random' },
  'review-conflict-dismissed': {
    zh: '秘书处核实后排除了系统认定的利益冲突',
    en: 'The secretariat dismissed a conflict the system had found',
  },
  'review-extended': { zh: '秘书处延长了专家评审期限', en: 'The secretariat extended a review’s due date' },
  'review-swapped': { zh: '秘书处调整了评审专家', en: 'The secretariat changed an expert' },
  'review-nominee-left': { zh: '被推荐人退出活动，评审结束', en: 'The nominee left; the review ended' },
  'review-awaiting-expert': { zh: '等待可分配的评审专家', en: 'Waiting for an available expert' },
  'attachment:overwrite-ignored': {
    zh: '附件被重新上传覆盖，已忽略并保留原文件',
    en: 'A re-upload over an attachment was ignored; the original is kept',
  },
};

export function auditActionName(action: string): Bilingual {
  const known = AUDIT_ACTIONS[action];
  if (known) return known;
  if (action.startsWith('selection-limit:')) {
    const count = action.slice('selection-limit:'.length);
    return count === 'quota'
      ? { zh: '秘书处决定本类别按名额报送', en: 'The secretariat forwards the full quota in this category' }
      : {
          zh: `秘书处决定本类别少于名额报送（${count} 个）`,
          en: `The secretariat forwards fewer than the quota in this category (${count})`,
        };
  }
  if (action.startsWith('forwarded-from:'))
    return { zh: '由下级活动推荐上报而来', en: 'Forwarded from a lower round' };
  return { zh: action, en: action };
}
