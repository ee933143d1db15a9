import { isUtf8 } from 'node:buffer';
import type { ExtractSink, ParseErrorRecord } from '../formats/records';
import { errorAt } from './extract';

/** UTF-8 to text; invalid bytes are reported (with their line) and read as U+FFFD. */
export function decodeUtf8(data: Buffer, sink: ExtractSink): string {
  let text = data.toString('utf8');
  if (!isUtf8(data)) {
    const bad = firstInvalidUtf8(data);
    sink.error(invalidUtf8Error(bad, countNewlines(data, bad)));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** The report of a file's first invalid byte (`line` zero-based). */
export function invalidUtf8Error(byte: number, line: number): ParseErrorRecord {
  return errorAt('encoding', `Invalid UTF-8 at byte ${byte} (line ${line + 1}): read with replacement characters`, line);
}

/** Line feeds in data before `end`. */
export function countNewlines(data: Buffer, end: number): number {
  let n = 0;
  for (let i = data.indexOf(10); i >= 0 && i < end; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** Offset of the first byte that breaks UTF-8 (binary search on isUtf8 of prefixes would split sequences). */
export function firstInvalidUtf8(data: Buffer): number {
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > data.length || !isUtf8(data.subarray(i, i + len))) return i;
    i += len;
  }
  return data.length;
}
