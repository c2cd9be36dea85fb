import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { CATEGORY_IDS, type CategoryId } from '../../../../functions/rules/categories.js';
import type { NominationStatus } from '../../../../functions/rules/nomination-status.js';
import { type Bilingual, t, tr } from '../../i18n.js';
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
  confirmed: boolean;
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
      confirmed: false,
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
      confirmed: true,
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
      allPages<'outcomes', { outcomes: SelectionOutcome[]; cursor: string | null }>(
        api('/ranking'),
        'outcomes',
        signal,
      ),
    [],
  );
  const list = useResource((signal) => allNominations('', signal), []);
  const both = {
    data: ranking.data && list.data ? { outcomes: ranking.data.outcomes, list: list.data } : undefined,
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
          <RankingBody outcomes={d.outcomes} nominations={d.list.nominations} onConfirmed={confirmed} />
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
  nominations: ListedNomination[];
  onConfirmed: (outcomes: Pick<SelectionOutcome, 'selected'>[]) => Promise<void>;
}) {
  const rows = rowsOf(props.outcomes, props.nominations);
  const quota = campaignRules()?.selection.quota;
  const minimum = campaignRules()?.selection.minimumScore;
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
        <CategoryRanking key={c} category={c} rows={rows.get(c) ?? []} limited={limited} />
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

function CategoryRanking(props: { category: CategoryId; rows: Row[]; limited: boolean }) {
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
              <th scope="col">{t('推荐单位', 'Unit')}</th>
              <th scope="col">{t('平均分', 'Mean score')}</th>
              <th scope="col">{t('各专家得分', 'Expert totals')}</th>
              <th scope="col">{t('推荐票', 'Recommend')}</th>
              <th scope="col">{t('结果', 'Result')}</th>
            </tr>
          </thead>
          <tbody>
            {[...ranked, ...others].map((r) => (
              <Fragment key={r.id}>
                <tr class={r.id === lastWithin ? 'quota-line' : undefined}>
                  <td class="rank">{r.rank ?? '—'}</td>
                  <th scope="row">
                    <a href={`/secretariat/nominations/${r.id}`}>{r.name}</a>
                  </th>
                  <td>{r.unitName}</td>
                  <td class="num">{score(r.meanTotal)}</td>
                  <td class="num">{r.expertTotals.map((x) => x.toFixed(1)).join(' / ') || '—'}</td>
                  <td class="num">{r.recommendations ?? '—'}</td>
                  <td>
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
                  </td>
                </tr>
                {r.id === lastWithin && (
                  <tr class="quota-line-label">
                    <td colSpan={7}>
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
    </section>
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
