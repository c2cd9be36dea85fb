import { useState } from 'preact/hooks';
import { CATEGORY_IDS, type CategoryId } from '../../../../functions/rules/categories.js';
import { statusName } from '../../../../functions/rules/nomination.js';
import { NOMINATION_STATUSES, type NominationStatus } from '../../../../functions/rules/nomination-status.js';
import { get } from '../../api.js';
import { formatTime, t, tr } from '../../i18n.js';
import { Loaded, StatusBadge } from '../../ui/components.js';
import { useResource } from '../../ui/hooks.js';
import { CategoryChart, Funnel, PerDayChart } from './charts.js';
import {
  allNominations,
  api,
  type CampaignOverview,
  ConsoleIntro,
  ConsoleLayout,
  categoryName,
  type ListedNomination,
  type NominationList,
  nameOf,
  queryParams,
  RowTable,
  setQueryParams,
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

/** `/secretariat`: every submitted nomination of the campaign, with filters, counts and charts. */
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
  const list = useResource((signal) => allNominations('', signal), []);
  const overview = useResource((signal) => get<CampaignOverview>(api('/overview'), { signal }), []);

  return (
    <ConsoleLayout title={t('推荐列表', 'Nominations')}>
      <ConsoleIntro />
      <Loaded resource={list}>
        {(data) => <ListBody data={data} filters={filters} update={update} overview={overview.data} />}
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

function ListBody(props: {
  data: NominationList;
  filters: Filters;
  update: (change: Partial<Filters>) => void;
  overview: CampaignOverview | undefined;
}) {
  const { data, filters, update } = props;
  const all = data.nominations;
  const units = [...new Map(all.map((n) => [n.unitId, n.unitName])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1], 'zh-CN'),
  );
  const query = filters.q.trim().toLowerCase();
  const shown = all.filter(
    (n) =>
      (!filters.status || n.status === filters.status) &&
      (!filters.category || n.category === filters.category) &&
      (!filters.unit || n.unitId === filters.unit) &&
      (!query ||
        nameOf(n).toLowerCase().includes(query) ||
        n.unitName.toLowerCase().includes(query) ||
        n.id.includes(query)),
  );
  const byStatus = new Map<NominationStatus, number>();
  const byCategory = new Map<CategoryId, number>();
  for (const n of all) {
    byStatus.set(n.status, (byStatus.get(n.status) ?? 0) + 1);
    byCategory.set(n.category, (byCategory.get(n.category) ?? 0) + 1);
  }
  const waiting = all.filter((n) => n.status === 'submitted');
  const drafts = props.overview?.stats?.byStatus.find((s) => s.status === 'draft')?.count ?? 0;
  const filtered = Boolean(filters.status || filters.category || filters.unit || filters.q);

  return (
    <>
      <div class="summary-line">
        <p>
          {t(`共 ${all.length} 份推荐`, `${all.length} nominations`)}
          {drafts > 0 && (
            <span class="muted">
              {t(`（另有 ${drafts} 份草稿尚未提交）`, ` (and ${drafts} drafts not yet submitted)`)}
            </span>
          )}
        </p>
        {waiting[0] && (
          <a class="button primary" href={`/secretariat/nominations/${waiting[0].id}`}>
            {t(`开始初核（${waiting.length} 份待初核）`, `Start screening (${waiting.length} waiting)`)}
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

      <form class="filters" aria-label={t('筛选', 'Filters')} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-q">{t('按名称搜索', 'Search by name')}</label>
          <input
            id="filter-q"
            type="search"
            value={filters.q}
            onInput={(e) => update({ q: e.currentTarget.value })}
            placeholder={t('姓名、组织、项目或单位', 'Person, organization, project or unit')}
          />
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
          <select
            id="filter-unit"
            value={filters.unit}
            onChange={(e) => update({ unit: e.currentTarget.value })}
          >
            <option value="">{t('全部单位', 'All units')}</option>
            {units.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <div class="field filters-reset">
            <button type="button" onClick={() => update({ status: '', category: '', unit: '', q: '' })}>
              {t('清除筛选', 'Clear filters')}
            </button>
          </div>
        )}
      </form>

      <p role="status" aria-live="polite" class="result-count">
        {filtered
          ? t(`显示 ${shown.length} / ${all.length} 份`, `Showing ${shown.length} of ${all.length}`)
          : t(`显示全部 ${all.length} 份`, `Showing all ${all.length}`)}
      </p>

      {shown.length === 0 ? (
        <p class="muted">
          {all.length === 0
            ? t('还没有推荐单位提交推荐。', 'No unit has submitted a nomination yet.')
            : t('没有符合筛选条件的推荐。', 'No nomination matches the filters.')}
        </p>
      ) : (
        <RowTable
          label={t('推荐列表', 'Nominations')}
          caption={t('推荐列表', 'Nominations')}
          class="nominations"
          rows={shown}
          columns={[
            {
              header: t('名称', 'Name'),
              cell: (n) => (
                <>
                  <a href={`/secretariat/nominations/${n.id}`}>{nameOf(n)}</a>
                </>
              ),
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
