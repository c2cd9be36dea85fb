import '../secretariat/secretariat.css';
import './rounds.css';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Campaign } from '../../../../functions/rules/campaign.js';
import { ApiError, get, post } from '../../api.js';
import { allRounds, campaignById, loadRounds, rounds } from '../../campaigns.js';
import type { Bilingual } from '../../i18n.js';
import { formatDate, formatTime, t, tr } from '../../i18n.js';
import { session } from '../../session.js';
import { ErrorNotice, Layout, Loaded, RequireRole } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import {
  creationRequest,
  deadlineAfter,
  draftFrom,
  fieldOf,
  type QuotaDraft,
  type RoundDraft,
  suggestedId,
  unitTypeId,
} from './round-draft.js';

/**
 * `/rounds`: the rounds Laurel runs and the form that creates one from a template. Operations see
 * every round and may create any; a secretariat sees the rounds forwarding into its own (their
 * deadlines, how many each has forwarded) and creates rounds that forward into it.
 */
export function RoundsPage() {
  return (
    <RequireRole roles={['ops', 'secretariat']}>
      <Layout title={t('活动管理', 'Rounds')} wide>
        <div class="sec">
          {session.value?.actor.role === 'ops' ? <AllRounds /> : <ChildRounds />}
          <CorrectRound />
          <CreateRound />
        </div>
      </Layout>
    </RequireRole>
  );
}

/** The deadline as a person reads it: the last day submissions are taken. */
const lastDayOf = (deadline: string) => formatDate(new Date(Date.parse(deadline) - 1).toISOString());

function AllRounds() {
  const list = allRounds();
  return (
    <section aria-labelledby="rounds-title">
      <h2 id="rounds-title">{t('全部活动', 'Every round')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('活动', 'Round')}</th>
              <th scope="col">{t('主办单位', 'Organizer')}</th>
              <th scope="col">{t('报送截止（含当日）', 'Last day for submissions')}</th>
              <th scope="col">{t('向上级推荐', 'Forwards to')}</th>
              <th scope="col">{t('版本', 'Version')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id}>
                <td>{tr(c.name)}</td>
                <td>{tr(c.organizer.name)}</td>
                <td>{lastDayOf(c.deadline)}</td>
                <td>{c.forwardTo ? tr(campaignById(c.forwardTo.campaignId)?.name) : t('—', '—')}</td>
                <td>{rounds.value?.versions.get(c.id) ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface ChildRound {
  campaignId: string;
  name: Bilingual;
  organizer: Bilingual;
  deadline: string;
  version: number;
  asUnitType: string;
  forwarded: number;
}

function ChildRounds() {
  const own = session.value?.actor.campaignId ?? '';
  const children = useResource(
    (signal) =>
      get<{ rounds: ChildRound[] }>(`/api/campaigns/${encodeURIComponent(own)}/children`, { signal }),
    [own, rounds.value],
  );
  return (
    <section aria-labelledby="rounds-title">
      <h2 id="rounds-title">{t('向本活动推荐的下级活动', 'Rounds forwarding into this one')}</h2>
      <Loaded resource={children}>
        {(data) =>
          data.rounds.length === 0 ? (
            <p class="muted">{t('暂无下级活动。', 'No round forwards into this one yet.')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('活动', 'Round')}</th>
                    <th scope="col">{t('主办单位', 'Organizer')}</th>
                    <th scope="col">{t('报送截止（含当日）', 'Last day for submissions')}</th>
                    <th scope="col">{t('已向本活动报送', 'Forwarded here')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rounds.map((r) => (
                    <tr key={r.campaignId}>
                      <td>{tr(r.name)}</td>
                      <td>{tr(r.organizer)}</td>
                      <td>{lastDayOf(r.deadline)}</td>
                      <td>{r.forwarded}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

/** Every problem of a refused creation, by form field ('' for what the form does not show). */
function problemsByField(error: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return out;
  const raw = error.body.details?.issues;
  const issues = Array.isArray(raw) ? (raw as { path: (string | number)[]; message: Bilingual }[]) : [];
  const add = (field: string, message: string) => {
    const list = out.get(field) ?? [];
    if (!list.includes(message)) out.set(field, [...list, message]);
  };
  for (const issue of issues) add(fieldOf(issue.path), tr(issue.message));
  // A refusal that names one field (a round with this code exists already).
  if (issues.length === 0 && error.body.path.length > 0)
    add(fieldOf(error.body.path), tr(error.body.message));
  return out;
}

const QUOTA_SCOPES = [
  { scope: 'per-category', label: { zh: '每个类别', en: 'In each category' } },
  { scope: 'total', label: { zh: '各类别合计', en: 'All categories together' } },
  { scope: 'unlimited', label: { zh: '不限', en: 'No limit' } },
] as const;

/** Where a problem stands: under its field, read with it by screen readers. */
function Problems(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages?.length) return null;
  return (
    <div class="problem" id={`${props.id}-problem`}>
      {props.messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

function Field(props: {
  id: string;
  label: string;
  hint?: string;
  problems: Map<string, string[]>;
  problemKey?: string;
  wide?: boolean;
  children: (aria: { 'aria-invalid'?: true; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const messages = props.problems.get(props.problemKey ?? props.id);
  const describedBy =
    [props.hint ? `round-${props.id}-hint` : '', messages ? `round-${props.id}-problem` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div class={props.wide ? 'field field-wide' : 'field'}>
      <label for={`round-${props.id}`}>{props.label}</label>
      {props.children({
        ...(messages ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {props.hint && (
        <p class="hint" id={`round-${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <Problems id={`round-${props.id}`} messages={messages} />
    </div>
  );
}

function QuotaInput(props: {
  id: string;
  label: string;
  value: QuotaDraft;
  onChange: (value: QuotaDraft) => void;
  aria: { 'aria-invalid'?: true; 'aria-describedby'?: string };
}) {
  return (
    <div class="quota-input">
      <select
        id={`round-${props.id}`}
        value={props.value.scope}
        onChange={(e) =>
          props.onChange({ ...props.value, scope: e.currentTarget.value as QuotaDraft['scope'] })
        }
        {...props.aria}
      >
        {QUOTA_SCOPES.map((s) => (
          <option key={s.scope} value={s.scope}>
            {tr(s.label)}
          </option>
        ))}
      </select>
      {props.value.scope !== 'unlimited' && (
        <input
          type="number"
          min={0}
          step={1}
          aria-label={`${props.label}${t('（名）', ' (number)')}`}
          value={props.value.limit}
          onInput={(e) => props.onChange({ ...props.value, limit: e.currentTarget.value })}
          {...props.aria}
        />
      )}
    </div>
  );
}

/** The rounds a person may forward a new round into: any for operations, their own for a secretariat. */
function parentChoices(): Campaign[] {
  const actor = session.value?.actor;
  if (actor?.role === 'ops') return allRounds();
  const own = campaignById(actor?.campaignId ?? '');
  return own ? [own] : [];
}

/** The template a person starts from: a society's round when they create one forwarding into theirs. */
function initialDraft(): RoundDraft | undefined {
  const actor = session.value?.actor;
  const all = allRounds();
  if (actor?.role === 'ops') {
    const first = all.find((c) => !c.forwardTo) ?? all[0];
    return first ? draftFrom(first) : undefined;
  }
  const template = all.find((c) => c.forwardTo) ?? campaignById(actor?.campaignId ?? '');
  return template ? draftFrom(template, actor?.campaignId ?? '') : undefined;
}

function CreateRound() {
  const [draft, setDraft] = useState<RoundDraft | undefined>(initialDraft);
  const [idTouched, setIdTouched] = useState(false);
  const [created, setCreated] = useState<{ name: string; sentTo: string } | null>(null);
  const create = useAction(async (template: Campaign, current: RoundDraft) => {
    const answer = await post<{ round: { campaign: Campaign }; secretariat: { sentTo: string } }>(
      '/api/campaigns',
      creationRequest(template, current),
    );
    // The list read afresh first, so the new round is listed when the confirmation shows (a
    // failed read keeps the old list until the next page load; the round is created either way).
    await loadRounds(true).catch(() => undefined);
    setCreated({ name: tr(answer.round.campaign.name), sentTo: answer.secretariat.sentTo });
  });
  if (!draft) return null;
  const template = campaignById(draft.templateId);
  const parents = parentChoices();
  const parent = campaignById(draft.parentId);
  const isOps = session.value?.actor.role === 'ops';
  const problems = problemsByField(create.error);
  const unplaced = problems.get('') ?? [];

  const update = (change: Partial<RoundDraft>) => {
    const next = { ...draft, ...change };
    if (!idTouched && ('organizerEn' in change || 'year' in change))
      next.id = suggestedId(next.organizerEn, next.year);
    setDraft(next);
  };
  const value =
    (key: keyof RoundDraft) =>
    (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) =>
      update({ [key]: e.currentTarget.value });
  /** One text input of the round, bound to this draft, its setter and the API's problems. */
  const text = (field: Omit<TextFieldProps, 'draft' | 'value' | 'problems'>) => (
    <TextField {...field} draft={draft} value={value} problems={problems} />
  );
  const chooseTemplate = (id: string) => {
    const next = campaignById(id);
    if (next) setDraft({ ...draftFrom(next, isOps ? undefined : draft.parentId), ...keepTyped(draft) });
  };
  const chooseParent = (id: string) => {
    const chosen = campaignById(id);
    const asUnitType = chosen?.unitTypes.some((u) => u.id === draft.asUnitType)
      ? draft.asUnitType
      : (chosen?.unitTypes[0]?.id ?? '');
    update({ parentId: id, asUnitType });
  };
  const setUnitType = (index: number, change: Partial<RoundDraft['unitTypes'][number]>) =>
    update({ unitTypes: draft.unitTypes.map((u, i) => (i === index ? { ...u, ...change } : u)) });
  const allowed = parent?.unitTypes.find((u) => u.id === draft.asUnitType)?.quota;

  return (
    <section aria-labelledby="create-round-title" class="section-break">
      <h2 id="create-round-title">{t('新建活动', 'Create a round')}</h2>
      <p class="muted">
        {t(
          '新活动复制所选模板的推荐类别、推荐表、评审标准和附件要求；下面填写本活动自己的内容。保存前系统按与现有活动相同的规则检查，并发邮件邀请其秘书处。',
          'A new round copies the template’s categories, forms, review criteria and attachment limits; fill in what is its own below. It is checked by the same rules as the running rounds before it is saved, and its secretariat is invited by e-mail.',
        )}
      </p>
      {created && (
        <div class="notice ok" role="status">
          <p>
            {t(
              `“${created.name}”已创建，邀请已发送至 ${created.sentTo}。`,
              `“${created.name}” was created; the invitation went to ${created.sentTo}.`,
            )}
          </p>
        </div>
      )}
      {problems.size > 0 && (
        <div class="notice error" role="alert">
          <p>
            {t(
              '活动未创建，请修改下列标出的问题后重新提交：',
              'The round was not created. Correct the problems marked below and submit again:',
            )}
          </p>
          <ul class="problem-list">
            {[...problems.values()].flat().map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {create.error !== undefined && problems.size === 0 && <ErrorNotice error={create.error} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          if (template) void create.run(template, draft);
        }}
      >
        <fieldset>
          <legend>{t('模板与上级活动', 'Template and parent round')}</legend>
          <div class="form-grid">
            <Field
              id="templateId"
              label={t('模板', 'Template')}
              hint={t(
                '复制此活动的类别、推荐表和评审标准。',
                'Its categories, forms and criteria are copied.',
              )}
              problems={problems}
            >
              {(aria) => (
                <select
                  id="round-templateId"
                  value={draft.templateId}
                  onChange={(e) => chooseTemplate(e.currentTarget.value)}
                  {...aria}
                >
                  {allRounds().map((c) => (
                    <option key={c.id} value={c.id}>
                      {tr(c.name)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="parentId" label={t('向哪个活动推荐', 'Forwards to')} problems={problems}>
              {(aria) => (
                <select
                  id="round-parentId"
                  value={draft.parentId}
                  onChange={(e) => chooseParent(e.currentTarget.value)}
                  disabled={!isOps}
                  {...aria}
                >
                  {isOps && (
                    <option value="">
                      {t('不向上级推荐（自行评选并公示）', 'None (it selects and publishes itself)')}
                    </option>
                  )}
                  {parents.map((c) => (
                    <option key={c.id} value={c.id}>
                      {tr(c.name)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {parent && (
              <Field
                id="asUnitType"
                label={t('在上级活动中的推荐单位类型', 'As which unit type in that round')}
                hint={
                  allowed
                    ? t(
                        `上级活动给此类单位的名额：${quotaWords(allowed).zh}`,
                        `That round's quota for this type: ${quotaWords(allowed).en}`,
                      )
                    : undefined
                }
                problems={problems}
              >
                {(aria) => (
                  <select
                    id="round-asUnitType"
                    value={draft.asUnitType}
                    onChange={value('asUnitType')}
                    {...aria}
                  >
                    {parent.unitTypes.map((u) => (
                      <option key={u.id} value={u.id}>
                        {tr(u.name)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('活动', 'The round')}</legend>
          <div class="form-grid">
            {text({
              id: 'organizerZh',
              label: t('主办单位（中文）', 'Organizer (Chinese)'),
            })}
            {text({
              id: 'organizerEn',
              label: t('主办单位（英文）', 'Organizer (English)'),
            })}
            {text({
              id: 'officeZh',
              label: t('承办部门（中文）', 'Office (Chinese)'),
            })}
            {text({
              id: 'officeEn',
              label: t('承办部门（英文）', 'Office (English)'),
            })}
            {text({
              id: 'nameZh',
              label: t('活动名称（中文）', 'Round name (Chinese)'),
              wide: true,
            })}
            {text({
              id: 'nameEn',
              label: t('活动名称（英文）', 'Round name (English)'),
              wide: true,
            })}
            {text({
              id: 'year',
              type: 'number',
              label: t('年度', 'Year'),
            })}
            <Field
              id="id"
              label={t('网址代号', 'Code in addresses')}
              hint={t(
                '公示页面网址中使用，按主办单位英文名自动生成，可修改；仅限小写字母、数字和连字符。',
                'Used in the public pages’ addresses; suggested from the organizer’s English name; lower-case letters, digits and hyphens.',
              )}
              problems={problems}
            >
              {(aria) => (
                <input
                  id="round-id"
                  value={draft.id}
                  onInput={(e) => {
                    setIdTouched(true);
                    update({ id: e.currentTarget.value });
                  }}
                  autoComplete="off"
                  {...aria}
                />
              )}
            </Field>
            {text({
              id: 'lastDay',
              type: 'date',
              label: t('报送截止日期', 'Last day for submissions'),
              hint: t('当日 24:00（北京时间）截止。', 'Until 24:00 that day, China time.'),
            })}
            {text({
              id: 'experts',
              type: 'number',
              label: t('每个推荐对象的评审专家人数', 'Experts per nomination'),
            })}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('推荐单位类型与名额', 'Unit types and quotas')}</legend>
          <Problems id="round-unitTypes" messages={problems.get('unitTypes')} />
          {draft.unitTypes.map((u, i) => (
            <fieldset class="unit-type-row" key={u.id}>
              <legend>{t(`推荐单位类型 ${i + 1}`, `Unit type ${i + 1}`)}</legend>
              <div class="form-grid">
                <Field
                  id={`unitType-${i}-zh`}
                  problemKey={`unitTypes.${i}`}
                  label={t('类型名称（中文）', 'Type name (Chinese)')}
                  problems={problems}
                >
                  {(aria) => (
                    <input
                      id={`round-unitType-${i}-zh`}
                      value={u.nameZh}
                      onInput={(e) => setUnitType(i, { nameZh: e.currentTarget.value })}
                      {...aria}
                    />
                  )}
                </Field>
                <Field
                  id={`unitType-${i}-en`}
                  label={t('类型名称（英文）', 'Type name (English)')}
                  problems={new Map()}
                >
                  {(aria) => (
                    <input
                      id={`round-unitType-${i}-en`}
                      value={u.nameEn}
                      onInput={(e) => setUnitType(i, { nameEn: e.currentTarget.value })}
                      {...aria}
                    />
                  )}
                </Field>
                <Field id={`unitType-${i}-quota`} label={t('推荐名额', 'Quota')} problems={new Map()}>
                  {(aria) => (
                    <QuotaInput
                      id={`unitType-${i}-quota`}
                      label={t('推荐名额', 'Quota')}
                      value={u.quota}
                      onChange={(quota) => setUnitType(i, { quota })}
                      aria={aria}
                    />
                  )}
                </Field>
                <div class="field">
                  <button
                    type="button"
                    class="secondary"
                    disabled={draft.unitTypes.length === 1}
                    onClick={() => update({ unitTypes: draft.unitTypes.filter((_, j) => j !== i) })}
                  >
                    {t('删除此类型', 'Remove this type')}
                  </button>
                </div>
              </div>
            </fieldset>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() =>
              update({
                unitTypes: [
                  ...draft.unitTypes,
                  {
                    id: unitTypeId(
                      `type ${draft.unitTypes.length + 1}`,
                      draft.unitTypes.map((x) => x.id),
                    ),
                    nameZh: '',
                    nameEn: '',
                    quota: { scope: 'per-category', limit: '' },
                  },
                ],
              })
            }
          >
            {t('增加推荐单位类型', 'Add a unit type')}
          </button>
          <div class="form-grid">
            <Field
              id="selection"
              label={
                parent ? t('向上级推荐名额', 'Forwarded to the parent round') : t('评选名额', 'Selected')
              }
              problems={problems}
            >
              {(aria) => (
                <QuotaInput
                  id="selection"
                  label={
                    parent ? t('向上级推荐名额', 'Forwarded to the parent round') : t('评选名额', 'Selected')
                  }
                  value={draft.selection}
                  onChange={(selection) => update({ selection })}
                  aria={aria}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('联系人与秘书处', 'Contact and secretariat')}</legend>
          <div class="form-grid">
            {text({
              id: 'contactPerson',
              label: t('联系人（可不填）', 'Contact person (optional)'),
            })}
            {text({
              id: 'contactPhone',
              label: t('联系电话（可不填）', 'Phone (optional)'),
            })}
            {text({
              id: 'contactEmail',
              type: 'email',
              label: t('联系邮箱（可不填）', 'Contact e-mail (optional)'),
            })}
            {text({
              id: 'secretariatName',
              label: t('秘书处名称', 'Secretariat name'),
            })}
            {text({
              id: 'secretariatEmail',
              type: 'email',
              label: t('秘书处电子邮箱', 'Secretariat e-mail'),
              hint: t('登录链接将发送到此邮箱。', 'The sign-in link is e-mailed here.'),
            })}
            {text({
              id: 'note',
              label: t('说明（可不填）', 'Note (optional)'),
              wide: true,
            })}
          </div>
        </fieldset>
        {unplaced.length > 0 && (
          <p class="hint">
            {t(
              '以上部分问题来自模板本身（如评审标准），请选择其他模板或联系运维人员。',
              'Some problems above come from the template itself (its review criteria, …): choose another template or ask operations.',
            )}
          </p>
        )}
        <button type="submit" disabled={create.busy || !template}>
          {create.busy
            ? t('正在创建…', 'Creating…')
            : t('创建活动并邀请秘书处', 'Create the round and invite its secretariat')}
        </button>
      </form>
    </section>
  );
}

/** What a person typed stays when they switch templates; only the template's rules change. */
function keepTyped(draft: RoundDraft): Partial<RoundDraft> {
  const {
    templateId: _template,
    unitTypes: _unitTypes,
    selection: _selection,
    experts: _experts,
    parentId: _parentId,
    asUnitType: _asUnitType,
    year: _year,
    ...typed
  } = draft;
  return typed;
}

interface TextFieldProps {
  id: keyof RoundDraft & string;
  label: string;
  hint?: string;
  type?: 'text' | 'number' | 'date' | 'email';
  problemKey?: string;
  wide?: boolean;
  draft: RoundDraft;
  value: (key: keyof RoundDraft) => (e: { currentTarget: HTMLInputElement }) => void;
  problems: Map<string, string[]>;
}

function TextField(props: TextFieldProps) {
  return (
    <Field
      id={props.id}
      label={props.label}
      {...(props.hint ? { hint: props.hint } : {})}
      {...(props.problemKey ? { problemKey: props.problemKey } : {})}
      {...(props.wide ? { wide: true } : {})}
      problems={props.problems}
    >
      {(aria) => (
        <input
          id={`round-${props.id}`}
          // Preact types an input's attributes by a literal `type`; these four share the same ones.
          type={(props.type ?? 'text') as 'text'}
          value={String(props.draft[props.id])}
          onInput={props.value(props.id)}
          autoComplete="off"
          {...aria}
        />
      )}
    </Field>
  );
}

function quotaWords(rule: Campaign['selection']['quota']): Bilingual {
  switch (rule.scope) {
    case 'per-category':
      return { zh: `每个类别 ${rule.limit} 名`, en: `${rule.limit} in each category` };
    case 'total':
      return { zh: `各类别合计 ${rule.limit} 名`, en: `${rule.limit} over all categories` };
    case 'unlimited':
      return { zh: '不限', en: 'no limit' };
  }
}

/** The parts of a definition a version changed, in words (the API names them by field). */
const PART_NAMES: Record<string, Bilingual> = {
  deadline: { zh: '报送截止时间', en: 'deadline' },
  unitTypes: { zh: '推荐单位类型与名额', en: 'unit types and quotas' },
  selection: { zh: '评选名额', en: 'selection quota' },
  review: { zh: '评审', en: 'review' },
  name: { zh: '活动名称', en: 'name' },
  organizer: { zh: '主办单位', en: 'organizer' },
  contacts: { zh: '联系方式', en: 'contacts' },
  categories: { zh: '推荐类别与推荐表', en: 'categories and forms' },
  corrections: { zh: '退回修改期', en: 'correction period' },
  publicity: { zh: '公示', en: 'publicity' },
  forwardTo: { zh: '上级活动', en: 'parent round' },
  attachments: { zh: '附件要求', en: 'attachment limits' },
  eligibility: { zh: '申报条件', en: 'eligibility' },
};

interface RoundVersion {
  campaign: Campaign;
  version: number;
  savedAt: string;
  savedBy: { role: string; name: string };
  note: string;
  changed: string[];
}

/** The rounds a person may correct: any for operations; a secretariat its own and those forwarding into it. */
function correctable(): Campaign[] {
  const actor = session.value?.actor;
  if (actor?.role === 'ops') return allRounds();
  return allRounds().filter(
    (c) => c.id === actor?.campaignId || c.forwardTo?.campaignId === actor?.campaignId,
  );
}

/**
 * A running round's versions (who changed what, when, why) and its most common correction: a
 * later deadline, with the reason. The API refuses what a running round may not change and names
 * the field; a correction made meanwhile by someone else is refused, not overwritten.
 */
function CorrectRound() {
  const choices = correctable();
  const [roundId, setRoundId] = useState(choices[0]?.id ?? '');
  const [lastDay, setLastDay] = useState('');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const versions = useResource(
    (signal) =>
      get<{ versions: RoundVersion[] }>(`/api/campaigns/${encodeURIComponent(roundId)}/versions`, { signal }),
    [roundId],
  );
  const correct = useAction(async (current: RoundVersion) => {
    const answer = await post<{ round: { version: number } }>(
      `/api/campaigns/${encodeURIComponent(roundId)}/versions`,
      {
        definition: { ...current.campaign, deadline: deadlineAfter(lastDay) },
        basedOn: current.version,
        note: note.trim(),
      },
    );
    await Promise.all([versions.reload(), loadRounds(true).catch(() => undefined)]);
    setSaved(answer.round.version);
    setNote('');
  });
  if (choices.length === 0) return null;
  const problems = problemsByField(correct.error);
  const current = versions.data?.versions.at(-1);
  return (
    <section aria-labelledby="correct-round-title" class="section-break">
      <h2 id="correct-round-title">{t('活动版本与更正', 'Versions and corrections')}</h2>
      <div class="form-grid">
        <Field id="correction-round" label={t('活动', 'Round')} problems={new Map()}>
          {(aria) => (
            <select
              id="round-correction-round"
              value={roundId}
              onChange={(e) => {
                setRoundId(e.currentTarget.value);
                setSaved(null);
                correct.clear();
              }}
              {...aria}
            >
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {tr(c.name)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Loaded resource={versions}>
        {(data) => (
          <div class="table-wrap">
            <table>
              <caption class="caption-left">{t('各版本', 'Versions')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('版本', 'Version')}</th>
                  <th scope="col">{t('时间', 'When')}</th>
                  <th scope="col">{t('修改人', 'By')}</th>
                  <th scope="col">{t('更改内容', 'Changed')}</th>
                  <th scope="col">{t('原因', 'Why')}</th>
                  <th scope="col">{t('报送截止（含当日）', 'Last day for submissions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.versions.map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td>{formatTime(v.savedAt)}</td>
                    <td>{v.savedBy.name}</td>
                    <td>
                      {v.changed.length === 0
                        ? t('新建', 'Created')
                        : v.changed.map((c) => tr(PART_NAMES[c]) || c).join(t('、', ', '))}
                    </td>
                    <td>{v.note || '—'}</td>
                    <td>{lastDayOf(v.campaign.deadline)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {saved !== null && (
        <div class="notice ok" role="status">
          <p>{t(`已保存为第 ${saved} 版。`, `Saved as version ${saved}.`)}</p>
        </div>
      )}
      {problems.size > 0 && (
        <div class="notice error" role="alert">
          <p>{t('未保存：', 'Not saved:')}</p>
          <ul class="problem-list">
            {[...problems.values()].flat().map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {correct.error !== undefined && problems.size === 0 && <ErrorNotice error={correct.error} />}
      {current && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(null);
            void correct.run(current);
          }}
        >
          <div class="form-grid">
            <Field
              id="correction-lastDay"
              problemKey="lastDay"
              label={t('新的报送截止日期', 'New last day for submissions')}
              hint={t(
                '当日 24:00（北京时间）截止。已有推荐提交后只能推迟。',
                'Until 24:00 that day, China time. Once units have submitted, only a later day.',
              )}
              problems={problems}
            >
              {(aria) => (
                <input
                  id="round-correction-lastDay"
                  type="date"
                  value={lastDay}
                  onInput={(e) => setLastDay(e.currentTarget.value)}
                  {...aria}
                />
              )}
            </Field>
            <Field
              id="correction-note"
              problemKey="note"
              label={t('更改原因', 'Reason for the change')}
              problems={problems}
            >
              {(aria) => (
                <input
                  id="round-correction-note"
                  value={note}
                  onInput={(e) => setNote(e.currentTarget.value)}
                  autoComplete="off"
                  {...aria}
                />
              )}
            </Field>
          </div>
          <button type="submit" disabled={correct.busy}>
            {correct.busy ? t('正在保存…', 'Saving…') : t('保存为新版本', 'Save as a new version')}
          </button>
        </form>
      )}
    </section>
  );
}
