import { strFromU8 } from 'fflate';
import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFStream,
} from 'pdf-lib';
import type { Bilingual } from '../rules/i18n.js';

/**
 * Content in a file that can act when the file is opened: scripts, actions run on opening or on
 * events, programs launched, files carried inside, forms and media that run their own code,
 * macros, links that fetch from elsewhere. A nomination's scan and Word form need none of it,
 * and the secretariat, the experts and CAST open these files: such a file is refused, naming
 * what was found, and the person exports or scans the document again as a plain file.
 */
export interface ActiveContent {
  /** What was found, for the person: 'JavaScript', 'DDE field', 'macros (vbaProject)'. */
  found: Bilingual;
}

// ── PDF ───────────────────────────────────────────────────────────────────────────────────────

const PDF_KEYS: Record<string, Bilingual> = {
  JS: { zh: 'JavaScript 脚本', en: 'JavaScript' },
  JavaScript: { zh: 'JavaScript 脚本', en: 'JavaScript' },
  AA: { zh: '触发动作（AA）', en: 'event actions (AA)' },
  Launch: { zh: '启动程序的动作（Launch）', en: 'a Launch action' },
  EmbeddedFiles: { zh: '嵌入的文件', en: 'embedded files' },
  EF: { zh: '嵌入的文件', en: 'embedded files' },
  XFA: { zh: 'XFA 表单', en: 'an XFA form' },
  RichMedia: { zh: '富媒体（RichMedia）', en: 'rich media (RichMedia)' },
  RichMediaContent: { zh: '富媒体（RichMedia）', en: 'rich media (RichMedia)' },
};

/** Action types (/S) that run something; GoTo and URI-less navigation are harmless. */
const PDF_ACTIONS: Record<string, Bilingual> = {
  JavaScript: PDF_KEYS.JavaScript as Bilingual,
  Launch: PDF_KEYS.Launch as Bilingual,
  ImportData: { zh: '导入数据的动作（ImportData）', en: 'an ImportData action' },
  SubmitForm: { zh: '提交表单的动作（SubmitForm）', en: 'a SubmitForm action' },
  GoToE: { zh: '打开嵌入文件的动作（GoToE）', en: 'a GoToE action' },
  GoToR: { zh: '打开其他文件的动作（GoToR）', en: 'a GoToR action' },
  Rendition: { zh: '播放媒体的动作（Rendition）', en: 'a Rendition action' },
};

const PDF_TYPES: Record<string, Bilingual> = {
  EmbeddedFile: PDF_KEYS.EmbeddedFiles as Bilingual,
  RichMedia: PDF_KEYS.RichMedia as Bilingual,
};

/** A name as the file means it: `/Java#53cript` is `/JavaScript`. */
const nameOf = (object: PDFObject | undefined) =>
  object instanceof PDFName ? object.decodeText() : undefined;

function dictOf(object: PDFObject): PDFDict | undefined {
  if (object instanceof PDFDict) return object;
  if (object instanceof PDFStream || object instanceof PDFRawStream) return object.dict;
  return undefined;
}

/**
 * Every dictionary of the PDF — indirect objects (those in compressed object streams included,
 * which pdf-lib unpacks on load), stream dictionaries and dictionaries nested inside them —
 * looked at for the keys, action types and object types above. An OpenAction that is a page
 * destination, or a GoTo, only sets where the document opens and is allowed.
 */
export function pdfActiveContent(pdf: PDFDocument): ActiveContent | undefined {
  const seen = new Set<PDFObject>();
  const pending: PDFObject[] = pdf.context.enumerateIndirectObjects().map(([, object]) => object);
  pending.push(pdf.catalog);
  while (pending.length > 0) {
    const object = pending.pop() as PDFObject;
    if (seen.has(object)) continue;
    seen.add(object);
    if (object instanceof PDFArray) {
      pending.push(...object.asArray());
      continue;
    }
    const dict = dictOf(object);
    if (!dict) continue;
    for (const [key, value] of dict.entries()) {
      const name = key.decodeText();
      const keyFinding = PDF_KEYS[name];
      if (keyFinding) return { found: keyFinding };
      if (name === 'S') {
        const action = PDF_ACTIONS[nameOf(value) ?? ''];
        if (action) return { found: action };
      }
      if (name === 'Type' || name === 'Subtype') {
        const type = PDF_TYPES[nameOf(value) ?? ''];
        if (type) return { found: type };
      }
      pending.push(value);
    }
  }
  return undefined;
}

// ── Word ──────────────────────────────────────────────────────────────────────────────────────

/** Fields that fetch from outside the file or talk to other programs when Word updates them. */
const FETCHING_FIELDS = ['DDEAUTO', 'DDE', 'INCLUDETEXT', 'INCLUDEPICTURE', 'INCLUDE', 'LINK', 'IMPORT'];

const MACROS: Bilingual = { zh: '宏（VBA）', en: 'macros (VBA)' };
const ACTIVEX: Bilingual = { zh: 'ActiveX 控件', en: 'ActiveX controls' };

/** The parts of a .docx that are looked at: relationships, content types, and Word's XML parts. */
export const isWordPartToInspect = (name: string) =>
  name.endsWith('.rels') || name === '[Content_Types].xml' || /^word\/[^/]*\.xml$/.test(name);

/** Text of the field instructions in a Word XML part, the pieces of one field joined. */
function fieldInstructions(xml: string): string {
  const pieces: string[] = [];
  for (const match of xml.matchAll(/<w:instrText\b[^>]*>([^<]*)<\/w:instrText>/g))
    pieces.push(match[1] ?? '');
  for (const match of xml.matchAll(/\bw:instr="([^"]*)"/g)) pieces.push(` ${match[1] ?? ''} `);
  return pieces
    .join('')
    .replace(/&quot;/g, '"')
    .toUpperCase();
}

/**
 * A Word file's active content: macros (a vbaProject part, or a macro-enabled main part),
 * ActiveX controls, relationships to anything outside the file other than hyperlinks (an
 * attached template, a linked picture, a linked object or frame), and fields that fetch or run
 * (DDE, DDEAUTO, INCLUDETEXT, INCLUDEPICTURE, LINK, IMPORT) — field codes split across runs too.
 */
/**
 * In a Word 97–2003 compound file, the storages that carry code: Macros (the VBA project) or
 * _VBA_PROJECT_CUR, and ObjectPool entries of ActiveX controls (their OCXNAME stream).
 */
export function wordBinaryActiveContent(paths: readonly string[]): ActiveContent | undefined {
  if (paths.some((p) => /\/(Macros|_VBA_PROJECT_CUR)\/?$/i.test(p) || /\/VBA\/dir$/i.test(p)))
    return { found: MACROS };
  // An ActiveX control's storage holds a stream named "\u0003OCXNAME".
  if (paths.some((p) => p.includes('/ObjectPool/') && p.endsWith('\u0003OCXNAME'))) return { found: ACTIVEX };
  return undefined;
}

export function wordActiveContent(
  names: readonly string[],
  parts: Record<string, Uint8Array>,
): ActiveContent | undefined {
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n) || /(^|\/)vbaData\.xml$/i.test(n)))
    return { found: MACROS };
  if (names.some((n) => /^word\/activeX\//i.test(n))) return { found: ACTIVEX };
  for (const [name, bytes] of Object.entries(parts)) {
    const xml = strFromU8(bytes);
    if (name === '[Content_Types].xml' && /macroEnabled|vbaProject/i.test(xml)) return { found: MACROS };
    if (name.endsWith('.rels')) {
      for (const match of xml.matchAll(/<Relationship\b[^>]*>/g)) {
        const element = match[0];
        if (!/TargetMode\s*=\s*"External"/i.test(element)) continue;
        const type = /Type\s*=\s*"([^"]*)"/.exec(element)?.[1] ?? '';
        if (type.endsWith('/hyperlink')) continue;
        const what = type.split('/').pop() ?? '';
        return {
          found: {
            zh: `指向文件之外的链接（${what === 'attachedTemplate' ? '外部模板' : what === 'image' ? '链接的图片' : what}）`,
            en: `a link to something outside the file (${what === 'attachedTemplate' ? 'an attached template' : what === 'image' ? 'a linked picture' : what})`,
          },
        };
      }
      continue;
    }
    const instructions = fieldInstructions(xml);
    for (const field of FETCHING_FIELDS) {
      if (new RegExp(`(^|[^A-Z])${field}([^A-Z]|$)`).test(instructions)) {
        return {
          found: {
            zh: `会读取外部内容的域（${field}）`,
            en: `a field that fetches or runs something (${field})`,
          },
        };
      }
    }
  }
  return undefined;
}
