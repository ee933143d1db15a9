import { deflateRawSync } from 'node:zlib';

/**
 * Writes small ZIP archives the way Python's zipfile does (local headers with sizes, central
 * directory, end record), members stored, deflated, or zstd-compressed as method 93. Our zstd
 * "compressor" writes raw (uncompressed) blocks: valid zstd every decoder must read, with or
 * without the content size in the frame header (streaming compressors leave it out).
 * For tests and example files only; the reader lives in server/src/formats/zip/.
 */

export type ZipMethod = 'stored' | 'deflate' | 'zstd';

export interface ZipMember {
  name: string;
  data: Uint8Array | string;
  method?: ZipMethod;
  /** zstd only: leave the content size out of the frame header (as streaming writers do). */
  zstdNoContentSize?: boolean;
  /** Data already compressed with `method` by another tool (e.g. the zstd command line). */
  compressed?: Uint8Array;
}

export interface ZipOptions {
  /** Write ZIP64 records (as writers do past 4 GiB or 65535 members), whatever the sizes. */
  zip64?: boolean;
}

const METHOD_CODES: Record<ZipMethod, number> = { stored: 0, deflate: 8, zstd: 93 };

/** CRC-32 computed bit by bit (independent of the reader's table-driven one). */
export function crc32Bitwise(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_MAX_BLOCK = 128 * 1024;

/** One zstd frame of raw blocks. */
export function zstdRawFrame(data: Uint8Array, options: { contentSize?: boolean } = {}): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  u32(ZSTD_MAGIC);
  if (options.contentSize === false) {
    parts.push(0x00); // no content size, not single-segment: a window descriptor follows
    parts.push((17 - 10) << 3); // window 2^17 = 128 KiB, the largest block
  } else if (data.length < 256) {
    parts.push(0x20, data.length); // single segment, 1-byte content size
  } else if (data.length < 65536 + 256) {
    parts.push(0x60); // single segment, 2-byte content size (minus 256)
    const v = data.length - 256;
    parts.push(v & 0xff, v >>> 8);
  } else {
    parts.push(0xa0); // single segment, 4-byte content size
    u32(data.length);
  }
  const out: Uint8Array[] = [Uint8Array.from(parts)];
  let p = 0;
  do {
    const size = Math.min(ZSTD_MAX_BLOCK, data.length - p);
    const last = p + size >= data.length ? 1 : 0;
    const header = (size << 3) | (0 << 1) | last; // block type 0: raw
    out.push(Uint8Array.of(header & 0xff, (header >>> 8) & 0xff, (header >>> 16) & 0xff), data.subarray(p, p + size));
    p += size;
  } while (p < data.length);
  return concat(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function compress(member: ZipMember, data: Uint8Array): Uint8Array {
  if (member.compressed) return member.compressed;
  switch (member.method ?? 'deflate') {
    case 'stored':
      return data;
    case 'deflate':
      return new Uint8Array(deflateRawSync(data, { level: 5 }));
    case 'zstd':
      return zstdRawFrame(data, { contentSize: !member.zstdNoContentSize });
  }
}

/** A fixed DOS timestamp, so archives are byte-for-byte reproducible. */
const DOS_TIME = 0;
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;

export function buildZip(members: readonly ZipMember[], options: ZipOptions = {}): Uint8Array {
  const zip64 = options.zip64 ?? false;
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const data = typeof m.data === 'string' ? enc.encode(m.data) : m.data;
    const packed = compress(m, data);
    const name = enc.encode(m.name);
    const crc = crc32Bitwise(data);
    const method = METHOD_CODES[m.method ?? 'deflate'];
    const version = method === 93 ? 63 : 20;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, version, true);
    local.setUint16(6, 0x800, true); // UTF-8 names
    local.setUint16(8, method, true);
    local.setUint16(10, DOS_TIME, true);
    local.setUint16(12, DOS_DATE, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, packed.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    locals.push(new Uint8Array(local.buffer), name, packed);
    // ZIP64: the central entry's sizes and offset move to an extended-information extra field
    const extra = zip64 ? new DataView(new ArrayBuffer(28)) : null;
    if (extra) {
      extra.setUint16(0, 0x0001, true);
      extra.setUint16(2, 24, true);
      extra.setBigUint64(4, BigInt(data.length), true);
      extra.setBigUint64(12, BigInt(packed.length), true);
      extra.setBigUint64(20, BigInt(offset), true);
    }
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, (3 << 8) | version, true);
    central.setUint16(6, version, true);
    central.setUint16(8, 0x800, true);
    central.setUint16(10, method, true);
    central.setUint16(12, DOS_TIME, true);
    central.setUint16(14, DOS_DATE, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, extra ? 0xffffffff : packed.length, true);
    central.setUint32(24, extra ? 0xffffffff : data.length, true);
    central.setUint16(28, name.length, true);
    central.setUint16(30, extra ? extra.byteLength : 0, true);
    central.setUint32(38, (0o100644 << 16) >>> 0, true);
    central.setUint32(42, extra ? 0xffffffff : offset, true);
    centrals.push(new Uint8Array(central.buffer), name);
    if (extra) centrals.push(new Uint8Array(extra.buffer));
    offset += 30 + name.length + packed.length;
  }
  const directory = concat(centrals);
  const tail: Uint8Array[] = [];
  if (zip64) {
    const end64 = new DataView(new ArrayBuffer(56));
    end64.setUint32(0, 0x06064b50, true);
    end64.setBigUint64(4, 44n, true);
    end64.setUint16(12, 45, true);
    end64.setUint16(14, 45, true);
    end64.setBigUint64(24, BigInt(members.length), true);
    end64.setBigUint64(32, BigInt(members.length), true);
    end64.setBigUint64(40, BigInt(directory.length), true);
    end64.setBigUint64(48, BigInt(offset), true);
    const locator = new DataView(new ArrayBuffer(20));
    locator.setUint32(0, 0x07064b50, true);
    locator.setBigUint64(8, BigInt(offset + directory.length), true);
    locator.setUint32(16, 1, true);
    tail.push(new Uint8Array(end64.buffer), new Uint8Array(locator.buffer));
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, zip64 ? 0xffff : members.length, true);
  end.setUint16(10, zip64 ? 0xffff : members.length, true);
  end.setUint32(12, zip64 ? 0xffffffff : directory.length, true);
  end.setUint32(16, zip64 ? 0xffffffff : offset, true);
  return concat([...locals, directory, ...tail, new Uint8Array(end.buffer)]);
}
