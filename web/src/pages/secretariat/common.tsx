import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Campaign } from '../../../../functions/rules/campaign.js';
import { CATEGORY_NAMES, type CategoryId } from '../../../../functions/rules/categories.js';
import type { ExpertPanel } from '../../../../functions/rules/expert-panel.js';
import { displayNameOf, type FormDataByCategory } from '../../../../functions/rules/forms/index.js';
import type { Nomination } from '../../../../functions/rules/nomination.js';
import type { NominationDetail } from '../../../../functions/rules/nomination-view.js';
import type { CampaignOverview } from '../../../../functions/rules/overview.js';
import type { SelectionOutcome } from '../../../../functions/rules/scoring.js';
import type { PublicEntry } from '../../../../functions/use-cases/campaign-steps.js';
import { ApiError, get } from '../../api.js';
import { campaignById } from '../../campaigns.js';
import { type Bilingual, t, tr } from '../../i18n.js';
import { session } from '../../session.js';
import { Layout } from '../../ui/components.js';
import { useResource } from '../../ui/hooks.js';
import './secretariat.css';
import type {
  CampaignState,
  Objection,
  ObjectionNominee,
  UnitEntry,
} from '../../../../functions/ports/campaigns.js';
import type { AuditEvent } from '../../../../functions/ports/nominations.js';

/** What the secretariat's API answers, typed by the same domain types the server shapes them with. */
export type {
  AuditEvent,
  CampaignOverview,
  CampaignState,
  ExpertPanel,
  Nomination,
  NominationDetail,
  Objection,
  ObjectionNominee,
  PublicEntry,
  SelectionOutcome,
};

/** A list row: the nomination without its form and attachments, with the nominee's name. */
export type ListedNomination = import('../../../../functions/rules/nomination-view.js').ListedNomination;

export interface NominationList {
  nominations: ListedNomination[];
  counts: Partial<Record<Nomination['status'], number>>;
  /** The next page's cursor; null on the last page. */
  cursor: string | null;
}

/** A path with its query: the parameters given (empty ones left out), the cursor last. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const query = search.toString();
  return query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path;
}

/**
 * One page of a paged list at a time, as the server cuts it (at most 100 rows): the page shown,
 * its number, and moves to the next page (with the cursor the server gave) and back (the cursors
 * of the pages before are kept). A new `path` — other filters, another search — starts again
 * from the first page. Never every page: a national round has thousands of rows.
 */
export function usePages<T extends { cursor: string | null }>(path: string) {
  const [trail, setTrail] = useState<{ path: string; cursors: string[] }>({ path, cursors: [] });
  const cursors = trail.path === path ? trail.cursors : [];
  const cursor = cursors.at(-1);
  const page = useResource((signal) => get<T>(withQuery(path, { cursor }), { signal }), [path, cursor]);
  const nextCursor = page.data?.cursor;
  return {
    page,
    number: cursors.length + 1,
    next:
      nextCursor && !page.loading ? () => setTrail({ path, cursors: [...cursors, nextCursor] }) : undefined,
    previous: cursors.length > 0 ? () => setTrail({ path, cursors: cursors.slice(0, -1) }) : undefined,
  };
}

/** Previous / next page of a paged list, with the page's number; nothing when there is one page. */
export function Pager(props: {
  label: string;
  number: number;
  next?: (() => void) | undefined;
  previous?: (() => void) | undefined;
}) {
  if (!props.next && !props.previous) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={!props.previous} onClick={props.previous}>
        {t('‹ 上一页', '‹ Previous page')}
      </button>
      <span class="pager-number">{t(`第 ${props.number} 页`, `Page ${props.number}`)}</span>
      <button type="button" disabled={!props.next} onClick={props.next}>
        {t('下一页 ›', 'Next page ›')}
      </button>
    </nav>
  );
}

/** The units an officer chooses from, by name: the campaign's directory of invited units. */
export function useUnitChoices() {
  const directory = useResource((signal) => get<{ units: UnitEntry[] }>(api('/units'), { signal }), []);
  const names = new Map((directory.data?.units ?? []).map((u) => [u.id, u.name]));
  const choices = [...names].map(([id, name]) => ({ id, name }));
  choices.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { choices, nameOf: (id: string | null | undefined) => (id ? (names.get(id) ?? '') : '') };
}

/**
 * Search by the start of the name (sent when the officer presses Search or Enter; clearing the box
 * shows everything again) and by unit (at once), for a list the server searches.
 */
export function NameUnitSearch(props: {
  /** Prefixes the inputs' ids: `<id>-q`, `<id>-unit`. */
  id: string;
  search: { q: string; unit: string };
  onSearch: (change: { q?: string; unit?: string }) => void;
  hint: string;
}) {
  const { search, onSearch } = props;
  const [typed, setTyped] = useState(search.q);
  const { choices } = useUnitChoices();
  return (
    <form
      class="filters"
      aria-label={t('查找', 'Find')}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ q: typed.trim() });
      }}
    >
      <div class="field">
        <label for={`${props.id}-q`}>{t('按名称搜索', 'Search by name')}</label>
        <div class="search-row">
          <input
            id={`${props.id}-q`}
            type="search"
            value={typed}
            maxLength={50}
            aria-describedby={`${props.id}-q-hint`}
            onInput={(e) => {
              setTyped(e.currentTarget.value);
              if (e.currentTarget.value === '' && search.q) onSearch({ q: '' });
            }}
          />
          <button type="submit">{t('搜索', 'Search')}</button>
        </div>
        <p id={`${props.id}-q-hint`} class="hint">
          {props.hint}
        </p>
      </div>
      <div class="field">
        <label for={`${props.id}-unit`}>{t('推荐单位', 'Recommending unit')}</label>
        <UnitSelect
          id={`${props.id}-unit`}
          value={search.unit}
          choices={choices}
          onChange={(unit) => onSearch({ unit })}
          emptyLabel={t('全部单位', 'All units')}
        />
      </div>
      {(search.q || search.unit) && (
        <div class="field filters-reset">
          <button
            type="button"
            onClick={() => {
              setTyped('');
              onSearch({ q: '', unit: '' });
            }}
          >
            {t('清除查找', 'Clear the search')}
          </button>
        </div>
      )}
    </form>
  );
}

/** A unit chosen by its name; the id travels as the option's value and is never shown. */
export function UnitSelect(props: {
  id: string;
  value: string;
  choices: readonly { id: string; name: string }[];
  onChange: (unitId: string) => void;
  required?: boolean;
  describedBy?: string | undefined;
  invalid?: boolean;
  emptyLabel: string;
}) {
  return (
    <select
      id={props.id}
      required={props.required}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      aria-invalid={props.invalid ? true : undefined}
      aria-describedby={props.describedBy}
    >
      <option value="">{props.emptyLabel}</option>
      {props.choices.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}
        </option>
      ))}
    </select>
  );
}

/** The campaign of the signed-in secretariat (pages render inside RequireRole, so there is one). */
export function campaignId(): string {
  return session.value?.actor.campaignId ?? '';
}

/** The campaign's rules as the API serves them (pages render once the rounds are loaded). */
export function campaignRules(): Campaign | undefined {
  return campaignById(campaignId());
}

export const api = (path: string) => `/api/campaigns/${encodeURIComponent(campaignId())}${path}`;

export const categoryName = (id: CategoryId) => tr(CATEGORY_NAMES[id]);

/** The nomination's headline: the person's, organization's, project's or site's name. */
export function nameOf(
  n: Pick<Nomination, 'category'> & { form?: unknown; name?: string; erasure?: unknown },
): string {
  // Once its personal data is deleted a nomination has no name left to show (a released one keeps
  // the name the final list publishes).
  const none = n.erasure
    ? t('（个人信息已删除）', '(personal data deleted)')
    : t('（未填写名称）', '(no name yet)');
  if (n.name) return n.name;
  if (!n.form) return none;
  try {
    const name = displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]);
    return name && !name.includes('undefined') ? name : none;
  } catch {
    return none;
  }
}

/** Field issues of a 400 answer by their dotted path, so each input can show its own problem. */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const issues = (error.body.details?.issues ?? []) as { path: (string | number)[]; message: Bilingual }[];
  const out: Record<string, string> = {};
  for (const issue of Array.isArray(issues) ? issues : []) {
    const key = issue.path.join('.');
    if (!out[key]) out[key] = tr(issue.message);
  }
  if (Object.keys(out).length === 0 && error.body.path.length > 0) {
    out[error.body.path.join('.')] = tr(error.body.message);
  }
  return out;
}

/** The issues of a 400 answer as a list (rows of an imported CSV, …). */
export function issueList(error: unknown): { path: string; message: string }[] {
  if (!(error instanceof ApiError)) return [];
  const issues = error.body.details?.issues;
  if (!Array.isArray(issues)) return [];
  return (issues as { path: (string | number)[]; message: Bilingual }[]).map((i) => ({
    path: i.path.join('.'),
    message: tr(i.message),
  }));
}

/**
 * A confirmation in a modal <dialog>: focus moves into it, Escape cancels, and the confirm
 * button is disabled while the action runs (so a double click never sends twice).
 */
export function ConfirmDialog(props: {
  open: boolean;
  id: string;
  title: string;
  confirmLabel: string;
  busy: boolean;
  danger?: boolean;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      id={props.id}
      aria-labelledby={`${props.id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (!props.busy && !props.confirmDisabled) props.onConfirm();
        }}
      >
        <h2 id={`${props.id}-title`} class="dialog-title">
          {props.title}
        </h2>
        {props.children}
        <div class="actions">
          <button
            type="submit"
            class={props.danger ? 'danger' : 'primary'}
            disabled={props.busy || props.confirmDisabled}
            aria-busy={props.busy}
          >
            {props.busy ? t('提交中…', 'Sending…') : props.confirmLabel}
          </button>
          <button type="button" disabled={props.busy} onClick={props.onClose}>
            {t('取消', 'Cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The query string of the current address as an object (filters live there, so Back restores them). */
export function queryParams(): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(location.search).entries());
}

/** Replaces the query string without adding a history entry for every keystroke. */
export function setQueryParams(params: Record<string, string | undefined>): void {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const query = search.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

/** Integer percentages that read well next to a bar. */
export const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/** The sub-navigation shared by the console's pages, naming where one is. */
export function ConsoleIntro(props: { children?: ComponentChildren }) {
  const campaign = campaignRules();
  return (
    <p class="muted console-campaign">
      {campaign ? tr(campaign.name) : campaignId()}
      {props.children}
    </p>
  );
}

/** Every console page: the wide layout, with the console's styles scoped under .sec. */
export function ConsoleLayout(props: { title: string; children: ComponentChildren }) {
  return (
    <Layout title={props.title} wide>
      <div class="sec">{props.children}</div>
    </Layout>
  );
}

/**
 * A wide table that scrolls sideways on a phone instead of squeezing its columns to one
 * character; the scrolling region is focusable and named, so the keyboard can scroll it too.
 */
export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
    <section class="table-wrap" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}

/** One column of a {@link RowTable}: its heading and what it shows for a row. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  /** The class of the column's body cells, e.g. `nowrap` for dates. */
  cellClass?: string;
}

/**
 * A table of one row per item inside a {@link TableWrap}. The first column is each row's
 * header (`<th scope="row">`), so a screen reader names the item with every cell it reads.
 */
export function RowTable<Row extends { id: string }>(props: {
  /** Names the scrolling region. */
  label: string;
  /** For screen readers only: the page's heading already says it on screen. */
  caption?: string;
  class?: string;
  columns: [Column<Row>, ...Column<Row>[]];
  rows: readonly Row[];
}) {
  const [rowHeader, ...dataColumns] = props.columns;
  return (
    <TableWrap label={props.label}>
      <table class={props.class}>
        {props.caption && <caption class="visually-hidden">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{rowHeader.cell(row)}</th>
              {dataColumns.map((column) => (
                <td key={column.header} class={column.cellClass}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
