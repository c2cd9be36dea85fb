import { useEffect, useRef, useState } from 'preact/hooks';
import { auditActionName } from '../../../../functions/rules/audit-actions.js';
import { MAX_CORRECTION_DAYS } from '../../../../functions/rules/deadline.js';
import { PAST_HONOUREE_OVERRIDE_LENGTH } from '../../../../functions/rules/nomination.js';
import { ApiError, get, post, put } from '../../api.js';
import { campaignById } from '../../campaigns.js';
import { type Bilingual, formatBytes, formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice, Loaded, StatusBadge } from '../../ui/components.js';
import { FormView } from '../../ui/form-view.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { ACCEPT, checkFile } from '../unit/file-check.js';
import type { UploadPolicy } from '../unit/types.js';
import { postToStorage, UploadFailed } from '../unit/upload-transport.js';
import {
  type AuditEvent,
  api,
  ConfirmDialog,
  ConsoleLayout,
  campaignRules,
  categoryName,
  fieldProblems,
  type NominationDetail,
  type NominationList,
  nameOf,
} from './common.js';
import { PersonalRequests } from './personal-requests.js';

type Decision = 'pass' | 'return' | 'reject';

const STEP_NAMES: Record<string, Bilingual> = {
  screening: { zh: '等待初核', en: 'awaiting screening' },
  resubmission: { zh: '等待推荐单位修改后重新提交', en: 'awaiting resubmission by the unit' },
  reviews: { zh: '等待专家评审', en: 'awaiting expert reviews' },
  selection: { zh: '等待择优确认', en: 'awaiting the selection' },
  publicity: { zh: '公示中，等待发布', en: 'in publicity, awaiting release' },
};

/** The status a nomination has while its execution waits in each step (a finished step leaves `awaiting` behind). */
const STEP_STATUS: Record<string, readonly string[]> = {
  screening: ['submitted'],
  resubmission: ['returned'],
  reviews: ['in-review'],
  selection: ['scored'],
  publicity: ['forwarded', 'in-publicity'],
};

const ROLE_LABELS: Record<string, Bilingual> = {
  secretariat: { zh: '秘书处', en: 'secretariat' },
  unit: { zh: '推荐单位', en: 'unit' },
  expert: { zh: '评审专家', en: 'expert' },
  ops: { zh: '运维', en: 'operations' },
  system: { zh: '系统', en: 'system' },
};

/** Reasons a secretary returns a nomination for most often; ticking one fills it in. */
const COMMON_REASONS: Bilingual[] = [
  { zh: '盖章扫描件不清晰或缺少公章', en: 'The stamped scan is unclear or has no seal' },
  { zh: '照片数量或质量不符合要求', en: 'Photos are too few or of poor quality' },
  { zh: '推荐表内容与盖章扫描件不一致', en: 'The form differs from the stamped scan' },
  { zh: '主要事迹表述不规范，请按通知要求修改', en: 'The deeds are not written as the notice requires' },
];

/** `/secretariat/nominations/:id`: the form beside the stamped scan and photos, the decision, the trail. */
export function ScreeningPage(props: { id: string }) {
  const detail = useResource(
    (signal) => get<NominationDetail>(`/api/nominations/${encodeURIComponent(props.id)}`, { signal }),
    [props.id],
  );
  const audit = useResource(
    (signal) =>
      get<{ events: AuditEvent[] }>(`/api/nominations/${encodeURIComponent(props.id)}/audit`, { signal }),
    [props.id],
  );
  // The next one waiting: the first two of the queue (one may be this one), never the whole queue.
  const waiting = useResource(
    (signal) => get<NominationList>(api('/nominations?status=submitted&limit=2'), { signal }),
    [props.id],
  );
  const [done, setDone] = useState<Decision | null>(null);
  useEffect(() => setDone(null), [props.id]);
  const title = detail.data ? nameOf(detail.data.nomination) : t('初核', 'Screening');
  const next = waiting.data?.nominations.find((n) => n.id !== props.id);

  return (
    <ConsoleLayout title={title}>
      <p>
        <a href="/secretariat">← {t('返回推荐列表', 'Back to the list')}</a>
      </p>
      <Loaded resource={detail}>
        {(d) => (
          <>
            <Facts detail={d} />
            {done && (
              <div class="notice ok" role="status">
                <p>
                  {done === 'pass'
                    ? t(
                        '已通过初核，系统将自动分配评审专家。',
                        'Passed; experts will be assigned automatically.',
                      )
                    : done === 'return'
                      ? t(
                          '已退回修改，推荐单位已收到邮件通知。',
                          'Returned; the unit has been told by e-mail.',
                        )
                      : t(
                          '已作出不予通过的决定，推荐单位已收到邮件通知。',
                          'Rejected; the unit has been told by e-mail.',
                        )}
                </p>
                {next ? (
                  <p>
                    <a href={`/secretariat/nominations/${next.id}`}>
                      {t('下一份待初核：', 'Next waiting: ')}
                      {nameOf(next)} →
                    </a>
                  </p>
                ) : (
                  <p>{t('没有其他待初核的推荐。', 'No other nomination is waiting for screening.')}</p>
                )}
              </div>
            )}
            {d.nomination.status === 'submitted' && (
              <ScreeningActions
                detail={d}
                onDone={async (decision) => {
                  setDone(decision);
                  await Promise.all([detail.reload(), audit.reload(), waiting.reload()]);
                }}
                onStale={async () => {
                  await Promise.all([detail.reload(), audit.reload(), waiting.reload()]);
                }}
              />
            )}
            {d.nomination.status === 'forwarded' && campaignRules()?.forwardTo && (
              <SocietyOpinion
                id={d.nomination.id}
                onDone={async () => {
                  await audit.reload();
                }}
              />
            )}
            <div class="split screening-split">
              <div>
                <Checks detail={d} />
                <FormView category={d.nomination.category} form={d.nomination.form} />
              </div>
              <Materials detail={d} />
            </div>
          </>
        )}
      </Loaded>
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t('操作记录', 'Audit trail')}</h2>
        <Loaded resource={audit}>{(a) => <Timeline events={a.events} />}</Loaded>
      </section>
      <PersonalInformation id={props.id} />
      {detail.data && (
        <PersonalRequests
          detail={detail.data}
          onChanged={async () => {
            await Promise.all([detail.reload(), audit.reload()]);
          }}
        />
      )}
    </ConsoleLayout>
  );
}

function Facts(props: { detail: NominationDetail }) {
  const n = props.detail.nomination;
  const unitType = campaignRules()?.unitTypes.find((u) => u.id === n.unitType);
  return (
    <>
      <dl class="facts">
        <dt>{t('状态', 'Status')}</dt>
        <dd>
          <StatusBadge status={n.status} />
          {n.awaiting && STEP_STATUS[n.awaiting.step]?.includes(n.status) && (
            <span class="muted small"> · {tr(STEP_NAMES[n.awaiting.step])}</span>
          )}
        </dd>
        <dt>{t('类别', 'Category')}</dt>
        <dd>{categoryName(n.category)}</dd>
        <dt>{t('推荐单位', 'Recommending unit')}</dt>
        <dd>
          {n.unitName}
          {unitType && <span class="muted">（{tr(unitType.name)}）</span>}
        </dd>
        <dt>{t('提交时间', 'Submitted')}</dt>
        <dd>
          {formatTime(n.submittedAt) || '—'}
          {/* The round's rules it was submitted under: a correction since may have moved the deadline. */}
          {n.campaignVersion !== undefined && (
            <span class="muted">
              {t(
                `（按活动第 ${n.campaignVersion} 版规则）`,
                ` (under version ${n.campaignVersion} of the round)`,
              )}
            </span>
          )}
        </dd>
        <dt>{t('知情同意', 'Notice and consent')}</dt>
        <dd class="consent-record">
          {n.consent
            ? t(
                `${n.consent.by.name} 于 ${formatTime(n.consent.confirmedAt)} 确认已按个人信息告知书第 ${n.consent.noticeVersion} 版告知被推荐人并取得同意`,
                `${n.consent.by.name} confirmed on ${formatTime(n.consent.confirmedAt)} that the nominee was informed under version ${n.consent.noticeVersion} of the privacy notice and consented`,
              )
            : t('尚未确认（提交时确认）', 'Not yet confirmed (confirmed at submission)')}
        </dd>
        <dt>{t('提交承诺', 'Declarations')}</dt>
        <dd class="declarations-record">
          {n.declarations ? (
            <>
              {t(
                `${n.declarations.by.name} 于 ${formatTime(n.declarations.confirmedAt)} 确认（第 ${n.declarations.version} 版）：`,
                `${n.declarations.by.name} confirmed on ${formatTime(n.declarations.confirmedAt)} (version ${n.declarations.version}):`,
              )}
              <ul>
                {n.declarations.items.map((item) => (
                  <li key={item.id}>{tr(item.text)}</li>
                ))}
              </ul>
            </>
          ) : (
            t('尚未确认（提交时确认）', 'Not yet confirmed (confirmed at submission)')
          )}
        </dd>
      </dl>
      {n.reasons && (n.status === 'returned' || n.status === 'rejected') && (
        <div class="notice warn">
          <p>
            <strong>
              {n.status === 'returned'
                ? t('退回理由：', 'Reasons for return: ')
                : t('不予通过理由：', 'Reasons: ')}
            </strong>
            {n.reasons}
          </p>
        </div>
      )}
    </>
  );
}

function Checks(props: { detail: NominationDetail }) {
  const { nomination, pastHonouree } = props.detail;
  const criteria = nomination.eligibility ?? props.detail.check?.eligibility ?? [];
  return (
    <section aria-labelledby="checks-title">
      <h2 id="checks-title">{t('资格条件', 'Eligibility')}</h2>
      {pastHonouree?.checked && pastHonouree.match !== 'none' && (
        <div class={`notice ${pastHonouree.match === 'exact' ? 'error' : 'warn'}`}>
          <p>
            <strong>
              {pastHonouree.match === 'exact'
                ? t('往届入选：', 'Past honouree: ')
                : t('疑似往届入选，请人工核实：', 'Possibly a past honouree; please check: ')}
            </strong>
            {tr(pastHonouree.message)}
          </p>
          {pastHonouree.honouree && (
            <p class="small">
              {pastHonouree.honouree.name}，{pastHonouree.honouree.organization}
              {pastHonouree.honouree.year ? `，${pastHonouree.honouree.year}` : ''}
            </p>
          )}
        </div>
      )}
      {criteria.length === 0 ? (
        <p class="muted">{t('提交后计算。', 'Evaluated at submission.')}</p>
      ) : (
        <ul class="checks">
          {criteria.map((c) => (
            <li key={c.id} class={!c.passed ? 'fail' : c.needsReview ? 'warn-text' : 'pass'}>
              <span aria-hidden="true">{!c.passed ? '✗ ' : c.needsReview ? '? ' : '✓ '}</span>
              <span class="visually-hidden">
                {!c.passed
                  ? t('不符合：', 'Not met: ')
                  : c.needsReview
                    ? t('需核实：', 'To check: ')
                    : t('符合：', 'Met: ')}
              </span>
              {tr(c.message)}
            </li>
          ))}
        </ul>
      )}
      {pastHonouree && !pastHonouree.checked && (
        <p class="muted small">{t('未进行往届入选比对。', 'Not checked against past honourees.')}</p>
      )}
    </section>
  );
}

/** Fetches a presigned file into a blob: the bucket answers downloads as attachments, which a frame would not show. */
function useBlobUrl(url: string | undefined, type: string): { src?: string; failed: boolean } {
  const [state, setState] = useState<{ src?: string; failed: boolean }>({ failed: false });
  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    let objectUrl: string | undefined;
    setState({ failed: false });
    fetch(url, { signal: controller.signal })
      .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(String(r.status)))))
      .then((bytes) => {
        objectUrl = URL.createObjectURL(new Blob([bytes], { type }));
        setState({ src: objectUrl, failed: false });
      })
      .catch(() => {
        if (!controller.signal.aborted) setState({ failed: true });
      });
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return state;
}

function Materials(props: { detail: NominationDetail }) {
  const { nomination, downloads } = props.detail;
  const scan = nomination.attachments.find((a) => a.kind === 'scan');
  const photos = nomination.attachments.filter((a) => a.kind === 'photo');
  const words = nomination.attachments.filter((a) => a.kind === 'word');
  const consents = nomination.attachments.filter((a) => a.kind === 'consent');
  const scanUrl = scan ? downloads[scan.id] : undefined;
  const pdf = useBlobUrl(scanUrl, 'application/pdf');
  const [viewing, setViewing] = useState<number | null>(null);
  const photoLimits = campaignRules()?.categories.find((c) => c.id === nomination.category)?.photos;

  return (
    <section aria-labelledby="materials-title" class="materials">
      <h2 id="materials-title">{t('推荐材料', 'Materials')}</h2>
      {nomination.forwardedFrom && <SocietyEndorsement detail={props.detail} />}
      <h3>
        {nomination.forwardedFrom
          ? t(
              `成员单位盖章扫描件（${nomination.forwardedFrom.unitName}）`,
              `Stamped scan of the member unit (${nomination.forwardedFrom.unitName})`,
            )
          : t('盖章扫描件', 'Stamped scan')}
      </h3>
      {!scan || !scanUrl ? (
        <p class="fail">{t('未上传盖章扫描件。', 'No stamped scan uploaded.')}</p>
      ) : (
        <>
          {pdf.src && !canShowPdfInPage() ? (
            <p class="notice">
              {t(
                '此设备不能在页面内显示 PDF，请用下面的按钮打开或下载扫描件。',
                'This device cannot show a PDF inside the page: open or download the scan with the buttons below.',
              )}
            </p>
          ) : pdf.src ? (
            <iframe class="scan-frame" src={pdf.src} title={t('盖章扫描件预览', 'Stamped scan preview')} />
          ) : pdf.failed ? (
            <p class="notice warn">
              {t('无法在页面内预览，请下载查看。', 'Cannot preview here; download it to view.')}
            </p>
          ) : (
            <p class="muted" role="status">
              {t('正在载入扫描件…', 'Loading the scan…')}
            </p>
          )}
          <p class="actions">
            {pdf.src && (
              <a href={pdf.src} target="_blank" rel="noopener" class="button">
                {t('在新窗口打开扫描件', 'Open the scan in a new window')}
              </a>
            )}
            <a href={scanUrl} class="button" download={scan.fileName}>
              {t('下载扫描件', 'Download the scan')}（{formatBytes(scan.size)}）
            </a>
          </p>
        </>
      )}

      <h3>
        {t('照片', 'Photos')}（{photos.length}
        {photoLimits ? ` / ${photoLimits.min}–${photoLimits.max}` : ''}）
      </h3>
      {photos.length === 0 ? (
        <p class="fail">{t('未上传照片。', 'No photos uploaded.')}</p>
      ) : (
        <ul class="thumbs photo-list">
          {photos.map((p, i) => (
            <li key={p.id}>
              <button
                type="button"
                class="thumb-button"
                onClick={() => setViewing(i)}
                aria-label={t(
                  `放大查看照片 ${i + 1}：${p.fileName}`,
                  `Enlarge photo ${i + 1}: ${p.fileName}`,
                )}
              >
                <img
                  src={downloads[p.id]}
                  alt={t(`照片 ${i + 1}：${p.fileName}`, `Photo ${i + 1}: ${p.fileName}`)}
                />
              </button>
              <span class="small muted">{formatBytes(p.size)}</span>
            </li>
          ))}
        </ul>
      )}
      <PhotoDialog
        photos={photos.map((p) => ({ url: downloads[p.id] ?? '', name: p.fileName }))}
        index={viewing}
        onClose={() => setViewing(null)}
      />

      <h3>{t('推荐表 Word 版', 'Form as Word')}</h3>
      <ul>
        {words.map((w) => (
          <li key={w.id}>
            <a href={downloads[w.id]} download={w.fileName}>
              {t('推荐单位上传：', 'Uploaded by the unit: ')}
              {w.fileName}
            </a>
          </li>
        ))}
        <li>
          <a href={`/api/nominations/${encodeURIComponent(nomination.id)}/form.docx`} download>
            {t('按当前表单生成的 Word 版', 'Word generated from the saved form')}
          </a>
        </li>
      </ul>
      {consents.length > 0 && (
        <>
          <h3>{t('知情同意书（签字扫描件）', 'Signed consent (scan)')}</h3>
          <ul>
            {consents.map((c) => (
              <li key={c.id}>
                <a href={downloads[c.id]} download={c.fileName}>
                  {c.fileName}（{formatBytes(c.size)}）
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * In CAST's round, a nomination a society forwarded: the society is the recommending unit; its
 * opinion and its own stamped form come first, the member unit's materials follow.
 */
function SocietyEndorsement(props: { detail: NominationDetail }) {
  const { nomination, downloads } = props.detail;
  const endorsement = nomination.endorsement;
  const scan = endorsement?.scan;
  const scanUrl = scan ? downloads[scan.id] : undefined;
  return (
    <>
      <h3>
        {t(
          `推荐单位意见（${nomination.unitName}）`,
          `Opinion of the recommending unit (${nomination.unitName})`,
        )}
      </h3>
      {endorsement ? (
        <blockquote class="society-opinion">{endorsement.opinion}</blockquote>
      ) : (
        <p class="fail">
          {t('推荐单位尚未填写推荐意见。', 'The recommending unit has not written its opinion yet.')}
        </p>
      )}
      <h3>
        {t(
          `推荐单位盖章扫描件（${nomination.unitName}）`,
          `Stamped scan of the recommending unit (${nomination.unitName})`,
        )}
      </h3>
      {scan && scanUrl ? (
        <p class="actions">
          <a href={scanUrl} class="button" download={scan.fileName}>
            {t('下载推荐单位盖章扫描件', "Download the recommending unit's stamped scan")}（
            {formatBytes(scan.size)}）
          </a>
        </p>
      ) : (
        <p class="fail">
          {t('推荐单位尚未上传盖章扫描件。', 'The recommending unit has not uploaded its stamped scan yet.')}
        </p>
      )}
    </>
  );
}

function PhotoDialog(props: {
  photos: { url: string; name: string }[];
  index: number | null;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.index !== null && !dialog.open) dialog.showModal();
    if (props.index === null && dialog.open) dialog.close();
  }, [props.index]);
  const photo = props.index === null ? undefined : props.photos[props.index];
  return (
    <dialog ref={ref} class="photo-dialog" aria-labelledby="photo-dialog-title" onClose={props.onClose}>
      <h2 id="photo-dialog-title" class="dialog-title">
        {photo ? photo.name : ''}
      </h2>
      {photo && <img src={photo.url} alt={photo.name} />}
      <div class="actions">
        <button type="button" onClick={props.onClose}>
          {t('关闭', 'Close')}
        </button>
      </div>
    </dialog>
  );
}

function ScreeningActions(props: {
  detail: NominationDetail;
  onDone: (decision: Decision) => Promise<void>;
  /** Reads the nomination again: someone decided or changed it since this page was read. */
  onStale: () => Promise<void>;
}) {
  const n = props.detail.nomination;
  const [open, setOpen] = useState<Decision | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [text, setText] = useState('');
  const [correctionDate, setCorrectionDate] = useState('');
  const [override, setOverride] = useState('');
  const [grassroots, setGrassroots] = useState(n.grassroots === true);
  const [problem, setProblem] = useState('');
  const textRef = useRef<HTMLTextAreaElement>(null);
  const overrideRef = useRef<HTMLTextAreaElement>(null);
  const reasons = [...picked.map((i) => COMMON_REASONS[i]?.zh ?? ''), text.trim()].filter(Boolean).join('；');
  const send = useAction(async (decision: Decision) => {
    await post(`/api/nominations/${encodeURIComponent(n.id)}/screening`, {
      version: n.version,
      decision,
      ...(decision === 'pass' ? {} : { reasons }),
      ...(decision === 'pass' && exactHonouree ? { pastHonoureeOverride: override.trim() } : {}),
      ...(decision === 'pass' ? { grassroots } : {}),
      ...(decision === 'return' && correctionDate ? { correctionDate } : {}),
    });
    setOpen(null);
    setPicked([]);
    setText('');
    setOverride('');
    setCorrectionDate('');
    await props.onDone(decision);
  });
  // An exact past-honouree match passes only with a reason, kept in the audit trail: the field is
  // shown for it, and also when the server says so (a match found after this page was read).
  const honoureeRefused = send.error instanceof ApiError && send.error.body.code === 'PAST_HONOUREE';
  const exactHonouree =
    (props.detail.pastHonouree?.checked === true && props.detail.pastHonouree.match === 'exact') ||
    honoureeRefused;
  const close = () => {
    setOpen(null);
    setProblem('');
    send.clear();
  };
  const confirm = () => {
    if (!open) return;
    if (open === 'pass' && exactHonouree && override.trim().length < PAST_HONOUREE_OVERRIDE_LENGTH.min) {
      setProblem(
        t(
          `请填写放行理由（至少 ${PAST_HONOUREE_OVERRIDE_LENGTH.min} 个字）：该推荐与往届入选者完全一致，放行理由将记入操作记录。`,
          `Give the reason to pass it (at least ${PAST_HONOUREE_OVERRIDE_LENGTH.min} characters): it exactly matches a past honouree, and the reason is kept in the audit trail.`,
        ),
      );
      overrideRef.current?.focus();
      return;
    }
    if (open !== 'pass' && !reasons) {
      setProblem(
        t(
          '请填写理由：退回或不予通过时必须说明理由。',
          'Give the reasons: they are required to return or reject.',
        ),
      );
      textRef.current?.focus();
      return;
    }
    setProblem('');
    void send.run(open);
  };
  const titles: Record<Decision, string> = {
    pass: t('确认通过初核？', 'Pass screening?'),
    return: t('退回修改', 'Return for correction'),
    reject: t('不予通过', 'Reject'),
  };
  return (
    <section aria-labelledby="decision-title" class="decision">
      <h2 id="decision-title">{t('初核结论', 'Screening decision')}</h2>
      <div class="actions">
        <button type="button" class="primary" onClick={() => setOpen('pass')}>
          {t('通过初核', 'Pass')}
        </button>
        <button type="button" onClick={() => setOpen('return')}>
          {t('退回修改', 'Return for correction')}
        </button>
        <button type="button" class="danger" onClick={() => setOpen('reject')}>
          {t('不予通过', 'Reject')}
        </button>
      </div>
      <ConfirmDialog
        id="decision-dialog"
        open={open !== null}
        title={open ? titles[open] : ''}
        confirmLabel={
          open === 'pass'
            ? t('确认通过', 'Confirm pass')
            : open === 'return'
              ? t('确认退回', 'Confirm return')
              : t('确认不予通过', 'Confirm rejection')
        }
        danger={open === 'reject'}
        busy={send.busy}
        onConfirm={confirm}
        onClose={close}
      >
        <p>
          {nameOf(n)} · {categoryName(n.category)} · {n.unitName}
        </p>
        {open === 'pass' && (
          <p>
            {t(
              '通过后将自动分配评审专家并发送评审邮件。',
              'Experts will be assigned and e-mailed automatically.',
            )}
          </p>
        )}
        {open === 'pass' && (
          <div class="field unit-check">
            <input
              type="checkbox"
              id="decision-grassroots"
              checked={grassroots}
              onChange={(e) => setGrassroots(e.currentTarget.checked)}
            />
            <label for="decision-grassroots">
              {n.grassroots
                ? t(
                    '确认：被推荐对象立足基层一线（推荐单位已声明）',
                    'Confirm: the nominee is from the grassroots and the front line (declared by the unit)',
                  )
                : t(
                    '确认：被推荐对象立足基层一线（推荐单位未声明）',
                    'Confirm: the nominee is from the grassroots and the front line (not declared by the unit)',
                  )}
            </label>
          </div>
        )}
        {open === 'pass' && exactHonouree && (
          <div class="field">
            <p class="notice error">
              {props.detail.pastHonouree?.honouree
                ? t(
                    `该推荐与往届入选者“${props.detail.pastHonouree.honouree.name}（${props.detail.pastHonouree.honouree.organization}）”完全一致。往届入选者不再参加申报；只有核实并非同一对象时才可通过。`,
                    `This nomination exactly matches the past honouree "${props.detail.pastHonouree.honouree.name} (${props.detail.pastHonouree.honouree.organization})". Past honourees may not apply again; pass it only if you have checked it is not the same.`,
                  )
                : t(
                    '该推荐与往届入选者完全一致。只有核实并非同一对象时才可通过。',
                    'This nomination exactly matches a past honouree. Pass it only if you have checked it is not the same.',
                  )}
            </p>
            <label for="decision-override">
              {t('放行理由（必填，记入操作记录）', 'Reason to pass it (required; kept in the audit trail)')}
            </label>
            <textarea
              id="decision-override"
              ref={overrideRef}
              value={override}
              maxLength={PAST_HONOUREE_OVERRIDE_LENGTH.max}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'decision-override-problem' : undefined}
              onInput={(e) => setOverride(e.currentTarget.value)}
            />
            {problem && (
              <p class="problem" id="decision-override-problem" role="alert">
                {problem}
              </p>
            )}
          </div>
        )}
        {open === 'return' && (
          <>
            <p>
              {t(
                `推荐单位将收到邮件，可在修改期限内修改后重新提交（即使已过报送截止时间）。默认期限为退回后 ${campaignRules()?.corrections.days ?? 5} 天（至当日 24:00），不晚于向上报送截止时间${campaignRules()?.corrections.latest || campaignRules()?.forwardTo ? '' : `，最长为退回后 ${Math.max(MAX_CORRECTION_DAYS, campaignRules()?.corrections.days ?? 5)} 天`}。`,
                `The unit is e-mailed and may correct and resubmit within the correction period, even after the submission deadline. By default it ends ${campaignRules()?.corrections.days ?? 5} days after the return (at 24:00 that day), never after the forwarding deadline${campaignRules()?.corrections.latest || campaignRules()?.forwardTo ? '' : ` nor more than ${Math.max(MAX_CORRECTION_DAYS, campaignRules()?.corrections.days ?? 5)} days after the return`}.`,
              )}
            </p>
            <div class="field">
              <label for="decision-correction-date">{t('修改期限（可不填）', 'Correct by (optional)')}</label>
              <input
                id="decision-correction-date"
                type="date"
                value={correctionDate}
                onInput={(e) => setCorrectionDate(e.currentTarget.value)}
              />
            </div>
          </>
        )}
        {open === 'reject' && (
          <p>
            {t('不予通过后名额将释放，此决定不能撤销。', 'The quota slot is freed; this cannot be undone.')}
          </p>
        )}
        {open && open !== 'pass' && (
          <>
            {open === 'return' && (
              <fieldset>
                <legend>{t('常见理由', 'Common reasons')}</legend>
                {COMMON_REASONS.map((r, i) => (
                  <div key={r.zh} class="check-option">
                    <input
                      type="checkbox"
                      id={`reason-${i}`}
                      checked={picked.includes(i)}
                      onChange={(e) =>
                        setPicked(e.currentTarget.checked ? [...picked, i] : picked.filter((x) => x !== i))
                      }
                    />
                    <label for={`reason-${i}`}>{tr(r)}</label>
                  </div>
                ))}
              </fieldset>
            )}
            <div class="field">
              <label for="decision-reasons">
                {open === 'return'
                  ? t('理由（必填，将发送给推荐单位）', 'Reasons (required; sent to the unit)')
                  : t('理由（必填）', 'Reasons (required)')}
              </label>
              <textarea
                id="decision-reasons"
                ref={textRef}
                value={text}
                maxLength={2000}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? 'decision-reasons-problem' : undefined}
                onInput={(e) => setText(e.currentTarget.value)}
              />
              {problem && (
                <p class="problem" id="decision-reasons-problem" role="alert">
                  {problem}
                </p>
              )}
            </div>
          </>
        )}
        <ErrorNotice error={send.error} />
        {send.error instanceof ApiError && send.error.status === 409 && (
          // Decided or changed in another window since this page was read: show what stands now.
          <p>
            <button
              type="button"
              class="primary"
              onClick={() => {
                close();
                void props.onStale();
              }}
            >
              {t('载入最新状态', 'Show where it stands now')}
            </button>
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

/** One recorded read of the nominee's personal information (GET /api/nominations/{id}/reads). */
interface PersonalRead {
  at: string;
  reader: { role: string; subjectId: string; name: string };
  readNames: Bilingual[];
}

/** The reads of one person of one set of data: an officer reads "who, what, how often, when". */
interface ReadGroup {
  reader: PersonalRead['reader'];
  readNames: Bilingual[];
  times: number;
  first: string;
  last: string;
}

/**
 * The recorded reads grouped by reader and what was read, the most recent first: every opening
 * of the page is recorded, and twenty identical lines would hide the one read that matters.
 */
function groupedReads(reads: readonly PersonalRead[]): ReadGroup[] {
  const groups = new Map<string, ReadGroup>();
  for (const read of reads) {
    const key = JSON.stringify([read.reader.role, read.reader.subjectId, read.readNames]);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        reader: read.reader,
        readNames: read.readNames,
        times: 1,
        first: read.at,
        last: read.at,
      });
      continue;
    }
    group.times += 1;
    if (read.at < group.first) group.first = read.at;
    if (read.at > group.last) group.last = read.at;
  }
  return [...groups.values()].sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
}

/**
 * Who read the nominee's personal information, and the nominee's own copy of it (PIPL arts. 45
 * and 51): the reads as recorded, and a ZIP of everything stored about the person.
 */
function PersonalInformation(props: { id: string }) {
  const reads = useResource(
    (signal) =>
      get<{ reads: PersonalRead[] }>(`/api/nominations/${encodeURIComponent(props.id)}/reads`, { signal }),
    [props.id],
  );
  const [made, setMade] = useState<{ url: string; bytes: number } | null>(null);
  const exportData = useAction(async () => {
    setMade(
      await post<{ url: string; bytes: number }>(
        `/api/nominations/${encodeURIComponent(props.id)}/personal-data`,
      ),
    );
    await reads.reload();
  });
  return (
    <section aria-labelledby="reads-title">
      <h2 id="reads-title">{t('个人信息查阅记录', 'Who read the personal information')}</h2>
      <Loaded resource={reads}>
        {(r) =>
          r.reads.length === 0 ? (
            <p class="muted">{t('暂无记录。', 'Nothing recorded yet.')}</p>
          ) : (
            <ol class="timeline">
              {groupedReads(r.reads).map((group) => (
                <li key={`${group.last}-${group.reader.role}-${group.reader.subjectId}`}>
                  <strong>
                    {group.reader.name}（{tr(ROLE_LABELS[group.reader.role])}）
                  </strong>
                  {t('：', ': ')}
                  {group.readNames.map((name) => tr(name)).join(t('、', ', '))}
                  <span class="muted small">
                    {' '}
                    ·{' '}
                    {group.times === 1
                      ? formatTime(group.last)
                      : t(
                          `${group.times} 次，最近 ${formatTime(group.last)}，首次 ${formatTime(group.first)}`,
                          `${group.times} times, last ${formatTime(group.last)}, first ${formatTime(group.first)}`,
                        )}
                  </span>
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
      <p>
        {t(
          '应被推荐人的请求，可导出其个人信息副本：推荐表、附件、评审结果、异议与查阅记录（ZIP）；评审专家、异议人和工作人员只以角色出现。',
          "At the nominee's request, export their copy: the form, the files, the reviews, objections and reads (ZIP); experts, objectors and staff appear by role only.",
        )}
      </p>
      <div class="actions">
        <button type="button" disabled={exportData.busy} onClick={() => void exportData.run()}>
          {exportData.busy ? t('正在导出…', 'Exporting…') : t('导出个人信息副本', "Export the person's data")}
        </button>
        {made && (
          <a class="button" href={made.url} download>
            {t(`下载（${formatBytes(made.bytes)}）`, `Download (${formatBytes(made.bytes)})`)}
          </a>
        )}
      </div>
      {made && (
        <p class="muted small" role="status">
          {t('下载链接 15 分钟内有效。', 'The link works for 15 minutes.')}
        </p>
      )}
      <ErrorNotice error={exportData.error} />
    </section>
  );
}

function Timeline(props: { events: AuditEvent[] }) {
  if (props.events.length === 0) return <p class="muted">{t('暂无记录。', 'Nothing recorded yet.')}</p>;
  return (
    <ol class="timeline">
      {props.events.map((e) => (
        <li key={`${e.at}-${e.action}-${e.actor.subjectId}`}>
          <strong>{tr(auditActionName(e.action))}</strong>
          <span class="muted small">
            {' '}
            · {formatTime(e.at)} · {e.actor.name}（{tr(ROLE_LABELS[e.actor.role])}）
          </span>
          {e.reason && (
            <p class="timeline-reason">
              {t('理由：', 'Reason: ')}
              {e.reason}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * Whether the browser shows a PDF inside a frame. Phone browsers do not (an empty dark box), and
 * say so with `navigator.pdfViewerEnabled` = false; a narrow screen gets the link either way.
 */
function canShowPdfInPage(): boolean {
  if (navigator.pdfViewerEnabled === false) return false;
  return !window.matchMedia('(max-width: 40rem)').matches;
}

interface SocietyEndorsementAnswer {
  endorsement: {
    opinion: string;
    at: string;
    scan?: { id: string; fileName: string; size: number; uploadedAt: string };
  } | null;
  scanUrl: string | null;
}

/**
 * The society forwards as the recommending unit, in three steps: its opinion (推荐意见), printed
 * above its stamp on the form CAST receives; that form as Word, to print and stamp; the stamped
 * scan, which CAST receives beside the member unit's. A new opinion needs a new stamped scan.
 */
function SocietyOpinion(props: { id: string; onDone: () => Promise<void> }) {
  const base = `/api/campaigns/${encodeURIComponent(campaignRules()?.id ?? '')}/forwarded/${encodeURIComponent(props.id)}`;
  const current = useResource(
    (signal) => get<SocietyEndorsementAnswer>(`${base}/endorsement`, { signal }),
    [base],
  );
  const [opinion, setOpinion] = useState<string | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [refused, setRefused] = useState<Bilingual[]>([]);
  const endorsement = current.data?.endorsement ?? null;
  const text = opinion ?? endorsement?.opinion ?? '';
  const save = useAction(async () => {
    await put(`${base}/opinion`, { opinion: text.trim() });
    setOpinion(null);
    await current.reload();
    await props.onDone();
  });
  const upload = useAction(async (file: File) => {
    setRefused([]);
    const parent = campaignById(campaignRules()?.forwardTo?.campaignId ?? '') ?? campaignRules();
    if (!parent) return;
    const verdict = await checkFile(parent, 'scan', file);
    if (!verdict.ok) {
      setRefused(verdict.problems);
      return;
    }
    setPercent(0);
    try {
      const policy = await post<UploadPolicy>(`${base}/stamped-scan/uploads`, {
        contentType: verdict.mime,
        fileName: file.name,
      });
      await postToStorage(policy, file, file.name, setPercent);
      await put(`${base}/stamped-scan`, { attachmentId: policy.attachmentId, fileName: file.name });
    } catch (caught) {
      if (caught instanceof UploadFailed) {
        setRefused([caught.reason]);
        return;
      }
      throw caught;
    } finally {
      setPercent(null);
    }
    await current.reload();
    await props.onDone();
  });
  const problems = fieldProblems(save.error);
  const scan = endorsement?.scan;
  return (
    <section aria-labelledby="opinion-title" class="society-handoff">
      <h2 id="opinion-title">
        {t('学会作为推荐单位报送中国科协', 'The society forwards to CAST as recommending unit')}
      </h2>
      <p class="muted small">
        {t(
          '本推荐已报送中国科协，学会为推荐单位。请依次：① 填写学会的推荐意见；② 下载印有该意见的推荐表，打印、盖学会公章；③ 扫描为 PDF 上传。中国科协收到学会盖章的推荐表，以及成员单位的材料。',
          'This nomination has been forwarded to CAST with the society as recommending unit. In turn: ① write the society’s opinion; ② download the form that prints it, print it and stamp it with the society’s seal; ③ scan it to a PDF and upload it. CAST receives the society’s stamped form with the member unit’s materials.',
        )}
      </p>
      <ErrorNotice error={current.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div class="field">
          <label for="society-opinion">{t('① 推荐意见', '① Opinion')}</label>
          <textarea
            id="society-opinion"
            rows={4}
            maxLength={500}
            required
            value={text}
            onInput={(e) => setOpinion(e.currentTarget.value)}
            aria-invalid={problems.opinion ? true : undefined}
          />
          {problems.opinion && <p class="problem">{problems.opinion}</p>}
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={save.busy}>
            {t('保存推荐意见', 'Save the opinion')}
          </button>
        </div>
      </form>
      {endorsement && (
        <p class="notice ok" role="status">
          {t(
            `已于 ${formatTime(endorsement.at)} 记录推荐意见。`,
            `Opinion recorded on ${formatTime(endorsement.at)}.`,
          )}
        </p>
      )}
      <ErrorNotice error={save.error} />
      <h3>{t('② 下载推荐表（学会为推荐单位）', '② Download the form (the society as recommending unit)')}</h3>
      {endorsement ? (
        <p class="actions">
          <a class="button" href={`${base}/form.docx`} download>
            {t('下载印有推荐意见的推荐表（Word）', 'Download the form with the opinion (Word)')}
          </a>
        </p>
      ) : (
        <p class="muted">{t('请先保存推荐意见。', 'Save the opinion first.')}</p>
      )}
      <h3>{t('③ 学会盖章扫描件（PDF）', '③ The society’s stamped scan (PDF)')}</h3>
      {scan && current.data?.scanUrl ? (
        <p>
          <a href={current.data.scanUrl} download={scan.fileName}>
            {scan.fileName}
          </a>{' '}
          <span class="small muted">
            {formatBytes(scan.size)} · {formatTime(scan.uploadedAt)}
          </span>
        </p>
      ) : endorsement ? (
        <p class="notice warn">
          {t('尚未上传学会盖章扫描件。', 'The society’s stamped scan is not uploaded yet.')}
        </p>
      ) : null}
      {endorsement && (
        <div class="field">
          <label for="society-scan">
            {scan
              ? t(
                  '重新上传盖章扫描件（替换上面的文件）',
                  'Upload the stamped scan again (replaces the file above)',
                )
              : t('选择盖章扫描 PDF 文件', 'Choose the stamped scan (PDF)')}
          </label>
          <input
            type="file"
            id="society-scan"
            accept={ACCEPT.scan}
            disabled={upload.busy}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void upload.run(file);
            }}
          />
        </div>
      )}
      {percent !== null && (
        <p role="status">
          <progress max={100} value={percent} /> {t('正在上传…', 'Uploading…')}
        </p>
      )}
      {refused.length > 0 && (
        <ul class="notice warn">
          {refused.map((p) => (
            <li key={p.en}>{tr(p)}</li>
          ))}
        </ul>
      )}
      <ErrorNotice error={upload.error} />
    </section>
  );
}
