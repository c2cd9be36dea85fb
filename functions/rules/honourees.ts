import { parse } from 'csv-parse/sync';
import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from './categories.js';
import { type FieldIssue, HonoureeImportError } from './errors.js';
import type { Subject } from './forms/index.js';
import {
  editDistance,
  forbiddenCharacter,
  forbiddenCharacterMessage,
  normaliseName,
  normaliseText,
} from './text.js';

/**
 * Past honourees (科技志愿服务典型 of 2019–2023) may not apply again. The secretariat imports
 * the earlier lists as CSV; every nomination's subject is matched against them:
 * - exact: the same name and the same organization after normalisation → excluded;
 * - near: the same name at another organization, or a name one character off at the same
 *   organization → flagged for a person to check, with the candidate shown.
 */

export interface Honouree {
  name: string;
  organization: string;
  year: number;
  category: CategoryId;
}

export type HonoureeMatch =
  | { kind: 'none' }
  | { kind: 'exact'; honouree: Honouree }
  | { kind: 'near'; honouree: Honouree; reason: 'same-name-other-organization' | 'similar-name' };

const HEADER_ALIASES: Record<string, keyof Honouree> = {
  name: 'name',
  姓名: 'name',
  名称: 'name',
  '姓名/名称': 'name',
  organization: 'organization',
  单位: 'organization',
  组织: 'organization',
  所在单位: 'organization',
  '单位/组织': 'organization',
  year: 'year',
  年度: 'year',
  年份: 'year',
  category: 'category',
  类别: 'category',
};

/**
 * Other spellings of the categories met in past lists: the names without 最美/最佳, the form
 * titles, short forms, the English of earlier years. Compared after normaliseName, and after
 * dropping quotes and a trailing 类 ("志愿者类").
 */
const CATEGORY_ALIASES: Readonly<Record<CategoryId, readonly string[]>> = {
  volunteer: ['科技志愿者', '优秀科技志愿者', '志愿者', '个人', 'S&T volunteer', 'volunteers', 'individual'],
  organization: [
    '科技志愿服务组织',
    '优秀科技志愿服务组织',
    '志愿服务组织',
    '服务组织',
    '组织',
    'S&T volunteer service organization',
    'organisation',
    'organizations',
  ],
  project: [
    '科技志愿服务项目',
    '优秀科技志愿服务项目',
    '志愿服务项目',
    '服务项目',
    '项目',
    'S&T volunteer service project',
    'projects',
  ],
  site: [
    '科技志愿服务点',
    '最美科技志愿服务点',
    '科技志愿服务点（社区或村）',
    '志愿服务点',
    '服务点',
    '社区或村',
    'S&T volunteer service site',
    'sites',
  ],
};

const categoryKey = (text: string) =>
  normaliseName(text)
    .replace(/^["'“”‘’「」『』《》]+|["'“”‘’「」『』《》]+$/g, '')
    .replace(/类$/, '');

/**
 * Built on the first lookup, not at import: its keys go through the traditional → simplified
 * conversion, whose dictionaries cost a cold start tens of milliseconds in every function that
 * imports this module, most of which never read an honourees list.
 */
let categoryByKey: ReadonlyMap<string, CategoryId> | undefined;

function categoryFromText(text: string): CategoryId | undefined {
  categoryByKey ??= new Map(
    CATEGORY_IDS.flatMap((id) =>
      [id, CATEGORY_NAMES[id].zh, CATEGORY_NAMES[id].en, ...CATEGORY_ALIASES[id]].map(
        (name) => [categoryKey(name), id] as const,
      ),
    ),
  );
  return categoryByKey.get(categoryKey(text));
}

/**
 * Reads a CSV with a header row: name, organization, year, category (English or Chinese
 * headers; category as id or its Chinese name). Every bad row is reported with its line
 * number; nothing is imported unless every row is good.
 */
export function parseHonoureeCsv(csv: string, years: { from: number; to: number }): Honouree[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      bom: true,
      columns: (header: string[]) =>
        header.map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? HEADER_ALIASES[h.trim()] ?? h.trim()),
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new HonoureeImportError([
      {
        path: [],
        code: 'csv_malformed',
        message: {
          zh: `CSV 格式错误：${(error as Error).message}`,
          en: `Malformed CSV: ${(error as Error).message}`,
        },
      },
    ]);
  }
  const first = rows[0];
  const missing = (['name', 'organization', 'year', 'category'] as const).filter(
    (c) => first && !(c in first),
  );
  if (!first || missing.length > 0) {
    throw new HonoureeImportError([
      {
        path: [],
        code: 'csv_columns',
        message: {
          zh: `CSV 须有表头：姓名、单位、年度、类别${missing.length ? `（缺少 ${missing.join('、')}）` : '（文件为空）'}`,
          en: `The CSV needs a header row: name, organization, year, category${missing.length ? ` (missing ${missing.join(', ')})` : ' (the file is empty)'}`,
        },
      },
    ]);
  }

  const issues: FieldIssue[] = [];
  const honourees: Honouree[] = [];
  rows.forEach((row, index) => {
    const line = index + 2; // the header is line 1
    const bad = (field: string, zh: string, en: string) =>
      issues.push({
        path: [line, field],
        code: 'invalid_row',
        message: { zh: `第 ${line} 行：${zh}`, en: `line ${line}: ${en}` },
      });
    for (const field of ['name', 'organization'] as const) {
      const found = forbiddenCharacter(row[field] ?? '');
      if (found) {
        const message = forbiddenCharacterMessage(found);
        bad(field, `${field === 'name' ? '姓名/名称' : '单位'}${message.zh}`, `${field}: ${message.en}`);
      }
    }
    const name = normaliseText(row.name ?? '');
    const year = Number(row.year);
    const category = categoryFromText(row.category ?? '');
    if (!name) bad('name', '姓名/名称为空', 'the name is empty');
    if (!Number.isInteger(year) || year < years.from || year > years.to) {
      bad(
        'year',
        `年度“${row.year}”不在 ${years.from}—${years.to} 之间`,
        `year "${row.year}" is not within ${years.from}–${years.to}`,
      );
    }
    if (!category)
      bad(
        'category',
        `类别“${row.category}”无法识别（可填：${CATEGORY_IDS.map((id) => CATEGORY_NAMES[id].zh).join('、')}，或其简称）`,
        `category "${row.category}" is not recognised (use ${CATEGORY_IDS.join(', ')} or the Chinese names)`,
      );
    if (name && category && Number.isInteger(year)) {
      honourees.push({ name, organization: normaliseText(row.organization ?? ''), year, category });
    }
  });
  if (issues.length > 0) throw new HonoureeImportError(issues);
  return honourees;
}

interface Entry {
  honouree: Honouree;
  name: string;
  organization: string;
}

export interface HonoureeIndex {
  byName: Map<string, Entry[]>;
  entries: Entry[];
}

export function buildHonoureeIndex(honourees: readonly Honouree[]): HonoureeIndex {
  const entries = honourees.map((honouree) => ({
    honouree,
    name: normaliseName(honouree.name),
    organization: normaliseName(honouree.organization),
  }));
  const byName = new Map<string, Entry[]>();
  for (const entry of entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  return { byName, entries };
}

const sameOrganization = (a: string, b: string) => a === b || a === '' || b === '';
const relatedOrganization = (a: string, b: string) =>
  sameOrganization(a, b) || a.includes(b) || b.includes(a);
/** Names of up to 9 characters may differ by one character; longer names (projects, organizations) by two. */
const nameTolerance = (name: string) => ([...name].length >= 10 ? 2 : 1);

export function matchHonouree(index: HonoureeIndex, subject: Subject): HonoureeMatch {
  const name = normaliseName(subject.name);
  const organization = normaliseName(subject.organization);
  const sameName = index.byName.get(name) ?? [];
  const exact = sameName.find((e) => sameOrganization(e.organization, organization));
  if (exact) return { kind: 'exact', honouree: exact.honouree };
  const namesake = sameName[0];
  if (namesake) return { kind: 'near', honouree: namesake.honouree, reason: 'same-name-other-organization' };
  if ([...name].length < 2) return { kind: 'none' };
  const tolerance = nameTolerance(name);
  const similar = index.entries.find(
    (e) =>
      relatedOrganization(e.organization, organization) && editDistance(e.name, name, tolerance) <= tolerance,
  );
  return similar ? { kind: 'near', honouree: similar.honouree, reason: 'similar-name' } : { kind: 'none' };
}
