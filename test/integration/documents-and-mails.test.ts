import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { renderSummaryXlsx, type SummaryRow } from '../../functions/documents/summary-xlsx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { CATEGORY_IDS, type CategoryId } from '../../functions/rules/categories.js';
import { DEEDS_MAX_CHARACTERS } from '../../functions/rules/forms/fields.js';
import { formJsonSchema } from '../../functions/rules/forms/index.js';
import { countCharacters } from '../../functions/rules/text.js';
import { CAST_EXPERTS, CAST_UNITS, SOCIETY_EXPERTS, SOCIETY_UNITS } from '../../scripts/demo/data.js';
import { validForms } from '../fixtures/forms.js';
import { firstPagePng, type PdfPage, pdfPages, toPdf } from '../support/office.js';
import { REPO_ROOT, runScript } from '../support/run-script.js';

/**
 * What an office does with Laurel's files and what people read in its mails: the Word forms and
 * the summary opened in LibreOffice and printed to PDF, read back page by page.
 */

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'documents');
mkdirSync(ARTIFACTS, { recursive: true });
const MM_IN_POINTS = 72 / 25.4;

/** Deeds of exactly `DEEDS_MAX_CHARACTERS` characters in `paragraphs` paragraphs. */
function deedsOf(paragraphs: number): string {
  const sentence = '坚持走进乡村学校开展手工艺科普活动，带领志愿者服务群众超过万人次，';
  const lines = Array.from({ length: paragraphs }, () => '');
  let left = DEEDS_MAX_CHARACTERS - (paragraphs - 1);
  for (let i = 0; left > 0; i = (i + 1) % paragraphs, left -= 1) {
    lines[i] = (lines[i] ?? '') + sentence[(lines[i] ?? '').length % sentence.length];
  }
  return lines.join('\n');
}

function deedsField(category: CategoryId): string {
  const properties = formJsonSchema(category).properties as Record<string, { maxLength?: number }>;
  const key = Object.keys(properties).find((k) => properties[k]?.maxLength === DEEDS_MAX_CHARACTERS);
  if (!key) throw new Error(`the ${category} form has no deeds field`);
  return key;
}

/** The fields the official table does not print (kept for an [auto] check). */
function unofficialTitles(category: CategoryId): string[] {
  const properties = formJsonSchema(category).properties as Record<string, Record<string, unknown>>;
  return Object.values(properties)
    .filter((node) => node['x-official'] === false)
    .map((node) => String(node.title));
}

/** Where a phrase stands on a page: the box around the words that spell it, or undefined. */
function find(page: PdfPage, phrase: string): { yMin: number; yMax: number } | undefined {
  const owner: number[] = [];
  page.words.forEach((word, index) => {
    for (const _ of word.text) owner.push(index);
  });
  const at = [...page.text].join('').indexOf(phrase);
  if (at < 0) return undefined;
  const from = [...page.text.slice(0, at)].length;
  const words = page.words.slice(owner[from], (owner[from + [...phrase].length - 1] ?? 0) + 1);
  return { yMin: Math.min(...words.map((w) => w.yMin)), yMax: Math.max(...words.map((w) => w.yMax)) };
}

describe('the Word form, printed', () => {
  const campaign = builtinCampaign('cacs-2024');
  const unitName = '景德镇陶瓷大学';

  for (const category of CATEGORY_IDS) {
    it(`keeps the whole stamp block of the ${category} form on one page, at least 4 cm tall, with 1,000-character deeds`, async () => {
      // The same number of characters broken into more paragraphs runs longer: one of these
      // lengths puts the block where a page ends.
      for (const paragraphs of [1, 12, 25, 40]) {
        const deeds = deedsOf(paragraphs);
        expect(countCharacters(deeds)).toBe(DEEDS_MAX_CHARACTERS);
        const form = { ...validForms[category], [deedsField(category)]: deeds };
        const docx = await renderFormDocx({ campaign, category, form: form as never, unitName });
        const pdf = await toPdf(docx, `${category}.docx`);
        const pages = await pdfPages(pdf);
        const label = `${category}, ${paragraphs} paragraph(s)`;
        expect(pages.length, label).toBeGreaterThanOrEqual(2);

        const holding = pages.filter((p) => find(p, '推荐单位意见'));
        expect(holding, label).toHaveLength(1);
        const page = holding[0] as PdfPage;
        const opinion = find(page, '推荐单位意见');
        const stamp = find(page, `推荐单位：${unitName}（盖章）`);
        const date = find(page, '年月日');
        expect(stamp, label).toBeDefined();
        expect(date, label).toBeDefined();
        // Room for a seal: from the heading to the date, at least 4 cm of the page.
        const height = ((date?.yMax ?? 0) - (opinion?.yMin ?? 0)) / MM_IN_POINTS;
        expect(height, label).toBeGreaterThanOrEqual(40);
        // Nothing printed that the official form lacks.
        const printed = pages.map((p) => p.text).join('');
        expect(printed, label).not.toContain('补充声明');
        for (const title of unofficialTitles(category)) expect(printed, label).not.toContain(title);
        if (paragraphs === 1)
          writeFileSync(join(ARTIFACTS, `${category}-page-1.png`), await firstPagePng(pdf));
      }
    }, 120_000);
  }
});

describe('the summary table, opened and printed', () => {
  const campaign = builtinCampaign('cacs-2024');
  const LONG_UNIT =
    '江西省景德镇市珠山区新村街道陶溪川文创街区科技志愿服务工作站（景德镇陶瓷大学设计艺术学院）';
  const row = (over: Partial<SummaryRow>): SummaryRow => ({
    nominationId: `n-${over.displayName}`,
    category: 'volunteer',
    displayName: '李晓梅',
    unitName: '景德镇陶瓷大学',
    score: 90,
    rank: 1,
    contactName: '王老师',
    contactPhone: '010-68396405',
    ...over,
  });
  // Rank 3 of the volunteers was withdrawn: the table must read 1, 2, 3.
  const rows: SummaryRow[] = [
    row({ displayName: '李晓梅', rank: 1, score: 93.125 }),
    row({ displayName: '周丽华', rank: 2, score: 91, unitName: LONG_UNIT }),
    row({ displayName: '张伟', rank: 4, score: 85.5 }),
    row({
      category: 'organization',
      displayName: '中国工艺美术学会青年科技志愿服务队',
      rank: 2,
      unitName: LONG_UNIT,
    }),
    row({ category: 'site', displayName: '江西省 景德镇市 珠山区 新村街道 陶溪川社区', rank: 1 }),
  ];

  it('reads as an official table, cell by cell: title, borders, 宋体, fitting heights, continuous ranks, frozen header, A4 landscape', async () => {
    const bytes = await renderSummaryXlsx({ campaign, rows, generatedAt: new Date('2025-02-20T02:30:00Z') });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;

    expect(sheet.getCell('A1').value).toBe('工艺美术领域2024年度科技志愿服务先进典型推荐汇总表');
    expect(String(sheet.getCell('A1').value)).not.toContain('推荐推荐');
    expect(sheet.getCell('A1').font).toMatchObject({ name: '宋体', bold: true });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
    expect(sheet.pageSetup.printTitlesRow).toBe('1:2');

    const last = 2 + rows.length;
    for (let r = 2; r <= last; r += 1) {
      for (let c = 1; c <= 8; c += 1) {
        const cell = sheet.getCell(r, c);
        expect(cell.font?.name, cell.address).toBe('宋体');
        for (const side of ['top', 'left', 'bottom', 'right'] as const)
          expect(cell.border?.[side]?.style, `${cell.address} ${side}`).toBe('thin');
        expect(cell.alignment?.wrapText, cell.address).toBe(true);
      }
    }
    const column = (c: number) =>
      Array.from({ length: rows.length }, (_, i) => sheet.getCell(3 + i, c).value);
    expect(column(3)).toEqual([
      '李晓梅',
      '周丽华',
      '张伟',
      '中国工艺美术学会青年科技志愿服务队',
      '江西省 景德镇市 珠山区 新村街道 陶溪川社区',
    ]);
    expect(column(6)).toEqual([1, 2, 3, 1, 1]);
    expect(column(1)).toEqual([1, 2, 3, 4, 5]);
    // A row holding the long unit name is as tall as its wrapped lines: taller than a one-line row.
    const oneLine = sheet.getRow(3).height;
    expect(sheet.getRow(4).height).toBeGreaterThanOrEqual(oneLine * 2.5);

    // Printed: landscape pages, every name whole, no line of text over another.
    const pdf = await toPdf(bytes, 'summary.xlsx');
    writeFileSync(join(ARTIFACTS, 'summary-page-1.png'), await firstPagePng(pdf, 100));
    const pages = await pdfPages(pdf);
    expect(pages).toHaveLength(1);
    const page = pages[0] as PdfPage;
    expect(page.width).toBeGreaterThan(page.height);
    expect(page.text).toContain('工艺美术领域2024年度科技志愿服务先进典型推荐汇总表');
    expect(page.text).toContain(LONG_UNIT.replace(/\s/g, ''));
    // A word's box is its font's ascent to descent, taller than the glyphs: with the Chinese font
    // this machine has for 宋体 (WenQuanYi Micro Hei), wrapped lines' boxes touch by ~1 pt (a
    // tenth of a box) where the page shows them clear apart. Text printed over text overlaps by
    // far more: more than a quarter of a box is counted.
    for (const [i, a] of page.words.entries()) {
      for (const b of page.words.slice(i + 1)) {
        const tallness = Math.min(a.yMax - a.yMin, b.yMax - b.yMin);
        const overlap =
          Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin) > 1 &&
          Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin) > tallness / 4;
        expect(overlap, `"${a.text}" over "${b.text}"`).toBe(false);
      }
    }
  }, 60_000);
});

describe('the mails of the demo campaign', () => {
  const parent = mkdtempSync(join(tmpdir(), 'laurel-mails-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));
  // The demo runs two rounds on a whole local cloud: minutes on a busy machine.
  const DEMO_TIMEOUT_MS = 300_000;

  interface Stored {
    to: string[];
    subject: string;
    text: string;
    html: string;
    replyTo?: string;
  }

  /** Ids the system made or the demo gave: none may reach a person's mail. */
  const INTERNAL_ID = /\bn-[0-9a-z]{10,}|\b[oa]-[0-9a-f]{16,}|\b(?:cacs|cast)-2024\b/;
  const subjectIds = [...SOCIETY_UNITS, ...CAST_UNITS, ...SOCIETY_EXPERTS, ...CAST_EXPERTS].map((p) => p.id);

  it(
    'give every notice a text and an HTML part, the nominee by name, a link that opens a page, the deadline where one applies and the secretariat to call — and no internal id',
    async () => {
      const dataDir = join(parent, 'data');
      const run = await runScript(
        'npm',
        ['run', '--silent', 'demo'],
        { ...process.env, PORT: '0', LAUREL_DATA_DIR: dataDir },
        DEMO_TIMEOUT_MS - 10_000,
      );
      expect(run.code, `${run.stdout}\n${run.stderr}`.slice(-3000)).toBe(0);
      const outbox = join(dataDir, 'mail', 'outbox.jsonl');
      expect(existsSync(outbox)).toBe(true);
      const mails = readFileSync(outbox, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Stored);
      const of = (marker: string) => mails.filter((m) => m.subject.includes(marker));

      // Every kind of notice the demo's story makes is among them.
      const kinds = [
        '登录链接',
        '评审邀请',
        '被退回修改',
        '未通过初核',
        '已入选',
        '未入选',
        '已报送上级',
        '已正式发布',
        '报送的推荐已正式发布',
      ];
      for (const kind of kinds) expect(of(kind).length, kind).toBeGreaterThan(0);
      writeFileSync(
        join(ARTIFACTS, 'mails.txt'),
        mails.map((m) => `To: ${m.to}\nSubject: ${m.subject}\n\n${m.text}`).join('\n\n========\n\n'),
      );

      const dist = join(REPO_ROOT, 'web', 'dist');
      for (const mail of mails) {
        const label = mail.subject;
        expect(mail.text.length, label).toBeGreaterThan(50);
        expect(mail.html, label).toMatch(/^<!doctype html>/);
        // The secretariat to call, and a reply that reaches it.
        expect(mail.text, label).toMatch(/如有疑问，请联系.+电话 [\d-]+/);
        expect(mail.replyTo, label).toBeTruthy();
        // A link to a page the site serves as a file (S3 has no index documents).
        const links = [...mail.text.matchAll(/https?:\/\/\S+/g)].map((m) => new URL(m[0]));
        expect(links.length, label).toBeGreaterThan(0);
        for (const link of links) {
          expect(existsSync(join(dist, decodeURIComponent(link.pathname))), `${label}: ${link}`).toBe(true);
          expect(mail.html, label).toContain(`<a href="${link.href.replace(/&/g, '&amp;')}">`);
        }
        // No ids: not the system's, not the units' or experts' own.
        const visible = `${mail.subject}\n${mail.text}\n${mail.html}`.replace(
          /https?:\/\/\S+?(?=["<\s]|$)/g,
          '',
        );
        expect(visible, label).not.toMatch(INTERNAL_ID);
        for (const id of subjectIds) expect(visible, `${label}: ${id}`).not.toContain(id);
      }

      // About a nomination: the nominee's name in the subject and the text; a campaign job's
      // notice about several of a unit's nominations counts them in the subject and lists each.
      for (const mail of mails.filter((m) => !m.subject.includes('登录链接'))) {
        const about = mail.subject.replace(/^【[^】]+】/, '');
        const several = Number(/（(\d+) 项）/.exec(about)?.[1] ?? 0);
        if (several > 0) {
          expect(several, mail.subject).toBeGreaterThan(1);
          expect(mail.subject).toContain(`(${several} nominations)`);
          expect(mail.text, mail.subject).toContain(`推荐对象（${several} 项）：`);
          for (let i = 1; i <= several; i += 1)
            expect(mail.text, mail.subject).toMatch(new RegExp(`\\n${i}\\. .+（.+）\\n`));
          continue;
        }
        const nominee = /：(.+?)（/.exec(about)?.[1] ?? '';
        expect(nominee.length, mail.subject).toBeGreaterThan(0);
        expect(mail.text, mail.subject).toContain(`推荐对象：${nominee}`);
      }
      // One notice per unit and kind from each campaign-wide job: never two of one kind to one address.
      for (const kind of ['已入选', '未入选', '】推荐已正式发布', '报送的推荐已正式发布']) {
        const to = of(kind).map((m) => `${m.to} ${m.subject.replace(/：.*|（.*/, '')}`);
        expect(new Set(to).size, kind).toBe(to.length);
      }
      // Where there is a deadline, it is given.
      for (const mail of [...of('被退回修改'), ...of('评审邀请'), ...of('登录链接')])
        expect(mail.text, mail.subject).toMatch(
          /(截止时间|有效期至)：\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+8\)/,
        );
      // A nomination the society forwarded greets the member unit in the CAST round, not the society.
      for (const mail of of('2024年度科技志愿服务先进典型宣传活动】推荐已正式发布'))
        expect(mail.text.split('\n')[0], mail.subject).not.toBe('中国工艺美术学会：');
      // The society's secretariat hears of its forwarded nominations' release.
      expect(of('报送的推荐已正式发布').every((m) => m.to.includes('kjdx2024@126.com'))).toBe(true);
    },
    DEMO_TIMEOUT_MS,
  );
});
