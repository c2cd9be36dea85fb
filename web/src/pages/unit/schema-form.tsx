import type { TargetedEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { readCalendarDate, readYearMonth } from '../../../../functions/rules/calendar.js';
import type { FieldIssue } from '../../../../functions/rules/errors.js';
import { countCharacters } from '../../../../functions/rules/text.js';
import type { JsonSchema } from '../../../../functions/rules/validation.js';
import { t, tr } from '../../i18n.js';
import { clipToLimit } from './text-limit.js';

/**
 * Renders an official form from its JSON Schema (generated from the domain's zod schema, with
 * the Chinese label in `title`, the English in `x-title-en`, options in `x-options`, hints in
 * `x-hint-*`, limits in `maxLength`/`minimum`/`maximum`), in the schema's order — the order of
 * the printed table. Values are kept as the API takes them (numbers as numbers); what the
 * person typed in a number field is kept aside so "12." or "abc" is not lost while typing and
 * the validator says what is wrong with it.
 */

export type Path = (string | number)[];
export type FormValue = Record<string, unknown>;

export const pathKey = (path: readonly (string | number)[]) => path.join('.');
export const fieldId = (path: readonly (string | number)[]) => `uf-${path.join('-')}`;

/** Fields whose counter is shown ("已输入 n / 1000 字"): the long narratives. */
const COUNTER_FROM = 500;

export function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** A copy of `value` with `path` set (or removed when `next` is undefined). */
export function setAt(value: unknown, path: Path, next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...value] : [];
    list[head] = setAt(list[head], rest, next);
    return list;
  }
  const object =
    value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as FormValue) } : {};
  const child = setAt(object[head], rest, next);
  if (child === undefined) delete object[head];
  else object[head] = child;
  return object;
}

const title = (node: JsonSchema): string =>
  t(String(node.title ?? ''), String(node['x-title-en'] ?? node.title ?? ''));

interface Option {
  value: string;
  zh: string;
  en: string;
}

/** A new, empty entry of a list: booleans start unticked (false is an answer), the rest empty. */
export function emptyOf(node: JsonSchema): unknown {
  if (node.type === 'boolean') return false;
  if (node.type === 'object' && node.properties) {
    const out: FormValue = {};
    for (const [key, child] of Object.entries(node.properties as Record<string, JsonSchema>)) {
      const empty = emptyOf(child);
      if (empty !== undefined) out[key] = empty;
    }
    return out;
  }
  if (Array.isArray(node.oneOf)) return {};
  return undefined;
}

/** Fills in what a checkbox shows anyway (unticked = false), so the form holds what is on screen. */
export function withDefaults(schema: JsonSchema, value: unknown): unknown {
  if (schema.type === 'boolean') return typeof value === 'boolean' ? value : false;
  if (schema.type === 'object' && schema.properties) {
    const out: FormValue = value && typeof value === 'object' ? { ...(value as FormValue) } : {};
    for (const [key, child] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
      const filled = withDefaults(child, out[key]);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value)) {
    const items = schema.items as JsonSchema;
    return value.map((item) => withDefaults(items, item));
  }
  return value;
}

interface Context {
  value: FormValue;
  raw: Record<string, string>;
  issues: Map<string, FieldIssue[]>;
  shown: (key: string) => boolean;
  /** `raw`: what was typed, kept aside for the box; null forgets it (the box shows the value). */
  set: (path: Path, next: unknown, raw?: string | null) => void;
  touch: (key: string) => void;
  announce: (text: string) => void;
  disabled: boolean;
}

export interface SchemaFormProps {
  schema: JsonSchema;
  value: FormValue;
  onChange: (next: FormValue) => void;
  issues: readonly FieldIssue[];
  /** Whether the problems of a field are shown (touched, filled, or after an attempt to submit). */
  shown: (key: string) => boolean;
  onTouch: (key: string) => void;
  disabled?: boolean;
}

export function SchemaForm(props: SchemaFormProps) {
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [announcement, setAnnouncement] = useState('');
  const latest = useRef(props.value);
  latest.current = props.value;
  const issues = new Map<string, FieldIssue[]>();
  for (const issue of props.issues) {
    const key = pathKey(issue.path);
    issues.set(key, [...(issues.get(key) ?? []), issue]);
  }
  const context: Context = {
    value: props.value,
    raw,
    issues,
    shown: props.shown,
    set: (path, next, rawText) => {
      const updated = setAt(latest.current, path, next) as FormValue;
      latest.current = updated;
      if (rawText === null) {
        setRaw(({ [pathKey(path)]: _forgotten, ...rest }) => rest);
      } else if (rawText !== undefined) {
        setRaw((r) => ({ ...r, [pathKey(path)]: rawText }));
      }
      props.onChange(updated);
    },
    touch: props.onTouch,
    announce: setAnnouncement,
    disabled: Boolean(props.disabled),
  };
  const properties = props.schema.properties as Record<string, JsonSchema>;
  const required = (props.schema.required ?? []) as string[];
  return (
    <div class="unit-form">
      {Object.entries(properties).map(([key, node]) => (
        <Field key={key} node={node} path={[key]} required={required.includes(key)} context={context} />
      ))}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function Problems(props: { id: string; issues: FieldIssue[] | undefined }) {
  if (!props.issues || props.issues.length === 0) return null;
  // One line per message: two checks that fail alike (a pattern and a refinement) say it once.
  const messages = [...new Set(props.issues.map((issue) => tr(issue.message)))];
  return (
    <div id={props.id}>
      {messages.map((message) => (
        <p class="problem" key={message}>
          {message}
        </p>
      ))}
    </div>
  );
}

interface FieldProps {
  node: JsonSchema;
  path: Path;
  required: boolean;
  context: Context;
  /** A label to use instead of the schema's (list entries: "第 2 项"). */
  label?: string;
}

function Field(props: FieldProps) {
  const { node } = props;
  if (Array.isArray(node.oneOf)) return <ChoiceGroupField {...props} />;
  if (node.type === 'object') return <GroupField {...props} />;
  if (node.type === 'array') return <ListField {...props} />;
  if (node.type === 'boolean') return <CheckboxField {...props} />;
  if (node.type === 'integer' || node.type === 'number') return <NumberField {...props} />;
  if (Array.isArray(node['x-options'])) return <SelectField {...props} />;
  if (node.format === 'year-month' || node.format === 'date') return <DateField {...props} />;
  return <TextField {...props} />;
}

/** Shared bits of a single field: its id, its problems when shown, the describedby list. */
function useFieldParts(path: Path, context: Context, extra: (string | false)[] = []) {
  const key = pathKey(path);
  const id = fieldId(path);
  const problems = context.shown(key) ? context.issues.get(key) : undefined;
  const invalid = Boolean(problems && problems.length > 0);
  const describedBy = [...extra, invalid && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  return { key, id, problems, invalid, describedBy };
}

function Label(props: { for: string; text: string; required: boolean }) {
  return (
    <label for={props.for}>
      {props.text}
      {props.required && (
        <span class="unit-required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </label>
  );
}

function Hint(props: { id: string; node: JsonSchema; extra?: string }) {
  const parts: string[] = [];
  if (typeof props.node.description === 'string') parts.push(props.node.description);
  if (typeof props.node['x-hint-zh'] === 'string') {
    parts.push(t(props.node['x-hint-zh'], String(props.node['x-hint-en'])));
  }
  if (props.extra) parts.push(props.extra);
  if (props.node['x-official'] === false) {
    parts.push(
      t(
        '不印在推荐表上，用于资格条件的自动检查',
        'Not printed on the form; used by the automatic eligibility check',
      ),
    );
  }
  if (parts.length === 0) return null;
  return (
    <p class="hint" id={props.id}>
      {parts.join(t('；', '; '))}
    </p>
  );
}

function hasHint(node: JsonSchema, extra?: string): boolean {
  return (
    typeof node.description === 'string' ||
    typeof node['x-hint-zh'] === 'string' ||
    node['x-official'] === false ||
    Boolean(extra)
  );
}

function TextField({ node, path, required, context, label }: FieldProps) {
  const max = typeof node.maxLength === 'number' ? node.maxLength : undefined;
  const long = max !== undefined && max >= COUNTER_FROM;
  const current = valueAt(context.value, path);
  const text = typeof current === 'string' ? current : current === undefined ? '' : String(current);
  const count = countCharacters(text);
  const limitHint = max !== undefined && !long ? t(`最多 ${max} 字`, `at most ${max} characters`) : undefined;
  const hintShown = hasHint(node, limitHint);
  const parts = useFieldParts(path, context, [
    hintShown && `${fieldId(path)}-hint`,
    long && `${fieldId(path)}-count`,
  ]);
  const composing = useRef(false);
  const before = useRef(text);
  before.current = text;

  const commit = (element: HTMLInputElement | HTMLTextAreaElement) => {
    let next = element.value;
    if (max !== undefined && !composing.current) {
      const clipped = clipToLimit(before.current, next, element.selectionEnd ?? next.length, max);
      if (clipped.value !== next) {
        element.value = clipped.value;
        element.setSelectionRange(clipped.caret, clipped.caret);
        next = clipped.value;
      }
      if (clipped.refused > 0) {
        context.announce(
          t(
            `已达 ${max} 字上限，多出的 ${clipped.refused} 字未输入`,
            `Limit of ${max} characters reached; ${clipped.refused} more were not entered`,
          ),
        );
      }
    }
    before.current = next;
    context.set(path, next === '' ? undefined : next);
  };
  const common = {
    id: parts.id,
    name: parts.key,
    value: text,
    disabled: context.disabled,
    'aria-invalid': parts.invalid ? ('true' as const) : undefined,
    'aria-describedby': parts.describedBy,
    'aria-required': required ? ('true' as const) : undefined,
    onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement, Event>) =>
      commit(event.currentTarget),
    onCompositionStart: () => {
      composing.current = true;
    },
    onCompositionEnd: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement, Event>) => {
      composing.current = false;
      commit(event.currentTarget);
    },
    onBlur: () => context.touch(parts.key),
  };
  return (
    <div class="field">
      <Label for={parts.id} text={label ?? title(node)} required={required} />
      <Hint id={`${parts.id}-hint`} node={node} extra={limitHint} />
      {long ? <textarea {...common} rows={10} /> : <input type="text" autoComplete="off" {...common} />}
      {long && max !== undefined && (
        <p id={`${parts.id}-count`} class={`counter${count >= max ? ' over' : ''}`}>
          {t(`已输入 ${count} / ${max} 字`, `${count} / ${max} characters`)}
          {count >= max && t('（已达上限）', ' (limit reached)')}
        </p>
      )}
      <Problems id={`${parts.id}-problem`} issues={parts.problems} />
    </div>
  );
}

/**
 * A year-month or a date typed as people write it (1978年5月, 1978.5, 1978/05…): the value kept is
 * the form's own (1978-05) as soon as it reads as one, and what was typed stays in the box until
 * the field is left, when it shows the value as stored.
 */
function DateField({ node, path, required, context, label }: FieldProps) {
  const key = pathKey(path);
  const monthOnly = node.format === 'year-month';
  const read = monthOnly ? readYearMonth : readCalendarDate;
  const current = valueAt(context.value, path);
  const shown = context.raw[key] ?? (typeof current === 'string' ? current : '');
  const parts = useFieldParts(path, context, [`${fieldId(path)}-hint`]);
  const alsoAccepted = monthOnly
    ? t('也可写作 2021年3月、2021.3 或 2021/03', 'also 2021.3 or 2021/03')
    : t('也可写作 2020年6月1日 或 2020/6/1', 'also 2020/6/1');
  return (
    <div class="field">
      <Label for={parts.id} text={label ?? title(node)} required={required} />
      <Hint id={`${parts.id}-hint`} node={node} extra={alsoAccepted} />
      <input
        type="text"
        class="unit-date"
        id={parts.id}
        name={key}
        inputMode="text"
        autoComplete="off"
        value={shown}
        disabled={context.disabled}
        aria-invalid={parts.invalid ? 'true' : undefined}
        aria-describedby={parts.describedBy}
        aria-required={required ? 'true' : undefined}
        onInput={(event) => {
          const text = event.currentTarget.value;
          context.set(path, text.trim() === '' ? undefined : (read(text) ?? text), text);
        }}
        onBlur={(event) => {
          const understood = read(event.currentTarget.value);
          if (understood) context.set(path, understood, null);
          context.touch(key);
        }}
      />
      <Problems id={`${parts.id}-problem`} issues={parts.problems} />
    </div>
  );
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)$/;

function NumberField({ node, path, required, context, label }: FieldProps) {
  const key = pathKey(path);
  const current = valueAt(context.value, path);
  const shown = context.raw[key] ?? (current === undefined ? '' : String(current));
  const range =
    typeof node.minimum === 'number' && typeof node.maximum === 'number' && node['x-unit'] === '%'
      ? t(`${node.minimum}—${node.maximum}，单位 %`, `${node.minimum}–${node.maximum}, in %`)
      : node.type === 'integer'
        ? t('整数', 'a whole number')
        : t('数字，可含小数', 'a number, decimals allowed');
  const parts = useFieldParts(path, context, [`${fieldId(path)}-hint`]);
  return (
    <div class="field">
      <Label for={parts.id} text={label ?? title(node)} required={required} />
      <Hint id={`${parts.id}-hint`} node={node} extra={range} />
      <div class="unit-number">
        <input
          type="text"
          id={parts.id}
          name={key}
          inputMode={node.type === 'integer' ? 'numeric' : 'decimal'}
          autoComplete="off"
          value={shown}
          disabled={context.disabled}
          aria-invalid={parts.invalid ? 'true' : undefined}
          aria-describedby={parts.describedBy}
          aria-required={required ? 'true' : undefined}
          onInput={(event) => {
            const text = event.currentTarget.value;
            const trimmed = text.trim().replace(/[,，]/g, '');
            const next = trimmed === '' ? undefined : NUMBER.test(trimmed) ? Number(trimmed) : text;
            context.set(path, next, text);
          }}
          onBlur={() => context.touch(key)}
        />
        {node['x-unit'] === '%' && <span aria-hidden="true">%</span>}
      </div>
      <Problems id={`${parts.id}-problem`} issues={parts.problems} />
    </div>
  );
}

function SelectField({ node, path, required, context, label }: FieldProps) {
  const options = node['x-options'] as Option[];
  const current = valueAt(context.value, path);
  const parts = useFieldParts(path, context, [hasHint(node) && `${fieldId(path)}-hint`]);
  return (
    <div class="field">
      <Label for={parts.id} text={label ?? title(node)} required={required} />
      <Hint id={`${parts.id}-hint`} node={node} />
      <select
        id={parts.id}
        name={parts.key}
        value={typeof current === 'string' ? current : ''}
        disabled={context.disabled}
        aria-invalid={parts.invalid ? 'true' : undefined}
        aria-describedby={parts.describedBy}
        aria-required={required ? 'true' : undefined}
        onChange={(event) => {
          const next = event.currentTarget.value;
          context.set(path, next === '' ? undefined : next);
          context.touch(parts.key);
        }}
      >
        <option value="">{t('请选择', 'Choose')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {t(option.zh, option.en)}
          </option>
        ))}
      </select>
      <Problems id={`${parts.id}-problem`} issues={parts.problems} />
    </div>
  );
}

function CheckboxField({ node, path, context, label }: FieldProps) {
  const current = valueAt(context.value, path) === true;
  const parts = useFieldParts(path, context, [hasHint(node) && `${fieldId(path)}-hint`]);
  return (
    <div class="field unit-check">
      <input
        type="checkbox"
        id={parts.id}
        name={parts.key}
        checked={current}
        disabled={context.disabled}
        aria-invalid={parts.invalid ? 'true' : undefined}
        aria-describedby={parts.describedBy}
        onChange={(event) => {
          context.set(path, event.currentTarget.checked);
          context.touch(parts.key);
        }}
      />
      <div>
        <label for={parts.id}>{label ?? title(node)}</label>
        <Hint id={`${parts.id}-hint`} node={node} />
        <Problems id={`${parts.id}-problem`} issues={parts.problems} />
      </div>
    </div>
  );
}

function GroupField({ node, path, context, label }: FieldProps) {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const required = (node.required ?? []) as string[];
  const parts = useFieldParts(path, context);
  return (
    <fieldset id={parts.id} class="unit-group" aria-describedby={parts.describedBy}>
      <legend>{label ?? title(node)}</legend>
      {Object.entries(properties).map(([key, child]) => (
        <Field
          key={key}
          node={child}
          path={[...path, key]}
          required={required.includes(key)}
          context={context}
        />
      ))}
      <Problems id={`${parts.id}-problem`} issues={parts.problems} />
    </fieldset>
  );
}

function ListField({ node, path, context }: FieldProps) {
  const items = node.items as JsonSchema;
  const list = valueAt(context.value, path);
  const entries = Array.isArray(list) ? list : [];
  const min = typeof node.minItems === 'number' ? node.minItems : 0;
  const max = typeof node.maxItems === 'number' ? node.maxItems : Number.POSITIVE_INFINITY;
  const parts = useFieldParts(path, context, [`${fieldId(path)}-hint`]);
  const itemName = title(items);
  const add = () => {
    context.set(path, [...entries, emptyOf(items)]);
    context.touch(parts.key);
    // Move to the new entry's first field, as a person adding a line expects.
    queueMicrotask(() =>
      setTimeout(() => {
        const added = document.getElementById(fieldId([...path, entries.length]));
        const first = added?.querySelector<HTMLElement>('input, select, textarea');
        first?.focus();
      }, 0),
    );
  };
  const remove = (index: number) => {
    const next = entries.filter((_, i) => i !== index);
    context.set(path, next.length > 0 ? next : []);
    context.touch(parts.key);
  };
  return (
    <fieldset id={parts.id} class="unit-list" aria-describedby={parts.describedBy}>
      <legend>{title(node)}</legend>
      <p class="hint" id={`${parts.id}-hint`}>
        {Number.isFinite(max)
          ? t(`填写 ${min}—${max} 项`, `${min}–${max} entries`)
          : t(`至少 ${min} 项`, `at least ${min} entries`)}
        {t(`，已填 ${entries.length} 项`, `, ${entries.length} entered`)}
      </p>
      <Problems id={`${parts.id}-problem`} issues={parts.problems} />
      <ol class="unit-list-items">
        {entries.map((_, index) => {
          const itemPath = [...path, index];
          const itemLabel = t(`${itemName} 第 ${index + 1} 项`, `${itemName} #${index + 1}`);
          return (
            <li key={index}>
              <Field node={items} path={itemPath} required context={context} label={itemLabel} />
              {!context.disabled && (
                <button type="button" class="link-button unit-remove" onClick={() => remove(index)}>
                  {t('删除', 'Remove')}
                  <span class="visually-hidden">{t(itemLabel, ` ${itemLabel}`)}</span>
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {!context.disabled && entries.length < max && (
        <button type="button" onClick={add}>
          {t(`添加${itemName}`, `Add ${itemName.toLowerCase()}`)}
        </button>
      )}
    </fieldset>
  );
}

/**
 * A choice between shapes (a listed activity category, or "other" with a name of its own):
 * one select offering every branch's options, then the chosen branch's other fields.
 */
function ChoiceGroupField({ node, path, context, label }: FieldProps) {
  const branches = node.oneOf as JsonSchema[];
  const current = valueAt(context.value, path) as FormValue | undefined;
  const discriminator = Object.keys((branches[0]?.properties ?? {}) as Record<string, JsonSchema>)[0] ?? '';
  const options: (Option & { branch: number })[] = [];
  branches.forEach((branch, index) => {
    const field = (branch.properties as Record<string, JsonSchema>)[discriminator] as JsonSchema;
    if (Array.isArray(field['x-options'])) {
      for (const o of field['x-options'] as Option[]) options.push({ ...o, branch: index });
    } else if (typeof field.const === 'string') {
      options.push({
        value: field.const,
        zh: String(field.title ?? field.const),
        en: String(field['x-title-en'] ?? field.const),
        branch: index,
      });
    }
  });
  const chosen = options.find((o) => o.value === current?.[discriminator]);
  const branch = chosen ? branches[chosen.branch] : undefined;
  const selectPath = [...path, discriminator];
  const key = pathKey(path);
  const id = fieldId(selectPath);
  const own = [...(context.issues.get(key) ?? []), ...(context.issues.get(pathKey(selectPath)) ?? [])];
  const problems = context.shown(key) || context.shown(pathKey(selectPath)) ? own : [];
  const invalid = problems.length > 0;
  const required = (branch?.required ?? []) as string[];
  return (
    <div class="unit-choice" id={fieldId(path)}>
      <div class="field">
        <Label for={id} text={label ?? title(node)} required />
        <select
          id={id}
          name={pathKey(selectPath)}
          value={chosen?.value ?? ''}
          disabled={context.disabled}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={invalid ? `${id}-problem` : undefined}
          aria-required="true"
          onChange={(event) => {
            const value = event.currentTarget.value;
            // Keep the fields the new branch shares with the old one (the "other" text stays if re-chosen).
            const next: FormValue = value === '' ? {} : { [discriminator]: value };
            const nextBranch = options.find((o) => o.value === value);
            if (nextBranch && current) {
              const props = (branches[nextBranch.branch]?.properties ?? {}) as Record<string, JsonSchema>;
              for (const k of Object.keys(props)) {
                if (k !== discriminator && current[k] !== undefined) next[k] = current[k];
              }
            }
            context.set(path, next);
            context.touch(key);
          }}
        >
          <option value="">{t('请选择', 'Choose')}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {t(o.zh, o.en)}
            </option>
          ))}
        </select>
        <Problems id={`${id}-problem`} issues={problems} />
      </div>
      {branch &&
        Object.entries((branch.properties ?? {}) as Record<string, JsonSchema>)
          .filter(([k]) => k !== discriminator)
          .map(([k, child]) => (
            <Field
              key={k}
              node={child}
              path={[...path, k]}
              required={required.includes(k)}
              context={context}
            />
          ))}
    </div>
  );
}
