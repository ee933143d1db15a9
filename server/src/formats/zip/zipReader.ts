import { inflateRawSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { crc32 } from './crc32';

/**
 * A small ZIP reader for the archives eval tools write (Inspect `.eval`): the central directory
 * (ZIP64 too), members stored (method 0), deflated (8) or zstd-compressed (93). When the central
 * directory is missing (a truncated download), members are found by their local headers. Every
 * failure is a ZipError with a message for people; one bad member never hides the others.
 */

export class ZipError extends Error {}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Set when the central directory could not be read and members were found by scanning. */
  recovered: string | null;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;
const MAX32 = 0xffffffff;

export const METHOD_NAMES: Record<number, string> = { 0: 'stored', 8: 'deflate', 93: 'zstd' };

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function u64(v: DataView, at: number): number {
  return Number(v.getBigUint64(at, true));
}

const utf8 = new TextDecoder('utf-8');

export function readZipDirectory(data: Uint8Array): ZipDirectory {
  try {
    return { entries: readCentralDirectory(data), recovered: null };
  } catch (e) {
    const reason = e instanceof ZipError ? e.message : String(e);
    const entries = scanLocalHeaders(data);
    if (entries.length === 0) throw new ZipError(`Not a readable ZIP archive: ${reason}`);
    return { entries, recovered: `${reason}; ${entries.length} member(s) found by their local headers` };
  }
}

function findEnd(data: Uint8Array, v: DataView): number {
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= lowest; i--) {
    if (v.getUint32(i, true) === SIG_END) return i;
  }
  throw new ZipError('no end of central directory record (the file is truncated or not a ZIP)');
}

function readCentralDirectory(data: Uint8Array): ZipEntry[] {
  if (data.length < 22) throw new ZipError(`only ${data.length} bytes`);
  const v = view(data);
  const end = findEnd(data, v);
  let count = v.getUint16(end + 10, true);
  let size = v.getUint32(end + 12, true);
  let offset = v.getUint32(end + 16, true);
  if ((count === 0xffff || size === MAX32 || offset === MAX32) && end >= 20 && v.getUint32(end - 20, true) === SIG_END64_LOCATOR) {
    const end64 = u64(v, end - 20 + 8);
    if (end64 + 56 > data.length || v.getUint32(end64, true) !== SIG_END64) throw new ZipError('bad ZIP64 end of central directory');
    count = u64(v, end64 + 32);
    size = u64(v, end64 + 40);
    offset = u64(v, end64 + 48);
  }
  if (offset + size > data.length) throw new ZipError('the central directory lies past the end of the file (truncated)');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > data.length || v.getUint32(p, true) !== SIG_CENTRAL) throw new ZipError(`central directory entry ${k + 1} of ${count} is damaged`);
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    const entry: ZipEntry = {
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      crc32: v.getUint32(p + 16, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localHeaderOffset: v.getUint32(p + 42, true),
      name: utf8.decode(data.subarray(p + 46, p + 46 + nameLength)),
    };
    readZip64Extra(v, p + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** ZIP64 extended information: 64-bit values for the fields whose 32-bit value is all ones, in this order. */
function readZip64Extra(v: DataView, start: number, length: number, entry: ZipEntry): void {
  for (let p = start; p + 4 <= start + length; ) {
    const id = v.getUint16(p, true);
    const size = v.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const take = () => {
        const value = q + 8 <= p + 4 + size ? u64(v, q) : null;
        q += 8;
        return value;
      };
      if (entry.size === MAX32) entry.size = take() ?? entry.size;
      if (entry.compressedSize === MAX32) entry.compressedSize = take() ?? entry.compressedSize;
      if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = take() ?? entry.localHeaderOffset;
      return;
    }
    p += 4 + size;
  }
}

/** Members found by their local headers alone (only those whose header gives their sizes). */
function scanLocalHeaders(data: Uint8Array): ZipEntry[] {
  const v = view(data);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 30 <= data.length) {
    if (v.getUint32(p, true) !== SIG_LOCAL) {
      p++;
      continue;
    }
    const flags = v.getUint16(p + 6, true);
    const compressedSize = v.getUint32(p + 18, true);
    const nameLength = v.getUint16(p + 26, true);
    const extraLength = v.getUint16(p + 28, true);
    const dataStart = p + 30 + nameLength + extraLength;
    if ((flags & 8) !== 0 && compressedSize === 0) {
      p = dataStart; // sizes only in a data descriptor after the data: cannot be delimited without the directory
      continue;
    }
    entries.push({
      name: utf8.decode(data.subarray(p + 30, p + 30 + nameLength)),
      flags,
      method: v.getUint16(p + 8, true),
      crc32: v.getUint32(p + 14, true),
      compressedSize,
      size: v.getUint32(p + 22, true),
      localHeaderOffset: p,
    });
    p = dataStart + compressedSize;
  }
  return entries;
}

/** A member's bytes, decompressed and checked against its CRC-32. */
export function readZipEntry(data: Uint8Array, entry: ZipEntry, maxSize: number): Uint8Array {
  if (entry.flags & 1) throw new ZipError('the member is encrypted');
  if (entry.size > maxSize) throw new ZipError(`the member is ${entry.size} bytes, over the limit of ${maxSize}`);
  const v = view(data);
  const p = entry.localHeaderOffset;
  if (p + 30 > data.length || v.getUint32(p, true) !== SIG_LOCAL) throw new ZipError('its local header is missing or damaged');
  const start = p + 30 + v.getUint16(p + 26, true) + v.getUint16(p + 28, true);
  if (start + entry.compressedSize > data.length) throw new ZipError('its data runs past the end of the file (truncated)');
  const raw = data.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  try {
    switch (entry.method) {
      case 0:
        out = raw;
        break;
      case 8:
        out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
        break;
      case 93:
        out = zstdDecompress(raw, new Uint8Array(entry.size));
        break;
      default:
        throw new ZipError(`compression method ${entry.method} is not supported (stored, deflate and zstd are)`);
    }
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError(`its ${METHOD_NAMES[entry.method]} data is corrupt: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (out.length !== entry.size) throw new ZipError(`it decompresses to ${out.length} bytes, not the ${entry.size} its header says`);
  if (crc32(out) !== entry.crc32) throw new ZipError('its CRC-32 does not match: the data is corrupt');
  return out;
}
