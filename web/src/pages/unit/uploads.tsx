import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ATTACHMENT_KINDS,
  ATTACHMENT_RULES,
  type AttachmentKind,
  requiredCounts,
  sizeLimits,
} from '../../../../functions/rules/attachments.js';
import type { Campaign } from '../../../../functions/rules/campaign.js';
import { ApiError, del, post } from '../../api.js';
import { type Bilingual, formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice } from '../../ui/components.js';
import { ACCEPT, checkFile, sizeText } from './file-check.js';
import type {
  AttachmentRecord,
  CategoryId,
  RecordedAttachment,
  UnitNomination,
  UploadPolicy,
} from './types.js';
import { postToStorage, UploadFailed } from './upload-transport.js';

/** The record route's answer without the whole nomination (RFC 7240): the page adds the file itself. */
const JUST_THE_RECORD = { headers: { prefer: 'return=minimal' } };

/**
 * The attachments of a nomination: the Word form, the stamped scan, the photos. Each chosen
 * file is checked here first (size bounds and type read from its bytes, the domain's rules);
 * a file that fails is explained and never sent. One that passes gets a presigned POST, goes
 * straight to storage with a progress bar, and is then recorded — the server reads it back and
 * inspects it before it counts. Files go one after another, each recorded against the newest
 * version of the nomination.
 */

/**
 * The nomination the page shows, with a file just recorded: the record route answers the file's
 * record and the version it raised, not the whole nomination. A record shown already (an answer
 * repeated) is not added twice, and a late answer never takes the version back.
 */
export function withRecordedFile(
  nomination: UnitNomination,
  { attachment, version }: RecordedAttachment,
): UnitNomination {
  const shown = nomination.attachments.some((a) => a.id === attachment.id);
  const newer = version > nomination.version;
  return {
    ...nomination,
    attachments: shown ? nomination.attachments : [...nomination.attachments, attachment],
    ...(newer ? { version, updatedAt: attachment.uploadedAt } : {}),
  };
}

type JobState = 'checking' | 'rejected' | 'uploading' | 'recording' | 'done' | 'failed';

interface Job {
  id: number;
  kind: AttachmentKind;
  fileName: string;
  size: number;
  state: JobState;
  percent: number;
  problems: Bilingual[];
  preview?: string;
}

const KIND_TEXT: Record<AttachmentKind, { title: Bilingual; choose: Bilingual; about: Bilingual }> = {
  word: {
    title: { zh: '推荐表 Word 版', en: 'The form as Word' },
    choose: { zh: '选择 Word 文件（.docx、.doc 或 .wps）', en: 'Choose the Word file (.docx, .doc or .wps)' },
    about: {
      zh: '上传本页下载、核对无误的推荐表 Word 文件。',
      en: 'Upload the Word form downloaded from this page, once checked.',
    },
  },
  scan: {
    title: { zh: '盖章扫描件（PDF）', en: 'Stamped scan (PDF)' },
    choose: { zh: '选择扫描 PDF 文件', en: 'Choose the scanned PDF' },
    about: {
      zh: '将推荐表打印、盖章后扫描为一个 PDF 文件上传。',
      en: 'Print the form, stamp it, scan it to one PDF and upload it.',
    },
  },
  photo: {
    title: { zh: '照片', en: 'Photos' },
    choose: { zh: '选择照片（可多选）', en: 'Choose photos (several at once)' },
    about: {
      zh: '上传反映事迹的清晰照片原图（JPG 或 PNG）。',
      en: 'Upload clear original photos of the work (JPG or PNG).',
    },
  },
  consent: {
    title: { zh: '知情同意书（签字扫描 PDF）', en: 'Signed consent (scanned PDF)' },
    choose: { zh: '选择知情同意书扫描 PDF', en: 'Choose the scanned consent' },
    about: {
      zh: '本活动要求被推荐人阅读个人信息告知书后签字同意：将签字的同意书扫描为一个 PDF 文件上传。',
      en: 'This round asks the nominee to sign their consent after reading the privacy notice: scan the signed consent to one PDF and upload it.',
    },
  },
};

export function Uploads(props: {
  campaign: Campaign;
  category: CategoryId;
  nomination: UnitNomination;
  downloads: Record<string, string>;
  editable: boolean;
  /** The newest version known, read at the moment a file is recorded. */
  version: () => number;
  onChange: (nomination: UnitNomination) => void;
  /** A file was recorded: its record and the nomination's version now (`withRecordedFile`). */
  onRecorded: (recorded: RecordedAttachment) => void;
  /** Fetches the nomination again (its newest version and download links). */
  refresh: () => Promise<UnitNomination>;
}) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [error, setError] = useState<unknown>();
  const queue = useRef<Promise<void>>(Promise.resolve());
  const nextId = useRef(1);
  const previews = useRef(new Map<string, string>());
  const allUrls = useRef<string[]>([]);
  const attachmentsRef = useRef(props.nomination.attachments);
  attachmentsRef.current = props.nomination.attachments;
  const counts = requiredCounts(props.campaign, props.category);

  useEffect(
    () => () => {
      for (const url of allUrls.current) URL.revokeObjectURL(url);
    },
    [],
  );

  const update = (id: number, change: Partial<Job>) =>
    setJobs((list) => list.map((job) => (job.id === id ? { ...job, ...change } : job)));

  /** Records the uploaded file, once more against the newest version if another change came first. */
  const record = async (policy: UploadPolicy, kind: AttachmentKind, fileName: string) => {
    const body = (version: number) => ({ attachmentId: policy.attachmentId, kind, fileName, version });
    try {
      return await post<RecordedAttachment>(
        `/api/nominations/${props.nomination.id}/attachments`,
        body(props.version()),
        JUST_THE_RECORD,
      );
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.body.code === 'VERSION_CONFLICT')) throw caught;
      const fresh = await props.refresh();
      return post<RecordedAttachment>(
        `/api/nominations/${props.nomination.id}/attachments`,
        body(fresh.version),
        JUST_THE_RECORD,
      );
    }
  };

  const process = async (job: Job, file: File) => {
    const verdict = await checkFile(props.campaign, job.kind, file);
    if (!verdict.ok) {
      update(job.id, { state: 'rejected', problems: verdict.problems });
      return;
    }
    const [, max] = counts[job.kind];
    const have = attachmentsRef.current.filter((a) => a.kind === job.kind).length;
    if (have >= max) {
      const label = ATTACHMENT_RULES[job.kind].label;
      update(job.id, {
        state: 'rejected',
        problems: [
          {
            zh: `${label.zh}最多 ${max} 份，已有 ${have} 份：请先删除一份再上传`,
            en: `At most ${max} ${label.en}(s) and ${have} are there: remove one first`,
          },
        ],
      });
      return;
    }
    const preview = job.kind === 'photo' ? URL.createObjectURL(file) : undefined;
    if (preview) allUrls.current.push(preview);
    update(job.id, { state: 'uploading', percent: 0, preview });
    try {
      const policy = await post<UploadPolicy>(`/api/nominations/${props.nomination.id}/uploads`, {
        kind: job.kind,
        contentType: verdict.mime,
        fileName: job.fileName,
      });
      await postToStorage(policy, file, job.fileName, (percent) => update(job.id, { percent }));
      update(job.id, { state: 'recording', percent: 100 });
      const answer = await record(policy, job.kind, job.fileName);
      if (preview) previews.current.set(policy.attachmentId, preview);
      if (!attachmentsRef.current.some((a) => a.id === answer.attachment.id))
        attachmentsRef.current = [...attachmentsRef.current, answer.attachment];
      props.onRecorded(answer);
      update(job.id, { state: 'done', percent: 100 });
      void props.refresh().catch(() => undefined); // the new file's download link
    } catch (caught) {
      const problems =
        caught instanceof UploadFailed
          ? [caught.reason]
          : caught instanceof ApiError
            ? [caught.body.message]
            : [{ zh: '上传失败，请重试', en: 'The upload failed; try again' }];
      update(job.id, { state: 'failed', problems });
    }
  };

  const choose = (kind: AttachmentKind, input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = ''; // choosing the same file again starts again
    setError(undefined);
    for (const file of files) {
      const job: Job = {
        id: nextId.current++,
        kind,
        fileName: file.name,
        size: file.size,
        state: 'checking',
        percent: 0,
        problems: [],
      };
      setJobs((list) => [...list, job]);
      queue.current = queue.current.then(() => process(job, file));
    }
  };

  const [removing, setRemoving] = useState<string>();
  const removingNow = useRef(false); // a double click removes once
  const remove = async (attachment: AttachmentRecord) => {
    if (removingNow.current) return;
    removingNow.current = true;
    setRemoving(attachment.id);
    setError(undefined);
    try {
      const attempt = (version: number) =>
        del<{ nomination: UnitNomination }>(
          `/api/nominations/${props.nomination.id}/attachments/${attachment.id}?version=${version}`,
        );
      let answer: { nomination: UnitNomination };
      try {
        answer = await attempt(props.version());
      } catch (caught) {
        if (!(caught instanceof ApiError && caught.body.code === 'VERSION_CONFLICT')) throw caught;
        answer = await attempt((await props.refresh()).version);
      }
      attachmentsRef.current = answer.nomination.attachments;
      props.onChange(answer.nomination);
    } catch (caught) {
      setError(caught);
    } finally {
      removingNow.current = false;
      setRemoving(undefined);
    }
  };

  return (
    <div class="unit-uploads">
      <ErrorNotice error={error} />
      {ATTACHMENT_KINDS.map((kind) => {
        const [min, max] = counts[kind];
        if (max === 0) return null;
        const have = props.nomination.attachments.filter((a) => a.kind === kind);
        const limits = sizeLimits(props.campaign, kind);
        const text = KIND_TEXT[kind];
        const inputId = `unit-upload-${kind}`;
        const kindJobs = jobs.filter((j) => j.kind === kind);
        // Photos are counted in 张, documents in 份: one measure word in the badge.
        const unit = kind === 'photo' ? '张' : '份';
        const need =
          min === max
            ? t(`需 ${min} ${unit}`, `${min} needed`)
            : t(`需 ${min}—${max} ${unit}`, `${min}–${max} needed`);
        return (
          <section key={kind} class="card unit-upload-kind" aria-labelledby={`${inputId}-title`}>
            <h3 id={`${inputId}-title`}>
              {tr(text.title)}{' '}
              <span class={`badge ${have.length >= min ? 'status-selected' : 'status-returned'}`}>
                {t(`已传 ${have.length} ${unit}`, `${have.length} uploaded`)} · {need}
              </span>
            </h3>
            <p class="small">{tr(text.about)}</p>
            <p class="small muted" id={`${inputId}-hint`}>
              {tr(ATTACHMENT_RULES[kind].accepted)}
              {t('；大小 ', '; size ')}
              {limits.minBytes > 1
                ? t(
                    `${sizeText(limits.minBytes).zh}—${sizeText(limits.maxBytes).zh}`,
                    `${sizeText(limits.minBytes).en}–${sizeText(limits.maxBytes).en}`,
                  )
                : t(`不超过 ${sizeText(limits.maxBytes).zh}`, `up to ${sizeText(limits.maxBytes).en}`)}
            </p>
            {have.length > 0 && (
              <ul class={kind === 'photo' ? 'unit-files thumbs' : 'unit-files'}>
                {have.map((attachment) => {
                  const thumb = previews.current.get(attachment.id) ?? props.downloads[attachment.id];
                  return (
                    <li key={attachment.id}>
                      {kind === 'photo' && thumb && (
                        <img
                          src={thumb}
                          alt={t(`照片：${attachment.fileName}`, `Photo: ${attachment.fileName}`)}
                        />
                      )}
                      <span class="unit-file-name">{attachment.fileName}</span>
                      <span class="small muted">
                        {tr(sizeText(attachment.size))} · {formatTime(attachment.uploadedAt)}
                      </span>
                      <span class="unit-file-actions">
                        {props.downloads[attachment.id] && (
                          <a href={props.downloads[attachment.id]} download={attachment.fileName}>
                            {t('下载', 'Download')}
                            <span class="visually-hidden">{` ${attachment.fileName}`}</span>
                          </a>
                        )}
                        {props.editable && (
                          <button
                            type="button"
                            class="link-button unit-danger-link"
                            disabled={removing !== undefined}
                            onClick={() => remove(attachment)}
                          >
                            {t('删除', 'Remove')}
                            <span class="visually-hidden">{` ${attachment.fileName}`}</span>
                          </button>
                        )}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
            {props.editable && have.length < max && (
              <div class="field">
                <label for={inputId}>{tr(text.choose)}</label>
                <input
                  type="file"
                  id={inputId}
                  accept={ACCEPT[kind]}
                  multiple={kind === 'photo'}
                  aria-describedby={`${inputId}-hint`}
                  onChange={(event) => choose(kind, event.currentTarget)}
                />
              </div>
            )}
            {kindJobs.length > 0 && <p class="unit-jobs-title">{t('本次选择的文件', 'Files chosen now')}</p>}
            {kindJobs.length > 0 && (
              <ul class="unit-jobs">
                {kindJobs.map((job) => (
                  <JobRow key={job.id} job={job} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

const STATE_TEXT: Record<JobState, Bilingual> = {
  checking: { zh: '正在检查文件…', en: 'Checking the file…' },
  rejected: { zh: '未上传', en: 'Not uploaded' },
  uploading: { zh: '正在上传', en: 'Uploading' },
  recording: { zh: '服务器正在核验文件…', en: 'The server is checking the file…' },
  done: { zh: '已上传并核验', en: 'Uploaded and checked' },
  failed: { zh: '上传失败', en: 'Upload failed' },
};

function JobRow(props: { job: Job }) {
  const { job } = props;
  const labelId = `unit-job-${job.id}`;
  const showProgress = job.state === 'uploading' || job.state === 'recording' || job.state === 'done';
  const bad = job.state === 'rejected' || job.state === 'failed';
  return (
    <li class={`unit-job${bad ? ' unit-job-bad' : ''}`}>
      {job.preview && <img src={job.preview} alt="" class="unit-job-thumb" />}
      <div class="unit-job-body">
        <p id={labelId}>
          <span class="unit-file-name">{job.fileName}</span>{' '}
          <span class="small muted">{tr(sizeText(job.size))}</span> · {tr(STATE_TEXT[job.state])}
        </p>
        {showProgress && (
          <p class="unit-progress">
            <progress
              max={100}
              value={job.percent}
              aria-label={t(`上传进度：${job.fileName}`, `Upload progress: ${job.fileName}`)}
            />
            <span class="unit-percent">{job.percent}%</span>
          </p>
        )}
        {bad && (
          <div class="notice error" role="alert">
            {job.problems.map((problem) => (
              <p key={problem.zh}>{tr(problem)}</p>
            ))}
          </div>
        )}
      </div>
    </li>
  );
}
