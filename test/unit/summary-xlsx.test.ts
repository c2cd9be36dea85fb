import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  neutraliseFormula,
  renderSummaryXlsx,
  type SummaryRow,
} from '../../functions/documents/summary-xlsx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';

const campaign = builtinCampaign('cacs-2024');
const generatedAt = new Date('2025-02-20T02:30:00Z');

const row = (over: Partial<SummaryRow>): SummaryRow => ({
  nominationId: 'n-1',
  category: 'volunteer',
  displayName: '李晓梅',
  unitName: '景德镇陶瓷学会',
  score: 91.25,
  rank: 1,
  contactName: '王老师',
  contactPhone: '010-68396405',
  ...over,
});

// Deliberately out of order: the table must sort by category (notice order), then rank.
const ROWS: SummaryRow[] = [
  row({ nominationId: 'n-site', category: 'site', displayName: '陶溪川社区', rank: 1, score: 88 }),
  row({
    nominationId: 'n-vol-2',
    displayName: '张伟',
    rank: 2,
    score: 85.5,
    selectionNote: '秘书处择优决定，未按名次（评分排名第 3 名）。理由：长期扎根基层一线',
  }),
  row({ nominationId: 'n-proj', category: 'project', displayName: '指尖上的非遗科普行', rank: 1 }),
  row({ nominationId: 'n-vol-1', displayName: '李晓梅', rank: 1, score: 93.125 }),
  row({ nominationId: 'n-org', category: 'organization', displayName: '青年科技志愿服务队', rank: 1 }),
];

async function readBack(rows: SummaryRow[]) {
  const bytes = await renderSummaryXlsx({ campaign, rows, generatedAt });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.slice().buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  const sheetXml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
  return { workbook, sheet, sheetXml };
}

describe('renderSummaryXlsx', () => {
  it('has one sheet: the campaign name as title, then the header row, frozen below the header', async () => {
    const { workbook, sheet } = await readBack(ROWS);
    expect(workbook.worksheets).toHaveLength(1);
    expect(String(sheet.getCell('A1').value)).toContain(campaign.name.zh);
    expect(sheet.getCell('H1').isMerged).toBe(true);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '序号',
      '类别',
      '名称/姓名',
      '推荐单位',
      '得分',
      '排名',
      '联系人',
      '联系电话',
      '择优说明',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    for (let c = 1; c <= 8; c++) expect(sheet.getColumn(c).width).toBeGreaterThanOrEqual(6);
    expect(workbook.created.getTime()).toBe(generatedAt.getTime());
  });

  it('lists every row by category in the notice order, then by rank, with Chinese category names', async () => {
    const { sheet } = await readBack(ROWS);
    const body = [3, 4, 5, 6, 7].map((r) => sheet.getRow(r).values as unknown[]);
    expect(body.map((v) => v.slice(1, 4))).toEqual([
      [1, '最美科技志愿者', '李晓梅'],
      [2, '最美科技志愿者', '张伟'],
      [3, '最佳科技志愿服务组织', '青年科技志愿服务队'],
      [4, '最佳科技志愿服务项目', '指尖上的非遗科普行'],
      [5, '最美科技志愿服务点（社区或村）', '陶溪川社区'],
    ]);
    expect(body[0]?.slice(4)).toEqual(['景德镇陶瓷学会', 93.125, 1, '王老师', '010-68396405', '']);
    // A nomination forwarded against the score order says why, in the table CAST receives.
    expect(body[1]?.[9]).toBe('秘书处择优决定，未按名次（评分排名第 3 名）。理由：长期扎根基层一线');
    expect(sheet.rowCount).toBe(7);
  });

  it('keeps scores and ranks as numbers', async () => {
    const { sheet } = await readBack(ROWS);
    expect(sheet.getCell('E3').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('E3').numFmt).toBe('0.00');
    expect(sheet.getCell('F3').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('A3').value).toBe(1);
  });

  it('stores text that looks like a formula as text with a leading apostrophe, never as a formula', async () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '\t=1+1', '\r=1+1'];
    const rows = hostile.map((name, i) =>
      row({ nominationId: `n-${i}`, rank: i + 1, displayName: name, unitName: name, contactName: '=1' }),
    );
    const { sheet, sheetXml } = await readBack(rows);
    hostile.forEach((name, i) => {
      for (const column of ['C', 'D']) {
        const cell = sheet.getCell(`${column}${i + 3}`);
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        // XML readers turn a stored carriage return into a line feed; the apostrophe stays first.
        expect(cell.value).toBe(`'${name.replace(/\r/g, '\n')}`);
        expect(cell.formula).toBeUndefined();
      }
      expect(sheet.getCell(`G${i + 3}`).value).toBe("'=1");
    });
    expect(sheetXml).not.toMatch(/<f[ >]/);
  });
});

describe('neutraliseFormula', () => {
  it('prefixes exactly the dangerous first characters', () => {
    for (const text of ['=1', '+1', '-1', '@A1', '\t1', '\r1'])
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    for (const text of ['李晓梅', '1+1', 'a=b', ' =1', '（=1）']) expect(neutraliseFormula(text)).toBe(text);
  });
});
