import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { CATEGORY_IDS, type CategoryId } from '../../functions/rules/categories.js';
import { DEEDS_MAX_CHARACTERS } from '../../functions/rules/forms/fields.js';
import { formJsonSchema } from '../../functions/rules/forms/index.js';
import { countCharacters } from '../../functions/rules/text.js';
import { validForms } from '../fixtures/forms.js';
import { firstPagePng, type PdfPage, pdfPages, toPdf } from '../support/office.js';

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
    lines[i] += sentence[lines[i]!.length % sentence.length];
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
    it(
      `keeps the whole stamp block of the ${category} form on one page, at least 4 cm tall, with 1,000-character deeds`,
      async () => {
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
          if (paragraphs === 1) writeFileSync(join(ARTIFACTS, `${category}-page-1.png`), await firstPagePng(pdf));
        }
      },
      120_000,
    );
  }
});
