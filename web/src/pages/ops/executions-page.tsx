import './ops.css';
import { useState } from 'preact/hooks';
import { CATEGORY_NAMES } from '../../../../functions/rules/categories.js';
import { get } from '../../api.js';
import { campaignById } from '../../campaigns.js';
import { t, tr } from '../../i18n.js';
import { session } from '../../session.js';
import { ErrorNotice, Layout, Loaded, RequireRole, StatusBadge } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import {
  EXECUTION_STATUSES,
  type ExecutionRow,
  type ExecutionStatus,
  type ExecutionSubject,
  formatInstant,
  STATUS_NAMES,
  STEP_NAMES,
} from './ops-data.js';

interface Page {
  executions: ExecutionRow[];
  nextToken: string | null;
}

const initialFilter = (): ExecutionStatus | '' => {
  const wanted = new URLSearchParams(location.search).get('status');
  return (EXECUTION_STATUSES as readonly string[]).includes(wanted ?? '') ? (wanted as ExecutionStatus) : '';
};

/**
 * The category and unit an execution is about, so nobody has to read its name (the nomination's
 * id); never the nominee's name: operations need no personal information to mend a run.
 */
export function SubjectCell(props: { subject: ExecutionSubject }) {
  const { category, unitName } = props.subject;
  return (
    <>
      <strong>{unitName}</strong>
      <div class="muted small">{tr(CATEGORY_NAMES[category])}</div>
    </>
  );
}

/** The campaign whose executions these are, by its name. */
export function CampaignLine() {
  const campaign = campaignById(session.value?.actor.campaignId ?? '');
  return campaign ? (
    <p class="muted">
      {t('活动：', 'Campaign: ')}
      {tr(campaign.name)}
    </p>
  ) : null;
}

export function ExecutionBadge(props: { status: ExecutionStatus }) {
  return <span class={`badge ops-${props.status}`}>{tr(STATUS_NAMES[props.status])}</span>;
}

/** `/ops`: every nomination's execution by status, with the human step a running one waits in. */
export function ExecutionsPage() {
  return (
    <RequireRole roles={['ops', 'secretariat']}>
      <Layout title={t('流程执行', 'Executions')} wide>
        <CampaignLine />
        <Executions />
      </Layout>
    </RequireRole>
  );
}

function Executions() {
  const [filter, setFilter] = useState<ExecutionStatus | ''>(initialFilter);
  const [more, setMore] = useState<Page[]>([]);
  const first = useResource(
    (signal) => {
      setMore([]);
      return get<Page>(`/api/ops/executions${filter ? `?status=${filter}` : ''}`, { signal });
    },
    [filter],
  );
  const last = more.at(-1) ?? first.data;
  const loadMore = useAction(async () => {
    if (!last?.nextToken) return;
    const query = new URLSearchParams({ nextToken: last.nextToken, ...(filter ? { status: filter } : {}) });
    const page = await get<Page>(`/api/ops/executions?${query}`);
    setMore((pages) => [...pages, page]);
  });

  const choose = (status: ExecutionStatus | '') => {
    setFilter(status);
    history.replaceState(null, '', status ? `/ops?status=${status}` : '/ops');
  };

  return (
    <>
      <fieldset class="ops-filter">
        <legend>{t('按状态筛选', 'Filter by status')}</legend>
        {(['', ...EXECUTION_STATUSES] as const).map((status) => (
          <label key={status || 'all'} class="ops-choice">
            <input
              type="radio"
              name="status"
              value={status}
              checked={filter === status}
              onChange={() => choose(status)}
            />
            {status ? tr(STATUS_NAMES[status]) : t('全部', 'All')}
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="button" onClick={() => void first.reload()} disabled={first.loading}>
          {t('刷新', 'Refresh')}
        </button>
        {first.loading && first.data && (
          <span class="muted small" role="status">
            {t('正在刷新…', 'Refreshing…')}
          </span>
        )}
      </div>
      <Loaded resource={first}>
        {(page) => {
          const rows = [page, ...more].flatMap((p) => p.executions);
          const statuses = filter
            ? [filter]
            : EXECUTION_STATUSES.filter((s) => rows.some((r) => r.status === s));
          return (
            <>
              {!filter && rows.length > 0 && (
                <ul class="ops-counts" aria-label={t('各状态数量', 'Count by status')}>
                  {EXECUTION_STATUSES.map((s) => (
                    <li key={s}>
                      <ExecutionBadge status={s} /> {rows.filter((r) => r.status === s).length}
                    </li>
                  ))}
                </ul>
              )}
              {rows.length === 0 && (
                <p class="muted">
                  {filter
                    ? t(
                        `没有“${STATUS_NAMES[filter].zh}”的流程执行。`,
                        `No ${STATUS_NAMES[filter].en.toLowerCase()} executions.`,
                      )
                    : t('还没有流程执行。', 'No executions yet.')}
                </p>
              )}
              {statuses.map((status) => (
                <ExecutionTable key={status} status={status} rows={rows.filter((r) => r.status === status)} />
              ))}
              {last?.nextToken && (
                <div class="actions">
                  <button type="button" onClick={() => void loadMore.run()} disabled={loadMore.busy}>
                    {t('加载更多', 'Load more')}
                  </button>
                </div>
              )}
              <ErrorNotice error={loadMore.error} />
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function ExecutionTable(props: { status: ExecutionStatus; rows: ExecutionRow[] }) {
  const id = `ops-${props.status}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {tr(STATUS_NAMES[props.status])}
        {t(`（${props.rows.length}）`, ` (${props.rows.length})`)}
      </h2>
      {props.rows.length === 0 ? (
        <p class="muted">{t('无。', 'None.')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('被推荐人', 'Nominee')}</th>
                <th scope="col">{t('状态', 'Status')}</th>
                <th scope="col">{t('所在环节', 'Waiting in')}</th>
                <th scope="col">{t('推荐状态', 'Nomination status')}</th>
                <th scope="col">{t('开始时间', 'Started')}</th>
                <th scope="col">{t('结束时间', 'Stopped')}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr key={row.name}>
                  <td>
                    <a href={`/ops/executions/${encodeURIComponent(row.name)}`}>
                      <SubjectCell subject={row} />
                      <div class="small ops-name">{row.name}</div>
                    </a>
                  </td>
                  <td>
                    <ExecutionBadge status={row.status} />
                  </td>
                  <td>{row.waitingIn ? tr(STEP_NAMES[row.waitingIn]) : '—'}</td>
                  <td>{row.nominationStatus ? <StatusBadge status={row.nominationStatus} /> : '—'}</td>
                  <td>{formatInstant(row.startDate)}</td>
                  <td>{row.stopDate ? formatInstant(row.stopDate) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
