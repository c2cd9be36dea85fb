import { useState } from 'preact/hooks';
import { CATEGORY_IDS, type CategoryId } from '../../../../functions/rules/categories.js';
import { statusName } from '../../../../functions/rules/nomination.js';
import { NOMINATION_STATUSES, type NominationStatus } from '../../../../functions/rules/nomination-status.js';
import { MAX_PAGE } from '../../../../functions/rules/paging.js';
import { get } from '../../api.js';
import { formatTime, t, tr } from '../../i18n.js';
import { Loaded, StatusBadge } from '../../ui/components.js';
import { useResource } from '../../ui/hooks.js';
import { CategoryChart, Funnel, PerDayChart } from './charts.js';
import {
  api,
  type CampaignOverview,
  ConsoleIntro,
  ConsoleLayout,
  categoryName,
  type ListedNomination,
  type NominationList,
  nameOf,
  Pager,
  queryParams,
  RowTable,
  setQueryParams,
  UnitSelect,
  usePages,
  useUnitChoices,
  withQuery,
} from './common.js';

/** Statuses a screening secretary acts on first, in the order of the work. */
const STATUS_ORDER: readonly NominationStatus[] = NOMINATION_STATUSES.filter((s) => s !== 'draft');

interface Filters {
  status: string;
  category: string;
  unit: string;
  q: string;
}

function flagsOf(n: ListedNomination): { text: string; kind: 'fail' | 'warn' }[] {
  const flags: { text: string; kind: 'fail' | 'warn' }[] = [];
  const failed = (n.eligibility ?? []).filter((c) => !c.passed);
  const doubtful = (n.eligibility ?? []).filter((c) => c.passed && c.needsReview);
  if (failed.some((c) => c.id === 'all.not-past-honouree')) {
    flags.push({ text: t('往届入选', 'Past honouree'), kind: 'fail' });
  }
  const otherFailed = failed.filter((c) => c.id !== 'all.not-past-honouree').length;
  if (otherFailed > 0)
    flags.push({ text: t(`${otherFailed} 项条件不符`, `${otherFailed} criteria failed`), kind: 'fail' });
  if (doubtful.length > 0)
    flags.push({ text: t(`${doubtful.length} 项需人工核实`, `${doubtful.length} to check`), kind: 'warn' });
  return flags;
}

/**
 * `/secretariat`: the campaign's submitted nominations, one page (100) at a time, filtered and
 * searched by the server (status, category, unit; the start of the name); counts from the
 * server's aggregate, never from rows read here.
 */
export function NominationListPage() {
  const initial = queryParams();
  const [filters, setFilters] = useState<Filters>({
    status: initial.status ?? '',
    category: initial.category ?? '',
    unit: initial.unit ?? '',
    q: initial.q ?? '',
  });
  const update = (change: Partial<Filters>) => {
    const next = { ...filters, ...change };
    setFilters(next);
    setQueryParams({ ...next });
  };
  const pages = usePages<NominationList>(
    withQuery(api('/nominations'), {
      status: filters.status,
      category: filters.category,
      unit: filters.unit,
      q: filters.q.trim(),
    }),
  );
  const overview = useResource((signal) => get<CampaignOverview>(api('/overview'), { signal }), []);
  // The first nomination waiting for screening, for the button that starts the work.
  const waiting = useResource(
    (signal) => get<NominationList>(api('/nominations?status=submitted&limit=1'), { signal }),
    [],
  );

  return (
    <ConsoleLayout title={t('推荐列表', 'Nominations')}>
      <ConsoleIntro />
      <ListHead overview={overview.data} waiting={waiting.data} filters={filters} update={update} />
      <Loaded resource={pages.page}>
        {(data) => (
          <ListPage
            data={data}
            filters={filters}
            update={update}
            number={pages.number}
            next={pages.next}
            previous={pages.previous}
          />
        )}
      </Loaded>
      <section aria-labelledby="charts-title">
        <h2 id="charts-title">{t('统计', 'Statistics')}</h2>
        <Loaded resource={overview}>
          {(o) =>
            o.stats ? (
              <div class="charts">
                <CategoryChart stats={o.stats} />
                <PerDayChart stats={o.stats} />
                <Funnel stats={o.stats} />
              </div>
            ) : null
          }
        </Loaded>
      </section>
    </ConsoleLayout>
  );
}

/** The totals, the chips that filter by status and category, and the filters: all from the aggregate. */
function ListHead(props: {
  overview: CampaignOverview | undefined;
  waiting: NominationList | undefined;
  filters: Filters;
  update: (change: Partial<Filters>) => void;
}) {
  const { filters, update } = props;
  const stats = props.overview?.stats;
  const { choices } = useUnitChoices();
  const [typed, setTyped] = useState(filters.q);
  const byStatus = new Map<NominationStatus, number>();
  const byCategory = new Map<CategoryId, number>();
  for (const s of stats?.byStatus ?? []) byStatus.set(s.status, s.count);
  for (const c of stats?.byCategory ?? []) {
    byCategory.set(c.category, c.total - (c.byStatus.draft ?? 0));
  }
  const submitted = STATUS_ORDER.reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
  const drafts = byStatus.get('draft') ?? 0;
  const toScreen = props.waiting?.counts.submitted ?? 0;
  const first = props.waiting?.nominations[0];
  const filtered = Boolean(filters.status || filters.category || filters.unit || filters.q);

  return (
    <>
      <div class="summary-line">
        <p>
          {t(`共 ${submitted} 份推荐`, `${submitted} nominations`)}
          {drafts > 0 && (
            <span class="muted">
              {t(`（另有 ${drafts} 份草稿尚未提交）`, ` (and ${drafts} drafts not yet submitted)`)}
            </span>
          )}
        </p>
        {first && (
          <a class="button primary" href={`/secretariat/nominations/${first.id}`}>
            {t(`开始初核（${toScreen} 份待初核）`, `Start screening (${toScreen} waiting)`)}
          </a>
        )}
      </div>

      <section aria-labelledby="counts-title">
        <h2 id="counts-title" class="visually-hidden">
          {t('数量', 'Counts')}
        </h2>
        <div class="count-groups">
          <fieldset class="count-group">
            <legend class="visually-hidden">{t('按状态', 'By status')}</legend>
            <span class="count-group-label" aria-hidden="true">
              {t('按状态', 'By status')}
            </span>
            {STATUS_ORDER.filter((s) => byStatus.get(s)).map((s) => (
              <button
                type="button"
                key={s}
                class="count-chip"
                aria-pressed={filters.status === s}
                onClick={() => update({ status: filters.status === s ? '' : s })}
              >
                {tr(statusName(s))} <strong>{byStatus.get(s)}</strong>
              </button>
            ))}
          </fieldset>
          <fieldset class="count-group">
            <legend class="visually-hidden">{t('按类别', 'By category')}</legend>
            <span class="count-group-label" aria-hidden="true">
              {t('按类别', 'By category')}
            </span>
            {CATEGORY_IDS.filter((c) => byCategory.get(c)).map((c) => (
              <button
                type="button"
                key={c}
                class="count-chip"
                aria-pressed={filters.category === c}
                onClick={() => update({ category: filters.category === c ? '' : c })}
              >
                {categoryName(c)} <strong>{byCategory.get(c)}</strong>
              </button>
            ))}
          </fieldset>
        </div>
      </section>

      <form
        class="filters"
        aria-label={t('筛选', 'Filters')}
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: typed.trim() });
        }}
      >
        <div class="field">
          <label for="filter-q">{t('按名称搜索', 'Search by name')}</label>
          <div class="search-row">
            <input
              id="filter-q"
              type="search"
              value={typed}
              maxLength={50}
              aria-describedby="filter-q-hint"
              onInput={(e) => {
                setTyped(e.currentTarget.value);
                // Clearing the box shows every nomination again at once.
                if (e.currentTarget.value === '' && filters.q) update({ q: '' });
              }}
            />
            <button type="submit">{t('搜索', 'Search')}</button>
          </div>
          <p id="filter-q-hint" class="hint">
            {t(
              '按姓名、组织、项目或基地名称的开头查找（不分繁简、全角半角和空格）',
              'Finds names that start with it (person, organization, project or site; traditional or simplified, any width)',
            )}
          </p>
        </div>
        <div class="field">
          <label for="filter-status">{t('状态', 'Status')}</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(e) => update({ status: e.currentTarget.value })}
          >
            <option value="">{t('全部状态', 'All statuses')}</option>
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {tr(statusName(s))}（{byStatus.get(s) ?? 0}）
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-category">{t('类别', 'Category')}</label>
          <select
            id="filter-category"
            value={filters.category}
            onChange={(e) => update({ category: e.currentTarget.value })}
          >
            <option value="">{t('全部类别', 'All categories')}</option>
            {CATEGORY_IDS.map((c) => (
              <option key={c} value={c}>
                {categoryName(c)}（{byCategory.get(c) ?? 0}）
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-unit">{t('推荐单位', 'Recommending unit')}</label>
          <UnitSelect
            id="filter-unit"
            value={filters.unit}
            choices={choices}
            onChange={(unit) => update({ unit })}
            emptyLabel={t('全部单位', 'All units')}
          />
        </div>
        {filtered && (
          <div class="field filters-reset">
            <button
              type="button"
              onClick={() => {
                setTyped('');
                update({ status: '', category: '', unit: '', q: '' });
              }}
            >
              {t('清除筛选', 'Clear filters')}
            </button>
          </div>
        )}
      </form>
    </>
  );
}

function ListPage(props: {
  data: NominationList;
  filters: Filters;
  update: (change: Partial<Filters>) => void;
  number: number;
  next: (() => void) | undefined;
  previous: (() => void) | undefined;
}) {
  const { data, filters } = props;
  const shown = data.nominations;
  const filtered = Boolean(filters.status || filters.category || filters.unit || filters.q);
  // Without a search or a unit, the aggregate knows how many the filters match.
  const matching =
    filters.q || filters.unit
      ? undefined
      : filters.status
        ? (data.counts[filters.status as NominationStatus] ?? 0)
        : Object.values(data.counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const from = (props.number - 1) * MAX_PAGE + 1;
  const to = from + shown.length - 1;
  const pager = (
    <Pager label={t('翻页', 'Pages')} number={props.number} next={props.next} previous={props.previous} />
  );

  return (
    <>
      <p role="status" aria-live="polite" class="result-count">
        {shown.length === 0
          ? ''
          : matching !== undefined
            ? t(`显示第 ${from}–${to} 份，共 ${matching} 份`, `Showing ${from}–${to} of ${matching}`)
            : t(`显示第 ${from}–${to} 份`, `Showing ${from}–${to}`)}
      </p>

      {shown.length === 0 ? (
        <p class="muted">
          {!filtered
            ? t('还没有推荐单位提交推荐。', 'No unit has submitted a nomination yet.')
            : t('没有符合筛选条件的推荐。', 'No nomination matches the filters.')}
        </p>
      ) : (
        <>
          <RowTable
            label={t('推荐列表', 'Nominations')}
            caption={t('推荐列表', 'Nominations')}
            class="nominations"
            rows={shown}
            columns={[
              {
                header: t('名称', 'Name'),
                cell: (n) => <a href={`/secretariat/nominations/${n.id}`}>{nameOf(n)}</a>,
              },
              { header: t('类别', 'Category'), cell: (n) => categoryName(n.category) },
              { header: t('推荐单位', 'Unit'), cell: (n) => n.unitName },
              { header: t('状态', 'Status'), cell: (n) => <StatusBadge status={n.status} /> },
              {
                header: t('提交时间', 'Submitted'),
                cell: (n) => formatTime(n.submittedAt),
                cellClass: 'nowrap',
              },
              { header: t('资格检查', 'Checks'), cell: (n) => <CheckFlags nomination={n} /> },
            ]}
          />
          {pager}
        </>
      )}
    </>
  );
}

function CheckFlags(props: { nomination: ListedNomination }) {
  const flags = flagsOf(props.nomination);
  if (flags.length === 0) return <span class="pass">{t('✓ 符合', '✓ Met')}</span>;
  return (
    <>
      {flags.map((f) => (
        <span key={f.text} class={`flag flag-${f.kind}`}>
          {f.text}
        </span>
      ))}
    </>
  );
}
