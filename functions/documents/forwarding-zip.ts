import { type Zippable, zipSync } from 'fflate';
import type { AttachmentKind } from '../rules/attachments.js';
import { CHINA_UTC_OFFSET_MINUTES, parseInstant } from '../rules/calendar.js';
import type { Campaign } from '../rules/campaign.js';
import { CATEGORY_NAMES, type CategoryId, categoryOrder } from '../rules/categories.js';
import { continuousRanks } from './summary-xlsx.js';

/**
 * The package the organizer forwards (择优推荐): the summary table and, per nomination, its
 * Word form, stamped scan and photos, in folders named in Chinese a person can browse:
 *
 *   cast-2024/汇总表.xlsx
 *   cast-2024/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/推荐表.docx, 盖章扫描件.pdf, 照片1.jpg …
 */

export interface ForwardingFile {
  kind: AttachmentKind;
  bytes: Uint8Array;
  /** Extension as detected from the content (docx, pdf, jpg, png). */
  ext: string;
}

export interface ForwardingEntry {
  category: CategoryId;
  rank: number;
  displayName: string;
  unitName: string;
  files: readonly ForwardingFile[];
}

export interface ForwardingZipInput {
  campaign: Campaign;
  entries: readonly ForwardingEntry[];
  summaryXlsx: Uint8Array;
  /** Modification time of every file in the package; defaults to the campaign's deadline so the bytes are reproducible. */
  generatedAt?: Date;
}

/** Longest name segment kept, in characters: readable, and the deepest path stays far below Windows' 260. */
export const NAME_MAX = 40;
const UNIT_NAME_MAX = 30;

const FILE_BASE_NAMES: Record<Exclude<AttachmentKind, 'photo'>, string> = {
  word: '推荐表',
  scan: '盖章扫描件',
};

export function buildForwardingZip(input: ForwardingZipInput): Uint8Array {
  // The top folder a person sees first: the campaign by its title, not its code.
  const root = safeName(input.campaign.name.zh);
  // Every file is already compressed (docx and xlsx are zips, JPEG, PNG, scanned PDF): storing
  // them saves CPU and loses nothing.
  const files: Zippable = { [`${root}/汇总表.xlsx`]: [input.summaryXlsx, { level: 0 }] };
  const folders = new UniqueNames();
  for (const entry of continuousRanks(sortedEntries(input.entries))) {
    const categoryFolder = `${twoDigits(categoryOrder(entry.category) + 1)} ${CATEGORY_NAMES[entry.category].zh}`;
    const entryFolder = folders.claim(
      categoryFolder,
      `${twoDigits(entry.rank)} ${safeName(entry.displayName)}（${safeName(entry.unitName, UNIT_NAME_MAX)}）`,
    );
    const folder = `${root}/${categoryFolder}/${entryFolder}`;
    const names = new UniqueNames();
    let photos = 0;
    for (const file of entry.files) {
      const base = file.kind === 'photo' ? `照片${++photos}` : FILE_BASE_NAMES[file.kind];
      files[`${folder}/${names.claim(folder, `${base}.${safeExtension(file.ext)}`)}`] = [
        file.bytes,
        { level: 0 },
      ];
    }
  }
  const modified = input.generatedAt ?? parseInstant(input.campaign.deadline);
  return markNamesUtf8(zipSync(files, { mtime: chinaWallClock(modified) }));
}

const WINDOWS_FORBIDDEN = /[\\/:*?"<>|]/g;
// Control and format characters: invisible, and a right-to-left override could disguise an extension.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A name that is safe as one path segment on Windows, macOS and in a ZIP: no separators, no
 * `..`, no characters Windows forbids, no invisible characters, single spaces, no leading or
 * trailing dot or space (Windows drops them), not a reserved device name, at most `max` characters.
 */
export function safeName(raw: string, max = NAME_MAX): string {
  const cleaned = trimDotsAndSpaces(
    raw
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .replace(WINDOWS_FORBIDDEN, ' ')
      .replace(/\.{2,}/g, '.')
      .replace(/\s+/g, ' '),
  );
  const characters = Array.from(cleaned);
  const capped =
    characters.length > max ? `${trimDotsAndSpaces(characters.slice(0, max - 1).join(''))}…` : cleaned;
  if (capped === '') return '未命名';
  return WINDOWS_RESERVED.test(capped) ? `_${capped}` : capped;
}

const trimDotsAndSpaces = (name: string) => name.replace(/^[.\s]+|[.\s]+$/g, '');

function safeExtension(ext: string): string {
  const cleaned = ext.toLowerCase().replace(/[^a-z0-9]/g, '');
  return cleaned.slice(0, 8) || 'bin';
}

const twoDigits = (n: number) => String(n).padStart(2, '0');

function sortedEntries(entries: readonly ForwardingEntry[]): ForwardingEntry[] {
  return [...entries].sort(
    (a, b) => categoryOrder(a.category) - categoryOrder(b.category) || a.rank - b.rank,
  );
}

/** Names already used per folder, compared as Windows and macOS do (case- and normalisation-insensitive). */
class UniqueNames {
  private readonly taken = new Set<string>();

  claim(folder: string, name: string): string {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : withSuffix(name, n);
      const key = `${folder}/${candidate.normalize('NFC').toLowerCase()}`;
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return candidate;
      }
    }
  }
}

/** 照片1.jpg → 照片1（2）.jpg; a folder name gets the suffix at its end. */
function withSuffix(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}（${n}）${name.slice(dot)}` : `${name}（${n}）`;
}

/**
 * ZIP stores local time without a zone and fflate reads the server's zone (UTC in Lambda);
 * shifting makes an unzipped file show China time, where the package is opened.
 */
function chinaWallClock(instant: Date): Date {
  const serverOffsetMinutes = instant.getTimezoneOffset();
  return new Date(instant.getTime() + (CHINA_UTC_OFFSET_MINUTES + serverOffsetMinutes) * 60_000);
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_NAMES = 0x0800; // general-purpose bit 11, "language encoding flag"

/**
 * Sets bit 11 on every entry. fflate sets it only for names that are not pure ASCII; setting it
 * on all tells every unzip tool (Windows Explorer, macOS Archive Utility) to read names as UTF-8.
 * The flag is outside the checksummed data, so the archive stays valid.
 */
export function markNamesUtf8(zip: Uint8Array): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.byteLength - 22; // fflate writes no archive comment, so the record is the last 22 bytes
  if (view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) throw new Error('zip: end record not found');
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    if (view.getUint32(at, true) !== CENTRAL_HEADER) throw new Error('zip: central directory entry expected');
    const local = view.getUint32(at + 42, true);
    if (view.getUint32(local, true) !== LOCAL_HEADER) throw new Error('zip: local header expected');
    view.setUint16(at + 8, view.getUint16(at + 8, true) | UTF8_NAMES, true);
    view.setUint16(local + 6, view.getUint16(local + 6, true) | UTF8_NAMES, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return zip;
}
