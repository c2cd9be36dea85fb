import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { attachmentSetIssues } from '../../../../functions/rules/attachments.js';
import { chinaDateAt } from '../../../../functions/rules/calendar.js';
import type { Campaign } from '../../../../functions/rules/campaign.js';
import { CATEGORY_NAMES } from '../../../../functions/rules/categories.js';
import { declarationsFor } from '../../../../functions/rules/declarations.js';
import { evaluateEligibility } from '../../../../functions/rules/eligibility.js';
import type { FieldIssue } from '../../../../functions/rules/errors.js';
import {
  FORMS,
  type FormDataByCategory,
  formHints,
  formJsonSchema,
  validateForm,
} from '../../../../functions/rules/forms/index.js';
import { MOVES } from '../../../../functions/rules/nomination.js';
import { ApiError, download, get, post, put } from '../../api.js';
import { type Bilingual, formatTime, t, tr } from '../../i18n.js';
import { session } from '../../session.js';
import { ErrorNotice, Layout, Loaded, Loading, RequireRole, StatusBadge } from '../../ui/components.js';
import { useAction, useResource, useShownInView } from '../../ui/hooks.js';
import { campaignById, EDITABLE_STATUSES, headlineOf, loadOverview } from './common.js';
import { Countdown, serverClock } from './countdown.js';
import { type FormValue, fieldId, pathKey, SchemaForm, valueAt, withDefaults } from './schema-form.js';
import { Timeline } from './timeline.js';
import type {
  AuditEvent,
  CampaignOverview,
  NominationDetail,
  NominationView,
  SaveAnswer,
  UnitNomination,
} from './types.js';
import { Uploads, withRecordedFile } from './uploads.js';
import './unit.css';

/** `/unit/nominations/:id`: fill, check, download, upload, declare, submit — and follow it afterwards. */
export function UnitNominationPage(props: { id: string }) {
  return (
    <RequireRole roles={['unit']}>
      <NominationScreen id={props.id} />
    </RequireRole>
  );
}

function NominationScreen(props: { id: string }) {
  const campaignId = session.value?.actor.campaignId ?? '';
  const detail = useResource(
    (signal) => get<NominationDetail>(`/api/nominations/${encodeURIComponent(props.id)}`, { signal }),
    [props.id],
  );
  const overview = useResource((signal) => loadOverview(campaignId, signal), [campaignId]);
  const audit = useResource(
    (signal) =>
      get<{ events: AuditEvent[] }>(`/api/nominations/${encodeURIComponent(props.id)}/audit`, { signal }),
    [props.id],
  );
  const nomination = detail.data?.nomination;
  const title = nomination
    ? `${tr(CATEGORY_NAMES[nomination.category])}${headlineOf(nomination.category, nomination.form) ? ` · ${headlineOf(nomination.category, nomination.form)}` : ''}`
    : t('推荐', 'Nomination');
  return (
    <Layout title={title} wide>
      <p class="unit-back">
        <a href="/unit">{t('← 返回我的推荐', '← Back to my nominations')}</a>
      </p>
      <Loaded resource={detail}>
        {(data) => {
          const campaign = campaignById(data.nomination.campaignId);
          if (!campaign) return <ErrorNotice error={new Error(`campaign ${data.nomination.campaignId}`)} />;
          return (
            <Editor
              key={data.nomination.id}
              initial={data}
              campaign={campaign}
              overview={overview.data}
              events={audit.data?.events}
              auditError={audit.error}
              reloadAudit={audit.reload}
            />
          );
        }}
      </Loaded>
    </Layout>
  );
}

const isVersionConflict = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.body.code === 'VERSION_CONFLICT';

interface Check {
  ok: boolean;
  text: Bilingual;
  href?: string;
}

function Editor(props: {
  initial: NominationDetail;
  campaign: Campaign;
  overview: CampaignOverview | undefined;
  events: AuditEvent[] | undefined;
  auditError: unknown;
  reloadAudit: () => Promise<void>;
}) {
  const { campaign } = props;
  const category = props.initial.nomination.category;
  const id = props.initial.nomination.id;
  const schema = useMemo(() => formJsonSchema(category), [category]);
  const [nomination, setNominationState] = useState<UnitNomination>(props.initial.nomination);
  const [downloads, setDownloads] = useState(props.initial.downloads);
  const [form, setForm] = useState<FormValue>(
    () => withDefaults(schema, props.initial.nomination.form) as FormValue,
  );
  const [formGeneration, setFormGeneration] = useState(0);
  const [declared, setDeclared] = useState(props.initial.nomination.noClassifiedContent);
  // Confirmed afresh at each (re)submission, under the notice shown now: never saved with the draft.
  const [consented, setConsented] = useState(false);
  // The category's declarations, likewise made afresh at each (re)submission: the ids ticked.
  const [declaredItems, setDeclaredItems] = useState<ReadonlySet<string>>(new Set());
  const [grassroots, setGrassroots] = useState(props.initial.nomination.grassroots === true);
  const [dirty, setDirty] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(props.initial.nomination.status === 'returned');
  // When the last 409 came: each one (a second press of the same button too) brings the notice,
  // drawn at the top of the page, into view.
  const [conflictAt, setConflictAt] = useState(0);
  const conflict = conflictAt > 0;
  const setConflict = (on: boolean) => setConflictAt(on ? Date.now() : 0);
  const conflictShown = useShownInView<HTMLDivElement>(conflictAt);
  const wordPath = `/api/nominations/${encodeURIComponent(nomination.id)}/form.docx`;
  const wordDownload = useAction(() => download(wordPath));
  const [notice, setNotice] = useState<{ kind: 'ok' | 'warn'; text: Bilingual } | null>(null);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const versionRef = useRef(nomination.version);
  const checklistRef = useRef<HTMLElement>(null);

  const setNomination = (next: UnitNomination) => {
    if (next.version < versionRef.current) return; // an older answer arriving late
    versionRef.current = next.version;
    setNominationState(next);
  };

  // The campaign's clock: the server's, moved on by the time elapsed here.
  const clock = useMemo(
    () => (props.overview ? serverClock(props.overview.now) : () => Date.now()),
    [props.overview?.now],
  );
  const today = chinaDateAt(new Date(clock()));
  const editable = EDITABLE_STATUSES.has(nomination.status);

  // The live check: the same validation and criteria the server runs, on every change.
  const result = useMemo(() => validateForm(category, form, { today }), [category, form, today]);
  const eligibility = useMemo(
    () =>
      result.ok
        ? evaluateEligibility(campaign, category, result.data as FormDataByCategory[typeof category])
        : null,
    [result, campaign, category],
  );
  const attachmentIssues = attachmentSetIssues(campaign, category, nomination.attachments);
  // Consistency hints (the organization's hours per person): shown, never blocking.
  const hints = result.ok ? formHints(category, result.data as FormDataByCategory[typeof category]) : [];

  // Unsaved typing is not lost to a reload, a closed tab or a click on another page of the app.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    const leaving = (event: MouseEvent) => {
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (!anchor || anchor.hasAttribute('download') || anchor.target) return;
      const url = new URL(anchor.href, location.href);
      if (url.origin !== location.origin || url.pathname === location.pathname) return;
      if (!confirm(t('有未保存的更改，确定离开本页吗？', 'You have unsaved changes. Leave this page?'))) {
        event.preventDefault();
      }
    };
    addEventListener('beforeunload', warn);
    document.addEventListener('click', leaving, true);
    return () => {
      removeEventListener('beforeunload', warn);
      document.removeEventListener('click', leaving, true);
    };
  }, [dirty]);

  const shown = (key: string) => {
    if (showAll || touched.has(key)) return true;
    const value = valueAt(form, key.split('.'));
    return value !== undefined && value !== '';
  };

  const applyServer = (answer: NominationDetail, keepForm: boolean) => {
    versionRef.current = answer.nomination.version;
    setNominationState(answer.nomination);
    setDownloads(answer.downloads);
    if (!keepForm) {
      setForm(withDefaults(schema, answer.nomination.form) as FormValue);
      setDeclared(answer.nomination.noClassifiedContent);
      setFormGeneration((g) => g + 1);
      setDirty(false);
    }
  };

  const fetchLatest = () => get<NominationDetail>(`/api/nominations/${encodeURIComponent(id)}`);

  const doSave = async (version: number) => {
    const answer = await put<SaveAnswer>(`/api/nominations/${encodeURIComponent(id)}/form`, {
      version,
      form,
      noClassifiedContent: declared,
      grassroots,
    });
    setNomination(answer.nomination);
    setDirty(false);
    setConflict(false);
    return answer;
  };

  const save = useAction(async () => {
    setNotice(null);
    try {
      const answer = await doSave(versionRef.current);
      const left = answer.check.issues.length;
      setNotice({
        kind: left === 0 ? 'ok' : 'warn',
        text:
          left === 0
            ? { zh: '草稿已保存，推荐表已填写完整。', en: 'Draft saved; the form is complete.' }
            : {
                zh: `草稿已保存。推荐表还有 ${left} 处需要填写或更正。`,
                en: `Draft saved. The form still has ${left} item(s) to fill in or correct.`,
              },
      });
      void props.reloadAudit();
    } catch (error) {
      if (isVersionConflict(error)) {
        setConflict(true);
        return;
      }
      throw error;
    }
  });

  const overwrite = useAction(async () => {
    const latest = await fetchLatest();
    applyServer(latest, true);
    if (!EDITABLE_STATUSES.has(latest.nomination.status)) {
      setConflict(false);
      throw new ApiError(409, {
        code: 'NOT_EDITABLE',
        message: {
          zh: '该推荐已提交，不能再修改；如需修改，请等待秘书处退回',
          en: 'The nomination was submitted meanwhile and cannot be edited',
        },
        path: ['status'],
      });
    }
    await doSave(latest.nomination.version);
    setNotice({ kind: 'ok', text: { zh: '已用本页内容保存。', en: 'Saved with what this page holds.' } });
  });

  const loadLatest = useAction(async () => {
    applyServer(await fetchLatest(), false);
    setConflict(false);
    setNotice({
      kind: 'ok',
      text: { zh: '已载入最新保存的内容。', en: 'Loaded the latest saved version.' },
    });
  });

  const quota = props.overview?.categories.find((c) => c.id === category)?.quota;
  // Submissions end at the deadline (the unit's extension, if any) or when closed early; a
  // returned nomination may still be resubmitted within its correction window, if that ends later.
  const closedEarly = props.overview?.deadline.closedEarly?.at;
  const submissionsEnd = closedEarly ?? props.overview?.deadline.at ?? campaign.deadline;
  const correction = nomination.status === 'returned' ? nomination.correctionUntil : undefined;
  const deadlineAt =
    correction && Date.parse(correction) > Date.parse(submissionsEnd) ? correction : submissionsEnd;
  const open = Date.parse(deadlineAt) > clock();
  // The campaign's current notice as the server states it (a corrected round may have a newer one).
  const privacyNotice = props.overview?.privacy.notice ?? campaign.privacy.notice;
  const declarations = props.overview?.declarations ?? campaign.declarations;
  const declarationItems = declarationsFor(declarations, category);
  const undeclared = declarationItems.filter((item) => !declaredItems.has(item.id));
  const checks: Check[] = [
    result.ok
      ? { ok: true, text: { zh: '推荐表已填写完整、无错误', en: 'The form is complete and correct' } }
      : {
          ok: false,
          text: {
            zh: `推荐表还有 ${result.issues.length} 处需要填写或更正`,
            en: `The form has ${result.issues.length} item(s) to fill in or correct`,
          },
          href: '#unit-issues',
        },
    ...(attachmentIssues.length === 0
      ? [{ ok: true, text: { zh: '附件齐全', en: 'All attachments are there' } }]
      : attachmentIssues.map((issue) => ({ ok: false, text: issue.message, href: '#unit-uploads' }))),
    declared
      ? { ok: true, text: { zh: '已声明上传材料不含涉密内容', en: 'Declared: no classified content' } }
      : {
          ok: false,
          text: { zh: '尚未声明上传材料不含涉密内容', en: 'Not yet declared: no classified content' },
          href: '#unit-declare',
        },
    consented
      ? {
          ok: true,
          text: { zh: '已确认被推荐人知情并同意', en: 'Confirmed: the nominee was informed and consented' },
        }
      : {
          ok: false,
          text: {
            zh: '尚未确认被推荐人已知悉个人信息告知书并同意',
            en: 'Not yet confirmed: the nominee read the privacy notice and consented',
          },
          href: '#unit-consent',
        },
    undeclared.length === 0
      ? { ok: true, text: { zh: '已确认提交承诺', en: 'Declarations confirmed' } }
      : {
          ok: false,
          text: {
            zh: `尚未确认提交承诺（${undeclared.length} 项）`,
            en: `Declarations not yet confirmed (${undeclared.length})`,
          },
          href: '#unit-declarations',
        },
    open
      ? { ok: true, text: { zh: '在截止时间之前', en: 'Before the deadline' } }
      : { ok: false, text: { zh: '已过提交截止时间', en: 'The deadline has passed' } },
    ...(nomination.status === 'draft' && quota && quota.remaining !== null
      ? [
          quota.remaining > 0
            ? {
                ok: true,
                text: {
                  zh: `本类别还有 ${quota.remaining} 个名额`,
                  en: `${quota.remaining} slot(s) left in this category`,
                },
              }
            : { ok: false, text: { zh: '本类别名额已用完', en: 'No slot left in this category' } },
        ]
      : []),
  ];
  const blocked = checks.filter((c) => !c.ok);
  const [triedSubmit, setTriedSubmit] = useState(false);

  const submit = useAction(async () => {
    setNotice(null);
    setShowAll(true);
    setTriedSubmit(true);
    if (blocked.length > 0) {
      checklistRef.current?.focus();
      return;
    }
    const resubmitting = nomination.status === 'returned';
    try {
      let version = versionRef.current;
      if (dirty) version = (await doSave(version)).nomination.version;
      const answer = await post<NominationView>(`/api/nominations/${encodeURIComponent(id)}/submit`, {
        version,
        consent: { informed: consented, noticeVersion: privacyNotice.version },
        declarations: { version: declarations.version, confirmed: [...declaredItems] },
      });
      setConsented(false);
      setDeclaredItems(new Set());
      setNomination(answer.nomination);
      setTriedSubmit(false);
      setNotice({
        kind: 'ok',
        text: resubmitting
          ? { zh: '已重新提交，等待秘书处初核。', en: 'Resubmitted; awaiting screening.' }
          : { zh: '已提交，等待秘书处初核。', en: 'Submitted; awaiting screening by the secretariat.' },
      });
      void props.reloadAudit();
      window.scrollTo(0, 0);
    } catch (error) {
      if (isVersionConflict(error)) {
        setConflict(true);
        return;
      }
      throw error;
    }
  });

  const withdraw = useAction(async () => {
    const answer = await post<NominationView>(`/api/nominations/${encodeURIComponent(id)}/withdraw`, {
      version: versionRef.current,
    });
    setNomination(answer.nomination);
    setConfirmWithdraw(false);
    setNotice({ kind: 'ok', text: { zh: '已撤回。', en: 'Withdrawn.' } });
    void props.reloadAudit();
  });

  const refresh = async () => {
    const latest = await fetchLatest();
    versionRef.current = Math.max(versionRef.current, latest.nomination.version);
    setNominationState((current) =>
      latest.nomination.version >= current.version ? latest.nomination : current,
    );
    setDownloads(latest.downloads);
    return latest.nomination;
  };

  const categoryName = tr(CATEGORY_NAMES[category]);
  // The server's own rule: a draft, a submitted and a returned nomination may be withdrawn.
  const canWithdraw = MOVES.withdraw.from.includes(nomination.status);
  const issues = result.ok ? [] : result.issues;

  return (
    <>
      <StatusPanel nomination={nomination} overview={props.overview} clock={clock} deadlineAt={deadlineAt} />
      {notice && (
        <div class={`notice ${notice.kind}`} role="status">
          <p>{tr(notice.text)}</p>
        </div>
      )}
      {conflict && (
        <div class="notice error" role="alert" ref={conflictShown}>
          <p>
            <strong>
              {t(
                '保存未成功：此推荐已在其他窗口或由他人修改。',
                'Not saved: this nomination was changed in another window or by someone else.',
              )}
            </strong>
          </p>
          <p>
            {t(
              '您在本页的输入仍然保留。请选择：用本页内容覆盖最新版本，或放弃本页的更改并载入最新版本。',
              'What you typed here is still on this page. Choose: overwrite the latest version with this page, or drop your changes and load the latest version.',
            )}
          </p>
          <div class="actions">
            <button type="button" class="primary" disabled={overwrite.busy} onClick={() => overwrite.run()}>
              {t('用本页内容覆盖', 'Overwrite with this page')}
            </button>
            <button type="button" disabled={loadLatest.busy} onClick={() => loadLatest.run()}>
              {t('载入最新版本（放弃本页更改）', 'Load the latest (drop my changes)')}
            </button>
          </div>
          <ErrorNotice error={overwrite.error ?? loadLatest.error} />
        </div>
      )}

      <nav class="unit-steps" aria-label={t('办理步骤', 'Steps')}>
        <ol>
          <li>
            <a href="#unit-step-form">{t('填写推荐表', 'Fill in the form')}</a>
          </li>
          <li>
            <a href="#unit-step-word">{t('下载 Word 版', 'Download as Word')}</a>
          </li>
          <li>
            <a href="#unit-uploads">{t('上传附件', 'Upload attachments')}</a>
          </li>
          <li>
            <a href="#unit-declare">{t('声明并提交', 'Declare and submit')}</a>
          </li>
          <li>
            <a href="#unit-history">{t('办理进度', 'Progress')}</a>
          </li>
        </ol>
      </nav>

      <div class="unit-editor">
        <section class="unit-editor-main" aria-labelledby="unit-step-form">
          <h2 id="unit-step-form" tabIndex={-1}>
            {t('1. 填写推荐表', '1. Fill in the form')}
          </h2>
          <p class="muted small">
            {tr(FORMS[category].title)}
            {editable &&
              t(
                '。带 * 的为必填项；每次输入都会按服务器相同的规则即时检查。',
                '. Fields marked * are required; every change is checked at once by the same rules as the server.',
              )}
          </p>
          {!editable && (
            <p class="notice">
              {t(
                '推荐已提交，表单不能修改。如秘书处退回，可修改后重新提交。',
                'The nomination has been submitted and cannot be edited. If the secretariat returns it, you may correct and resubmit it.',
              )}
            </p>
          )}
          <form
            id="unit-form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (editable) void save.run();
            }}
          >
            <fieldset class="unit-plain" disabled={!editable}>
              <legend class="visually-hidden">{tr(FORMS[category].title)}</legend>
              <SchemaForm
                key={formGeneration}
                schema={schema}
                value={form}
                onChange={(next) => {
                  setForm(next);
                  setDirty(true);
                }}
                issues={issues}
                shown={shown}
                onTouch={(key) =>
                  setTouched((current) => (current.has(key) ? current : new Set([...current, key])))
                }
                disabled={!editable}
              />
            </fieldset>
            {editable && (
              <div class="unit-savebar">
                <button type="submit" class="primary" disabled={save.busy}>
                  {save.busy ? t('正在保存…', 'Saving…') : t('保存草稿', 'Save draft')}
                </button>
                <span class="small" role="status">
                  {dirty
                    ? t('有未保存的更改', 'Unsaved changes')
                    : t(
                        `已保存（第 ${nomination.version} 版，${formatTime(nomination.updatedAt)}）`,
                        `Saved (version ${nomination.version}, ${formatTime(nomination.updatedAt)})`,
                      )}
                </span>
              </div>
            )}
            <ErrorNotice error={save.error} />
          </form>
        </section>

        <aside class="unit-editor-aside" aria-label={t('即时检查', 'Live check')}>
          <IssueSummary issues={issues} editable={editable} />
          {editable && hints.length > 0 && (
            <div class="notice" role="note">
              {hints.map((hint) => (
                <p key={hint.code}>{tr(hint.message)}</p>
              ))}
            </div>
          )}
          <Eligibility results={eligibility} pending={!result.ok} campaign={campaign} />
        </aside>
      </div>

      <section aria-labelledby="unit-step-word">
        <h2 id="unit-step-word">{t('2. 下载推荐表 Word 版', '2. Download the form as Word')}</h2>
        <p>
          {t(
            '系统按官方表格样式生成 Word 文件。请核对后打印、加盖公章，扫描为 PDF，连同 Word 文件一并在下方上传。',
            'The Word file is laid out as the official table. Check it, print it, stamp it, scan it to PDF, and upload both the Word file and the scan below.',
          )}
        </p>
        {dirty && (
          <p class="notice warn">
            {t(
              '有未保存的更改：Word 文件按最近一次保存的内容生成，请先保存草稿再下载。',
              'Unsaved changes: the Word file shows the last saved form — save the draft first.',
            )}
          </p>
        )}
        <p>
          <a
            class="button"
            href={wordPath}
            onClick={(event) => {
              event.preventDefault();
              void wordDownload.run();
            }}
            aria-busy={wordDownload.busy || undefined}
          >
            {wordDownload.busy
              ? t('正在生成…', 'Preparing…')
              : t('下载推荐表（Word）', 'Download the form (Word)')}
          </a>
        </p>
        <ErrorNotice error={wordDownload.error} />
      </section>

      <section aria-labelledby="unit-uploads-title" id="unit-uploads" tabIndex={-1}>
        <h2 id="unit-uploads-title">{t('3. 上传附件', '3. Upload the attachments')}</h2>
        <p class="muted small">
          {t(
            '文件在浏览器中先检查大小和类型，合格后直接上传至存储；上传后服务器还会再核验文件内容。',
            'Each file is checked for size and type in the browser first, then goes straight to storage; the server checks its content again afterwards.',
          )}
        </p>
        <Uploads
          campaign={campaign}
          category={category}
          nomination={nomination}
          downloads={downloads}
          editable={editable}
          version={() => versionRef.current}
          onChange={(next) => {
            setNomination(next);
            void props.reloadAudit();
          }}
          onRecorded={(recorded) => {
            versionRef.current = Math.max(versionRef.current, recorded.version);
            setNominationState((current) => withRecordedFile(current, recorded));
            void props.reloadAudit();
          }}
          refresh={refresh}
        />
      </section>

      <section aria-labelledby="unit-declare-title" id="unit-declare" tabIndex={-1}>
        <h2 id="unit-declare-title">
          {nomination.status === 'returned'
            ? t('4. 声明并重新提交', '4. Declare and resubmit')
            : t('4. 声明并提交', '4. Declare and submit')}
        </h2>
        {editable && (
          <div class="field unit-check unit-declaration">
            <input
              type="checkbox"
              id="unit-no-classified"
              checked={declared}
              aria-describedby="unit-no-classified-hint"
              onChange={(event) => {
                setDeclared(event.currentTarget.checked);
                setDirty(true);
              }}
            />
            <div>
              <label for="unit-no-classified">
                {t(
                  '本单位声明：上传的推荐材料不含涉密内容',
                  'We declare that the uploaded material holds no classified content',
                )}
              </label>
              <p class="hint" id="unit-no-classified-hint">
                {t(
                  '涉及国家秘密的内容须按保密规定处理，不得通过本系统上传。声明随草稿保存，提交前必须勾选。',
                  'Anything involving state secrets follows the confidentiality rules and must not be uploaded here. The declaration is saved with the draft and is required to submit.',
                )}
              </p>
            </div>
          </div>
        )}
        {editable && (
          <div class="field unit-check">
            <input
              type="checkbox"
              id="unit-grassroots"
              checked={grassroots}
              aria-describedby="unit-grassroots-hint"
              onChange={(event) => {
                setGrassroots(event.currentTarget.checked);
                setDirty(true);
              }}
            />
            <div>
              <label for="unit-grassroots">
                {t(
                  '被推荐对象立足基层一线（选填）',
                  'The nominee is from the grassroots and the front line (optional)',
                )}
              </label>
              <p class="hint" id="unit-grassroots-hint">
                {t(
                  '通知要求推荐对象立足基层一线。秘书处初核时确认；得分相同时，经确认的基层一线推荐排名在前。',
                  'The notice asks for nominees from the grassroots and the front line. The secretariat confirms it at screening; among equal scores a confirmed one ranks first.',
                )}
              </p>
            </div>
          </div>
        )}
        {!editable && nomination.grassroots && (
          <p>{t('✓ 已声明立足基层一线', '✓ Declared: from the grassroots and the front line')}</p>
        )}
        {!editable && nomination.noClassifiedContent && (
          <p>{t('✓ 已声明上传材料不含涉密内容', '✓ Declared: no classified content')}</p>
        )}
        {editable && (
          <section class="unit-consent" id="unit-consent" tabIndex={-1} aria-labelledby="unit-consent-title">
            <h3 id="unit-consent-title">
              {t(
                `个人信息告知书（第 ${privacyNotice.version} 版）`,
                `Privacy notice (version ${privacyNotice.version})`,
              )}
            </h3>
            <blockquote class="unit-consent-text">{tr(privacyNotice.text)}</blockquote>
            <div class="field unit-check unit-declaration">
              <input
                type="checkbox"
                id="unit-consent-given"
                checked={consented}
                onChange={(event) => setConsented(event.currentTarget.checked)}
              />
              <label for="unit-consent-given">
                {t(
                  '本单位确认：已将上述告知书告知被推荐人，并取得其同意',
                  'We confirm that the nominee was given this notice and consented',
                )}
              </label>
            </div>
          </section>
        )}
        {editable && (
          <section
            class="unit-consent"
            id="unit-declarations"
            tabIndex={-1}
            aria-labelledby="unit-declarations-title"
          >
            <h3 id="unit-declarations-title">
              {t(
                `提交承诺（第 ${declarations.version} 版）`,
                `Declarations (version ${declarations.version})`,
              )}
            </h3>
            {declarationItems.map((item) => (
              <div class="field unit-check unit-declaration" key={item.id}>
                <input
                  type="checkbox"
                  id={`unit-declaration-${item.id}`}
                  checked={declaredItems.has(item.id)}
                  onChange={(event) => {
                    const checked = event.currentTarget.checked;
                    setDeclaredItems((current) => {
                      const next = new Set(current);
                      if (checked) next.add(item.id);
                      else next.delete(item.id);
                      return next;
                    });
                  }}
                />
                <label for={`unit-declaration-${item.id}`}>{tr(item.text)}</label>
              </div>
            ))}
          </section>
        )}
        {!editable && nomination.declarations && (
          <p>
            {t(
              `✓ 已确认提交承诺（第 ${nomination.declarations.version} 版，${formatTime(nomination.declarations.confirmedAt)}）`,
              `✓ Declarations confirmed (version ${nomination.declarations.version}, ${formatTime(nomination.declarations.confirmedAt)})`,
            )}
          </p>
        )}
        {!editable && nomination.consent && (
          <p>
            {t(
              `✓ 已确认被推荐人知情同意（告知书第 ${nomination.consent.noticeVersion} 版，${formatTime(nomination.consent.confirmedAt)}）`,
              `✓ Confirmed: the nominee was informed and consented (notice version ${nomination.consent.noticeVersion}, ${formatTime(nomination.consent.confirmedAt)})`,
            )}
          </p>
        )}
        {editable && (
          <section
            ref={checklistRef}
            tabIndex={-1}
            class={`unit-checklist${triedSubmit && blocked.length > 0 ? ' unit-checklist-blocked' : ''}`}
            aria-labelledby="unit-checklist-title"
          >
            <h3 id="unit-checklist-title">{t('提交前检查', 'Before submitting')}</h3>
            {triedSubmit && blocked.length > 0 && (
              <p class="notice error" role="alert">
                {t(
                  `还不能提交：有 ${blocked.length} 项未满足，请按下列提示处理。`,
                  `Not yet: ${blocked.length} item(s) below are not met.`,
                )}
              </p>
            )}
            <ul class="checks">
              {checks.map((check) => (
                <li key={check.text.zh} class={check.ok ? 'pass' : 'fail'}>
                  <span aria-hidden="true">{check.ok ? '✓ ' : '✗ '}</span>
                  <span class="visually-hidden">
                    {check.ok ? t('已满足：', 'Met: ') : t('未满足：', 'Not met: ')}
                  </span>
                  {check.href && !check.ok ? <a href={check.href}>{tr(check.text)}</a> : tr(check.text)}
                </li>
              ))}
            </ul>
          </section>
        )}
        <div class="actions">
          {editable && (
            <button type="button" class="primary" disabled={submit.busy} onClick={() => submit.run()}>
              {submit.busy
                ? t('正在提交…', 'Submitting…')
                : nomination.status === 'returned'
                  ? t('重新提交', 'Resubmit')
                  : t('提交推荐', 'Submit the nomination')}
            </button>
          )}
          {canWithdraw && !confirmWithdraw && (
            <button type="button" class="danger" onClick={() => setConfirmWithdraw(true)}>
              {t('撤回推荐', 'Withdraw')}
            </button>
          )}
        </div>
        {confirmWithdraw && (
          <section class="notice warn" aria-labelledby="unit-withdraw-q">
            <p id="unit-withdraw-q">
              <strong>
                {t(
                  `确定撤回“${categoryName}”这份推荐吗？撤回后不能恢复${nomination.status === 'submitted' ? '，名额将退还' : ''}。`,
                  `Withdraw this ${categoryName} nomination? This cannot be undone${nomination.status === 'submitted' ? '; its slot is given back' : ''}.`,
                )}
              </strong>
            </p>
            <div class="actions">
              <button type="button" class="danger" disabled={withdraw.busy} onClick={() => withdraw.run()}>
                {t('确认撤回', 'Yes, withdraw')}
              </button>
              <button type="button" onClick={() => setConfirmWithdraw(false)}>
                {t('取消', 'Cancel')}
              </button>
            </div>
          </section>
        )}
        <ErrorNotice error={submit.error ?? withdraw.error} />
      </section>

      <section aria-labelledby="unit-history-title" id="unit-history" tabIndex={-1}>
        <h2 id="unit-history-title">{t('办理进度', 'Progress')}</h2>
        {props.auditError ? (
          <ErrorNotice error={props.auditError} />
        ) : props.events ? (
          <Timeline events={props.events} />
        ) : (
          <Loading />
        )}
      </section>
    </>
  );
}

function StatusPanel(props: {
  nomination: UnitNomination;
  overview: CampaignOverview | undefined;
  clock: () => number;
  deadlineAt: string;
}) {
  const { nomination } = props;
  return (
    <div class="unit-status">
      <div class="card unit-status-card">
        <p class="unit-status-line">
          {t('当前状态：', 'Status: ')}
          <StatusBadge status={nomination.status} />
        </p>
        {nomination.submittedAt && (
          <p class="small muted">
            {t('最近提交：', 'Last submitted: ')}
            <time dateTime={nomination.submittedAt}>{formatTime(nomination.submittedAt)}</time>
          </p>
        )}
      </div>
      {EDITABLE_STATUSES.has(nomination.status) && (
        <div class="card unit-status-card">
          <Countdown
            deadline={props.deadlineAt}
            now={props.clock}
            extended={props.overview?.deadline.extended}
            compact
          />
        </div>
      )}
      {nomination.status === 'returned' && nomination.reasons && (
        <section class="notice warn unit-returned" aria-labelledby="unit-returned-title">
          <h2 id="unit-returned-title" class="unit-card-title">
            {t('秘书处退回修改意见', 'Returned by the secretariat: what to correct')}
          </h2>
          <p class="unit-reason-text">{nomination.reasons}</p>
          {nomination.correctionUntil && (
            <p>
              <strong>
                {t('修改期限：', 'Correct by: ')}
                {formatTime(nomination.correctionUntil)}
              </strong>
            </p>
          )}
          <p class="small">
            {t(
              '请按意见修改表单或附件，然后在“声明并重新提交”中重新提交（名额保留）。',
              'Correct the form or attachments as asked, then resubmit under "Declare and resubmit" (your slot is kept).',
            )}
          </p>
        </section>
      )}
      {nomination.status === 'rejected' && nomination.reasons && (
        <section class="notice error" aria-labelledby="unit-rejected-title">
          <h2 id="unit-rejected-title" class="unit-card-title">
            {t('未通过初核的理由', 'Reasons for rejection')}
          </h2>
          <p class="unit-reason-text">{nomination.reasons}</p>
        </section>
      )}
    </div>
  );
}

function IssueSummary(props: { issues: readonly FieldIssue[]; editable: boolean }) {
  if (!props.editable) return null;
  const count = props.issues.length;
  return (
    <section class="card unit-issues" id="unit-issues" aria-labelledby="unit-issues-title">
      <h2 id="unit-issues-title" class="unit-card-title">
        {t('表单检查', 'Form check')}
      </h2>
      {count === 0 ? (
        <p class="pass">{t('✓ 推荐表已填写完整、无错误', '✓ The form is complete and correct')}</p>
      ) : (
        <details>
          <summary>{t(`还有 ${count} 处需要填写或更正`, `${count} item(s) to fill in or correct`)}</summary>
          <ul class="unit-issue-list">
            {props.issues.map((issue) => (
              <li key={`${pathKey(issue.path)}-${issue.code}`}>
                <a href={`#${targetOf(issue.path)}`}>{tr(issue.message)}</a>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The element an issue is shown at: the field itself, or for a list entry its first field. */
function targetOf(path: readonly (string | number)[]): string {
  const id = fieldId(path);
  if (typeof document !== 'undefined' && !document.getElementById(id) && path.length > 0) {
    return targetOf(path.slice(0, -1));
  }
  return id;
}

function Eligibility(props: {
  results: ReturnType<typeof evaluateEligibility> | null;
  pending: boolean;
  campaign: Campaign;
}) {
  return (
    <section class="card unit-eligibility" aria-labelledby="unit-eligibility-title">
      <h2 id="unit-eligibility-title" class="unit-card-title">
        {t('资格条件（自动检查）', 'Eligibility (automatic check)')}
      </h2>
      {props.results ? (
        <ul class="checks" aria-live="polite">
          {props.results.map((criterion) => (
            <li key={criterion.id} class={criterion.passed ? 'pass' : 'fail'}>
              <span aria-hidden="true">{criterion.passed ? '✓ ' : '✗ '}</span>
              {tr(criterion.message)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">
          {props.pending
            ? t(
                '表单填写完整、无错误后，这里即时显示各项资格条件是否符合（与服务器相同的规则）。',
                'Once the form is complete and correct, each eligibility criterion is shown here as you type (the rules the server uses).',
              )
            : ''}
        </p>
      )}
      <p class="small muted">
        {t(
          `年限按 ${props.campaign.referenceDate} 计算。检查结果供参考，由秘书处初核确认；往届入选情况在提交后比对。`,
          `Years are counted to ${props.campaign.referenceDate}. The result informs the secretariat's screening, which decides; past honours are checked after submission.`,
        )}
      </p>
    </section>
  );
}
