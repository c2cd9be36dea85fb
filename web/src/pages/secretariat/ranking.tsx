import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { CATEGORY_IDS, type CategoryId } from '../../../../functions/rules/categories.js';
import type { ForwardLimit, SelectionRecord } from '../../../../functions/rules/discretion.js';
import type { NominationStatus } from '../../../../functions/rules/nomination-status.js';
import type { PanelStatistics, RankBy } from '../../../../functions/rules/panel-statistics.js';
import { put } from '../../api.js';
import { type Bilingual, formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice, Loaded, StatusBadge } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { type CampaignJobView, type JobAnswer, JobProgress, runCampaignStep } from './campaign-job.js';
import {
  allNominations,
  allPages,
  api,
  ConfirmDialog,
  ConsoleIntro,
  ConsoleLayout,
  campaignRules,
  categoryName,
  fieldProblems,
  type ListedNomination,
  nameOf,
  type SelectionOutcome,
  TableWrap,
} from './common.js';

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

const PENDING: readonly NominationStatus[] = ['submitted', 'returned', 'in-review'];

function rowsOf(outcomes: SelectionOutcome[], nominations: ListedNomination[]): Map<CategoryId, Row[]> {
  const byId = new Map(nominations.map((n) => [n.id, n]));
  const rows: Row[] = outcomes.map((o) => {
    const n = byId.get(o.nominationId);
    return {
      id: o.nominationId,
      name: n ? nameOf(n) : o.nominationId,
      unitName: n?.unitName ?? '',
      status: n?.status ?? 'scored',
      rank: o.rank,
      selected: o.selected,
      message: o.message,
      meanTotal: o.meanTotal,
      expertTotals: o.expertTotals,
      recommendations: o.recommendations,
      statistics: o.statistics,
      confirmed: false,
      grassroots: o.grassroots,
      proposed: o.proposed,
      ...(o.decision ? { decision: o.decision } : {}),
      ...(o.againstRanking ? { againstRanking: o.againstRanking } : {}),
    };
  });
  const previewed = new Set(rows.map((r) => r.id));
  for (const n of nominations) {
    if (!n.selection || previewed.has(n.id)) continue;
    rows.push({
      id: n.id,
      name: nameOf(n),
      unitName: n.unitName,
      status: n.status,
      rank: n.selection.rank,
      selected: n.selection.selected,
      message: n.selection.message,
      meanTotal: n.score?.meanTotal ?? null,
      expertTotals: n.score?.expertTotals ?? [],
      recommendations: n.score?.recommendations ?? null,
      statistics: null,
      confirmed: true,
      grassroots: n.grassrootsConfirmed === true,
      ...(n.selection.againstRanking ? { againstRanking: n.selection.againstRanking } : {}),
    });
  }
  const map = new Map<CategoryId, Row[]>();
  const category = (id: string) =>
    byId.get(id)?.category ?? outcomes.find((o) => o.nominationId === id)?.category;
  for (const r of rows) {
    const c = category(r.id);
    if (c) map.set(c, [...(map.get(c) ?? []), r]);
  }
  for (const list of map.values()) {
    list.sort(
      (a, b) =>
        (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
        (b.meanTotal ?? 0) - (a.meanTotal ?? 0),
    );
  }
  return map;
}

const score = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/** `/secretariat/ranking`: scores and ranking per category with the quota line, and the selection. */
export function RankingPage() {
  const ranking = useResource(
    (signal) =>
      allPages<'outcomes', { outcomes: SelectionOutcome[]; cursor: string | null; limits: ForwardLimit[] }>(
        api('/ranking'),
        'outcomes',
        signal,
      ),
    [],
  );
  const list = useResource((signal) => allNominations('', signal), []);
  const both = {
    data:
      ranking.data && list.data
        ? { outcomes: ranking.data.outcomes, limits: ranking.data.limits, list: list.data }
        : undefined,
    error: ranking.error ?? list.error,
  };
  const [result, setResult] = useState<Pick<SelectionOutcome, 'selected'>[] | null>(null);
  const confirmed = async (outcomes: Pick<SelectionOutcome, 'selected'>[]) => {
    setResult(outcomes);
    await Promise.all([ranking.reload(), list.reload()]);
  };
  return (
    <ConsoleLayout title={t('评审结果与择优', 'Ranking and selection')}>
      <ConsoleIntro />
      {result && (
        <div class="notice ok" role="status">
          <p>
            {t(
              `已确认择优：入选 ${result.filter((o) => o.selected).length} 份，未入选 ${result.filter((o) => !o.selected).length} 份；入选推荐将自动上报。`,
              `Selection confirmed: ${result.filter((o) => o.selected).length} selected, ${result.filter((o) => !o.selected).length} not; the selected are forwarded automatically.`,
            )}
          </p>
        </div>
      )}
      <Loaded resource={both}>
        {(d) => (
          <RankingBody
            outcomes={d.outcomes}
            limits={d.limits}
            nominations={d.list.nominations}
            onConfirmed={confirmed}
            onDecided={async () => {
              await Promise.all([ranking.reload(), list.reload()]);
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
  outcomes: SelectionOutcome[];
  limits: ForwardLimit[];
  nominations: ListedNomination[];
  onConfirmed: (outcomes: Pick<SelectionOutcome, 'selected'>[]) => Promise<void>;
  onDecided: () => Promise<void>;
}) {
  const rows = rowsOf(props.outcomes, props.nominations);
  const quota = campaignRules()?.selection.quota;
  const minimum = campaignRules()?.selection.minimumScore;
  const votes = campaignRules()?.selection.minimumRecommendations;
  const limited = quota !== undefined && quota.scope !== 'unlimited';
  const pending = props.nominations.filter((n) => PENDING.includes(n.status));
  const categories = CATEGORY_IDS.filter((c) => rows.has(c));
  const previewCategories = categories.filter((c) => rows.get(c)?.some((r) => !r.confirmed));

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
              `还有 ${pending.length} 份推荐未完成初核或专家评审；这些类别的择优须等其完成后才能确认：`,
              `${pending.length} nominations have not finished screening or review; their categories cannot be confirmed yet:`,
            )}
            {[...new Set(pending.map((n) => n.category))].map((c) => categoryName(c)).join('、')}
          </p>
        </div>
      )}
      {categories.length === 0 && (
        <p class="muted">{t('尚无评审完成的推荐。', 'No nomination has been reviewed yet.')}</p>
      )}
      {categories.map((c) => (
        <CategoryRanking
          key={c}
          category={c}
          rows={rows.get(c) ?? []}
          limited={limited}
          limit={props.limits.find((l) => l.category === c)}
          onDecided={props.onDecided}
        />
      ))}
      {previewCategories.length > 0 && (
        <SelectionAction
          categories={previewCategories}
          rows={rows}
          blocked={new Set(pending.map((n) => n.category))}
          onConfirmed={props.onConfirmed}
        />
      )}
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

function CategoryRanking(props: {
  category: CategoryId;
  rows: Row[];
  limited: boolean;
  limit: ForwardLimit | undefined;
  onDecided: () => Promise<void>;
}) {
  const [deciding, setDeciding] = useState<Row | null>(null);
  const rankBy: RankBy = campaignRules()?.review.rankBy ?? 'mean';
  const ranked = props.rows.filter((r) => r.rank !== null);
  const others = props.rows.filter((r) => r.rank === null);
  const lastWithin = props.limited ? ranked.filter((r) => r.selected).at(-1)?.id : undefined;
  const confirmed = props.rows.every((r) => r.confirmed);
  const headingId = `ranking-${props.category}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {categoryName(props.category)}{' '}
        <span class={`badge ${confirmed ? 'status-selected' : ''}`}>
          {confirmed ? t('已确认', 'confirmed') : t('预览，尚未确认', 'preview, not confirmed')}
        </span>
      </h2>
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
                        {r.decision ? t('改变择优决定…', 'Change the decision…') : t('择优决定…', 'Decide…')}
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
      {props.limit && <ForwardLimitNote limit={props.limit} />}
      {!confirmed && props.limited && (
        <ForwardFewer category={props.category} limit={props.limit} onDecided={props.onDecided} />
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

function SelectionAction(props: {
  categories: CategoryId[];
  rows: Map<CategoryId, Row[]>;
  blocked: Set<CategoryId>;
  onConfirmed: (outcomes: Pick<SelectionOutcome, 'selected'>[]) => Promise<void>;
}) {
  const ready = props.categories.filter((c) => !props.blocked.has(c));
  const [chosen, setChosen] = useState<CategoryId[]>(ready);
  const [open, setOpen] = useState(false);
  const picked = chosen.filter((c) => props.categories.includes(c));
  const [progress, setProgress] = useState<CampaignJobView | null>(null);
  const confirm = useAction(async () => {
    const answer = await runCampaignStep<JobAnswer & { outcomes: Pick<SelectionOutcome, 'selected'>[] }>(
      '/selection',
      { categories: picked },
      setProgress,
    );
    setProgress(null);
    setOpen(false);
    await props.onConfirmed(answer.outcomes);
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
            const preview = (props.rows.get(c) ?? []).filter((r) => !r.confirmed);
            const selected = preview.filter((r) => r.selected).length;
            return (
              <li key={c}>
                {categoryName(c)}：
                {t(
                  `入选 ${selected} 份，未入选 ${preview.length - selected} 份`,
                  `${selected} selected, ${preview.length - selected} not`,
                )}
              </li>
            );
          })}
        </ul>
        <p>{t('此操作不能撤销。', 'This cannot be undone.')}</p>
        <JobProgress job={progress} />
        <ErrorNotice error={confirm.error} />
      </ConfirmDialog>
    </section>
  );
}
