import { useState } from 'preact/hooks';
import type { CategoryId } from '../../../../functions/rules/categories.js';
import { post } from '../../api.js';
import { t } from '../../i18n.js';
import { ErrorNotice } from '../../ui/components.js';
import { useAction } from '../../ui/hooks.js';
import { categoryName, type ExpertPanel, fieldProblems, RowTable } from './common.js';

type PanelNomination = ExpertPanel['nominations'][number];
type PanelExpert = ExpertPanel['experts'][number];

/** What the secretariat is changing: one expert on one nomination. */
interface Change {
  kind: 'swap' | 'extend' | 'dismiss';
  nomination: PanelNomination;
  expert: { id: string; name: string };
}

const reviewsCategory = (e: PanelExpert, category: CategoryId) =>
  e.categories.length === 0 || e.categories.includes(category);

const WITHDRAWN: Record<string, [string, string]> = {
  declined: ['已谢绝', 'declined'],
  conflict: ['声明回避', 'recused'],
  overdue: ['逾期改派', 'overdue, moved'],
  swapped: ['已更换', 'swapped'],
  'nominee-left': ['被推荐人已退出', 'nominee left'],
};

/**
 * Experts × nominations for one category: who reviews what, who is kept off by a conflict of
 * interest (and whose conflict was dismissed), each expert's load against their cap; from a cell,
 * the secretariat swaps a reviewer, extends a due date or dismisses a false conflict.
 */
export function ReviewMatrix(props: { panel: ExpertPanel; onChanged: () => Promise<void> }) {
  const { panel } = props;
  const categories = [...new Set(panel.nominations.map((n) => n.category))];
  const [category, setCategory] = useState<CategoryId | undefined>(categories[0]);
  const [change, setChange] = useState<Change | null>(null);
  if (!category || panel.nominations.length === 0) return null;
  const nominations = panel.nominations.filter((n) => n.category === category);
  const experts = panel.experts.filter((e) => reviewsCategory(e, category));
  const open = (c: Change) => setChange(c);
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">{t('评审安排总表', 'Who reviews what')}</h2>
      <p class="muted">
        {t(
          '每行一份推荐，每列一位专家；列头为该专家已分配的评审数与上限。点“更换”“延长”或“排除误判”调整。',
          'One row per nomination, one column per expert; the header shows the reviews assigned and the cap. Use “Swap”, “Extend” or “Not a conflict” to adjust.',
        )}
      </p>
      {categories.length > 1 && (
        <div class="field inline">
          <label for="matrix-category">{t('类别', 'Category')}</label>
          <select
            id="matrix-category"
            value={category}
            onChange={(e) => {
              setCategory(e.currentTarget.value as CategoryId);
              setChange(null);
            }}
          >
            {categories.map((c) => (
              <option key={c} value={c}>
                {categoryName(c)}
              </option>
            ))}
          </select>
        </div>
      )}
      <RowTable
        label={t(`${categoryName(category)}：评审安排总表`, `${categoryName(category)}: who reviews what`)}
        class="matrix"
        rows={nominations}
        columns={[
          {
            header: t('推荐', 'Nomination'),
            cell: (n) => (
              <>
                <a href={`/secretariat/nominations/${n.id}`}>{n.displayName}</a>
                <div class="muted small">{n.unitName}</div>
              </>
            ),
          },
          ...experts.map((e) => ({
            header: `${e.name}（${e.assigned}${e.maxLoad !== null ? `/${e.maxLoad}` : ''}）`,
            cell: (n: PanelNomination) => <Cell nomination={n} expert={e} onChange={open} />,
          })),
        ]}
      />
      {change && (
        <ChangeForm
          change={change}
          panel={panel}
          onClose={() => setChange(null)}
          onDone={async () => {
            setChange(null);
            await props.onChanged();
          }}
        />
      )}
    </section>
  );
}

function Cell(props: { nomination: PanelNomination; expert: PanelExpert; onChange: (c: Change) => void }) {
  const { nomination: n, expert: e } = props;
  const reviewer = n.reviewers.find((r) => r.expertId === e.id);
  const inReview = n.status === 'in-review';
  const who = { id: e.id, name: e.name };
  if (reviewer?.withdrawn) {
    const [zh, en] = WITHDRAWN[reviewer.withdrawn.reason] ?? ['已调整', 'moved'];
    return <span class="muted small">{t(zh, en)}</span>;
  }
  if (reviewer?.done) return <span class="pass">{t('✓ 已评', '✓ reviewed')}</span>;
  if (reviewer) {
    return (
      <>
        <span>{t('评审中', 'reviewing')}</span>
        {reviewer.overdue && <span class="flag flag-fail">{t('逾期', 'overdue')}</span>}
        {reviewer.extraDays > 0 && (
          <div class="muted small">{t(`延长 ${reviewer.extraDays} 天`, `+${reviewer.extraDays} days`)}</div>
        )}
        {inReview && (
          <div class="cell-actions">
            <button
              type="button"
              class="link-button"
              onClick={() => props.onChange({ kind: 'swap', nomination: n, expert: who })}
            >
              {t('更换', 'Swap')}
            </button>
            <button
              type="button"
              class="link-button"
              onClick={() => props.onChange({ kind: 'extend', nomination: n, expert: who })}
            >
              {t('延长', 'Extend')}
            </button>
          </div>
        )}
      </>
    );
  }
  if (n.excludedByConflict.some((x) => x.expertId === e.id)) {
    return (
      <>
        <span class="flag flag-warn">{t('回避', 'conflict')}</span>
        {inReview && (
          <div class="cell-actions">
            <button
              type="button"
              class="link-button"
              onClick={() => props.onChange({ kind: 'dismiss', nomination: n, expert: who })}
            >
              {t('排除误判', 'Not a conflict')}
            </button>
          </div>
        )}
      </>
    );
  }
  if (n.dismissedConflicts.some((x) => x.expertId === e.id))
    return <span class="muted small">{t('回避误判已排除', 'conflict dismissed')}</span>;
  return (
    <span class="muted">
      <span aria-hidden="true">·</span>
      <span class="visually-hidden">{t('未分配', 'not assigned')}</span>
    </span>
  );
}

/** Experts who may take a reviewer's place: of the category, never on it before, no conflict, below cap. */
function replacementsFor(panel: ExpertPanel, n: PanelNomination): PanelExpert[] {
  const onIt = new Set(n.reviewers.map((r) => r.expertId));
  const conflicted = new Set(n.excludedByConflict.map((x) => x.expertId));
  return panel.experts.filter(
    (e) =>
      reviewsCategory(e, n.category) &&
      !onIt.has(e.id) &&
      !conflicted.has(e.id) &&
      (e.maxLoad === null || e.assigned < e.maxLoad),
  );
}

const TITLES: Record<Change['kind'], [string, string]> = {
  swap: ['更换评审专家', 'Swap the reviewer'],
  extend: ['延长评审期限', 'Extend the due date'],
  dismiss: ['排除回避误判', 'Dismiss the conflict'],
};

function ChangeForm(props: {
  change: Change;
  panel: ExpertPanel;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { kind, nomination: n, expert } = props.change;
  const candidates = kind === 'swap' ? replacementsFor(props.panel, n) : [];
  const [replacementId, setReplacementId] = useState(candidates[0]?.id ?? '');
  const [days, setDays] = useState('7');
  const [reason, setReason] = useState('');
  const path = { swap: 'swap', extend: 'extensions', dismiss: 'conflict-dismissals' }[kind];
  const action = useAction(async () => {
    const body =
      kind === 'swap'
        ? { expertId: expert.id, replacementId, reason: reason.trim() }
        : kind === 'extend'
          ? { expertId: expert.id, days: Number(days), reason: reason.trim() }
          : { expertId: expert.id, reason: reason.trim() };
    await post(`/api/nominations/${n.id}/reviewers/${path}`, body);
    await props.onDone();
  });
  const problems = fieldProblems(action.error);
  const [zh, en] = TITLES[kind];
  return (
    <form
      class="change-form"
      aria-labelledby="change-title"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run();
      }}
    >
      <h3 id="change-title">
        {t(zh, en)}：{expert.name} · {n.displayName}（{n.unitName}）
      </h3>
      {kind === 'swap' && (
        <div class="field">
          <label for="change-replacement">{t('换上的专家', 'Replacement')}</label>
          {candidates.length === 0 ? (
            <p class="problem">
              {t(
                '没有可换上的专家：其余专家或已评审过此推荐、需回避，或已满额。',
                'No expert may take this place: the others were on it, have a conflict or are at their cap.',
              )}
            </p>
          ) : (
            <select
              id="change-replacement"
              value={replacementId}
              onChange={(e) => setReplacementId(e.currentTarget.value)}
              aria-invalid={problems.replacementId ? true : undefined}
            >
              {candidates.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}（{t(`已分配 ${e.assigned}`, `${e.assigned} assigned`)}）
                </option>
              ))}
            </select>
          )}
          {problems.replacementId && <p class="problem">{problems.replacementId}</p>}
        </div>
      )}
      {kind === 'extend' && (
        <div class="field">
          <label for="change-days">
            {t('延长天数（在活动规定的期限上）', 'Extra days (on top of the campaign’s)')}
          </label>
          <input
            id="change-days"
            type="number"
            min={1}
            max={60}
            required
            value={days}
            onInput={(e) => setDays(e.currentTarget.value)}
            aria-invalid={problems.days ? true : undefined}
          />
          {problems.days && <p class="problem">{problems.days}</p>}
        </div>
      )}
      <div class="field">
        <label for="change-reason">{t('理由（记入审计记录）', 'Reason (kept in the audit trail)')}</label>
        <textarea
          id="change-reason"
          required
          maxLength={500}
          rows={2}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          aria-invalid={problems.reason ? true : undefined}
        />
        {problems.reason && <p class="problem">{problems.reason}</p>}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy || (kind === 'swap' && !replacementId)}>
          {action.busy ? t('提交中…', 'Saving…') : t(zh, en)}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('取消', 'Cancel')}
        </button>
      </div>
      <ErrorNotice error={action.error} />
    </form>
  );
}
