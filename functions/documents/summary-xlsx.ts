import ExcelJS from 'exceljs';
import { eastAsianWidth } from 'get-east-asian-width';
import { type Campaign, summaryTitleOf } from '../rules/campaign.js';
import { CATEGORY_NAMES, type CategoryId, categoryOrder } from '../rules/categories.js';

/**
 * The summary table (汇总表) forwarded with the nominations: one row per forwarded nomination,
 * by category in the notice's order, then by rank — set as an office sends a table upward: the
 * title the notice gives it, 宋体, every cell bordered, rows as tall as their wrapped text, the
 * header repeated and frozen, printed on A4 landscape.
 */

export interface SummaryRow {
  /** Not printed; breaks ties so the same rows always give the same table. */
  nominationId: string;
  category: CategoryId;
  /** The person's, organization's, project's or site's name. */
  displayName: string;
  unitName: string;
  score: number;
  /** Rank within the category. */
  rank: number;
  contactName: string;
  contactPhone: string;
  /** Why the secretariat forwarded it against the score order, when it did; empty otherwise. */
  selectionNote?: string;
}

export interface SummaryXlsxInput {
  campaign: Campaign;
  rows: readonly SummaryRow[];
  /** Recorded as the workbook's creation time (the domain has no clock). */
  generatedAt: Date;
}

interface Column {
  header: string;
  /** In Excel's units: the width of one "0" of the body font; a Chinese character takes two. */
  width: number;
  align: 'center' | 'left';
}

const COLUMNS: Column[] = [
  { header: '序号', width: 6, align: 'center' },
  { header: '类别', width: 20, align: 'center' },
  { header: '名称/姓名', width: 30, align: 'left' },
  { header: '推荐单位', width: 30, align: 'left' },
  // Not 9: exceljs takes a width of 9 for its default and leaves it out of the file.
  { header: '得分', width: 10, align: 'center' },
  { header: '排名', width: 6, align: 'center' },
  { header: '联系人', width: 12, align: 'center' },
  { header: '联系电话', width: 16, align: 'center' },
  // 择优 is a decision: a nomination forwarded against the score order says why, here.
  { header: '择优说明', width: 30, align: 'left' },
];

/**
 * 宋体 is what offices set official tables in (Excel and WPS map it to SimSun); charset 134 is
 * GB2312, which tells a spreadsheet program the name is a Chinese font.
 */
export const SUMMARY_FONT = '宋体';
const FONT_CHARSET = 134;
const BODY_SIZE = 11;
const TITLE_SIZE = 16;
/** A line of 11 pt 宋体 in points, with the leading spreadsheet programs give it. */
const LINE_HEIGHT = 15;
const ROW_PADDING = 6;
const THIN = { style: 'thin' } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const TITLE_ROW = 1;
const HEADER_ROW = 2;

/**
 * A spreadsheet program runs text that begins like a formula (=, +, -, @, or a tab or carriage
 * return before one) when the cell is edited or the sheet is saved as CSV — OWASP's "CSV
 * injection". A leading apostrophe keeps it text; the cell is also stored as a string, never a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function sortSummaryRows(rows: readonly SummaryRow[]): SummaryRow[] {
  return [...rows].sort(
    (a, b) =>
      categoryOrder(a.category) - categoryOrder(b.category) ||
      a.rank - b.rank ||
      a.nominationId.localeCompare(b.nominationId),
  );
}

/**
 * Ranks counted again among the rows the table holds: a withdrawn nomination leaves no gap
 * (1, 2, 4 becomes 1, 2, 3), while equal ranks stay equal and the next one skips as usual (1, 1, 3).
 */
export function continuousRanks<T extends { category: CategoryId; rank: number }>(rows: readonly T[]): T[] {
  return rows.map((row) => ({
    ...row,
    rank: 1 + rows.filter((other) => other.category === row.category && other.rank < row.rank).length,
  }));
}

/** How wide a text prints in Excel's units: a Chinese character counts two, a Latin letter one. */
export function printedWidth(text: string): number {
  let width = 0;
  for (const char of text) width += eastAsianWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** How many lines a text wraps to in a column (one cell's width minus its inner margins). */
export function wrappedLines(text: string, columnWidth: number): number {
  const room = Math.max(1, columnWidth - 1);
  return text
    .split(/\r\n|\r|\n/)
    .reduce((lines, line) => lines + Math.max(1, Math.ceil(printedWidth(line) / room)), 0);
}

/** A row's height in points: its tallest cell's wrapped lines. */
function heightFor(values: readonly string[]): number {
  const lines = Math.max(...values.map((value, i) => wrappedLines(value, COLUMNS[i]?.width ?? 10)));
  return lines * LINE_HEIGHT + ROW_PADDING;
}

export async function renderSummaryXlsx(input: SummaryXlsxInput): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.campaign.organizer.name.zh;
  workbook.created = input.generatedAt;
  workbook.modified = input.generatedAt;
  const sheet = workbook.addWorksheet('汇总表', {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.6, right: 0.6, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
      // The title and the header on every printed page.
      printTitlesRow: `${TITLE_ROW}:${HEADER_ROW}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = COLUMNS.map(({ width }) => ({ width }));
  const font = (size: number, bold = false) => ({ name: SUMMARY_FONT, charset: FONT_CHARSET, size, bold });

  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, COLUMNS.length);
  const title = sheet.getCell(TITLE_ROW, 1);
  title.value = neutraliseFormula(summaryTitleOf(input.campaign));
  title.font = font(TITLE_SIZE, true);
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(TITLE_ROW).height = 36;

  const header = sheet.getRow(HEADER_ROW);
  header.values = COLUMNS.map((c) => c.header);
  header.height = heightFor(COLUMNS.map((c) => c.header));
  COLUMNS.forEach((_, i) => {
    const cell = header.getCell(i + 1);
    cell.font = font(BODY_SIZE, true);
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });

  continuousRanks(sortSummaryRows(input.rows)).forEach((row, index) => {
    const values = [
      index + 1,
      CATEGORY_NAMES[row.category].zh,
      neutraliseFormula(row.displayName),
      neutraliseFormula(row.unitName),
      row.score,
      row.rank,
      neutraliseFormula(row.contactName),
      neutraliseFormula(row.contactPhone),
      neutraliseFormula(row.selectionNote ?? ''),
    ];
    const added = sheet.addRow(values);
    added.height = heightFor(values.map((v, i) => (i === 4 ? row.score.toFixed(2) : String(v))));
    COLUMNS.forEach((column, i) => {
      const cell = added.getCell(i + 1);
      cell.font = font(BODY_SIZE);
      cell.alignment = { horizontal: column.align, vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
    added.getCell(5).numFmt = '0.00';
  });

  // exceljs types its result as an ArrayBuffer but returns a Node Buffer; copying into a
  // Uint8Array is right for either.
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
