import * as fs from 'node:fs';

/** One file inside a zip archive (a .vsix is one), from its central directory. */
export interface ZipEntry {
  name: string;
  /** Uncompressed bytes. */
  size: number;
  compressedSize: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

/** Lists a zip file's entries by reading its central directory (no extraction, no dependency). */
export function listZip(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  // The end-of-central-directory record is the last 22 bytes plus a comment of at most 64 KiB.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip archive (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error(`${file}: zip64 archives are not supported`);
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new Error(`${file}: corrupt central directory at byte ${p}`);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLength), size, compressedSize });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
