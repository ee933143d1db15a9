import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { ExtractSink, ParseErrorRecord, ResponseRecord } from '../formats/records';
import { formatByName, pickArchiveFormat } from '../formats/registry';
import { JsonlReader, binaryFileError, containerOf, emptyFileError, errorAt, extractInto, formatSize, type ExtractSettings } from './extract';
import { decodeUtf8 } from './utf8';
import { JsonStreamReader, SPAN_FIELDS, type DeferredSpans } from './jsonStream';
import type { JsonFormat } from '../formats/format';

/**
 * Files from disk, for the CLI: JSONL is streamed line by line, and a large JSON document that a
 * format reads record by record one array element at a time (engine/jsonStream.ts), so memory
 * stays bounded whatever the file's size; other files are read whole, once. Records come out in
 * chunks so classification can overlap reading.
 */

export interface FileChunk {
  responses: ResponseRecord[];
  errors: ParseErrorRecord[];
}

export interface FileSourceOptions extends ExtractSettings {
  /** Files larger than this are not read whole (JSONL, and JSON documents read in streaming, are exempt). */
  maxFileBytes: number;
  /** Roughly how many responses a chunk holds. */
  chunkSize?: number;
  /** JSON documents larger than this are read element by element (engine/jsonStream.ts); default 8 MB. */
  streamJsonAbove?: number;
}

export interface FileExtraction {
  chunks: AsyncGenerator<FileChunk>;
  /** The format's name once the chunks are consumed (null if none recognised). */
  format(): string | null;
  /** Bytes of the file read so far and its size, for progress and ETA. */
  bytes(): { done: number; total: number };
}

const HEAD_BYTES = 64 * 1024;
const STREAM_JSON_ABOVE = 8 * 1024 * 1024;
const READ_BYTES = 1024 * 1024;

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
      yield { responses: [], errors: [emptyFileError()] };
      return;
    }
    if (head.subarray(0, 8000).includes(0)) {
      yield { responses: [], errors: [binaryFileError()] };
      return;
    }
    const container = containerOf(filePath, head.toString('utf8'));
    const forcedJson = forced?.kind === 'json' ? forced : null;
    if ((!forced || forcedJson) && container === 'jsonl') {
      yield* streamJsonl(filePath, options, (f) => (format = f), (n) => (bytes.done += n));
      return;
    }
    if ((!forced || forcedJson?.streaming) && size > (options.streamJsonAbove ?? STREAM_JSON_ABOVE) && container === 'json') {
      yield* streamJsonDocument(filePath, size, options, forcedJson, (f) => (format = f), (n) => (bytes.done += n));
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

/** Records gathered into chunks of about `size` responses (or errors): classification and memory go by them. */
class ChunkBuffer {
  private current: FileChunk = { responses: [], errors: [] };
  readonly sink: ExtractSink = { response: (r) => this.current.responses.push(r), error: (e) => this.current.errors.push(e) };

  constructor(private readonly size: number) {}

  get full(): boolean {
    return this.current.responses.length >= this.size || this.current.errors.length >= this.size;
  }

  /** The chunk so far; the buffer starts a new one. */
  take(): FileChunk {
    const c = this.current;
    this.current = { responses: [], errors: [] };
    return c;
  }
}

function collect(fn: (sink: ExtractSink) => void): FileChunk {
  const buffer = new ChunkBuffer(Infinity);
  fn(buffer.sink);
  return buffer.take();
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

/** Streams a JSONL file: lines split on LF (CR LF accepted), over-long lines skipped unread. */
async function* streamJsonl(
  filePath: string,
  options: FileSourceOptions,
  setFormat: (f: string | null) => void,
  onBytes: (n: number) => void,
): AsyncGenerator<FileChunk> {
  const chunks = new ChunkBuffer(options.chunkSize ?? 512);
  const reader = new JsonlReader(filePath, options, chunks.sink);
  const maxBytes = options.maxLineLength;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overlong = false;
  let line = 0;

  /** The line in data[start, end) (a CR before its end dropped), decoded in place; `valid`: known to be UTF-8. */
  const readLine = (data: Buffer, start: number, end: number, valid: boolean) => {
    if (end > start && data[end - 1] === 13) end--;
    let text = data.toString('utf8', start, end);
    if (!valid && !isUtf8(data.subarray(start, end))) reader.invalidUtf8(line);
    if (line === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    reader.line(text, line);
  };
  /** The line gathered from several pieces. */
  const finishLine = () => {
    if (overlong) reader.lineTooLong(line, partBytes);
    else {
      const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, partBytes);
      readLine(buf, 0, buf.length, false);
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
      let nl = data.indexOf(10);
      if (nl >= 0 && (partBytes > 0 || overlong)) {
        // the end of a line begun in an earlier piece
        addPart(data.subarray(0, nl));
        finishLine();
        start = nl + 1;
        nl = data.indexOf(10, start);
      }
      if (nl >= 0) {
        // the lines wholly inside this piece: one UTF-8 check for all, each decoded straight from it
        const valid = isUtf8(data.subarray(start, data.lastIndexOf(10)));
        for (; nl >= 0; nl = data.indexOf(10, start)) {
          if (nl - start > maxBytes) reader.lineTooLong(line, nl - start);
          else readLine(data, start, nl, valid);
          line++;
          start = nl + 1;
          // chunks of about chunkSize whatever the lines' length
          if (chunks.full) yield chunks.take();
        }
      }
      if (start < data.length) addPart(Buffer.from(data.subarray(start)));
      if (chunks.full) yield chunks.take();
    }
  } catch (e) {
    chunks.sink.error(errorAt('io', `Reading stopped at line ${line + 1}: ${(e as Error).message}`, line));
  }
  if (partBytes > 0 || overlong) finishLine();
  setFormat(reader.end());
  yield chunks.take();
}

/** A JSON document read in pieces: its record arrays' elements one by one (engine/jsonStream.ts). */
async function* streamJsonDocument(
  filePath: string,
  size: number,
  options: FileSourceOptions,
  forced: JsonFormat | null,
  setFormat: (f: string | null) => void,
  onBytes: (n: number) => void,
): AsyncGenerator<FileChunk> {
  const chunks = new ChunkBuffer(options.chunkSize ?? 512);
  const sink = chunks.sink;
  const reader = new JsonStreamReader(filePath, options, sink, forced);
  try {
    for await (const data of fs.createReadStream(filePath, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
      onBytes(data.length);
      reader.write(data);
      const tooBig = reader.tooBig;
      if (tooBig) {
        yield { responses: [], errors: [tooBig] };
        return;
      }
      if (chunks.full) yield chunks.take();
    }
  } catch (e) {
    sink.error(errorAt('io', `Reading stopped: ${(e as Error).message}`));
    yield chunks.take();
    return;
  }
  const outcome = reader.end();
  if (outcome.kind === 'done') setFormat(outcome.format);
  else if (outcome.kind === 'spans') {
    // the header came after the records: read the noted elements again, now that the format is known
    for await (const [i, bytes] of readSpans(filePath, outcome.spans)) {
      reader.deferredElement(outcome.spans, i, bytes);
      if (chunks.full) yield chunks.take();
    }
    setFormat(reader.finish());
  } else {
    // no streaming format reads this document: read it whole, as a small one is
    if (size > options.maxFileBytes) {
      yield { responses: [], errors: [tooBig(size, options.maxFileBytes)] };
      return;
    }
    const text = decodeUtf8(await fs.promises.readFile(filePath), sink);
    setFormat(extractInto(text, filePath, options, sink));
  }
  yield chunks.take();
}

/** The bytes of each noted span, in order, read in large sequential blocks. */
async function* readSpans(filePath: string, spans: DeferredSpans): AsyncGenerator<[number, Buffer]> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const size = (await fh.stat()).size;
    let block = Buffer.alloc(0);
    let blockStart = 0;
    for (let i = 0; i < spans.count; i++) {
      const start = spans.data[i * SPAN_FIELDS];
      const end = spans.data[i * SPAN_FIELDS + 1] < 0 ? size : spans.data[i * SPAN_FIELDS + 1];
      if (start < blockStart || end > blockStart + block.length) {
        const length = Math.max(end - start, READ_BYTES * 4);
        block = Buffer.allocUnsafe(Math.min(length, size - start));
        const { bytesRead } = await fh.read(block, 0, block.length, start);
        block = block.subarray(0, bytesRead);
        blockStart = start;
      }
      yield [i, block.subarray(start - blockStart, end - blockStart)];
    }
  } finally {
    await fh.close();
  }
}
