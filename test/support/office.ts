import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Office files opened the way an office opens them: LibreOffice headless converts a Word or
 * Excel file to PDF (as printing would lay it out), poppler reads the PDF back page by page, as
 * text with positions, or as PNG images a person can look at.
 */

const run = promisify(execFile);

/** Converts one .docx or .xlsx to PDF with LibreOffice headless, in a private profile (runs may overlap). */
export async function toPdf(file: Uint8Array, name: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'laurel-office-'));
  try {
    const input = join(dir, name);
    writeFileSync(input, file);
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        join(dir, 'out'),
        input,
      ],
      { timeout: 120_000 },
    );
    const pdf = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.pdf'));
    if (!pdf) throw new Error(`LibreOffice made no PDF of ${name}`);
    return readFileSync(join(dir, 'out', pdf));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One word of a PDF page with its box, in points from the page's top left. */
export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfPage {
  width: number;
  height: number;
  words: PdfWord[];
  /** The page's words joined without spaces (Chinese text is split into words by poppler). */
  text: string;
}

/** The words of each page with their boxes (pdftotext -bbox). */
export async function pdfPages(pdf: Uint8Array): Promise<PdfPage[]> {
  const dir = mkdtempSync(join(tmpdir(), 'laurel-pdf-'));
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdftotext', ['-bbox', input, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const unescapeXml = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
    const pages: PdfPage[] = [];
    for (const page of stdout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
      const words = [
        ...(page[3] ?? '').matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((w) => ({
        text: unescapeXml(w[5] ?? ''),
        xMin: Number(w[1]),
        yMin: Number(w[2]),
        xMax: Number(w[3]),
        yMax: Number(w[4]),
      }));
      pages.push({
        width: Number(page[1]),
        height: Number(page[2]),
        words,
        text: words.map((w) => w.text).join(''),
      });
    }
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders the PDF's first page as a PNG at `dpi` (pdftoppm), for a person to look at. */
export async function firstPagePng(pdf: Uint8Array, dpi = 80): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'laurel-png-'));
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    await run('pdftoppm', [
      '-png',
      '-r',
      String(dpi),
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      input,
      join(dir, 'page'),
    ]);
    return readFileSync(join(dir, 'page.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** All pages as PNGs (for looking at a whole document). */
export async function pagePngs(pdf: Uint8Array, dpi = 60): Promise<Uint8Array[]> {
  const dir = mkdtempSync(join(tmpdir(), 'laurel-png-'));
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    await run('pdftoppm', ['-png', '-r', String(dpi), input, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => readFileSync(join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
