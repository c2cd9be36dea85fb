import { useEffect, useState } from 'preact/hooks';
import { formatTime, t } from '../../i18n.js';

/**
 * The campaign runs on the server's clock (the local cloud may shift it into the campaign's
 * season), so the countdown counts from the server's "now" as it answered, moved on by the
 * time elapsed in the browser since — never from the browser's own date.
 */
export function serverClock(serverNow: string, receivedAt = Date.now()): () => number {
  const offset = Date.parse(serverNow) - receivedAt;
  return () => Date.now() + offset;
}

export interface Remaining {
  closed: boolean;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function remainingUntil(deadline: number, now: number): Remaining {
  const ms = Math.max(0, deadline - now);
  const total = Math.floor(ms / 1000);
  return {
    closed: deadline <= now,
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

const two = (n: number) => String(n).padStart(2, '0');

export function remainingText(r: Remaining): string {
  if (r.closed) return t('已截止', 'Closed');
  return t(
    `${r.days} 天 ${two(r.hours)} 小时 ${two(r.minutes)} 分 ${two(r.seconds)} 秒`,
    `${r.days} d ${two(r.hours)} h ${two(r.minutes)} min ${two(r.seconds)} s`,
  );
}

/** A ticking countdown to `deadline` (role timer: read on demand, not announced every second). */
export function Countdown(props: {
  deadline: string;
  now: () => number;
  extended?: boolean;
  compact?: boolean;
}) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const deadline = Date.parse(props.deadline);
  const remaining = remainingUntil(deadline, props.now());
  const urgent = !remaining.closed && remaining.days < 3;
  return (
    <div class={`unit-countdown${urgent ? ' urgent' : ''}${remaining.closed ? ' closed' : ''}`}>
      <p class="unit-countdown-label">
        {remaining.closed
          ? t('提交已截止', 'Submissions are closed')
          : t('距提交截止还有', 'Time left to submit')}
      </p>
      {!remaining.closed && (
        <p class="unit-countdown-value" role="timer" aria-atomic="true">
          {remainingText(remaining)}
        </p>
      )}
      <p class={props.compact ? 'small' : undefined}>
        {t('截止时间：', 'Deadline: ')}
        <time dateTime={props.deadline}>{formatTime(props.deadline)}</time>
        {t('（北京时间，此时刻前提交有效）', ' (China time; submissions count strictly before it)')}
        {props.extended && <strong>{t('　已为本单位延期', ' — extended for your unit')}</strong>}
      </p>
    </div>
  );
}
