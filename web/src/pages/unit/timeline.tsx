import { auditActionName } from '../../../../functions/rules/audit-actions.js';
import type { Bilingual } from '../../i18n.js';
import { formatTime, t, tr } from '../../i18n.js';
import type { AuditEvent } from './types.js';

/**
 * A nomination's history as its unit reads it, from GET /api/nominations/{id}/audit: each step
 * in words, when (China time), by whom — experts stay anonymous to the unit — and the
 * secretariat's reasons for a return or a rejection set apart so they cannot be missed.
 */

const ROLES: Record<string, Bilingual> = {
  unit: { zh: '本单位', en: 'your unit' },
  secretariat: { zh: '秘书处', en: 'the secretariat' },
  expert: { zh: '评审专家', en: 'an expert' },
  system: { zh: '系统', en: 'the system' },
  ops: { zh: '运维', en: 'operations' },
};

function who(event: AuditEvent): string {
  const role = tr(ROLES[event.actor.role] ?? { zh: event.actor.role, en: event.actor.role });
  // An expert's name is not the unit's to know; the secretariat and the unit are named.
  if (event.actor.role === 'expert' || event.actor.role === 'system') return role;
  return `${role}${t('（', ' (')}${event.actor.name}${t('）', ')')}`;
}

const WARN = new Set(['screening:return', 'screening:reject', 'uphold-objection', 'withdraw']);

export function Timeline(props: { events: AuditEvent[] }) {
  // A notice mailed about a decision is stamped with the decision's time: it goes after it.
  const notice = (e: AuditEvent) => (e.action.endsWith('-notice') ? 1 : 0);
  const events = [...props.events].sort((a, b) => a.at.localeCompare(b.at) || notice(a) - notice(b));
  if (events.length === 0) return <p class="muted">{t('暂无记录。', 'Nothing recorded yet.')}</p>;
  return (
    <ol class="timeline unit-timeline">
      {events.map((event) => (
        <li
          key={`${event.at}-${event.action}`}
          class={WARN.has(event.action) ? 'unit-timeline-warn' : undefined}
        >
          <p class="unit-timeline-head">
            <strong>{tr(auditActionName(event.action))}</strong>
          </p>
          <p class="small muted">
            <time dateTime={event.at}>{formatTime(event.at)}</time> · {who(event)}
          </p>
          {event.reason && (
            <div class="notice warn unit-reason">
              <p>
                <strong>
                  {event.action === 'screening:reject'
                    ? t('不予通过的理由：', 'Reasons for rejection: ')
                    : event.action === 'screening:return'
                      ? t('退回修改意见：', 'What to correct: ')
                      : t('说明：', 'Reason: ')}
                </strong>
                {event.reason}
              </p>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
