import { strFromU8, Unzlib, unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import {
  ATTACHMENT_RULES,
  type AttachmentKind,
  typeMismatch,
  WORD_BINARY_MIME,
} from '../rules/attachments.js';
import { AttachmentRejectedError } from '../rules/errors.js';
import type { Bilingual } from '../rules/i18n.js';
import {
  type ActiveContent,
  isWordPartToInspect,
  pdfActiveContent,
  wordActiveContent,
  wordBinaryActiveContent,
} from './active-content.js';
import { compoundFileEntries, sniffType } from './file-type.js';

/**
 * The deep check the server runs on a file the browser uploaded straight to storage (presigned
 * POST; the policy has already bounded its size): the type by its bytes, then the file must
 * actually open — a PDF parses and has pages, a photo decodes completely, a Word file holds its
 * document body. A file whose first bytes are right but whose body is broken is refused here.
 */

export interface UploadInspection {
  mime: string;
  ext: string;
  pages?: number;
  width?: number;
  height?: number;
}

/** Smallest side of a photo, in pixels: anything smaller cannot be printed or published. */
export const MIN_PHOTO_SIDE = 200;
/** Largest photo decoded: far above what a 3 MB JPEG holds, and it bounds the decoder's memory. */
export const MAX_PHOTO_MEGAPIXELS = 40;
const JPEG_DECODER_MEMORY_MB = 512;
/** A Word body larger than this (uncompressed) is not a nomination form; it also bounds memory. */
const WORD_BODY_MAX_BYTES = 64 * 1_048_576;

export const ATTACHMENT_CORRUPT = 'ATTACHMENT_CORRUPT';
/** Opens fine, but holds something that can act when opened (active-content.ts). */
export const ATTACHMENT_ACTIVE_CONTENT = 'ATTACHMENT_ACTIVE_CONTENT';
/** Decodes fine, but its pixel size is outside the bounds above. */
export const ATTACHMENT_DIMENSIONS = 'ATTACHMENT_DIMENSIONS';

export async function inspectUpload(kind: AttachmentKind, bytes: Uint8Array): Promise<UploadInspection> {
  const detected = await sniffType(bytes);
  if (!detected || !ATTACHMENT_RULES[kind].mimeTypes.includes(detected.mime)) {
    throw typeMismatch(kind, detected);
  }
  switch (kind) {
    case 'scan':
    case 'consent':
      return { ...detected, pages: await pdfPageCount(kind, bytes) };
    case 'photo':
      return {
        ...detected,
        ...checkedDimensions(detected.mime === 'image/png' ? pngSize(bytes) : jpegSize(bytes)),
      };
    case 'word':
      if (detected.mime === WORD_BINARY_MIME) checkWordBinary(bytes);
      else checkWordBody(bytes);
      return detected;
  }
}

// ── PDF ───────────────────────────────────────────────────────────────────────────────────────

async function pdfPageCount(kind: 'scan' | 'consent', bytes: Uint8Array): Promise<number> {
  // pdf-lib reads objects front to back and would open a file cut off mid-upload; a complete
  // PDF ends with %%EOF (readers allow up to 1 KB of trailing bytes after it).
  if (!strFromU8(bytes.subarray(-1024), true).includes('%%EOF')) {
    throw corrupt(
      kind,
      '不完整（文件末尾没有 %%EOF，可能上传中断）',
      'is incomplete (it does not end with %%EOF)',
    );
  }
  let pages: number;
  let encrypted: boolean;
  let active: ActiveContent | undefined;
  try {
    const pdf = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      throwOnInvalidObject: true,
      updateMetadata: false,
    });
    encrypted = pdf.isEncrypted;
    pages = pdf.getPageCount();
    active = encrypted ? undefined : pdfActiveContent(pdf);
  } catch (error) {
    throw corrupt(kind, '无法解析，文件已损坏', 'cannot be parsed; the file is damaged', error);
  }
  if (encrypted) {
    throw corrupt(kind, '已加密，请上传未加密的 PDF', 'is encrypted; upload an unencrypted PDF');
  }
  if (active) throw activeContent(kind, active);
  if (pages < 1) throw corrupt(kind, '没有页面', 'has no pages');
  return pages;
}

// ── Photos ────────────────────────────────────────────────────────────────────────────────────

interface Size {
  width: number;
  height: number;
}

function jpegSize(bytes: Uint8Array): Size {
  try {
    // tolerantDecoding (on by default) skips blocks missing from the image: a photo must decode
    // whole. The caps make jpeg-js refuse before allocating for a header claiming a huge image.
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxResolutionInMP: MAX_PHOTO_MEGAPIXELS,
      maxMemoryUsageInMB: JPEG_DECODER_MEMORY_MB,
    });
    return { width: image.width, height: image.height };
  } catch (error) {
    if (error instanceof Error && /maxResolutionInMP|maxMemoryUsageInMB/.test(error.message)) {
      throw tooManyPixels();
    }
    throw corrupt('photo', '无法解码，图片已损坏', 'cannot be decoded; the image is damaged', error);
  }
}

function pngSize(bytes: Uint8Array): Size {
  const header = pngHeader(bytes);
  if (header.width * header.height > MAX_PHOTO_MEGAPIXELS * 1_000_000) throw tooManyPixels();
  if (header.interlaced && !idatInflatesWithin(bytes, adam7Size(header))) {
    throw corrupt('photo', '图像数据超出其尺寸，文件已损坏', 'holds more image data than its size allows');
  }
  try {
    const image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: image.width, height: image.height };
  } catch (error) {
    throw corrupt('photo', '无法解码，图片已损坏', 'cannot be decoded; the image is damaged', error);
  }
}

function checkedDimensions(size: Size): Size {
  if (Math.min(size.width, size.height) < MIN_PHOTO_SIDE) {
    throw new AttachmentRejectedError(
      ATTACHMENT_DIMENSIONS,
      ['photo'],
      {
        zh: `照片太小：${size.width}×${size.height} 像素，每边至少 ${MIN_PHOTO_SIDE} 像素`,
        en: `The photo is too small: ${size.width}×${size.height} pixels; each side must be at least ${MIN_PHOTO_SIDE}`,
      },
      { kind: 'photo', ...size, minSide: MIN_PHOTO_SIDE },
    );
  }
  return size;
}

function tooManyPixels(): AttachmentRejectedError {
  return new AttachmentRejectedError(
    ATTACHMENT_DIMENSIONS,
    ['photo'],
    {
      zh: `照片像素过多：不得超过 ${MAX_PHOTO_MEGAPIXELS} 百万像素`,
      en: `The photo has too many pixels: at most ${MAX_PHOTO_MEGAPIXELS} megapixels`,
    },
    { kind: 'photo', maxMegapixels: MAX_PHOTO_MEGAPIXELS },
  );
}

interface PngHeader extends Size {
  bitsPerPixel: number;
  interlaced: boolean;
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The IHDR chunk, which the format requires first, right after the 8-byte signature. */
function pngHeader(bytes: Uint8Array): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels = bytes.length >= 33 ? PNG_CHANNELS[bytes[25] ?? -1] : undefined;
  if (channels === undefined || strFromU8(bytes.subarray(12, 16), true) !== 'IHDR') {
    throw corrupt('photo', '文件头已损坏', 'has a damaged header');
  }
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitsPerPixel: channels * (bytes[24] ?? 0),
    interlaced: bytes[28] === 1,
  };
}

/** The seven passes of PNG's Adam7 interlacing: first column and row, then the step across and down. */
export const ADAM7_PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Bytes an interlaced (Adam7) image inflates to: seven sub-images, each row led by a filter byte. */
function adam7Size({ width, height, bitsPerPixel }: PngHeader): number {
  return ADAM7_PASSES.reduce((total, [x0, y0, dx, dy]) => {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    return columns > 0 && rows > 0 ? total + rows * (Math.ceil((columns * bitsPerPixel) / 8) + 1) : total;
  }, 0);
}

/**
 * pngjs inflates an interlaced image without a limit, so a small file could expand to gigabytes
 * (a "zip bomb"); inflate it here in small steps and stop past what its size allows.
 */
function idatInflatesWithin(bytes: Uint8Array, limit: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let inflated = 0;
  const exceeded = new Error('inflated size exceeded');
  const inflater = new Unzlib((chunk) => {
    inflated += chunk.length;
    if (inflated > limit) throw exceeded;
  });
  try {
    for (let at = 8; at + 8 <= bytes.length; ) {
      const length = view.getUint32(at);
      const type = strFromU8(bytes.subarray(at + 4, at + 8), true);
      if (type === 'IDAT') {
        const data = bytes.subarray(at + 8, at + 8 + length);
        for (let i = 0; i < data.length; i += 16_384) inflater.push(data.subarray(i, i + 16_384));
      }
      if (type === 'IEND') break;
      at += 12 + length;
    }
  } catch (error) {
    if (error === exceeded) return false;
    // Broken deflate data: pngjs reports it as a damaged image just after.
  }
  return true;
}

// ── Word ──────────────────────────────────────────────────────────────────────────────────────

const WORD_BODY = 'word/document.xml';

function checkWordBody(bytes: Uint8Array): void {
  let tooLarge = false;
  const names: string[] = [];
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        if (!isWordPartToInspect(file.name)) return false;
        if (file.originalSize > WORD_BODY_MAX_BYTES) {
          tooLarge = true;
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw corrupt('word', '无法解压，文件已损坏', 'cannot be unpacked; the file is damaged', error);
  }
  if (tooLarge) {
    throw corrupt('word', '正文过大，不是推荐表', 'has a body far too large for a nomination form');
  }
  const body = parts[WORD_BODY];
  if (!body) throw corrupt('word', `缺少正文（${WORD_BODY}）`, `has no document body (${WORD_BODY})`);
  if (!/<(\w+:)?document[\s/>]/.test(strFromU8(body.subarray(0, 4096), true))) {
    throw corrupt('word', '正文不是 Word 文档格式', 'has a body that is not a Word document');
  }
  const active = wordActiveContent(names, parts);
  if (active) throw activeContent('word', active);
}

/**
 * A Word 97–2003 file (.doc, or WPS Office's .wps in the same format): its compound file's
 * directory parses (sniffType found a non-empty WordDocument stream in it) and it carries no
 * macros or embedded controls.
 */
function checkWordBinary(bytes: Uint8Array): void {
  const entries = compoundFileEntries(bytes);
  if (!entries) throw corrupt('word', '无法读取，文件已损坏', 'cannot be read; the file is damaged');
  const active = wordBinaryActiveContent(entries.map((e) => e.path));
  if (active) throw activeContent('word', active);
}

// ── Errors ────────────────────────────────────────────────────────────────────────────────────

function activeContent(kind: AttachmentKind, { found }: ActiveContent): AttachmentRejectedError {
  const label = ATTACHMENT_RULES[kind].label;
  const again =
    kind === 'scan' || kind === 'consent'
      ? { zh: '请重新扫描或"打印为 PDF"后上传', en: 'scan it again or "print to PDF", then upload that' }
      : {
          zh: '请用"另存为 .docx"保存一份不含这些内容的文件后上传',
          en: 'save a copy without it ("Save as .docx"), then upload that',
        };
  return new AttachmentRejectedError(
    ATTACHMENT_ACTIVE_CONTENT,
    [kind],
    {
      zh: `${label.zh}含有打开时会执行或读取外部内容的部分：${found.zh}。为安全起见不予接收，${again.zh}`,
      en: `The ${label.en} holds content that runs or fetches something when opened: ${found.en}. It is refused for safety; ${again.en}`,
    },
    { kind, found: found.en },
  );
}

function corrupt(kind: AttachmentKind, zh: string, en: string, cause?: unknown): AttachmentRejectedError {
  const label = ATTACHMENT_RULES[kind].label;
  const message: Bilingual = { zh: `${label.zh}${zh}`, en: `The ${label.en} ${en}` };
  // What the parser threw stays with the error for the logs, never in the answer: it is the
  // library's own words ("Cannot read properties of undefined"), meaningless to the unit.
  const error = new AttachmentRejectedError(ATTACHMENT_CORRUPT, [kind], message, { kind });
  if (cause !== undefined) Object.assign(error, { cause });
  return error;
}
