import { useEffect, useState } from 'preact/hooks';
import { formatDeadline } from '../../../../functions/rules/calendar.js';
import { CATEGORY_IDS, type CategoryId } from '../../../../functions/rules/categories.js';
import { MAX_PAGE } from '../../../../functions/rules/paging.js';
import type { PackageAnswer } from '../../../../functions/use-cases/forwarding-package-answer.js';
import { get, post } from '../../api.js';
import { campaignById } from '../../campaigns.js';
import { formatBytes, formatDate, formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice, Loaded } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { publishedList } from '../public/public-data.js';
import { type CampaignJobView, type JobAnswer, JobProgress, runCampaignStep } from './campaign-job.js';
import {
  api,
  type CampaignOverview,
  type CampaignState,
  ConfirmDialog,
  ConsoleIntro,
  ConsoleLayout,
  campaignId,
  campaignRules,
  categoryName,
  fieldProblems,
  issueList,
  NameUnitSearch,
  type NominationList,
  nameOf,
  type Objection,
  type ObjectionNominee,
  Pager,
  type PublicEntry,
  TableWrap,
  UnitSelect,
  usePages,
  useUnitChoices,
  withQuery,
} from './common.js';
import { pageRange } from './ranking-state.js';

/** An objection as the API lists it: with whom it is about (null when that is no longer known). */
type ListedObjection = Omit<Objection, 'nominee'> & { nominee: ObjectionNominee | null };

/**
 * Every objection, page after page (the server answers at most 100 at a time): the officer
 * resolves each before the release, so the section lists them all, open ones first. They are
 * few — a week of publicity, ten in ten minutes from one address at most.
 */
async function allObjections(signal: AbortSignal): Promise<{ objections: ListedObjection[] }> {
  const objections: ListedObjection[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<{ objections: ListedObjection[]; cursor: string | null }>(
      withQuery(api('/objections'), { cursor }),
      { signal },
    );
    objections.push(...page.objections);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return { objections };
}

interface Notice {
  state: CampaignState;
  entries: PublicEntry[];
}

/**
 * `/secretariat/publicity`: the forwarding package, publicity with its objections, the release;
 * and the campaign's lists kept by the secretariat (past honourees, deadline extensions).
 */
export function PublicityPage() {
  const id = campaignId();
  const notice = useResource(
    (signal) => publishedList(id, 'publicity', signal, true) as Promise<Notice>,
    [id],
  );
  const overview = useResource((signal) => get<CampaignOverview>(api('/overview'), { signal }), [id]);
  const objections = useResource((signal) => allObjections(signal), [id]);
  // Bumped after a change: the page of the notice's list shown is read again.
  const [changes, setChanges] = useState(0);
  const reloadAll = async () => {
    setChanges((n) => n + 1);
    await Promise.all([notice.reload(), overview.reload(), objections.reload()]);
  };
  // The objections load apart: a failure to read them is said in their own section, and leaves the
  // package, publicity and release where the officer can reach them.
  const all = {
    data: notice.data && overview.data ? { notice: notice.data, overview: overview.data } : undefined,
    error: notice.error ?? overview.error,
  };
  const open = objections.data?.objections.filter((o) => !o.resolution).length;
  const parent = campaignRules()?.forwardTo;

  return (
    <ConsoleLayout title={t('公示与发布', 'Publicity and release')}>
      <ConsoleIntro />
      <Loaded resource={all}>
        {(d) => {
          const count = (status: string) =>
            d.overview.stats?.byStatus.find((s) => s.status === status)?.count ?? 0;
          return (
            <>
              <PackageSection forwarded={count('forwarded') + count('in-publicity') + count('released')} />
              {parent ? (
                <section aria-labelledby="publicity-title">
                  <h2 id="publicity-title">{t('公示', 'Publicity')}</h2>
                  <p class="notice">
                    {t(
                      `本轮为学会推荐轮：入选推荐已自动作为本学会的推荐提交至“${tr(campaignById(parent.campaignId)?.name)}”，公示与发布由上级活动组织。`,
                      `This is a society round: the selected nominations were submitted as the society's to “${tr(campaignById(parent.campaignId)?.name)}”, whose organizer runs publicity and release.`,
                    )}
                  </p>
                </section>
              ) : (
                <>
                  <PublicitySection
                    listVersion={changes}
                    state={d.notice.state}
                    forwarded={count('forwarded')}
                    now={d.overview.now}
                    onChange={reloadAll}
                  />
                  {d.notice.state.publicity && (
                    <Loaded resource={objections}>
                      {(o) => <ObjectionsSection objections={o.objections} onChange={reloadAll} />}
                    </Loaded>
                  )}
                  <ReleaseSection
                    state={d.notice.state}
                    now={d.overview.now}
                    openObjections={open}
                    objectionsFailed={Boolean(objections.error)}
                    onChange={reloadAll}
                  />
                  <RetentionSection
                    dueAt={d.overview.privacy.erasureDueAt}
                    retentionDays={d.overview.privacy.retentionDays}
                    now={d.overview.now}
                  />
                </>
              )}
            </>
          );
        }}
      </Loaded>
      <h2 class="section-break">{t('活动名单维护', 'Campaign lists')}</h2>
      {overview.data && <CloseSubmissionsSection overview={overview.data} onChange={reloadAll} />}
      <HonoureesSection />
      <ExtensionSection />
    </ConsoleLayout>
  );
}

function PackageSection(props: { forwarded: number }) {
  const [category, setCategory] = useState<CategoryId | ''>('');
  const [progress, setProgress] = useState<CampaignJobView | null>(null);
  const [made, setMade] = useState<PackageAnswer | null>(null);
  // The package is built by a job (thousands of files take minutes): this follows its progress.
  const build = useAction(async () => {
    setMade(null);
    const answer = await runCampaignStep<PackageAnswer>(
      '/package',
      category ? { category } : {},
      setProgress,
      (jobId) => `/package/${encodeURIComponent(jobId)}`,
    );
    setProgress(null);
    setMade(answer);
  });
  // The package last built of this scope stays downloadable from the page for 24 hours, a reload
  // included: its job is read on arrival (job package-<all|category>; none built yet is a 404).
  useEffect(() => {
    let current = true;
    get<PackageAnswer>(api(`/package/package-${category || 'all'}`))
      .then((answer) => current && !build.busy && setMade(answer.download ? answer : null))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [category]);
  // Each read signs a fresh link: the package stays downloadable for 24 hours after it was built.
  const refresh = useAction(async () => {
    if (made) setMade(await get<PackageAnswer>(api(`/package/${encodeURIComponent(made.job.id)}`)));
  });
  const download = made?.download;
  return (
    <section aria-labelledby="package-title">
      <h2 id="package-title">{t('推荐材料包', 'Forwarding package')}</h2>
      <p>
        {t(
          `打包已上报推荐（共 ${props.forwarded} 份）的推荐表 Word 版、盖章扫描件、照片和汇总表（ZIP），可选全部或某一类别。推荐较多时需几分钟，可在此查看进度。`,
          `A ZIP of the Word forms, stamped scans, photos and the summary table of the forwarded nominations (${props.forwarded} in all), whole or of one category. A large round takes a few minutes; the progress shows here.`,
        )}
      </p>
      <label>
        {t('范围', 'Scope')}{' '}
        <select value={category} onChange={(e) => setCategory(e.currentTarget.value as CategoryId | '')}>
          <option value="">{t('全部类别', 'All categories')}</option>
          {CATEGORY_IDS.map((id) => (
            <option key={id} value={id}>
              {categoryName(id)}
            </option>
          ))}
        </select>
      </label>
      <div class="actions">
        <button type="button" class="primary" disabled={build.busy} onClick={() => void build.run()}>
          {build.busy ? t('正在生成…', 'Building…') : t('生成材料包', 'Build the package')}
        </button>
        {download && (
          <a class="button" href={download.url} download>
            {t(
              `下载材料包（${download.nominations} 份，${formatBytes(download.bytes)}）`,
              `Download the package (${download.nominations} nominations, ${formatBytes(download.bytes)})`,
            )}
          </a>
        )}
        {download && (
          <button type="button" disabled={refresh.busy} onClick={() => void refresh.run()}>
            {t('刷新下载链接', 'Fresh link')}
          </button>
        )}
        {made && !download && made.job.status === 'done' && (
          <span class="muted">
            {t('材料包已过期，请重新生成。', 'The package has expired; build it again.')}
          </span>
        )}
      </div>
      <JobProgress job={progress} />
      {download && (
        <p class="muted small" role="status">
          {t(
            `材料包可下载至 ${formatTime(download.availableUntil)}；下载链接 15 分钟内有效，过期请点“刷新下载链接”。`,
            `The package can be downloaded until ${formatTime(download.availableUntil)}; a link works for 15 minutes, then press “Fresh link”.`,
          )}
        </p>
      )}
      <ErrorNotice error={build.error ?? refresh.error} />
    </section>
  );
}

function PublicitySection(props: {
  state: CampaignState;
  /** Changes after each action: the list shown is read again. */
  listVersion: number;
  forwarded: number;
  now: string;
  onChange: () => Promise<void>;
}) {
  const days = campaignRules()?.publicity?.days ?? 0;
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<CampaignJobView | null>(null);
  const start = useAction(async () => {
    await runCampaignStep('/publicity', undefined, setProgress);
    setProgress(null);
    setOpen(false);
    await props.onChange();
  });
  const { publicity } = props.state;
  const running = publicity && Date.parse(props.now) < Date.parse(publicity.closesAt);
  return (
    <section aria-labelledby="publicity-title">
      <h2 id="publicity-title">{t('公示', 'Publicity')}</h2>
      {!publicity ? (
        <>
          <p>
            {t(
              `已上报、待公示的推荐 ${props.forwarded} 份；公示期 ${days} 天，期间公众可提出异议。`,
              `${props.forwarded} forwarded nominations await publicity; it runs ${days} days, during which anyone may object.`,
            )}
          </p>
          <div class="actions">
            <button
              type="button"
              class="primary"
              disabled={props.forwarded === 0}
              onClick={() => setOpen(true)}
            >
              {t('开始公示…', 'Open publicity…')}
            </button>
          </div>
          <ConfirmDialog
            id="publicity-dialog"
            open={open}
            title={t('开始公示？', 'Open publicity?')}
            confirmLabel={t('开始公示', 'Open publicity')}
            busy={start.busy}
            onConfirm={() => void start.run()}
            onClose={() => {
              setOpen(false);
              start.clear();
            }}
          >
            <p>
              {t(
                `${props.forwarded} 份推荐将在公示名单上公开（名称、类别、推荐单位和事迹摘要，不含联系方式），公示期 ${days} 天，至 ${formatTime(new Date(Date.parse(props.now) + days * 86_400_000).toISOString())}。`,
                `${props.forwarded} nominations go on the public notice (name, category, unit and a summary; no contact details) for ${days} days, until ${formatTime(new Date(Date.parse(props.now) + days * 86_400_000).toISOString())}.`,
              )}
            </p>
            <JobProgress job={progress} />
            <ErrorNotice error={start.error} />
          </ConfirmDialog>
        </>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('公示开始', 'Opened')}</dt>
            <dd>{formatTime(publicity.openedAt)}</dd>
            <dt>{t('公示结束', 'Closes')}</dt>
            <dd>
              {formatTime(publicity.closesAt)}{' '}
              <span class={`badge ${running ? 'status-in-publicity' : ''}`}>
                {running ? t('公示中', 'running') : t('公示期已满', 'period over')}
              </span>
            </dd>
          </dl>
          <p>
            <a href={`/public/${encodeURIComponent(campaignId())}/publicity`}>
              {t('查看公众看到的公示名单', 'See the public notice as the public sees it')}
            </a>
          </p>
          <NoticeList key={props.listVersion} status={props.state.releasedAt ? 'released' : 'in-publicity'} />
        </>
      )}
    </section>
  );
}

/**
 * The nominations on the notice (or, once released, on the final list), as the server pages and
 * searches them (by the start of the name, by unit): never the whole round in the browser.
 */
function NoticeList(props: { status: 'in-publicity' | 'released' }) {
  const [search, setSearch] = useState({ q: '', unit: '' });
  const pages = usePages<NominationList>(
    withQuery(api('/nominations'), { status: props.status, q: search.q, unit: search.unit }),
  );
  const searched = Boolean(search.q || search.unit);
  const title = props.status === 'released' ? t('最终名单', 'Final list') : t('公示名单', 'On the notice');
  return (
    <section aria-labelledby="notice-list-title">
      <h3 id="notice-list-title">{title}</h3>
      <NameUnitSearch
        id="notice"
        search={search}
        onSearch={(change) => setSearch({ ...search, ...change })}
        hint={t(
          '按名称的开头查找（不分繁简、全角半角和空格）',
          'Finds names that start with it (traditional or simplified, any width)',
        )}
      />
      <Loaded resource={pages.page}>
        {(list) => {
          const range = pageRange(pages.number, list.nominations.length, MAX_PAGE);
          const total = searched ? undefined : (list.counts[props.status] ?? 0);
          const pager = (
            <Pager
              label={t(`${title}翻页`, `${title} pages`)}
              number={pages.number}
              next={pages.next}
              previous={pages.previous}
            />
          );
          return list.nominations.length === 0 ? (
            <p class="muted">
              {searched
                ? t('没有符合查找条件的推荐。', 'No nomination matches the search.')
                : t('名单上还没有推荐。', 'No nomination on the list yet.')}
            </p>
          ) : (
            <>
              <p role="status" aria-live="polite" class="result-count">
                {range &&
                  (total !== undefined
                    ? t(
                        `显示第 ${range.from}–${range.to} 份，共 ${total} 份`,
                        `Showing ${range.from}–${range.to} of ${total}`,
                      )
                    : t(`显示第 ${range.from}–${range.to} 份`, `Showing ${range.from}–${range.to}`))}
              </p>
              {pager}
              <TableWrap label={title}>
                <table>
                  <caption class="visually-hidden">{title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('名称', 'Name')}</th>
                      <th scope="col">{t('类别', 'Category')}</th>
                      <th scope="col">{t('推荐单位', 'Unit')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.nominations.map((n) => (
                      <tr key={n.id}>
                        <th scope="row">
                          <a href={`/secretariat/nominations/${n.id}`}>{nameOf(n)}</a>
                        </th>
                        <td>{categoryName(n.category)}</td>
                        <td>{n.unitName}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              {pager}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function ObjectionsSection(props: { objections: ListedObjection[]; onChange: () => Promise<void> }) {
  const open = props.objections.filter((o) => !o.resolution);
  return (
    <section aria-labelledby="objections-title">
      <h2 id="objections-title">
        {t('异议', 'Objections')}（{t(`${open.length} 条待处理`, `${open.length} open`)} /{' '}
        {props.objections.length}）
      </h2>
      {props.objections.length === 0 ? (
        <p class="muted">{t('尚未收到异议。', 'No objection received.')}</p>
      ) : (
        <ul class="objection-list">
          {[...props.objections]
            .sort(
              (a, b) =>
                Number(Boolean(a.resolution)) - Number(Boolean(b.resolution)) ||
                a.submittedAt.localeCompare(b.submittedAt),
            )
            .map((o) => {
              const n = o.nominee;
              const name = n?.name || t('（名称已删除）', '(name deleted)');
              return (
                <li key={o.id} class="card objection">
                  <h3>
                    {t('对', 'On ')}
                    <a href={`/secretariat/nominations/${o.nominationId}`}>{name}</a>
                    {n && (
                      <span class="muted small">
                        {' '}
                        · {categoryName(n.category)} · {n.unitName}
                      </span>
                    )}
                  </h3>
                  <p class="objection-reason">{o.reason}</p>
                  <p class="muted small">
                    {t('异议人：', 'From: ')}
                    {o.name} · {o.contact} · {formatTime(o.submittedAt)}
                  </p>
                  {o.resolution ? (
                    <p class={o.resolution.decision === 'uphold' ? 'fail' : 'pass'}>
                      <strong>
                        {o.resolution.decision === 'uphold'
                          ? t('异议成立，已撤销：', 'Upheld, withdrawn: ')
                          : t('异议不成立：', 'Dismissed: ')}
                      </strong>
                      {o.resolution.note}
                      <span class="muted small"> · {formatTime(o.resolution.at)}</span>
                    </p>
                  ) : (
                    <Resolution objection={o} name={name} onChange={props.onChange} />
                  )}
                </li>
              );
            })}
        </ul>
      )}
    </section>
  );
}

function Resolution(props: {
  objection: Pick<Objection, 'id'>;
  name: string;
  onChange: () => Promise<void>;
}) {
  const id = props.objection.id;
  const [decision, setDecision] = useState<'uphold' | 'dismiss' | ''>('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [open, setOpen] = useState(false);
  const resolve = useAction(async () => {
    await post(api(`/objections/${encodeURIComponent(id)}/resolution`), { decision, note: note.trim() });
    setOpen(false);
    await props.onChange();
  });
  return (
    <form
      class="resolution"
      onSubmit={(e) => {
        e.preventDefault();
        if (!decision || !note.trim()) {
          setProblem(
            !decision
              ? t('请选择处理结论。', 'Choose a decision.')
              : t('请填写处理说明。', 'Write a note on the decision.'),
          );
          return;
        }
        setProblem('');
        setOpen(true);
      }}
    >
      <fieldset>
        <legend>{t('处理结论', 'Decision')}</legend>
        <div class="check-option">
          <input
            type="radio"
            id={`uphold-${id}`}
            name={`decision-${id}`}
            checked={decision === 'uphold'}
            onChange={() => setDecision('uphold')}
          />
          <label for={`uphold-${id}`}>
            {t('异议成立（撤销该推荐）', 'Uphold (withdraw the nomination)')}
          </label>
        </div>
        <div class="check-option">
          <input
            type="radio"
            id={`dismiss-${id}`}
            name={`decision-${id}`}
            checked={decision === 'dismiss'}
            onChange={() => setDecision('dismiss')}
          />
          <label for={`dismiss-${id}`}>{t('异议不成立', 'Dismiss')}</label>
        </div>
      </fieldset>
      <div class="field">
        <label for={`note-${id}`}>{t('处理说明（必填）', 'Note (required)')}</label>
        <textarea
          id={`note-${id}`}
          class="short"
          maxLength={2000}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          aria-invalid={problem && !note.trim() ? true : undefined}
        />
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary">
          {t('提交处理结论…', 'Resolve…')}
        </button>
      </div>
      <ConfirmDialog
        id={`resolution-dialog-${id}`}
        open={open}
        title={
          decision === 'uphold'
            ? t('确认异议成立？', 'Uphold the objection?')
            : t('确认异议不成立？', 'Dismiss the objection?')
        }
        confirmLabel={
          decision === 'uphold' ? t('确认成立并撤销', 'Uphold and withdraw') : t('确认不成立', 'Dismiss')
        }
        danger={decision === 'uphold'}
        busy={resolve.busy}
        onConfirm={() => void resolve.run()}
        onClose={() => {
          setOpen(false);
          resolve.clear();
        }}
      >
        <p>
          {decision === 'uphold'
            ? t(
                `“${props.name}”将从公示名单撤销，不再发布。`,
                `“${props.name}” is withdrawn from the notice and will not be released.`,
              )
            : t(`“${props.name}”保留在公示名单上。`, `“${props.name}” stays on the notice.`)}
        </p>
        <p class="muted">
          {t('处理说明：', 'Note: ')}
          {note}
        </p>
        <ErrorNotice error={resolve.error} />
      </ConfirmDialog>
    </form>
  );
}

function ReleaseSection(props: {
  state: CampaignState;
  now: string;
  /** Undefined while the objections are not read: the release waits for them. */
  openObjections: number | undefined;
  objectionsFailed: boolean;
  onChange: () => Promise<void>;
}) {
  const { publicity, releasedAt } = props.state;
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<{ released: number; categories: number } | null>(null);
  const [progress, setProgress] = useState<CampaignJobView | null>(null);
  const release = useAction(async () => {
    setDone(
      await runCampaignStep<JobAnswer & { released: number; categories: number }>(
        '/release',
        undefined,
        setProgress,
      ),
    );
    setProgress(null);
    setOpen(false);
    await props.onChange();
  });
  const periodOver = publicity ? Date.parse(props.now) >= Date.parse(publicity.closesAt) : false;
  const checks = [
    { ok: Boolean(publicity), text: t('已开始公示', 'Publicity opened') },
    {
      ok: periodOver,
      // Worded for both states: a crossed-out "period over" read as if it were over.
      text: publicity
        ? periodOver
          ? t(
              `公示期已结束（${formatTime(publicity.closesAt)}）`,
              `Publicity period ended (${formatTime(publicity.closesAt)})`,
            )
          : t(
              `公示期尚未结束，${formatTime(publicity.closesAt)} 结束后方可发布`,
              `Publicity runs until ${formatTime(publicity.closesAt)}; release after that`,
            )
        : t('公示期结束后方可发布', 'Release after the publicity period'),
    },
    {
      ok: props.openObjections === 0,
      text:
        props.openObjections === undefined
          ? props.objectionsFailed
            ? t('异议列表未能读取', 'The objections could not be read')
            : t('正在读取异议…', 'Reading the objections…')
          : props.openObjections === 0
            ? t('异议均已处理', 'Every objection resolved')
            : t(`还有 ${props.openObjections} 条异议未处理`, `${props.openObjections} objections still open`),
    },
  ];
  const ready = checks.every((c) => c.ok) && !releasedAt;
  return (
    <section aria-labelledby="release-title">
      <h2 id="release-title">{t('正式发布', 'Release')}</h2>
      {done && (
        <div class="notice ok" role="status">
          <p>
            {t(
              `已正式发布 ${done.released} 份推荐（${done.categories} 个类别）。`,
              `Released ${done.released} nominations in ${done.categories} categories.`,
            )}
          </p>
        </div>
      )}
      {releasedAt ? (
        <p>
          {t('已于 ', 'Released on ')}
          {formatTime(releasedAt)}
          {t(' 正式发布。', '.')}{' '}
          <a href={`/public/${encodeURIComponent(campaignId())}/released`}>
            {t('查看最终名单', 'See the final list')}
          </a>
        </p>
      ) : (
        <>
          <ul class="checks">
            {checks.map((c) => (
              <li key={c.text} class={c.ok ? 'pass' : 'fail'}>
                <span aria-hidden="true">{c.ok ? '✓ ' : '✗ '}</span>
                <span class="visually-hidden">
                  {c.ok ? t('已满足：', 'Done: ') : t('未满足：', 'Not yet: ')}
                </span>
                {c.text}
              </li>
            ))}
          </ul>
          <div class="actions">
            <button type="button" class="primary" disabled={!ready} onClick={() => setOpen(true)}>
              {t('正式发布…', 'Release…')}
            </button>
          </div>
        </>
      )}
      <ConfirmDialog
        id="release-dialog"
        open={open}
        title={t('正式发布名单？', 'Release the final list?')}
        confirmLabel={t('确认发布', 'Release')}
        busy={release.busy}
        onConfirm={() => void release.run()}
        onClose={() => {
          setOpen(false);
          release.clear();
        }}
      >
        <p>
          {t(
            '公示名单上的推荐将正式发布并通知推荐单位，最终名单向社会公开。此操作不能撤销。',
            'Everything on the notice is released, the units are told, and the final list is published. This cannot be undone.',
          )}
        </p>
        <JobProgress job={progress} />
        <ErrorNotice error={release.error} />
      </ConfirmDialog>
    </section>
  );
}

/**
 * How long the round keeps personal information after its release, and the deletion after it
 * (PIPL art. 19): a daily schedule runs it on its own; the secretariat may run it once due. The
 * due date is the server's (the overview's `privacy.erasureDueAt`), never recomputed here.
 */
function RetentionSection(props: { dueAt: string | null; retentionDays: number; now: string }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<{ erased: number } | null>(null);
  const [progress, setProgress] = useState<CampaignJobView | null>(null);
  const erase = useAction(async () => {
    const answer = await runCampaignStep<JobAnswer>('/erasure', undefined, setProgress);
    setDone({ erased: answer.job?.total ?? 0 });
    setProgress(null);
    setOpen(false);
  });
  const { dueAt } = props;
  const due = dueAt !== null && Date.parse(props.now) >= Date.parse(dueAt);
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">{t('个人信息保存期限', 'Keeping personal information')}</h2>
      <p>
        {t(
          `被推荐人和联系人的个人信息在正式发布后保存 ${props.retentionDays} 天，期满由系统每日自动删除：推荐表中的个人信息、全部附件（含历史版本）、评审意见和查阅记录中的姓名。只保留最终名单公布的内容和不含评审专家姓名的评分。`,
          `Nominees' and contacts' personal information is kept ${props.retentionDays} days after the release, then deleted by a daily run: the forms' personal fields, every file (every version), review comments and the names in the access records. Only what the final list publishes and the scores, without the experts' names, are kept.`,
        )}
      </p>
      <p>
        {dueAt
          ? t(
              `本轮个人信息自${formatDate(dueAt)}起删除。`,
              `This round's personal information is deleted from ${formatDate(dueAt)}.`,
            )
          : t('正式发布后开始计算。', 'The period starts at the release.')}
      </p>
      {done ? (
        <div class="notice ok" role="status">
          <p>
            {t(
              `个人信息已删除（${done.erased} 份推荐）；最终名单不变。`,
              `Personal information deleted (${done.erased} nominations); the final list is unchanged.`,
            )}
          </p>
        </div>
      ) : (
        due && (
          <div class="actions">
            <button type="button" onClick={() => setOpen(true)}>
              {t('立即删除个人信息…', 'Delete personal information now…')}
            </button>
          </div>
        )
      )}
      <ConfirmDialog
        id="erasure-dialog"
        open={open}
        title={t('删除本轮个人信息？', "Delete this round's personal information?")}
        confirmLabel={t('确认删除', 'Delete')}
        busy={erase.busy}
        onConfirm={() => void erase.run()}
        onClose={() => {
          setOpen(false);
          erase.clear();
        }}
      >
        <p>
          {t(
            '保存期限已满。所有推荐的个人信息和附件将被永久删除，只保留最终名单和匿名评分。此操作不能撤销。',
            'The retention period is over. Every nomination’s personal information and files are deleted for good; only the final list and anonymised scores stay. This cannot be undone.',
          )}
        </p>
        <JobProgress job={progress} />
        <ErrorNotice error={erase.error} />
      </ConfirmDialog>
    </section>
  );
}

/** Reads a CSV file as text: UTF-8, or GB18030 as Excel saves it on Chinese Windows. */
async function readCsv(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function HonoureesSection() {
  const [csv, setCsv] = useState('');
  const [imported, setImported] = useState<number | null>(null);
  const upload = useAction(async () => {
    setImported(null);
    const answer = await post<{ imported: number }>(api('/honourees'), { csv });
    setImported(answer.imported);
  });
  const rows = issueList(upload.error);
  const years = campaignRules()?.eligibility.pastHonourYears;
  return (
    <section aria-labelledby="honourees-title" id="honourees">
      <h3 id="honourees-title">{t('往届入选名单', 'Past honourees')}</h3>
      <p class="muted small">
        {t(
          `导入${years ? `${years.from}—${years.to}` : '往届'}年度入选名单后，每份推荐提交时自动比对（同名同单位为往届入选，相近者提示人工核实）。每行：姓名,单位,年度,类别。再次导入会替换原名单。`,
          `Once imported${years ? ` (${years.from}–${years.to})` : ''}, each submission is checked against it (same name and organization: a past honouree; close ones are flagged). Each row: name,organization,year,category. Importing again replaces the list.`,
        )}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void upload.run();
        }}
      >
        <div class="field">
          <label for="honourees-file">{t('选择 CSV 文件', 'Choose a CSV file')}</label>
          <input
            id="honourees-file"
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (file) setCsv(await readCsv(file));
            }}
          />
        </div>
        <div class="field">
          <label for="honourees-csv">{t('或粘贴 CSV 内容', 'or paste the CSV')}</label>
          <textarea
            id="honourees-csv"
            class="mono"
            value={csv}
            required
            onInput={(e) => setCsv(e.currentTarget.value)}
            placeholder="姓名,单位,年度,类别"
          />
          <p class="counter">
            {t(
              `${csv ? csv.trim().split(/\r?\n/).length : 0} 行`,
              `${csv ? csv.trim().split(/\r?\n/).length : 0} lines`,
            )}
          </p>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={upload.busy || !csv.trim()}>
            {upload.busy ? t('导入中…', 'Importing…') : t('导入名单', 'Import the list')}
          </button>
        </div>
      </form>
      {imported !== null && (
        <p class="notice ok" role="status">
          {t(`已导入 ${imported} 条。`, `${imported} rows imported.`)}
        </p>
      )}
      <ErrorNotice error={upload.error} />
      {rows.length > 0 && (
        <ul class="problem-list">
          {rows.slice(0, 50).map((r) => (
            <li key={`${r.path}-${r.message}`}>{r.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A deadline as offices write it: midnight China time is 24:00 of the day before. */
const officeDeadline = (instant: string | undefined) => (instant ? formatDeadline(new Date(instant)) : '');

/**
 * Ends submissions before the deadline, with a reason the units are shown: the selection may then
 * start. Shown only while submissions are open, or to say when and why they were closed.
 */
function CloseSubmissionsSection(props: { overview: CampaignOverview; onChange: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const closeEarly = useAction(async () => {
    await post(api('/close-submissions'), { reason: reason.trim() });
    setConfirming(false);
    await props.onChange();
  });
  const problems = fieldProblems(closeEarly.error);
  const { deadline, now } = props.overview;
  const closed = deadline.closedEarly;
  const passed = Date.parse(deadline.campaignDeadline) <= Date.parse(now);
  return (
    <section aria-labelledby="close-title" id="close-submissions">
      <h3 id="close-title">{t('报送截止', 'End of submissions')}</h3>
      {closed ? (
        <p class="notice" role="status">
          {t(
            `已于 ${formatTime(closed.at)} 提前截止报送。理由：${closed.reason}`,
            `Submissions were closed early on ${formatTime(closed.at)}. Reason: ${closed.reason}`,
          )}
        </p>
      ) : passed ? (
        <p class="muted small">
          {t(
            `报送已于 ${officeDeadline(deadline.campaignDeadline)} 截止，可以确认择优。`,
            `Submissions ended at ${officeDeadline(deadline.campaignDeadline)}; the selection may be confirmed.`,
          )}
        </p>
      ) : (
        <>
          <p class="muted small">
            {t(
              `报送截止时间为 ${officeDeadline(deadline.campaignDeadline)}，截止前不能确认择优、公示或发布。如全部推荐单位已报送完毕，可说明理由提前截止：此后推荐单位不能再新建或提交推荐（退回修改的除外）。`,
              `Submissions close at ${officeDeadline(deadline.campaignDeadline)}; until then the selection, publicity and release wait. If every unit has submitted, close early with a reason: units can then no longer create or submit (returned nominations excepted).`,
            )}
          </p>
          <form
            class="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              setConfirming(true);
            }}
          >
            <div class="field field-wide">
              <label for="close-reason">{t('提前截止理由（推荐单位可见）', 'Reason (shown to units)')}</label>
              <input
                id="close-reason"
                required
                maxLength={500}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
                aria-invalid={problems.reason ? true : undefined}
                aria-describedby={problems.reason ? 'close-reason-problem' : undefined}
              />
              {problems.reason && (
                <p class="problem" id="close-reason-problem">
                  {problems.reason}
                </p>
              )}
            </div>
            <div class="actions field-wide">
              <button type="submit" class="danger">
                {t('提前截止报送…', 'Close submissions early…')}
              </button>
            </div>
          </form>
          <ConfirmDialog
            id="close-dialog"
            open={confirming}
            title={t('提前截止报送？', 'Close submissions early?')}
            confirmLabel={t('确认提前截止', 'Close now')}
            danger
            busy={closeEarly.busy}
            onConfirm={() => void closeEarly.run()}
            onClose={() => setConfirming(false)}
          >
            <p>{t(`理由：${reason.trim()}`, `Reason: ${reason.trim()}`)}</p>
            <p>{t('此操作不能撤销。', 'This cannot be undone.')}</p>
          </ConfirmDialog>
          <ErrorNotice error={closeEarly.error} />
        </>
      )}
    </section>
  );
}

function ExtensionSection() {
  const units = useUnitChoices();
  const [unitId, setUnitId] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [granted, setGranted] = useState<{ unitId: string; until: string } | null>(null);
  const deadline = campaignRules()?.deadline;
  const grant = useAction(async () => {
    setGranted(null);
    const answer = await post<{ extension: { unitId: string; until: string } }>(api('/extensions'), {
      unitId,
      // The input holds a China wall-clock time: the campaign's clock, whatever the browser's zone.
      until: until ? `${until.length === 16 ? `${until}:00` : until}+08:00` : '',
      reason: reason.trim(),
    });
    setGranted(answer.extension);
  });
  const problems = fieldProblems(grant.error);
  return (
    <section aria-labelledby="extension-title" id="extensions">
      <h3 id="extension-title">{t('延长截止时间', 'Deadline extensions')}</h3>
      <p class="muted small">
        {t(
          `为个别推荐单位延长提交截止时间（原截止时间 ${officeDeadline(deadline)}），须说明理由。`,
          `Give one unit a later deadline (the campaign's is ${officeDeadline(deadline)}), with a reason.`,
        )}
      </p>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void grant.run();
        }}
      >
        <div class="field">
          <label for="extension-unit">{t('推荐单位', 'Unit')}</label>
          <UnitSelect
            id="extension-unit"
            required
            value={unitId}
            choices={units.choices}
            onChange={setUnitId}
            invalid={Boolean(problems.unitId)}
            describedBy={problems.unitId ? 'extension-unit-problem' : undefined}
            emptyLabel={t('请选择推荐单位', 'Choose a unit')}
          />
          {problems.unitId && (
            <p class="problem" id="extension-unit-problem">
              {problems.unitId}
            </p>
          )}
        </div>
        <div class="field">
          <label for="extension-until">{t('延期至（北京时间）', 'Until (China time)')}</label>
          <input
            id="extension-until"
            type="datetime-local"
            required
            value={until}
            onInput={(e) => setUntil(e.currentTarget.value)}
            aria-invalid={problems.until ? true : undefined}
            aria-describedby={problems.until ? 'extension-until-problem' : undefined}
          />
          {problems.until && (
            <p class="problem" id="extension-until-problem">
              {problems.until}
            </p>
          )}
        </div>
        <div class="field field-wide">
          <label for="extension-reason">{t('延期理由', 'Reason')}</label>
          <input
            id="extension-reason"
            required
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-invalid={problems.reason ? true : undefined}
            aria-describedby={problems.reason ? 'extension-reason-problem' : undefined}
          />
          {problems.reason && (
            <p class="problem" id="extension-reason-problem">
              {problems.reason}
            </p>
          )}
        </div>
        <div class="actions field-wide">
          <button type="submit" class="primary" disabled={grant.busy}>
            {grant.busy ? t('提交中…', 'Sending…') : t('延长截止时间', 'Extend the deadline')}
          </button>
        </div>
      </form>
      {granted && (
        <p class="notice ok" role="status">
          {t(
            `已将“${units.nameOf(granted.unitId)}”的截止时间延至 ${formatTime(granted.until)}。`,
            `“${units.nameOf(granted.unitId)}” may now submit until ${formatTime(granted.until)}.`,
          )}
        </p>
      )}
      <ErrorNotice error={grant.error} />
    </section>
  );
}
