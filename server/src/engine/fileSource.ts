import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { ExtractSink, ParseErrorRecord, ResponseRecord } from '../formats/records';
import { formatByName, pickArchiveFormat } from '../formats/registry';
import { JsonlReader, containerOf, errorAt, extractInto, formatSize, type ExtractSettings } from './extract';

/**
 * Files from disk, for the CLI: JSONL is streamed line by line (memory stays bounded whatever the
 * file's size); other files are read whole, once. Records come out in chunks so classification
 * can overlap reading.
 */

export interface FileChunk {
  responses: ResponseRecord[];
  errors: ParseErrorRecord[];
}

export interface FileSourceOptions extends ExtractSettings {
  /** Files larger than this are not read whole (JSONL streams and is exempt). */
  maxFileBytes: number;
  /** Roughly how many responses a chunk holds. */
  chunkSize?: number;
}

export interface FileExtraction {
  chunks: AsyncGenerator<FileChunk>;
  /** The format's name once the chunks are consumed (null if none recognised). */
  format(): string | null;
  /** Bytes of the file read so far and its size, for progress and ETA. */
  bytes(): { done: number; total: number };
}

const HEAD_BYTES = 64 * 1024;

export function extractFile(filePath: string, options: FileSourceOptions): FileExtraction {
  let format: string | null = null;
  const bytes = { done: 0, total: 0 };
  async function* run(): AsyncGenerator<FileChunk> {
    let head: Buffer;
    let size: number;
    try {
      const st = await fs.promises.stat(filePath);
      if (st.isDirectory()) {
        yield { responses: [], errors: [errorAt('io', 'This is a folder, not a file')] };
        return;
      }
      size = st.size;
      bytes.total = size;
      head = await readHead(filePath, HEAD_BYTES);
    } catch (e) {
      yield { responses: [], errors: [errorAt('io', `Cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)] };
      return;
    }
    const forced = options.inputFormat ? formatByName(options.inputFormat) : undefined;
    const archive = forced?.kind === 'archive' ? forced : forced ? null : pickArchiveFormat(filePath, head);
    if (archive) {
      if (size > options.maxFileBytes) {
        yield { responses: [], errors: [tooBig(size, options.maxFileBytes)] };
        return;
      }
      const chunk = collect((sink) => archive.extract(fs.readFileSync(filePath), options, sink));
      bytes.done = size;
      format = archive.name;
      yield chunk;
      return;
    }
    if (size === 0) {
      yield { responses: [], errors: [errorAt('empty', 'The file is empty: no responses to analyse')] };
      return;
    }
    if (head.subarray(0, 8000).includes(0)) {
      yield { responses: [], errors: [errorAt('binary', 'This looks like a binary file (it holds NUL bytes): not analysed')] };
      return;
    }
    const headText = head.toString('utf8');
    const streamAsJsonl = (forced ? forced.kind === 'json' : true) && containerOf(filePath, headText) === 'jsonl';
    if (streamAsJsonl) {
      yield* streamJsonl(filePath, options, (f) => (format = f), (n) => (bytes.done += n));
      return;
    }
    if (size > options.maxFileBytes) {
      yield { responses: [], errors: [tooBig(size, options.maxFileBytes)] };
      return;
    }
    const data = await fs.promises.readFile(filePath);
    bytes.done = data.length;
    const chunk = collect((sink) => {
      const text = decodeUtf8(data, sink);
      format = extractInto(text, filePath, options, sink);
    });
    yield chunk;
  }
  return { chunks: run(), format: () => format, bytes: () => bytes };
}

function tooBig(size: number, limit: number): ParseErrorRecord {
  return errorAt('limit', `The file is ${formatSize(size)}, over the limit of ${formatSize(limit)} for files read whole: not analysed (raise the limit, or write JSONL, which streams)`);
}

function collect(fn: (sink: ExtractSink) => void): FileChunk {
  const chunk: FileChunk = { responses: [], errors: [] };
  fn({ response: (r) => chunk.responses.push(r), error: (e) => chunk.errors.push(e) });
  return chunk;
}

async function readHead(filePath: string, bytes: number): Promise<Buffer> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** UTF-8 to text; invalid bytes are reported (with their line) and read as U+FFFD. */
export function decodeUtf8(data: Buffer, sink: ExtractSink): string {
  let text = data.toString('utf8');
  if (!isUtf8(data)) {
    const bad = firstInvalidUtf8(data);
    const line = countNewlines(data, bad);
    sink.error(errorAt('encoding', `Invalid UTF-8 at byte ${bad} (line ${line + 1}): read with replacement characters`, line));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

function countNewlines(data: Buffer, end: number): number {
  let n = 0;
  for (let i = data.indexOf(10); i >= 0 && i < end; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** Offset of the first byte that breaks UTF-8 (binary search on isUtf8 of prefixes would split sequences). */
function firstInvalidUtf8(data: Buffer): number {
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > data.length || !isUtf8(data.subarray(i, i + len))) return i;
    i += len;
  }
  return data.length;
}

/** Streams a JSONL file: lines split on LF (CR LF accepted), over-long lines skipped unread. */
async function* streamJsonl(
  filePath: string,
  options: FileSourceOptions,
  setFormat: (f: string | null) => void,
  onBytes: (n: number) => void,
): AsyncGenerator<FileChunk> {
  const chunkSize = options.chunkSize ?? 512;
  let chunk: FileChunk = { responses: [], errors: [] };
  const sink: ExtractSink = { response: (r) => chunk.responses.push(r), error: (e) => chunk.errors.push(e) };
  const reader = new JsonlReader(filePath, options, sink);
  const maxBytes = options.maxLineLength;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overlong = false;
  let line = 0;

  const finishLine = () => {
    if (overlong) reader.lineTooLong(line, partBytes);
    else {
      let buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, partBytes);
      if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
      let text = buf.toString('utf8');
      if (!isUtf8(buf)) reader.invalidUtf8(line);
      if (line === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      reader.line(text, line);
    }
    parts = [];
    partBytes = 0;
    overlong = false;
    line++;
  };
  const addPart = (b: Buffer) => {
    partBytes += b.length;
    if (overlong) return;
    if (partBytes > maxBytes) {
      overlong = true;
      parts = [];
      return;
    }
    parts.push(b);
  };

  try {
    for await (const data of fs.createReadStream(filePath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      onBytes(data.length);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        addPart(data.subarray(start, nl));
        finishLine();
        start = nl + 1;
      }
      if (start < data.length) addPart(Buffer.from(data.subarray(start)));
      if (chunk.responses.length >= chunkSize || chunk.errors.length >= chunkSize) {
        yield chunk;
        chunk = { responses: [], errors: [] };
      }
    }
  } catch (e) {
    sink.error(errorAt('io', `Reading stopped at line ${line + 1}: ${(e as Error).message}`, line));
  }
  if (partBytes > 0 || overlong) finishLine();
  setFormat(reader.end());
  yield chunk;
}
