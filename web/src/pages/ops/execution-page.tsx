import './ops.css';
import { useRef, useState } from 'preact/hooks';
import { get, post } from '../../api.js';
import { type Bilingual, t, tr } from '../../i18n.js';
import { ErrorNotice, Layout, Loaded, RequireRole } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { ConfirmDialog } from '../../ui/review-ops-dialog.js';
import { CampaignLine, ExecutionBadge, SubjectCell } from './executions-page.js';
import {
  EXECUTION_EVENT_NAMES,
  type ExecutionMark,
  type ExecutionSubject,
  formatInstant,
  type HistoryEvent,
  nameOfArn,
  RESTARTABLE,
  STATE_NAMES,
  type StateVisit,
  statusOfHistory,
  timelineOf,
} from './ops-data.js';

/** `/ops/executions/:name`: one execution's states as a timeline, and a restart when it failed. */
export function ExecutionPage(props: { name: string }) {
  return (
    <RequireRole roles={['ops', 'secretariat']}>
      <Layout title={t('流程执行详情', 'Execution')} wide>
        <CampaignLine />
        <Execution key={props.name} name={props.name} />
      </Layout>
    </RequireRole>
  );
}

interface HistoryPage {
  events: HistoryEvent[];
  nextToken: string | null;
  subject: ExecutionSubject | null;
}

function Execution(props: { name: string }) {
  // The history comes a page at a time (500 events); the timeline needs all of it, to its end.
  const history = useResource(
    async (signal) => {
      const path = `/api/ops/executions/${encodeURIComponent(props.name)}/history`;
      const events: HistoryEvent[] = [];
      let nextToken: string | null = null;
      let subject: ExecutionSubject | null = null;
      do {
        const query: string = nextToken ? `?nextToken=${encodeURIComponent(nextToken)}` : '';
        const page: HistoryPage = await get<HistoryPage>(`${path}${query}`, { signal });
        events.push(...page.events);
        subject = page.subject;
        nextToken = page.nextToken;
      } while (nextToken);
      return { events, subject };
    },
    [props.name],
  );
  const [confirming, setConfirming] = useState(false);
  const [restartedAs, setRestartedAs] = useState<string | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const restart = useAction(async () => {
    const answer = await post<{ executionArn: string }>(
      `/api/ops/executions/${encodeURIComponent(props.name)}/restart`,
    );
    setRestartedAs(nameOfArn(answer.executionArn));
    return answer;
  });

  return (
    <>
      <p>
        <a href="/ops">{t('← 返回流程执行列表', '← Back to executions')}</a>
      </p>
      <Loaded resource={history}>
        {({ events, subject }) => {
          const status = statusOfHistory(events);
          const items = timelineOf(events);
          const started = events.find((e) => e.type === 'ExecutionStarted')?.timestamp;
          const stopped = status === 'RUNNING' ? undefined : events.at(-1)?.timestamp;
          const current =
            status === 'RUNNING' ? [...items].reverse().find((i) => i.kind === 'state') : undefined;
          const failures = items.filter((i) => i.kind === 'state' && i.failures.length > 0).length;
          return (
            <>
              <dl class="facts">
                {subject && (
                  <>
                    <dt>{t('被推荐人', 'Nominee')}</dt>
                    <dd>
                      <SubjectCell subject={subject} />
                    </dd>
                  </>
                )}
                <dt>{t('执行名称', 'Execution')}</dt>
                <dd class="ops-name">{props.name}</dd>
                <dt>{t('状态', 'Status')}</dt>
                <dd>
                  <ExecutionBadge status={status} />
                </dd>
                {current?.kind === 'state' && (
                  <>
                    <dt>{t('当前环节', 'Now in')}</dt>
                    <dd>{stateName(current.state)}</dd>
                  </>
                )}
                <dt>{t('开始时间', 'Started')}</dt>
                <dd>{formatInstant(started)}</dd>
                {stopped && (
                  <>
                    <dt>{t('结束时间', 'Stopped')}</dt>
                    <dd>{formatInstant(stopped)}</dd>
                  </>
                )}
                <dt>{t('任务失败', 'Task failures')}</dt>
                <dd>
                  {failures === 0 ? t('无', 'none') : t(`${failures} 个环节`, `in ${failures} state(s)`)}
                </dd>
              </dl>
              <p class="muted small">{t('时间均为北京时间。', 'All times are China time.')}</p>

              {restartedAs ? (
                <div class="notice ok" role="status" tabIndex={-1} ref={outcomeRef}>
                  <p>
                    {t('已重启，新的流程执行：', 'Restarted as a new execution: ')}
                    <a href={`/ops/executions/${encodeURIComponent(restartedAs)}`}>{restartedAs}</a>
                  </p>
                  <p class="small">
                    {t(
                      '新流程从头运行，并直接进入推荐当前所处的环节。',
                      'It runs from the top and moves straight on to where the nomination stands.',
                    )}
                  </p>
                </div>
              ) : (
                RESTARTABLE.includes(status) && (
                  <div class="actions">
                    <button type="button" class="primary" onClick={() => setConfirming(true)}>
                      {t('重启流程…', 'Restart…')}
                    </button>
                  </div>
                )
              )}
              <div ref={restartedAs ? undefined : outcomeRef} tabIndex={-1}>
                <ErrorNotice error={restart.error} />
              </div>

              <h2>{t('状态历史', 'State history')}</h2>
              <ol class="timeline ops-timeline">
                {items.map((item) =>
                  item.kind === 'state' ? (
                    <VisitItem key={item.id} visit={item} />
                  ) : (
                    <MarkItem key={item.id} mark={item} />
                  ),
                )}
              </ol>
              <ConfirmDialog
                open={confirming}
                title={t('确认重启流程', 'Restart this execution?')}
                confirmLabel={t('确认重启', 'Restart')}
                busyLabel={t('正在重启…', 'Restarting…')}
                busy={restart.busy}
                onConfirm={() =>
                  void restart.run().then(() => {
                    setConfirming(false);
                  })
                }
                onCancel={() => setConfirming(false)}
                afterClose={() => outcomeRef.current?.focus()}
              >
                <p>
                  {t(
                    `将以新名称重新运行“${props.name}”：新流程从头开始，并直接进入推荐当前所处的环节。原执行记录保留。`,
                    `“${props.name}” will run again under a new name, from the top, moving straight on to where the nomination stands. This execution's record is kept.`,
                  )}
                </p>
              </ConfirmDialog>
            </>
          );
        }}
      </Loaded>
    </>
  );
}

const stateName = (state: string) => {
  const known = STATE_NAMES[state];
  return known ? `${tr(known)}${t(`（${state}）`, ` (${state})`)}` : state;
};

/** What a person decided, as the task was answered (Laurel.Outcome.*). */
const OUTCOME_NAMES: Record<string, Bilingual> = {
  Returned: { zh: '结果：退回修改', en: 'Outcome: returned for correction' },
  Rejected: { zh: '结果：不予通过', en: 'Outcome: rejected' },
  Withdrawn: { zh: '结果：已撤回', en: 'Outcome: withdrawn' },
  WithdrawnAfterObjection: { zh: '结果：异议成立撤销', en: 'Outcome: withdrawn after an objection' },
  NotSelected: { zh: '结果：未入选', en: 'Outcome: not selected' },
  ForwardedToParent: { zh: '结果：报送上级活动', en: 'Outcome: forwarded to the parent round' },
};
const outcomeName = (outcome: string): Bilingual =>
  OUTCOME_NAMES[outcome] ?? { zh: `结果：${outcome}`, en: `Outcome: ${outcome}` };

function VisitItem(props: { visit: StateVisit }) {
  const { visit } = props;
  const retries = Math.max(0, visit.attempts - 1);
  const failed = visit.failures.length > 0;
  const className = [failed ? 'ops-failed' : '', retries > 0 ? 'ops-retried' : ''].filter(Boolean).join(' ');
  return (
    <li class={className || undefined}>
      <p class="ops-state">
        <strong>{stateName(visit.state)}</strong> <span class="muted small">{visit.stateType}</span>
        {visit.outcome && <span class="badge">{tr(outcomeName(visit.outcome))}</span>}
        {failed && <span class="badge ops-FAILED">{t('任务失败', 'Task failed')}</span>}
        {retries > 0 && <span class="badge ops-retry">{t(`重试 ${retries} 次`, `Retried ${retries}×`)}</span>}
      </p>
      <p class="small">
        {t('进入', 'Entered')} <time dateTime={visit.enteredAt}>{formatInstant(visit.enteredAt)}</time>
        {visit.exitedAt ? (
          <>
            {' · '}
            {t('离开', 'Exited')} <time dateTime={visit.exitedAt}>{formatInstant(visit.exitedAt)}</time>
          </>
        ) : (
          <> · {t('尚未离开', 'not exited')}</>
        )}
      </p>
      {failed && (
        <ul class="ops-failures">
          {visit.failures.map((f, i) => (
            <li key={i}>
              <time dateTime={f.at}>{formatInstant(f.at)}</time> {f.type}
              {f.error && <code>{f.error}</code>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function MarkItem(props: { mark: ExecutionMark }) {
  const { mark } = props;
  const bad = mark.type !== 'ExecutionStarted' && mark.type !== 'ExecutionSucceeded';
  const name = EXECUTION_EVENT_NAMES[mark.type];
  return (
    <li class={bad ? 'ops-failed ops-mark' : 'ops-mark'}>
      <p class="ops-state">
        <strong>{name ? tr(name) : mark.type}</strong>
        {mark.error && <code>{mark.error}</code>}
      </p>
      <p class="small">
        <time dateTime={mark.at}>{formatInstant(mark.at)}</time>
      </p>
    </li>
  );
}
