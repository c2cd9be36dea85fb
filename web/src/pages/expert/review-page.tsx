import './expert.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ATTACHMENT_RULES, type AttachmentKind } from '../../../../functions/rules/attachments.js';
import type { CategoryId } from '../../../../functions/rules/categories.js';
import { ApiError, get, post } from '../../api.js';
import { type Bilingual, formatBytes, formatTime, t, tr } from '../../i18n.js';
import { fragmentToken } from '../../paths.js';
import { ErrorNotice, Layout, Loaded } from '../../ui/components.js';
import { FormView } from '../../ui/form-view.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { ConfirmDialog } from '../../ui/review-ops-dialog.js';

/** The header that carries the link's token: never a URL, so no server or proxy logs it. */
const REVIEW_LINK_HEADER = 'x-laurel-review-link';

interface Criterion {
  id: string;
  name: Bilingual;
  weight: number;
  maxScore: number;
}

interface Attachment {
  id: string;
  kind: AttachmentKind;
  size: number;
  mime: string;
  fileName: string;
}

interface Decided {
  total: number;
  submittedAt: string;
  scores?: Record<string, number>;
  recommend?: boolean;
  comment?: string;
}

/**
 * What GET /api/review answers, and POST /api/review/declaration with a declaration of no conflict
 * (reviewViewSchema in functions/rules/nomination-view-schemas.ts).
 */
interface ReviewView {
  nomination: {
    id: string;
    category: CategoryId;
    categoryName: Bilingual;
    displayName: string;
    unitName: string;
    /** Null until the expert declared no conflict of interest. */
    form: Record<string, unknown> | null;
    /** The form's fields experts never receive (phone, address, birth month). */
    withheld: string[];
    /** The photos only; null until the declaration. */
    attachments: Attachment[] | null;
  };
  rubric: Criterion[];
  recommendations: { value: boolean; name: Bilingual }[];
  conflictKinds: { id: string; name: Bilingual }[];
  expert: { id: string; name: string; linkExpiresAt: string | null };
  declaration: { at: string; conflict: string | null } | null;
  decided: Decided | null;
  peers: { total: number; recommend: boolean }[] | null;
  open: boolean;
  downloads: Record<string, string>;
}

interface Draft {
  scores: Record<string, string>;
  recommend: boolean | null;
  comment: string;
}

const COMMENT_MAX = 1000;

/** The weighted total on the 0–100 scale, as the server computes it (functions/rules/scoring.ts). */
function weightedTotal(rubric: readonly Criterion[], scores: Record<string, number>): number {
  const total = rubric.reduce((sum, c) => sum + (c.weight * (scores[c.id] ?? 0)) / c.maxScore, 0);
  return Math.round(total * 100) / 100;
}

function parseScore(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Each criterion's problem, or none: every score given, within 0…maxScore. */
function scoreProblems(rubric: readonly Criterion[], draft: Draft): Record<string, Bilingual> {
  const problems: Record<string, Bilingual> = {};
  for (const c of rubric) {
    const value = parseScore(draft.scores[c.id] ?? '');
    if (value === undefined) {
      problems[c.id] = { zh: `请为“${c.name.zh}”打分`, en: `Score "${c.name.en}"` };
    } else if (value < 0 || value > c.maxScore) {
      problems[c.id] = {
        zh: `分数须在 0—${c.maxScore} 之间`,
        en: `The score must be between 0 and ${c.maxScore}`,
      };
    }
  }
  return problems;
}

/** The API's message in the reader's language first, then in the other one (experts read either). */
/**
 * `/review/index.html#<token>`: the link e-mailed to an expert. The token stays in the fragment (browsers
 * never send it to a server) and goes to the API only in the x-laurel-review-link header.
 * Opening the page changes nothing; only the confirmed submit records the review, once.
 */
export function ReviewPage() {
  const readToken = () => fragmentToken(location.hash);
  const [token, setToken] = useState(readToken);
  // Another link opened in the same tab changes only the fragment.
  useEffect(() => {
    const onHash = () => setToken(readToken());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const headers = { [REVIEW_LINK_HEADER]: token };
  const view = useResource(
    (signal) =>
      token
        ? get<ReviewView>('/api/review', { headers, signal })
        : Promise.reject(
            new ApiError(403, {
              code: 'LINK_UNKNOWN',
              message: {
                zh: '链接不完整：缺少评审令牌，请从评审邮件中重新打开链接',
                en: 'The link is incomplete: it has no review token; open it again from the review e-mail',
              },
              path: [],
            }),
          ),
    [token],
  );
  return (
    <Layout title={t('专家评审', 'Expert review')}>
      {view.error ? (
        <>
          <ErrorNotice error={view.error} />
          <p>
            {t(
              '如链接已过期或无法打开，请联系活动秘书处重新发送评审链接。',
              'If the link has expired or does not open, ask the campaign secretariat to send a new one.',
            )}
          </p>
        </>
      ) : (
        <Loaded resource={view}>
          {(data) =>
            data.declaration ? (
              <Review key={token} view={data} token={token} reload={view.reload} />
            ) : (
              <Declaration key={token} view={data} token={token} show={view.show} />
            )
          }
        </Loaded>
      )}
    </Layout>
  );
}

const RECUSED: Bilingual = {
  zh: '已记录回避声明，将改派其他专家。感谢告知。',
  en: 'Your conflict is recorded; another expert will be asked. Thank you.',
};

/** Nominee, category and unit only; the expert declares a conflict or none, or declines, before any material loads. */
function Declaration(props: { view: ReviewView; token: string; show: (next: ReviewView) => void }) {
  const { view } = props;
  const [choice, setChoice] = useState<'none' | 'conflict' | 'decline' | null>(null);
  const [kind, setKind] = useState('');
  const [text, setText] = useState('');
  const [done, setDone] = useState<Bilingual | null>(null);
  const headers = { [REVIEW_LINK_HEADER]: props.token };
  const send = useAction(async () => {
    if (choice === 'decline') {
      await post('/api/review/decline', { reason: text.trim() }, { headers });
      setDone({
        zh: '已谢绝评审，秘书处将改派其他专家。感谢告知。',
        en: 'You declined; another expert will be asked. Thank you for telling us.',
      });
    } else if (choice === 'conflict') {
      const note = text.trim();
      await post('/api/review/declaration', { conflict: true, kind, ...(note ? { note } : {}) }, { headers });
      setDone(RECUSED);
    } else {
      // The answer is the page with the materials: shown as it is, not asked for again.
      const answer = await post<{ page: ReviewView | null }>(
        '/api/review/declaration',
        { conflict: false },
        { headers },
      );
      if (answer.page) props.show(answer.page);
      // None: a conflict this link declared before (from another tab) stands.
      else setDone(RECUSED);
    }
  });
  const issues = fieldIssues(send.error);
  return (
    <>
      <p>
        {t(`${view.expert.name}，您好。`, `Dear ${view.expert.name},`)}{' '}
        {t(
          '查看推荐材料之前，请先声明您与此推荐是否存在应回避的情形（如同一单位、亲属、密切合作）。不能评审时也可谢绝。',
          'before the materials are shown, please declare whether you have a conflict of interest with this nomination (same organisation, relative, close collaboration). You may also decline.',
        )}
      </p>
      <h2>{t('推荐对象', 'Nominee')}</h2>
      <dl class="facts">
        <dt>{t('类别', 'Category')}</dt>
        <dd>{tr(view.nomination.categoryName)}</dd>
        <dt>{t('名称', 'Name')}</dt>
        <dd>{view.nomination.displayName}</dd>
        <dt>{t('推荐单位', 'Recommended by')}</dt>
        <dd>{view.nomination.unitName}</dd>
      </dl>
      {done ? (
        <div class="notice ok" role="status">
          <p>{tr(done)}</p>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void send.run();
          }}
        >
          <fieldset class="rv-criterion">
            <legend>{t('回避声明', 'Declaration')}</legend>
            {(
              [
                [
                  'none',
                  t('我与此推荐不存在应回避的情形', 'I have no conflict of interest with this nomination'),
                ],
                ['conflict', t('我存在应回避的情形', 'I have a conflict of interest')],
                ['decline', t('我不能评审（谢绝）', 'I cannot review it (decline)')],
              ] as const
            ).map(([value, label]) => (
              <label class="rv-choice" key={value}>
                <input
                  type="radio"
                  name="declaration"
                  value={value}
                  checked={choice === value}
                  onChange={() => setChoice(value)}
                />
                {label}
              </label>
            ))}
          </fieldset>
          {choice === 'conflict' && (
            <div class="field">
              <label for="conflict-kind">{t('回避情形', 'Kind of conflict')}</label>
              <select
                id="conflict-kind"
                value={kind}
                onChange={(e) => setKind((e.target as HTMLSelectElement).value)}
              >
                <option value="">{t('请选择', 'Choose')}</option>
                {view.conflictKinds.map((k) => (
                  <option key={k.id} value={k.id}>
                    {tr(k.name)}
                  </option>
                ))}
              </select>
              {issues.kind && <p class="problem">{tr(issues.kind)}</p>}
            </div>
          )}
          {(choice === 'conflict' || choice === 'decline') && (
            <div class="field">
              <label for="declaration-text">
                {choice === 'decline' ? t('不能评审的原因', 'Reason') : t('说明（选填）', 'Note (optional)')}
              </label>
              <textarea
                id="declaration-text"
                maxLength={500}
                value={text}
                onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
              />
              {issues.reason && <p class="problem">{tr(issues.reason)}</p>}
            </div>
          )}
          <ErrorNotice error={send.error} />
          <div class="actions">
            <button type="submit" class="primary rv-declare" disabled={choice === null || send.busy}>
              {choice === 'none'
                ? t('声明并查看材料', 'Declare and see the materials')
                : choice === 'decline'
                  ? t('谢绝评审', 'Decline')
                  : t('提交声明', 'Submit declaration')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

function Review(props: { view: ReviewView; token: string; reload: () => Promise<void> }) {
  const { view } = props;
  const [draft, setDraft] = useState<Draft>({ scores: {}, recommend: null, comment: '' });
  const [showProblems, setShowProblems] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [submitted, setSubmitted] = useState<Decided | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  const send = useAction(async () => {
    const scores = Object.fromEntries(
      view.rubric.map((c) => [c.id, parseScore(draft.scores[c.id] ?? '') ?? 0]),
    );
    const comment = draft.comment.trim();
    const answer = await post<{ review: Decided; reviewsComplete: boolean }>(
      '/api/review',
      { scores, recommend: draft.recommend, ...(comment ? { comment } : {}), confirmed: true },
      { headers: { [REVIEW_LINK_HEADER]: props.token } },
    );
    setSubmitted(answer.review);
    return answer;
  });

  const decided = submitted ?? view.decided;
  const problems = scoreProblems(view.rubric, draft);
  const recommendProblem =
    draft.recommend === null ? { zh: '请选择是否推荐', en: 'Choose whether you recommend' } : undefined;
  const serverIssues = fieldIssues(send.error);
  const numericScores = Object.fromEntries(
    view.rubric.map((c) => [c.id, parseScore(draft.scores[c.id] ?? '') ?? 0]),
  );
  const total = weightedTotal(view.rubric, numericScores);
  const recommendationName = (value: boolean | null | undefined) =>
    tr(view.recommendations.find((r) => r.value === value)?.name);

  const askToConfirm = (event: Event) => {
    event.preventDefault();
    send.clear();
    if (Object.keys(problems).length > 0 || recommendProblem) {
      setShowProblems(true);
      queueMicrotask(() => problemsRef.current?.focus());
      return;
    }
    setConfirming(true);
  };

  const confirm = async () => {
    await send.run();
    setConfirming(false);
  };

  return (
    <>
      <p>
        {t(`${view.expert.name}，您好。`, `Dear ${view.expert.name},`)}{' '}
        {t(
          '请阅读以下推荐材料，按评审指标打分并提交。打开本页不会记录任何内容；评审提交后不能修改。',
          'please read the materials below, score each criterion and submit. Opening this page records nothing; a submitted review cannot be changed.',
        )}
      </p>
      {view.expert.linkExpiresAt && !decided && view.open && (
        <p class="muted small">
          {t('链接有效期至', 'This link is valid until')} {formatTime(view.expert.linkExpiresAt)}
          {t('（北京时间）', ' (China time)')}
        </p>
      )}

      {decided && (
        <div class="notice ok" role="status" tabIndex={-1} ref={doneRef}>
          <p>
            <strong>
              {submitted
                ? t('已提交，感谢您的评审！', 'Submitted — thank you for your review!')
                : t('您已提交过此评审，感谢！', 'You have already submitted this review — thank you!')}
            </strong>
          </p>
          <p>
            {t('提交时间：', 'Submitted: ')}
            {formatTime(decided.submittedAt)} · {t('加权总分：', 'Weighted total: ')}
            {decided.total.toFixed(2)} / 100
            {decided.recommend !== undefined && <> · {recommendationName(decided.recommend)}</>}
          </p>
          <p class="small">
            {t(
              '评审已记录，不能再次提交或修改。',
              'The review is recorded; it cannot be submitted again or changed.',
            )}
          </p>
        </div>
      )}
      {decided && view.peers && (
        <p class="muted small">
          {t('其他专家的加权总分：', "Other experts' weighted totals: ")}
          {view.peers.map((p) => p.total.toFixed(2)).join(' · ') || '—'}
        </p>
      )}
      {!decided && !view.open && (
        <div class="notice warn" role="status">
          <p>{t('此推荐的评审已结束，不能再提交评审。', 'The review of this nomination is closed.')}</p>
        </div>
      )}

      <h2>{t('推荐对象', 'Nominee')}</h2>
      <dl class="facts">
        <dt>{t('类别', 'Category')}</dt>
        <dd>{tr(view.nomination.categoryName)}</dd>
        <dt>{t('名称', 'Name')}</dt>
        <dd>{view.nomination.displayName}</dd>
        <dt>{t('推荐单位', 'Recommended by')}</dt>
        <dd>{view.nomination.unitName}</dd>
      </dl>

      <h2>{t('推荐材料', 'Materials')}</h2>
      <Materials view={view} />
      <FormView
        category={view.nomination.category}
        form={view.nomination.form ?? {}}
        level={3}
        withheld={view.nomination.withheld}
      />

      <h2>{t('评审指标与权重', 'Rubric and weights')}</h2>
      {decided ? (
        <SummaryTable
          rubric={view.rubric}
          scores={decided.scores}
          total={decided.total}
          recommend={decided.recommend === undefined ? undefined : recommendationName(decided.recommend)}
          comment={decided.comment}
        />
      ) : (
        <form onSubmit={askToConfirm} noValidate aria-describedby="rubric-note">
          <p id="rubric-note" class="muted small">
            {t(
              '每项按 0 至满分打分（可用 0.5 分），加权总分 = Σ 权重 × 得分 ÷ 满分，满分 100。',
              'Score each criterion from 0 to its maximum (halves allowed); the weighted total is Σ weight × score ÷ maximum, out of 100.',
            )}
          </p>
          {view.rubric.map((c) => {
            const id = `score-${c.id}`;
            const problem = (showProblems ? problems[c.id] : undefined) ?? serverIssues[`scores.${c.id}`];
            return (
              <fieldset class="rv-criterion" key={c.id}>
                <legend>{tr(c.name)}</legend>
                <p class="muted small" id={`${id}-hint`}>
                  {t(
                    `权重 ${c.weight}%，满分 ${c.maxScore} 分`,
                    `Weight ${c.weight}%, maximum ${c.maxScore}`,
                  )}
                </p>
                <div class="field">
                  <label for={id}>{t(`得分（0—${c.maxScore}）`, `Score (0–${c.maxScore})`)}</label>
                  <input
                    id={id}
                    class="rv-score"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={c.maxScore}
                    step={0.5}
                    required
                    disabled={!view.open}
                    value={draft.scores[c.id] ?? ''}
                    aria-invalid={problem ? 'true' : undefined}
                    aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
                    onInput={(event) => {
                      const text = (event.target as HTMLInputElement).value;
                      setDraft((d) => ({ ...d, scores: { ...d.scores, [c.id]: text } }));
                    }}
                  />
                  {problem && (
                    <p class="problem" id={`${id}-problem`}>
                      {tr(problem)}
                    </p>
                  )}
                </div>
              </fieldset>
            );
          })}
          <p class="rv-total" aria-live="polite">
            {t('加权总分：', 'Weighted total: ')}
            {total.toFixed(2)} / 100
          </p>

          <fieldset
            class="rv-criterion"
            aria-describedby={showProblems && recommendProblem ? 'recommend-problem' : undefined}
          >
            <legend>{t('是否推荐', 'Recommendation')}</legend>
            {view.recommendations.map((r) => (
              <label class="rv-choice" key={String(r.value)}>
                <input
                  type="radio"
                  name="recommend"
                  value={String(r.value)}
                  checked={draft.recommend === r.value}
                  disabled={!view.open}
                  onChange={() => setDraft((d) => ({ ...d, recommend: r.value }))}
                />
                {tr(r.name)}
              </label>
            ))}
            {showProblems && recommendProblem && (
              <p class="problem" id="recommend-problem">
                {tr(recommendProblem)}
              </p>
            )}
          </fieldset>

          <div class="field">
            <label for="review-comment">{t('评审意见（选填）', 'Comment (optional)')}</label>
            <textarea
              id="review-comment"
              maxLength={COMMENT_MAX}
              disabled={!view.open}
              value={draft.comment}
              aria-describedby="review-comment-count"
              onInput={(event) => {
                const text = (event.target as HTMLTextAreaElement).value;
                setDraft((d) => ({ ...d, comment: text }));
              }}
            />
            <p
              id="review-comment-count"
              class={[...draft.comment].length > COMMENT_MAX ? 'counter over' : 'counter'}
            >
              {[...draft.comment].length} / {COMMENT_MAX}
            </p>
          </div>

          {showProblems && (Object.keys(problems).length > 0 || recommendProblem) && (
            <div class="notice error" role="alert" tabIndex={-1} ref={problemsRef}>
              <p>{t('请先完成以下各项：', 'Please complete these first:')}</p>
              <ul>
                {view.rubric
                  .filter((c) => problems[c.id])
                  .map((c) => (
                    <li key={c.id}>
                      <a href={`#score-${c.id}`}>
                        {tr(c.name)}
                        {t('：', ': ')}
                        {tr(problems[c.id])}
                      </a>
                    </li>
                  ))}
                {recommendProblem && <li>{tr(recommendProblem)}</li>}
              </ul>
            </div>
          )}
          <div ref={errorRef} tabIndex={-1}>
            <ErrorNotice error={send.error} />
            {send.error instanceof ApiError && send.error.status === 409 && (
              <p>
                <button type="button" onClick={() => void props.reload()}>
                  {t('刷新，查看评审状态', 'Reload to see the state of this review')}
                </button>
              </p>
            )}
          </div>
          <div class="actions">
            <button type="submit" class="primary rv-submit" disabled={!view.open || send.busy}>
              {t('提交评审…', 'Submit review…')}
            </button>
          </div>
        </form>
      )}

      <ConfirmDialog
        open={confirming}
        title={t('确认提交评审', 'Confirm your review')}
        confirmLabel={t('确认提交', 'Confirm and submit')}
        busyLabel={t('正在提交…', 'Submitting…')}
        busy={send.busy}
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(false)}
        afterClose={() => (doneRef.current ?? errorRef.current)?.focus()}
      >
        <p>
          {view.nomination.displayName}
          {t(`（${view.nomination.categoryName.zh}）`, ` (${view.nomination.categoryName.en})`)}
        </p>
        <SummaryTable
          rubric={view.rubric}
          scores={numericScores}
          total={total}
          recommend={recommendationName(draft.recommend)}
          comment={draft.comment.trim() || undefined}
        />
        <p class="small">{t('提交后不能修改。', 'Once submitted, the review cannot be changed.')}</p>
      </ConfirmDialog>
    </>
  );
}

/** The issues of a refused submit, by field path ('scores.exemplary'). */
function fieldIssues(error: unknown): Record<string, Bilingual> {
  if (!(error instanceof ApiError)) return {};
  const issues = (error.body.details?.issues ?? []) as { path: (string | number)[]; message: Bilingual }[];
  return Object.fromEntries(issues.map((i) => [i.path.join('.'), i.message]));
}

function SummaryTable(props: {
  rubric: readonly Criterion[];
  scores: Record<string, number> | undefined;
  total: number;
  recommend: string | undefined;
  comment: string | undefined;
}) {
  return (
    <>
      <div class="table-wrap">
        <table class="rv-summary">
          <caption class="muted small">{t('评分汇总', 'Scores')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('评审指标', 'Criterion')}</th>
              <th scope="col" class="num">
                {t('权重', 'Weight')}
              </th>
              <th scope="col" class="num">
                {t('得分', 'Score')}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rubric.map((c) => (
              <tr key={c.id}>
                <td>{tr(c.name)}</td>
                <td class="num">{c.weight}%</td>
                <td class="num">
                  {props.scores?.[c.id] ?? '—'} / {c.maxScore}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('加权总分（满分 100）', 'Weighted total (out of 100)')}
              </th>
              <td class="num">
                <strong>{props.total.toFixed(2)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {props.recommend !== undefined && (
        <dl class="facts">
          <dt>{t('是否推荐', 'Recommendation')}</dt>
          <dd>{props.recommend}</dd>
          {props.comment && (
            <>
              <dt>{t('评审意见', 'Comment')}</dt>
              <dd class="rv-text">{props.comment}</dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}

/** The photos, through the presigned links of GET /api/review (experts receive no Word form or scan: they print the phone and address). */
function Materials(props: { view: ReviewView }) {
  const attachments = props.view.nomination.attachments ?? [];
  const link = (a: Attachment) => props.view.downloads[a.id];
  const files = attachments.filter((a) => a.kind !== 'photo');
  const photos = attachments.filter((a) => a.kind === 'photo');
  if (attachments.length === 0) return <p class="muted">{t('没有附件。', 'No files.')}</p>;
  return (
    <>
      <ul class="rv-materials">
        {files
          .sort((a, b) => (a.kind === 'scan' ? -1 : b.kind === 'scan' ? 1 : 0))
          .map((a) => (
            <li key={a.id}>
              {link(a) ? (
                <a href={link(a)} target="_blank" rel="noopener noreferrer">
                  {tr(ATTACHMENT_RULES[a.kind].label)}
                  {t('：', ': ')}
                  {a.fileName}
                </a>
              ) : (
                <span>
                  {tr(ATTACHMENT_RULES[a.kind].label)}
                  {t('：', ': ')}
                  {a.fileName}
                </span>
              )}{' '}
              <span class="muted small">{t(`（${formatBytes(a.size)}）`, `(${formatBytes(a.size)})`)}</span>
            </li>
          ))}
      </ul>
      {photos.length > 0 && (
        <>
          <h3>{t(`照片（${photos.length}）`, `Photos (${photos.length})`)}</h3>
          <ul class="thumbs rv-materials">
            {photos.map((a, i) => (
              <li key={a.id}>
                {link(a) ? (
                  <a class="rv-photo" href={link(a)} target="_blank" rel="noopener noreferrer">
                    <img
                      src={link(a)}
                      alt={t(`照片 ${i + 1}：${a.fileName}`, `Photo ${i + 1}: ${a.fileName}`)}
                      loading="lazy"
                    />
                  </a>
                ) : (
                  <span>{a.fileName}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
