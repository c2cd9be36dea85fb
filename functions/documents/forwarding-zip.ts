/// <reference path="./zip-stream.d.ts" />
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import ZipStream from 'zip-stream';
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
 *   cast-2024/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/推荐表.docx, 推荐表（单位上传）.doc,
 *   盖章扫描件.pdf, 照片1.jpg …
 *
 * A nomination a society forwarded also carries the society's own stamped form
 * (推荐单位盖章扫描件.pdf) beside the member unit's scan.
 */

export interface ForwardingFile {
  /**
   * 'word': the form rendered from the nomination's data; 'unit-word': the Word file the unit
   * uploaded (.docx, .doc or .wps); 'society-scan': the form a society forwarded, stamped by the
   * society as recommending unit.
   */
  kind: AttachmentKind | 'unit-word' | 'society-scan';
  bytes: Uint8Array;
  /** Extension of the file as kept (docx, doc, wps, pdf, jpg, png). */
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

const FILE_BASE_NAMES: Record<Exclude<ForwardingFile['kind'], 'photo'>, string> = {
  word: '推荐表',
  'unit-word': '推荐表（单位上传）',
  scan: '盖章扫描件',
  'society-scan': '推荐单位盖章扫描件',
  consent: '知情同意书',
};

/** Where an entry's files go: its folder under the package's root, in the package's order. */
export interface ForwardingFolder {
  category: CategoryId;
  /** Rank within the category, continuous from 1 (a gap in the selection's ranks closed). */
  rank: number;
  path: string;
}

/**
 * The folder of every entry, sorted by category then rank, ranks made continuous, names made
 * safe and unique as Windows compares them. Computed from the small facts of every entry before
 * any file is read, so the package can then be written one nomination at a time.
 */
export function forwardingFolders(
  campaign: Campaign,
  entries: readonly Omit<ForwardingEntry, 'files'>[],
): (ForwardingFolder & { index: number })[] {
  const root = rootOf(campaign);
  const folders = new UniqueNames();
  const indexed = entries.map((entry, index) => ({ ...entry, index }));
  return continuousRanks(sortedEntries(indexed)).map((entry) => {
    const categoryFolder = `${twoDigits(categoryOrder(entry.category) + 1)} ${CATEGORY_NAMES[entry.category].zh}`;
    const entryFolder = folders.claim(
      categoryFolder,
      `${twoDigits(entry.rank)} ${safeName(entry.displayName)}（${safeName(entry.unitName, UNIT_NAME_MAX)}）`,
    );
    return {
      category: entry.category,
      rank: entry.rank,
      index: entry.index,
      path: `${root}/${categoryFolder}/${entryFolder}`,
    };
  });
}

// The top folder a person sees first: the campaign by its title, not its code.
const rootOf = (campaign: Campaign) => safeName(campaign.name.zh);

/**
 * Writes the package as a stream (`stream`), one nomination's files at a time, so memory holds
 * only the files being added and what the reader has not taken yet — never the whole package,
 * which at a national round's size is many gigabytes. ZIP64 records are written once the archive
 * passes 4 GiB or 65,535 entries (zip-stream decides), so any size unzips. Every file is already
 * compressed (docx and xlsx are zips, JPEG, PNG, scanned PDF): they are stored, which costs no CPU
 * and loses nothing; a stored entry from bytes carries its size and CRC in its local header, which
 * every unzip tool reads. Every name holds Chinese, so zip-stream marks each as UTF-8 (bit 11) and
 * Windows Explorer and macOS read the names right.
 */
export class ForwardingZipWriter {
  readonly stream: Readable;
  private readonly zip: ZipStream;
  private readonly modified: Date;
  private readonly root: string;

  constructor(campaign: Campaign, generatedAt?: Date) {
    this.zip = new ZipStream({ store: true });
    this.stream = this.zip;
    this.root = rootOf(campaign);
    // Modification time of every file; the campaign's deadline by default, so the bytes are reproducible.
    this.modified = chinaWallClock(generatedAt ?? parseInstant(campaign.deadline));
  }

  /** One nomination's files in its folder, photos numbered, clashing names made unique. */
  async addEntry(folder: string, files: readonly ForwardingFile[]): Promise<void> {
    const names = new UniqueNames();
    let photos = 0;
    for (const file of files) {
      const base = file.kind === 'photo' ? `照片${++photos}` : FILE_BASE_NAMES[file.kind];
      await this.add(`${folder}/${names.claim(folder, `${base}.${safeExtension(file.ext)}`)}`, file.bytes);
    }
  }

  addSummary(summaryXlsx: Uint8Array): Promise<void> {
    return this.add(`${this.root}/汇总表.xlsx`, summaryXlsx);
  }

  /** Writes the central directory; the stream ends once the reader has taken everything. */
  finish(): void {
    this.zip.finalize();
  }

  /** Stops the stream with `error` (the reader sees it): a package half written is never completed. */
  abort(error: Error): void {
    this.zip.destroy(error);
  }

  private async add(name: string, bytes: Uint8Array): Promise<void> {
    const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await new Promise<void>((resolve, reject) =>
      this.zip.entry(source, { name, date: this.modified, store: true }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    // Back-pressure: wait while the reader (the upload) has not taken what is already written.
    if (this.zip.writableNeedDrain) await once(this.zip, 'drain');
  }
}

/** The whole package in memory: for small packages and tests; the job streams instead. */
export async function buildForwardingZip(input: ForwardingZipInput): Promise<Uint8Array> {
  const writer = new ForwardingZipWriter(input.campaign, input.generatedAt);
  const collected = collect(writer.stream);
  await writer.addSummary(input.summaryXlsx);
  const folders = forwardingFolders(input.campaign, input.entries);
  for (const folder of folders) {
    await writer.addEntry(folder.path, (input.entries[folder.index] as ForwardingEntry).files);
  }
  writer.finish();
  return collected;
}

async function collect(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
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

function sortedEntries<T extends Pick<ForwardingEntry, 'category' | 'rank'>>(entries: readonly T[]): T[] {
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
