import { useMemo, useState } from 'preact/hooks';
import type { FieldIssue } from '../../../../functions/rules/errors.js';
import { formJsonSchema } from '../../../../functions/rules/forms/index.js';
import { DELETION_REASON_LENGTH } from '../../../../functions/rules/personal-requests.js';
import type { JsonSchema } from '../../../../functions/rules/validation.js';
import { ApiError, get, post, put } from '../../api.js';
import { type Bilingual, t, tr } from '../../i18n.js';
import { ErrorNotice, Loaded } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { type FormValue, SchemaForm } from '../unit/schema-form.js';
import { ConfirmDialog, type NominationDetail, nameOf } from './common.js';

/** GET /api/nominations/{id}/deletion: what a deletion would do, or why not; the correctable fields. */
interface DeletionView {
  version: number;
  erased: boolean;
  effects: { id: string; text: Bilingual }[];
  refusal: Bilingual | null;
  correctable: { field: string; name: Bilingual }[];
}

/**
 * A person's requests (PIPL arts. 46–47) on the secretariat's nomination page: correct their
 * personal fields with the form's own inputs and checks, or delete their data — the page says in
 * plain words what the deletion does before asking for the reason and the confirmation.
 */
export function PersonalRequests(props: { detail: NominationDetail; onChanged: () => Promise<void> }) {
  const n = props.detail.nomination;
  const view = useResource(
    (signal) => get<DeletionView>(`/api/nominations/${encodeURIComponent(n.id)}/deletion`, { signal }),
    [n.id, n.version],
  );
  const [done, setDone] = useState<string | null>(null);
  const changed = async (message: string) => {
    setDone(message);
    await props.onChanged();
  };
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">
        {t('本人请求：更正或删除个人信息', "The person's requests: correct or delete")}
      </h2>
      {done && (
        <p class="notice ok" role="status">
          {done}
        </p>
      )}
      <Loaded resource={view}>
        {(v) =>
          v.erased ? (
            <p>
              {t(
                '此人的个人信息已应其请求删除：推荐已撤回，表中个人信息和全部附件已删除。',
                "This person's data was deleted at their request: the nomination is withdrawn, the personal fields and every file are gone.",
              )}
            </p>
          ) : (
            <>
              <p class="muted">
                {t(
                  '被推荐人（或组织、项目、服务点的负责人）可以请求更正其个人信息，或删除其个人信息。',
                  'The nominee (or the leader of an organisation, project or site) may ask for their personal information to be corrected or deleted.',
                )}
              </p>
              <div class="actions">
                <Correction detail={props.detail} view={v} onDone={changed} />
                <Deletion detail={props.detail} view={v} onDone={changed} />
              </div>
              {v.refusal && <p class="notice warn">{tr(v.refusal)}</p>}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

/** The API's field problems as the form's issues (the correction's own fields are under `fields`). */
function issuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError)) return [];
  const issues = (error.body.details?.issues ?? []) as FieldIssue[];
  return issues.map((issue) => ({
    ...issue,
    path: issue.path[0] === 'fields' ? issue.path.slice(1) : issue.path,
  }));
}

function Correction(props: {
  detail: NominationDetail;
  view: DeletionView;
  onDone: (message: string) => Promise<void>;
}) {
  const n = props.detail.nomination;
  const fields = props.view.correctable.map((c) => c.field);
  // The form's own schema, narrowed to the person's fields: the same inputs, labels and rules.
  const schema = useMemo((): JsonSchema => {
    const whole = formJsonSchema(n.category);
    const properties = whole.properties as Record<string, JsonSchema>;
    return {
      ...whole,
      properties: Object.fromEntries(fields.map((f) => [f, properties[f] ?? {}])),
      required: ((whole.required ?? []) as string[]).filter((f) => fields.includes(f)),
    };
  }, [n.category, fields.join()]);
  const initial = () => Object.fromEntries(fields.map((f) => [f, n.form[f]])) as FormValue;
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState<FormValue>(initial);
  const [problem, setProblem] = useState('');
  const send = useAction(async (changedFields: Record<string, unknown>) => {
    const answer = await put<{ corrected: { name: Bilingual }[] }>(
      `/api/nominations/${encodeURIComponent(n.id)}/personal-fields`,
      { version: n.version, fields: changedFields },
    );
    setOpen(false);
    await props.onDone(
      t(
        `已更正：${answer.corrected.map((c) => c.name.zh).join('、')}。操作记录已记下更正了哪些项目；Word 版下载时按更正后的内容生成。`,
        `Corrected: ${answer.corrected.map((c) => c.name.en).join(', ')}. The audit trail names the fields; the Word form is made from the corrected data.`,
      ),
    );
  });
  const confirm = () => {
    const changedFields = Object.fromEntries(
      fields.filter((f) => JSON.stringify(value[f]) !== JSON.stringify(n.form[f])).map((f) => [f, value[f]]),
    );
    if (Object.keys(changedFields).length === 0) {
      setProblem(t('没有改动：请修改需要更正的项目。', 'Nothing changed: edit the fields to correct.'));
      return;
    }
    setProblem('');
    void send.run(changedFields);
  };
  const issues = issuesOf(send.error);
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setValue(initial());
          send.clear();
          setProblem('');
          setOpen(true);
        }}
      >
        {t('更正个人信息', 'Correct personal information')}
      </button>
      <ConfirmDialog
        id="correction-dialog"
        open={open}
        title={t('更正个人信息', 'Correct personal information')}
        confirmLabel={t('保存更正', 'Save the correction')}
        busy={send.busy}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>
          {nameOf(n)} · {n.unitName}
        </p>
        <p class="muted small">
          {t(
            '按本人请求更正。操作记录只记下更正了哪些项目，不记录内容。',
            'Corrected at the person’s request. The audit trail records which fields, not their values.',
          )}
        </p>
        <SchemaForm
          schema={schema}
          value={value}
          onChange={setValue}
          issues={issues}
          shown={() => true}
          onTouch={() => {}}
          disabled={send.busy}
        />
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        {issues.length === 0 && <ErrorNotice error={send.error} />}
      </ConfirmDialog>
    </>
  );
}

function Deletion(props: {
  detail: NominationDetail;
  view: DeletionView;
  onDone: (message: string) => Promise<void>;
}) {
  const n = props.detail.nomination;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const send = useAction(async () => {
    await post(`/api/nominations/${encodeURIComponent(n.id)}/deletion`, {
      version: props.view.version,
      reason: reason.trim(),
    });
    setOpen(false);
    await props.onDone(
      t(
        '已删除此人的个人信息：推荐已撤回，名额已空出，流程已终止，表中个人信息和全部附件已删除。',
        "The person's data is deleted: the nomination is withdrawn, the place freed, the workflow stopped, the personal fields and every file erased.",
      ),
    );
  });
  const confirm = () => {
    if (reason.trim().length < DELETION_REASON_LENGTH.min) {
      setProblem(
        t(
          `请写明删除理由（至少 ${DELETION_REASON_LENGTH.min} 个字），例如本人书面申请的日期。`,
          `Write the reason (at least ${DELETION_REASON_LENGTH.min} characters), e.g. the date of the person's written request.`,
        ),
      );
      return;
    }
    setProblem('');
    void send.run();
  };
  return (
    <>
      <button
        type="button"
        class="danger"
        disabled={props.view.refusal !== null}
        onClick={() => {
          send.clear();
          setProblem('');
          setOpen(true);
        }}
      >
        {t('删除此人的个人信息', "Delete this person's data")}
      </button>
      <ConfirmDialog
        id="deletion-dialog"
        open={open}
        title={t('删除此人的个人信息？', "Delete this person's data?")}
        confirmLabel={t('确认删除', 'Delete')}
        danger
        busy={send.busy}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>
          {nameOf(n)} · {n.unitName}
        </p>
        <p>{t('删除后：', 'Deleting it means:')}</p>
        <ul>
          {props.view.effects.map((effect) => (
            <li key={effect.id}>{tr(effect.text)}</li>
          ))}
        </ul>
        <label for="deletion-reason">{t('删除理由（必填）', 'Reason (required)')}</label>
        <textarea
          id="deletion-reason"
          rows={3}
          maxLength={DELETION_REASON_LENGTH.max}
          value={reason}
          aria-describedby="deletion-reason-hint"
          onInput={(event) => {
            setReason(event.currentTarget.value);
            // The refusal was about the reason as it stood; once edited, it is judged again at confirm.
            setProblem('');
          }}
        />
        <p id="deletion-reason-hint" class="muted small">
          {t(
            '写明依据，如本人书面申请的日期；请勿写入姓名、电话等个人信息。',
            "Give the grounds, e.g. the date of the person's written request; do not write names, phones or other personal details.",
          )}
        </p>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <ErrorNotice error={send.error} />
      </ConfirmDialog>
    </>
  );
}
