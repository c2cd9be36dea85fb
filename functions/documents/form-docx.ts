import {
  AlignmentType,
  convertMillimetersToTwip,
  Document,
  HeightRule,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { type Campaign, categoryOf, MEBIBYTE } from '../rules/campaign.js';
import type { CategoryId } from '../rules/categories.js';
import { CATEGORY_NAMES } from '../rules/categories.js';
import { DEEDS_MAX_CHARACTERS } from '../rules/forms/fields.js';
import { type FormDataByCategory, formJsonSchema } from '../rules/forms/index.js';
import type { Nomination } from '../rules/nomination.js';
import type { JsonSchema } from '../rules/validation.js';
import { safeName } from './forwarding-zip.js';

/**
 * The filled official nomination table (推荐表) as a Word file, laid out like the table at the
 * end of the CAST notice: the unit prints it, stamps it and uploads the scan. Every label and
 * choice comes from the form's generated JSON Schema, so the Word file and the web form cannot
 * disagree about what a field is called.
 */

export interface FormDocxInput<C extends CategoryId> {
  campaign: Campaign;
  category: C;
  form: FormDataByCategory[C];
  /** The recommending unit, printed before its stamp. */
  unitName: string;
  /** The recommending unit's opinion (推荐意见), when it has written one: a society forwarding to CAST. */
  opinion?: string;
}

// 宋体 is what official Chinese forms are set in; Word and WPS map it to SimSun.
const FONT = '宋体';
const BODY_SIZE = 24; // half-points: 12 pt, 小四
const TITLE_SIZE = 36; // 18 pt, 小二
const MARGIN = convertMillimetersToTwip(25);
const A4 = { width: 11906, height: 16838 }; // twips
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const LABEL_WIDTH = Math.round(CONTENT_WIDTH * 0.34);
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH;

/** The photo note of each table, worded as on the official form (counts and sizes come from the campaign). */
const PHOTO_NOTE: Record<CategoryId, { subject: string; kinds: string }> = {
  volunteer: { subject: '被推荐人照片', kinds: '半身照、生活照、工作照均可，' },
  organization: { subject: '开展活动的照片', kinds: '' },
  project: { subject: '开展活动的照片', kinds: '' },
  site: { subject: '开展活动的照片', kinds: '' },
};

/** A nomination's form as Word: its recommending unit before the stamp and, when written, that unit's opinion. */
export function renderNominationDocx(campaign: Campaign, nomination: Nomination): Promise<Uint8Array> {
  return renderFormDocx({
    campaign,
    category: nomination.category,
    form: nomination.form as unknown as FormDataByCategory[typeof nomination.category],
    unitName: nomination.unitName,
    ...(nomination.endorsement ? { opinion: nomination.endorsement.opinion } : {}),
  });
}

export async function renderFormDocx<C extends CategoryId>(input: FormDocxInput<C>): Promise<Uint8Array> {
  const categoryRule = categoryOf(input.campaign, input.category);
  if (!categoryRule) throw new Error(`campaign ${input.campaign.id} has no category ${input.category}`);
  const schema = formJsonSchema(categoryRule.form);
  const form = input.form as unknown as Record<string, unknown>;
  const fields = Object.entries(propertiesOf(schema));
  // A field the official table lacks (the 大美志愿 registration an [auto] check reads) is not printed.
  const official = fields.filter(([, node]) => node['x-official'] !== false);

  const table = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [LABEL_WIDTH, VALUE_WIDTH],
    layout: TableLayoutType.FIXED,
    rows: [
      ...official.map(([key, node]) => fieldRow(node, form[key])),
      fullWidthRow([
        paragraph(photoNote(input.campaign, input.category)),
        paragraph('照片另以单独的图片文件报送。'),
      ]),
      stampRow(input.unitName, input.opinion),
    ],
  });

  const document = new Document({
    styles: { default: { document: { run: { font: allScripts(FONT), size: BODY_SIZE } } } },
    sections: [
      {
        properties: {
          page: { size: A4, margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN } },
        },
        children: [
          paragraph(String(schema.title), {
            bold: true,
            size: TITLE_SIZE,
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
          }),
          table,
        ],
      },
    ],
  });
  const buffer = await Packer.toBuffer(document);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** One field of the table: a label | value row, or, for the long narrative, a full-width row keeping its lines. */
function fieldRow(node: JsonSchema, value: unknown): TableRow {
  const label = String(node.title);
  if (node.maxLength === DEEDS_MAX_CHARACTERS) {
    const lines = String(value).split(/\r\n|\r|\n/);
    return fullWidthRow([
      paragraph(`${label}（不超过 ${DEEDS_MAX_CHARACTERS} 字）：`, { bold: true }),
      ...lines.map((line) => paragraph(line)),
    ]);
  }
  return new TableRow({
    cantSplit: true,
    children: [
      cell([paragraph(label, { bold: true })], LABEL_WIDTH),
      cell([paragraph(displayValue(node, value))], VALUE_WIDTH),
    ],
  });
}

/**
 * The block the unit signs and stamps: 推荐单位意见 at the top, the unit and （盖章） and the date at
 * the bottom right, with room for a round seal (≈ 4 cm) between. One row that may not break
 * across pages, so however long the deeds run, the block is printed whole on one page.
 */
export const STAMP_BLOCK_MIN_HEIGHT_MM = 45;
const SEAL_ROOM = convertMillimetersToTwip(26);

function stampRow(unitName: string, opinion?: string): TableRow {
  const right = { alignment: AlignmentType.RIGHT, indentRight: convertMillimetersToTwip(12) };
  return new TableRow({
    cantSplit: true,
    height: { value: convertMillimetersToTwip(STAMP_BLOCK_MIN_HEIGHT_MM), rule: HeightRule.ATLEAST },
    children: [
      cell(
        [
          paragraph('推荐单位意见：', { bold: true }),
          ...(opinion ?? '')
            .split(/\r\n|\r|\n/)
            .filter(Boolean)
            .map((line) => paragraph(line)),
          paragraph(`推荐单位：${unitName}（盖章）`, { ...right, spacing: { before: SEAL_ROOM } }),
          paragraph('年　　月　　日', { ...right, spacing: { before: 120 } }),
        ],
        CONTENT_WIDTH,
        2,
      ),
    ],
  });
}

function photoNote(campaign: Campaign, category: CategoryId): string {
  const photos = categoryOf(campaign, category)?.photos ?? { min: 0, max: 0 };
  const count = photos.min === photos.max ? `${photos.min}` : `${photos.min}—${photos.max}`;
  const megabytes = (bytes: number) => `${Number((bytes / MEBIBYTE).toFixed(1))}M`;
  const { minBytes, maxBytes } = campaign.attachments.photo;
  const { subject, kinds } = PHOTO_NOTE[category];
  return `${subject}（${count} 张，${kinds}每张照片大小不低于 ${megabytes(minBytes)}、不超过 ${megabytes(maxBytes)}）`;
}

/** How a value reads on the printed form: choice labels, Chinese dates, shares with %, lists in words. */
export function displayValue(node: JsonSchema, value: unknown): string {
  if (Array.isArray(value))
    return value.map((item) => displayItem(itemSchemaOf(node, item), item)).join('、');
  if (isRecord(value)) {
    return Object.entries(propertiesOf(node))
      .map(([key, child]) => displayValue(child, value[key]))
      .join(' ');
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return node['x-unit'] === '%' ? `${value}%` : String(value);
  if (typeof value === 'string') return choiceLabel(node, value) ?? chineseDate(node, value) ?? value;
  return '';
}

/**
 * One entry of a list: its texts joined by '：' (其他：陶瓷工艺体验) and its yes/no flags as a
 * note in brackets — （品牌项目）, （已在“大美志愿”注册） or, for a flag worded 已…, （未…）.
 */
function displayItem(node: JsonSchema, item: unknown): string {
  if (!isRecord(item)) return displayValue(node, item);
  const texts: string[] = [];
  const notes: string[] = [];
  for (const [key, child] of Object.entries(propertiesOf(node))) {
    const value = item[key];
    const title = String(child.title ?? '');
    if (typeof value === 'boolean') {
      const note = value ? title : title.startsWith('已') ? `未${title.slice(1)}` : '';
      if (note) notes.push(`（${note}）`);
    } else if (child.const !== undefined) {
      texts.push(title);
    } else {
      texts.push(displayValue(child, value));
    }
  }
  return texts.join('：') + notes.join('');
}

function choiceLabel(node: JsonSchema, value: string): string | undefined {
  const options = node['x-options'] as { value: string; zh: string }[] | undefined;
  return options?.find((o) => o.value === value)?.zh;
}

function chineseDate(node: JsonSchema, value: string): string | undefined {
  const [year, month, day] = value.split('-');
  if (node.format === 'year-month') return `${year}年${Number(month)}月`;
  if (node.format === 'date') return `${year}年${Number(month)}月${Number(day)}日`;
  return undefined;
}

/** The schema of a list entry; for a union (activity categories) the branch the entry belongs to. */
function itemSchemaOf(list: JsonSchema, item: unknown): JsonSchema {
  const items = (list.items ?? {}) as JsonSchema;
  const branches = (items.oneOf ?? items.anyOf) as JsonSchema[] | undefined;
  if (!branches || !isRecord(item)) return items;
  return (
    branches.find((branch) =>
      Object.entries(item).every(([key, v]) => accepts(propertiesOf(branch)[key], v)),
    ) ?? items
  );
}

function accepts(node: JsonSchema | undefined, value: unknown): boolean {
  if (!node) return false;
  if (node.const !== undefined) return node.const === value;
  if (Array.isArray(node.enum)) return node.enum.includes(value);
  return true;
}

function propertiesOf(node: JsonSchema): Record<string, JsonSchema> {
  return (node.properties ?? {}) as Record<string, JsonSchema>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const allScripts = (font: string) => ({ ascii: font, hAnsi: font, eastAsia: font, cs: font });

interface TextStyle {
  bold?: boolean;
  size?: number;
  alignment?: (typeof AlignmentType)[keyof typeof AlignmentType];
  spacing?: { before?: number; after?: number };
  indentRight?: number;
}

function paragraph(text: string, style: TextStyle = {}): Paragraph {
  return new Paragraph({
    alignment: style.alignment,
    spacing: style.spacing,
    ...(style.indentRight ? { indent: { right: style.indentRight } } : {}),
    children: [new TextRun({ text, bold: style.bold, size: style.size, font: allScripts(FONT) })],
  });
}

function cell(children: Paragraph[], width: number, columnSpan?: number): TableCell {
  return new TableCell({ children, width: { size: width, type: WidthType.DXA }, columnSpan });
}

function fullWidthRow(children: Paragraph[]): TableRow {
  return new TableRow({ children: [cell(children, CONTENT_WIDTH, 2)] });
}

/**
 * The name a person sees on the downloaded file: the category, the nominee and the unit —
 * 最美科技志愿者-周丽华（景德镇陶瓷大学）.docx — never an id; made safe for every file system.
 */
export function formDocxFileName(category: CategoryId, nomineeName: string, unitName: string): string {
  const nominee = nomineeName.trim() ? safeName(nomineeName) : '推荐表';
  return `${CATEGORY_NAMES[category].zh}-${nominee}（${safeName(unitName, 30)}）.docx`;
}
