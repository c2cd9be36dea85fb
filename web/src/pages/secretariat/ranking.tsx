import { type ComponentChildren, Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { CategoryId } from '../../../../functions/rules/categories.js';
import type { ForwardLimit, SelectionRecord } from '../../../../functions/rules/discretion.js';
import type { NominationStatus } from '../../../../functions/rules/nomination-status.js';
import { MAX_PAGE } from '../../../../functions/rules/paging.js';
import type { PanelStatistics, RankBy } from '../../../../functions/rules/panel-statistics.js';
import type { RankingLine } from '../../../../functions/rules/ranking-lines.js';
import { get, put } from '../../api.js';
import { type Bilingual, formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice, Loaded, StatusBadge } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { type CampaignJobView, type JobAnswer, JobProgress, runCampaignStep } from './campaign-job.js';
import {
  api,
  type CampaignOverview,
  ConfirmDialog,
  ConsoleIntro,
  ConsoleLayout,
  campaignRules,
  categoryName,
  fieldProblems,
  NameUnitSearch,
  Pager,
  queryParams,
  type SelectionOutcome,
  setQueryParams,
  TableWrap,
  usePages,
  withQuery,
} from './common.js';
import { chosenCategory, pageRange, type RankingCategory, rankingCategories } from './ranking-state.js';

/** One line of a category's ranking: a preview of the scored, or a selection already confirmed. */
interface Row {
  id: string;
  name: string;
  unitName: string;
  status: NominationStatus;
  rank: number | null;
  selected: boolean;
  message: Bilingual;
  meanTotal: number | null;
  expertTotals: number[];
  recommendations: number | null;
  /** How the panel reads the experts' totals (median, trimmed, normalised, spread); null once confirmed. */
  statistics: PanelStatistics | null;
  confirmed: boolean;
  /** Confirmed at screening: from the grassroots and the front line (基层一线). */
  grassroots: boolean;
  /** What the ranking alone proposes (a preview row only). */
  proposed?: boolean;
  /** The secretariat's decision in force on this row (a preview row only). */
  decision?: SelectionOutcome['decision'];
  /** Why the verdict differs from the score order, who decided and when. */
  againstRanking?: SelectionRecord['againstRanking'];
}

/** A confirmed selection's answer counts every outcome (its outcomes themselves come a page at a time). */
interface SelectionCounts {
  selected: number;
  notSelected: number;
}

/** What GET …/ranking answers: one page of a category's ranking, its limits and counts. */
interface RankingAnswer {
  outcomes: RankingLine[];
  cursor: string | null;
  limits: ForwardLimit[];
  summary: {
    selected: number;
    notSelected: number;
    confirmed: number;
    found: number;
    quotaLineAfter: string | null;
  };
}

function rowOf(line: RankingLine): Row {
  return {
    id: line.nominationId,
    name: line.name || t('（未填写名称）', '(no name yet)'),
    unitName: line.unitName,
    status: line.status,
    rank: line.rank,
    selected: line.selected,
    message: line.message,
    meanTotal: line.meanTotal,
    expertTotals: line.expertTotals,
    recommendations: line.recommendations,
    statistics: line.statistics,
    confirmed: line.confirmed,
    grassroots: line.grassroots,
    ...(line.confirmed ? {} : { proposed: line.proposed }),
    ...(!line.confirmed && line.decision ? { decision: line.decision } : {}),
    ...(line.againstRanking ? { againstRanking: line.againstRanking } : {}),
  };
}

const score = (x: number | null) => (x === null ? '—' : x.toFixed(2));

interface Search {
  category: string;
  q: string;
  unit: string;
}

/**
 * `/secretariat/ranking`: one category's ranking at a time, a page (100) at a time, in ranking
 * order as the server ranks it, searched on the server by the start of the name and by unit; the
 * quota line, the secretariat's decisions and the selection. What the page needs besides the rows
 * (which categories are ranked, which still wait for reviews) comes from the overview's aggregate.
 */
export function RankingPage() {
  const initial = queryParams();
  const [search, setSearch] = useState<Search>({
    category: initial.category ?? '',
    q: initial.q ?? '',
    unit: initial.unit ?? '',
  });
  const update = (change: Partial<Search>) => {
    const next = { ...search, ...change };
    setSearch(next);
    setQueryParams({ ...next });
  };
  const overview = useResource((signal) => get<CampaignOverview>(api('/overview'), { signal }), []);
  const [result, setResult] = useState<SelectionCounts | null>(null);
  return (
    <ConsoleLayout title={t('评审结果与择优', 'Ranking and selection')}>
      <ConsoleIntro />
      {result && (
        <div class="notice ok" role="status">
          <p>
            {t(
              `已确认择优：入选 ${result.selected} 份，未入选 ${result.notSelected} 份；入选推荐将自动上报。`,
              `Selection confirmed: ${result.selected} selected, ${result.notSelected} not; the selected are forwarded automatically.`,
            )}
          </p>
        </div>
      )}
      <Loaded resource={overview}>
        {(o) => (
          <RankingBody
            categories={rankingCategories(o.stats)}
            search={search}
            update={update}
            onChanged={overview.reload}
            onConfirmed={async (counts) => {
              setResult(counts);
              await overview.reload();
            }}
          />
        )}
      </Loaded>
    </ConsoleLayout>
  );
}

function quotaText(): string {
  const quota = campaignRules()?.selection.quota;
  if (!quota || quota.scope === 'unlimited')
    return t('本轮择优不限名额。', 'This round selects without a quota.');
  return quota.scope === 'per-category'
    ? t(`每个类别择优不超过 ${quota.limit} 名。`, `At most ${quota.limit} per category are selected.`)
    : t(
        `各类别合计择优不超过 ${quota.limit} 名。`,
        `At most ${quota.limit} are selected over all categories.`,
      );
}

function RankingBody(props: {
  categories: RankingCategory[];
  search: Search;
  update: (change: Partial<Search>) => void;
  onChanged: () => Promise<void>;
  onConfirmed: (counts: SelectionCounts) => Promise<void>;
}) {
  const minimum = campaignRules()?.selection.minimumScore;
  const votes = campaignRules()?.selection.minimumRecommendations;
  const pending = props.categories.filter((c) => c.pending > 0);
  const category = chosenCategory(props.categories, props.search.category);
  const previewCategories = props.categories.filter((c) => c.awaiting > 0).map((c) => c.category);
  // Bumped after a decision or a confirmation: the page shown is read again.
  const [changes, setChanges] = useState(0);
  const changed = async () => {
    setChanges((n) => n + 1);
    await props.onChanged();
  };

  return (
    <>
      <p>
        {quotaText()}
        {minimum !== undefined &&
          t(
            ` 平均分低于 ${minimum} 分的不参加择优。`,
            ` Nominations below a mean of ${minimum} do not compete.`,
          )}
        {votes !== undefined &&
          t(
            ` 推荐票少于 ${votes} 票的不参加择优。`,
            ` Nominations with fewer than ${votes} "recommend" votes do not compete.`,
          )}
      </p>
      <p class="muted small">
        {t(
          '排名只是建议：择优由秘书处决定。可对评审完成、尚未确认的推荐不按名次选入或不选入，或某类别少于名额报送，均须写明理由；理由记入操作记录，并显示在本页、汇总表和报送材料中。',
          'The ranking proposes; the secretariat decides. Before confirming, a nomination may be included or left out against the score order, or a category may forward fewer than the quota, each with a written reason kept in the audit and shown here, in the summary table and in the package.',
        )}
      </p>
      {pending.length > 0 && (
        <div class="notice warn">
          <p>
            {t(
              `还有 ${pending.reduce((n, c) => n + c.pending, 0)} 份推荐未完成初核或专家评审；这些类别的择优须等其完成后才能确认：`,
              `${pending.reduce((n, c) => n + c.pending, 0)} nominations have not finished screening or review; their categories cannot be confirmed yet:`,
            )}
            {pending.map((c) => categoryName(c.category)).join('、')}
          </p>
        </div>
      )}
      {category === undefined ? (
        <p class="muted">{t('尚无评审完成的推荐。', 'No nomination has been reviewed yet.')}</p>
      ) : (
        <>
          <RankingSearch
            categories={props.categories.filter((c) => c.ranked > 0)}
            category={category}
            search={props.search}
            update={props.update}
          />
          <CategoryRanking
            key={`${category}#${changes}`}
            category={category}
            q={props.search.q}
            unit={props.search.unit}
            onDecided={changed}
          />
        </>
      )}
      {previewCategories.length > 0 && (
        <SelectionAction
          categories={previewCategories}
          blocked={new Set(pending.map((c) => c.category))}
          onConfirmed={async (counts) => {
            setChanges((n) => n + 1);
            await props.onConfirmed(counts);
          }}
        />
      )}
    </>
  );
}

/** The category shown (with how many are on its ranking), and the search by name and by unit. */
function RankingSearch(props: {
  categories: RankingCategory[];
  category: CategoryId;
  search: Search;
  update: (change: Partial<Search>) => void;
}) {
  const { search, update } = props;
  return (
    <>
      <fieldset class="count-group">
        <legend class="visually-hidden">{t('类别', 'Category')}</legend>
        <span class="count-group-label" aria-hidden="true">
          {t('类别', 'Category')}
        </span>
        {props.categories.map((c) => (
          <button
            key={c.category}
            type="button"
            class="count-chip"
            aria-pressed={props.category === c.category}
            onClick={() => update({ category: c.category })}
          >
            {categoryName(c.category)} <strong>{c.ranked}</strong>
          </button>
        ))}
      </fieldset>
      <NameUnitSearch
        id="ranking"
        search={search}
        onSearch={update}
        hint={t(
          '按名称的开头查找（不分繁简、全角半角和空格）；名次仍为全类别的名次',
          'Finds names that start with it (traditional or simplified, any width); the ranks stay those of the whole category',
        )}
      />
    </>
  );
}

/** Which statistic ranks (campaign review.rankBy; the mean when the campaign names none). */
const RANK_NAMES: Record<RankBy, [string, string]> = {
  mean: ['平均分', 'Mean'],
  median: ['中位数', 'Median'],
  'trimmed-mean': ['截尾均值', 'Trimmed mean'],
  normalised: ['标准化均值', 'Normalised mean'],
};

function StatHeader(props: { of: RankBy; rankBy: RankBy }) {
  const [zh, en] = RANK_NAMES[props.of];
  return (
    <th scope="col">
      {t(zh, en)}
      {props.of === props.rankBy && <div class="small">{t('（排名依据）', '(ranks)')}</div>}
    </th>
  );
}

/** The chosen category's ranking, one page of the server's at a time, as searched. */
function CategoryRanking(props: {
  category: CategoryId;
  q: string;
  unit: string;
  onDecided: () => Promise<void>;
}) {
  const pages = usePages<RankingAnswer>(
    withQuery(api('/ranking'), { category: props.category, q: props.q.trim(), unit: props.unit }),
  );
  const searched = Boolean(props.q.trim() || props.unit);
  return (
    <Loaded resource={pages.page}>
      {(answer) => (
        <RankingTable
          category={props.category}
          answer={answer}
          searched={searched}
          pager={
            <Pager
              label={t('排名翻页', 'Ranking pages')}
              number={pages.number}
              next={pages.next}
              previous={pages.previous}
            />
          }
          range={pageRange(pages.number, answer.outcomes.length, MAX_PAGE)}
          onDecided={props.onDecided}
        />
      )}
    </Loaded>
  );
}

function RankingTable(props: {
  category: CategoryId;
  answer: RankingAnswer;
  searched: boolean;
  pager: ComponentChildren;
  range: { from: number; to: number } | undefined;
  onDecided: () => Promise<void>;
}) {
  const [deciding, setDeciding] = useState<Row | null>(null);
  const rankBy: RankBy = campaignRules()?.review.rankBy ?? 'mean';
  const quota = campaignRules()?.selection.quota;
  const limited = quota !== undefined && quota.scope !== 'unlimited';
  const { summary } = props.answer;
  const rows = props.answer.outcomes.map(rowOf);
  const ranked = rows.filter((r) => r.rank !== null);
  const others = rows.filter((r) => r.rank === null);
  // Where the quota line falls in the whole ranking (the server knows): drawn on its page.
  const lastWithin = limited ? (summary.quotaLineAfter ?? undefined) : undefined;
  const confirmed = summary.selected + summary.notSelected === 0;
  const limit = props.answer.limits.find((l) => l.category === props.category);
  const headingId = `ranking-${props.category}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {categoryName(props.category)}{' '}
        <span class={`badge ${confirmed ? 'status-selected' : ''}`}>
          {confirmed ? t('已确认', 'confirmed') : t('预览，尚未确认', 'preview, not confirmed')}
        </span>
      </h2>
      <p role="status" aria-live="polite" class="result-count">
        {props.range
          ? t(
              `显示第 ${props.range.from}–${props.range.to} 份，共 ${summary.found} 份${props.searched ? '符合查找条件' : ''}`,
              `Showing ${props.range.from}–${props.range.to} of ${summary.found}${props.searched ? ' found' : ''}`,
            )
          : ''}
      </p>
      {rows.length === 0 ? (
        <p class="muted">
          {props.searched
            ? t('没有符合查找条件的推荐。', 'No nomination on the ranking matches the search.')
            : t('本类别尚无评审完成的推荐。', 'No nomination of this category has been reviewed yet.')}
        </p>
      ) : (
        <>
          {props.pager}
          <TableWrap label={categoryName(props.category)}>
            <table class="ranking">
              <thead>
                <tr>
                  <th scope="col">{t('名次', 'Rank')}</th>
                  <th scope="col">{t('名称', 'Name')}</th>
                  {/* The result right after the name: on a phone both show before the table scrolls. */}
                  <th scope="col">{t('结果', 'Result')}</th>
                  <th scope="col">{t('推荐单位', 'Unit')}</th>
                  <StatHeader of="mean" rankBy={rankBy} />
                  <StatHeader of="median" rankBy={rankBy} />
                  <StatHeader of="trimmed-mean" rankBy={rankBy} />
                  <StatHeader of="normalised" rankBy={rankBy} />
                  <th scope="col">{t('各专家得分', 'Expert totals')}</th>
                  <th scope="col">{t('分差', 'Spread')}</th>
                  <th scope="col">{t('推荐票', 'Recommend')}</th>
                </tr>
              </thead>
              <tbody>
                {[...ranked, ...others].map((r) => (
                  <Fragment key={r.id}>
                    <tr class={r.id === lastWithin ? 'quota-line' : undefined}>
                      <td class="rank">{r.rank ?? '—'}</td>
                      <th scope="row">
                        <a href={`/secretariat/nominations/${r.id}`}>{r.name}</a>
                        {r.grassroots && (
                          <>
                            {' '}
                            <span class="badge status-selected">{t('基层一线', 'Grassroots')}</span>
                          </>
                        )}
                      </th>
                      <td class="result">
                        <span class={r.selected ? 'pass' : 'fail'}>
                          {r.selected ? t('入选', 'Selected') : t('未入选', 'Not selected')}
                        </span>
                        {r.confirmed && (
                          <>
                            {' '}
                            <StatusBadge status={r.status} />
                          </>
                        )}
                        <div class="small muted">{tr(r.message)}</div>
                        {r.againstRanking && <AgainstRanking record={r.againstRanking} />}
                        {!r.confirmed && r.rank !== null && (
                          <button type="button" class="link-button small" onClick={() => setDeciding(r)}>
                            {r.decision
                              ? t('改变择优决定…', 'Change the decision…')
                              : t('择优决定…', 'Decide…')}
                            <span class="visually-hidden">{r.name}</span>
                          </button>
                        )}
                      </td>
                      <td>{r.unitName}</td>
                      <td class="num">{score(r.meanTotal)}</td>
                      <td class="num">{score(r.statistics?.median ?? null)}</td>
                      <td class="num">
                        {r.statistics?.trimmedMean != null ? (
                          score(r.statistics.trimmedMean)
                        ) : (
                          <span class="muted small">{t('不足 5 份', 'under 5')}</span>
                        )}
                      </td>
                      <td class="num">{score(r.statistics?.normalisedMean ?? null)}</td>
                      <td class="num">{r.expertTotals.map((x) => x.toFixed(1)).join(' / ') || '—'}</td>
                      <td class="num">
                        {r.statistics ? r.statistics.spread.toFixed(1) : '—'}
                        {r.statistics?.disagreement && (
                          <div>
                            <span class="flag flag-warn">{t('专家分歧大', 'experts disagree')}</span>
                          </div>
                        )}
                      </td>
                      <td class="num">{r.recommendations ?? '—'}</td>
                    </tr>
                    {r.id === lastWithin && (
                      <tr class="quota-line-label">
                        <td colSpan={11}>
                          <span>{t('名额线', 'Quota line')}</span>
                          <span class="muted small">
                            {' '}
                            {t(
                              '以上为名额内入选，以下不入选',
                              'above: selected within the quota; below: not selected',
                            )}
                          </span>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {props.pager}
        </>
      )}
      {limit && <ForwardLimitNote limit={limit} />}
      {!confirmed && limited && (
        <ForwardFewer category={props.category} limit={limit} onDecided={props.onDecided} />
      )}
      <DecisionDialog row={deciding} onClose={() => setDeciding(null)} onDecided={props.onDecided} />
    </section>
  );
}

/** A verdict that departs from the score order: the reason, who decided and when. */
function AgainstRanking(props: { record: NonNullable<Row['againstRanking']> }) {
  return (
    <p class="against-ranking small">
      <strong>{t('未按名次（秘书处择优决定）', 'Against the score order (secretariat’s decision)')}</strong>
      {t(`：${props.record.reason}`, `: ${props.record.reason}`)}
      <span class="muted">
        {t(
          `（${props.record.by.name}，${formatTime(props.record.at)}）`,
          ` (${props.record.by.name}, ${formatTime(props.record.at)})`,
        )}
      </span>
    </p>
  );
}

function ForwardLimitNote(props: { limit: ForwardLimit }) {
  return (
    <p class="notice" role="status">
      {t(
        `本类别少于名额报送，拟报送 ${props.limit.forward} 个。理由：${props.limit.reason}（${props.limit.by.name}，${formatTime(props.limit.at)}）`,
        `This category forwards fewer than the quota: ${props.limit.forward}. Reason: ${props.limit.reason} (${props.limit.by.name}, ${formatTime(props.limit.at)})`,
      )}
    </p>
  );
}

const categoryPath = (category: CategoryId) => api(`/selection-limits/${category}`);

/** Forward fewer than the quota in one category, or the full quota again, with a reason. */
function ForwardFewer(props: {
  category: CategoryId;
  limit: ForwardLimit | undefined;
  onDecided: () => Promise<void>;
}) {
  const quota = campaignRules()?.selection.quota;
  const full = quota && quota.scope === 'per-category' ? quota.limit : undefined;
  const [forward, setForward] = useState(String(props.limit?.forward ?? full ?? ''));
  const [reason, setReason] = useState('');
  const save = useAction(async () => {
    const count = Number(forward);
    await put(categoryPath(props.category), {
      forward: full !== undefined && count === full ? null : count,
      reason: reason.trim(),
    });
    setReason('');
    await props.onDecided();
  });
  const problems = fieldProblems(save.error);
  const id = `fewer-${props.category}`;
  return (
    <form
      class="form-grid forward-fewer"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h3 id={`${id}-title`} class="field-wide">
        {t('本类别报送数量', 'Number to forward in this category')}
      </h3>
      <div class="field">
        <label for={`${id}-count`}>{t('拟报送（个）', 'To forward')}</label>
        <input
          id={`${id}-count`}
          type="number"
          min={0}
          max={full}
          required
          value={forward}
          onInput={(e) => setForward(e.currentTarget.value)}
          aria-invalid={problems.forward ? true : undefined}
        />
        {problems.forward && <p class="problem">{problems.forward}</p>}
      </div>
      <div class="field field-wide">
        <label for={`${id}-reason`}>{t('理由（记入操作记录）', 'Reason (kept in the audit)')}</label>
        <input
          id={`${id}-reason`}
          required
          maxLength={1000}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          aria-invalid={problems.reason ? true : undefined}
        />
        {problems.reason && <p class="problem">{problems.reason}</p>}
      </div>
      <div class="actions field-wide">
        <button type="submit" disabled={save.busy}>
          {t('保存报送数量', 'Save the number')}
        </button>
      </div>
      <ErrorNotice error={save.error} />
    </form>
  );
}

type Choice = 'include' | 'leave-out' | 'follow-ranking';

/** Include or leave out one nomination against the score order, or follow the ranking again, with a reason. */
function DecisionDialog(props: { row: Row | null; onClose: () => void; onDecided: () => Promise<void> }) {
  const row = props.row;
  const [choice, setChoice] = useState<Choice>('include');
  const [reason, setReason] = useState('');
  const decide = useAction(async () => {
    if (!row) return;
    await put(api(`/selection-decisions/${encodeURIComponent(row.id)}`), {
      decision: choice,
      reason: reason.trim(),
    });
    setReason('');
    props.onClose();
    await props.onDecided();
  });
  const problems = fieldProblems(decide.error);
  const choices: [Choice, string][] = [
    ['include', t('选入（不按名次）', 'Include (against the score order)')],
    ['leave-out', t('不选入（不按名次）', 'Leave out (against the score order)')],
    ['follow-ranking', t('按名次（撤销此前的决定）', 'Follow the ranking (take the decision back)')],
  ];
  return (
    <ConfirmDialog
      id="decision-dialog"
      open={row !== null}
      title={t(`择优决定：${row?.name ?? ''}`, `Selection decision: ${row?.name ?? ''}`)}
      confirmLabel={t('记录决定', 'Record the decision')}
      busy={decide.busy}
      confirmDisabled={reason.trim().length < 2}
      onConfirm={() => void decide.run()}
      onClose={() => {
        decide.clear();
        props.onClose();
      }}
    >
      {row && (
        <p class="muted small">
          {t(
            `按评分排名第 ${row.rank} 名，得分 ${score(row.meanTotal)}；排名建议：${row.proposed ? '入选' : '不入选'}。`,
            `Ranked ${row.rank}, score ${score(row.meanTotal)}; the ranking proposes: ${row.proposed ? 'selected' : 'not selected'}.`,
          )}
        </p>
      )}
      <fieldset>
        <legend>{t('决定', 'Decision')}</legend>
        {choices.map(([value, label]) => (
          <div class="check-option" key={value}>
            <input
              type="radio"
              name="selection-decision"
              id={`decision-${value}`}
              checked={choice === value}
              onChange={() => setChoice(value)}
            />
            <label for={`decision-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <div class="field">
        <label for="decision-reason">
          {t(
            '理由（必填，记入操作记录并写入汇总表）',
            'Reason (required; kept in the audit and the summary table)',
          )}
        </label>
        <textarea
          id="decision-reason"
          rows={3}
          maxLength={1000}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          aria-invalid={problems.reason ? true : undefined}
        />
        {problems.reason && <p class="problem">{problems.reason}</p>}
      </div>
      <ErrorNotice error={decide.error} />
    </ConfirmDialog>
  );
}

/** What confirming each category would select, as the server counts its whole ranking (read when asked). */
function usePreviewCounts(categories: readonly CategoryId[], open: boolean) {
  return useResource(
    async (signal) =>
      open
        ? Promise.all(
            categories.map(async (category) => ({
              category,
              summary: (
                await get<RankingAnswer>(withQuery(api('/ranking'), { category, limit: '1' }), { signal })
              ).summary,
            })),
          )
        : [],
    [open, categories.join()],
  );
}

function SelectionAction(props: {
  categories: CategoryId[];
  blocked: Set<CategoryId>;
  onConfirmed: (counts: SelectionCounts) => Promise<void>;
}) {
  const ready = props.categories.filter((c) => !props.blocked.has(c));
  const [chosen, setChosen] = useState<CategoryId[]>(ready);
  const [open, setOpen] = useState(false);
  const picked = chosen.filter((c) => props.categories.includes(c));
  const counts = usePreviewCounts(picked, open);
  const [progress, setProgress] = useState<CampaignJobView | null>(null);
  const confirm = useAction(async () => {
    const answer = await runCampaignStep<JobAnswer & { counts: SelectionCounts }>(
      '/selection',
      { categories: picked },
      setProgress,
    );
    setProgress(null);
    setOpen(false);
    await props.onConfirmed(answer.counts);
  });
  return (
    <section aria-labelledby="selection-title">
      <h2 id="selection-title">{t('确认择优结果', 'Confirm the selection')}</h2>
      <p>
        {t(
          '确认后，名额内的推荐入选并自动上报，其余为未入选；确认不能撤销。',
          'Once confirmed, those within the quota are selected and forwarded automatically, the rest are not; this cannot be undone.',
        )}
      </p>
      <fieldset>
        <legend>{t('确认哪些类别', 'Categories to confirm')}</legend>
        {props.categories.map((c) => (
          <div class="check-option" key={c}>
            <input
              type="checkbox"
              id={`select-${c}`}
              checked={chosen.includes(c)}
              onChange={(e) =>
                setChosen(e.currentTarget.checked ? [...chosen, c] : chosen.filter((x) => x !== c))
              }
            />
            <label for={`select-${c}`}>
              {categoryName(c)}
              {props.blocked.has(c) && (
                <span class="muted small">{t('（仍有推荐未完成评审）', ' (reviews still open)')}</span>
              )}
            </label>
          </div>
        ))}
      </fieldset>
      <div class="actions">
        <button type="button" class="primary" disabled={picked.length === 0} onClick={() => setOpen(true)}>
          {t('确认择优…', 'Confirm the selection…')}
        </button>
      </div>
      <ConfirmDialog
        id="selection-dialog"
        open={open}
        title={t('确认择优结果？', 'Confirm the selection?')}
        confirmLabel={t('确认择优', 'Confirm')}
        busy={confirm.busy}
        onConfirm={() => void confirm.run()}
        onClose={() => {
          setOpen(false);
          confirm.clear();
        }}
      >
        <ul>
          {picked.map((c) => {
            const summary = counts.data?.find((x) => x.category === c)?.summary;
            return (
              <li key={c}>
                {categoryName(c)}：
                {summary
                  ? t(
                      `入选 ${summary.selected} 份，未入选 ${summary.notSelected} 份`,
                      `${summary.selected} selected, ${summary.notSelected} not`,
                    )
                  : t('正在统计…', 'Counting…')}
              </li>
            );
          })}
        </ul>
        <ErrorNotice error={counts.error} />
        <p>{t('此操作不能撤销。', 'This cannot be undone.')}</p>
        <JobProgress job={progress} />
        <ErrorNotice error={confirm.error} />
      </ConfirmDialog>
    </section>
  );
}
