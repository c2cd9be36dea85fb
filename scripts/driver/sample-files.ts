import { strToU8, zlibSync } from 'fflate';
import jpegJs from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { ADAM7_PASSES } from '../../functions/documents/inspect-upload.js';

/**
 * Files that really open, built by the same kind of libraries a unit's software would use —
 * unlike the tests' test/fixtures/files.ts, whose padded files only have the right first bytes:
 * the files units upload in `npm run demo` and `npm run bench`, and in the tests. Each builder
 * also has a way to break its file, for the tests that must refuse damaged uploads.
 */

export const MIB = 1_048_576;

/** RGBA pixels with some structure, so the encoders produce a realistic stream. */
function pixels(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([(x * 255) / width, (y * 255) / height, (x ^ y) & 255, 255], i);
    }
  }
  return data;
}

export function realJpeg(width = 400, height = 300): Uint8Array {
  return new Uint8Array(jpegJs.encode({ width, height, data: pixels(width, height) }, 85).data);
}

/** A real JPEG whose frame header (SOF0) claims another size: what a crafted "pixel bomb" looks like. */
export function jpegClaimingSize(width: number, height: number): Uint8Array {
  const bytes = realJpeg(16, 16);
  const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
  const view = new DataView(bytes.buffer);
  view.setUint16(sof + 5, height);
  view.setUint16(sof + 7, width);
  return bytes;
}

export function realPng(width = 400, height = 300): Uint8Array {
  const png = new PNG({ width, height });
  png.data.set(pixels(width, height));
  return new Uint8Array(PNG.sync.write(png));
}

/** PNG chunks: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(strToU8(type, true), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngOf(width: number, height: number, interlaced: boolean, raw: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, interlaced ? 1 : 0], 8); // 8-bit RGB, deflate, adaptive filtering
  const parts = [
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A valid interlaced (Adam7) 8-bit RGB PNG, written by hand because pngjs writes only
 * non-interlaced ones: seven passes, each row a filter byte 0 and its pixels.
 */
export function interlacedPng(width = 400, height = 300): Uint8Array {
  const rows: number[] = [];
  for (const [x0, y0, dx, dy] of ADAM7_PASSES) {
    if (x0 >= width || y0 >= height) continue;
    for (let y = y0; y < height; y += dy) {
      rows.push(0);
      for (let x = x0; x < width; x += dx) rows.push(x & 255, y & 255, (x ^ y) & 255);
    }
  }
  return pngOf(width, height, true, Uint8Array.from(rows));
}

/** An interlaced PNG whose image data inflates far beyond its stated size (a decompression bomb). */
export function pngBomb(width = 400, height = 300, inflatedBytes = 8 * 1_048_576): Uint8Array {
  return pngOf(width, height, true, new Uint8Array(inflatedBytes));
}

/** A PNG header claiming a huge image, with no pixels behind it. */
export function pngClaimingSize(width: number, height: number): Uint8Array {
  return pngOf(width, height, false, new Uint8Array(16));
}

export async function realPdf(pages = 1): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < pages; i++) pdf.addPage([595, 842]).drawText(`page ${i + 1}`, { x: 72, y: 770 });
  return pdf.save();
}

// ── Photos of a wanted size ─────────────────────────────────────────────────────────────────────
// Real photos brought to the size a unit's camera would give. Each image is made once (on first
// use) and padded per upload, so hundreds of megabytes are never held at once. Small enough to
// decode fast on upload, large enough (≥ 200 px a side) to be accepted as photos.

let photoJpeg: Uint8Array | undefined;
let photoPng: Uint8Array | undefined;
const jpegImage = () => (photoJpeg ??= realJpeg(480, 360));
const pngImage = () => (photoPng ??= realPng(480, 360));

/** A real JPEG of `size` bytes: the image, then zero bytes after its end marker (readers ignore them). */
export function paddedJpeg(size: number): Uint8Array {
  const image = jpegImage();
  if (size < image.length) throw new Error(`a JPEG photo cannot be smaller than ${image.length} bytes`);
  const bytes = new Uint8Array(size);
  bytes.set(image);
  return bytes;
}

/**
 * A real PNG of `size` bytes. The padding goes into an ancillary chunk before IEND (every PNG
 * reader skips a chunk it does not know), not after IEND: the upload inspection refuses a PNG
 * with bytes after its end marker. Written in place, not through chunk(), to hold it once.
 */
export function paddedPng(size: number): Uint8Array {
  const image = pngImage();
  const iend = image.length - 12; // the IEND chunk: length 0, type, CRC
  const padding = size - image.length - 12;
  if (padding < 0) throw new Error(`a PNG photo cannot be smaller than ${image.length + 12} bytes`);
  const bytes = new Uint8Array(size);
  bytes.set(image.subarray(0, iend));
  const view = new DataView(bytes.buffer);
  view.setUint32(iend, padding);
  bytes.set([0x6c, 0x61, 0x75, 0x72], iend + 4); // "laur": ancillary, private, safe to copy
  // The data stays zero; the CRC covers the type and the data.
  view.setUint32(iend + 8 + padding, crc32(bytes.subarray(iend + 4, iend + 8 + padding)));
  bytes.set(image.subarray(iend), iend + 12 + padding);
  return bytes;
}

/** A small real PNG (a scan that is not a PDF). */
export const smallPng = (): Uint8Array => realPng(400, 300);

/**
 * A PDF whose trailer names an encryption dictionary, which is what makes a reader ask for a
 * password. pdf-lib cannot encrypt; the marker alone is what an inspection must catch.
 */
export async function encryptedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]);
  const encrypt = pdf.context.obj({ Filter: 'Standard', V: 1, R: 2, O: 'owner', U: 'user', P: -4 });
  pdf.context.trailerInfo.Encrypt = pdf.context.register(encrypt);
  return pdf.save();
}

/** The first `fraction` of a file: an upload cut off midway. */
export const truncated = (bytes: Uint8Array, fraction = 0.5) =>
  bytes.slice(0, Math.floor(bytes.length * fraction));

/** The file with its body overwritten by noise after the first `keep` bytes, its last `tail` bytes intact. */
export function withGarbageBody(bytes: Uint8Array, keep: number, tail = 0): Uint8Array {
  const out = bytes.slice();
  for (let i = keep; i < out.length - tail; i++) out[i] = (i * 131 + 7) & 255;
  return out;
}
