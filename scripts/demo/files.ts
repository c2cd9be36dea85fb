import { realJpeg, realPng } from '../../test/fixtures/real-files.js';

/**
 * The files a unit uploads in the demo: real photos brought to a wanted size, and a look inside
 * the forwarding ZIP. Photos are generated once and padded per upload, so hundreds of megabytes
 * are never held at once.
 */

export const MIB = 1_048_576;

// Small enough to decode fast on upload, large enough (≥ 200 px a side) to be accepted as photos.
const JPEG = realJpeg(480, 360);
const PNG_IMAGE = realPng(480, 360);

/** A real JPEG of `size` bytes: the image, then zero bytes after its end marker (readers ignore them). */
export function paddedJpeg(size: number): Uint8Array {
  if (size < JPEG.length) throw new Error(`a JPEG photo cannot be smaller than ${JPEG.length} bytes`);
  const bytes = new Uint8Array(size);
  bytes.set(JPEG);
  return bytes;
}

/**
 * A real PNG of `size` bytes. The padding goes into an ancillary chunk before IEND (every PNG
 * reader skips a chunk it does not know), not after IEND: the upload inspection refuses a PNG
 * with bytes after its end marker (see the demo's notes).
 */
export function paddedPng(size: number): Uint8Array {
  const iend = PNG_IMAGE.length - 12; // the IEND chunk: length 0, type, CRC
  const padding = size - PNG_IMAGE.length - 12;
  if (padding < 0) throw new Error(`a PNG photo cannot be smaller than ${PNG_IMAGE.length + 12} bytes`);
  const bytes = new Uint8Array(size);
  bytes.set(PNG_IMAGE.subarray(0, iend));
  const view = new DataView(bytes.buffer);
  view.setUint32(iend, padding);
  bytes.set([0x6c, 0x61, 0x75, 0x72], iend + 4); // "laur": ancillary, private, safe to copy
  // The data stays zero; the CRC covers the type and the data.
  view.setUint32(iend + 8 + padding, crc32(bytes.subarray(iend + 4, iend + 8 + padding)));
  bytes.set(PNG_IMAGE.subarray(iend), iend + 12 + padding);
  return bytes;
}

/** A small real PNG, for the scan that is not a PDF. */
export const smallPng = (): Uint8Array => realPng(400, 300);

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

/** The names in a ZIP's central directory, read without inflating anything. */
export function zipEntryNames(zip: Uint8Array): string[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('the package is not a ZIP file (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  const decoder = new TextDecoder();
  const names: string[] = [];
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('the package has a damaged ZIP directory');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    names.push(decoder.decode(zip.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
