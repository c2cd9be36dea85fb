import ExcelJS from 'exceljs';
import type { Campaign } from '../rules/campaign.js';
import { CATEGORY_NAMES, type CategoryId, categoryOrder } from '../rules/categories.js';

/**
 * The summary table (汇总表) forwarded with the nominations: one row per forwarded nomination,
 * by category in the notice's order, then by rank.
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
}

export interface SummaryXlsxInput {
  campaign: Campaign;
  rows: readonly SummaryRow[];
  /** Recorded as the workbook's creation time (the domain has no clock). */
  generatedAt: Date;
}

const COLUMNS: { header: string; width: number }[] = [
  { header: '序号', width: 6 },
  { header: '类别', width: 30 },
  { header: '名称/姓名', width: 36 },
  { header: '推荐单位', width: 30 },
  { header: '得分', width: 10 },
  { header: '排名', width: 6 },
  { header: '联系人', width: 12 },
  { header: '联系电话', width: 18 },
];

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

export async function renderSummaryXlsx(input: SummaryXlsxInput): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.campaign.organizer.name.zh;
  workbook.created = input.generatedAt;
  workbook.modified = input.generatedAt;
  const sheet = workbook.addWorksheet('汇总表', {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = COLUMNS.map(({ width }) => ({ width }));

  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, COLUMNS.length);
  const title = sheet.getCell(TITLE_ROW, 1);
  title.value = neutraliseFormula(`${input.campaign.name.zh}推荐汇总表`);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(TITLE_ROW).height = 28;

  const header = sheet.getRow(HEADER_ROW);
  header.values = COLUMNS.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };

  sortSummaryRows(input.rows).forEach((row, index) => {
    const added = sheet.addRow([
      index + 1,
      CATEGORY_NAMES[row.category].zh,
      neutraliseFormula(row.displayName),
      neutraliseFormula(row.unitName),
      row.score,
      row.rank,
      neutraliseFormula(row.contactName),
      neutraliseFormula(row.contactPhone),
    ]);
    added.getCell(5).numFmt = '0.00';
    added.alignment = { vertical: 'middle', wrapText: true };
  });

  // exceljs types its result as an ArrayBuffer but returns a Node Buffer; copying into a
  // Uint8Array is right for either.
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
