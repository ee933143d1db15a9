import { isUtf8 } from 'node:buffer';
import type { JsonExtractor, JsonFormat, JsonHeader, JsonRecordSource } from '../formats/format';
import { at, type JsonArray, type JsonNode } from '../formats/json/jsonNode';
import { DEFAULT_MAX_DEPTH, describeAt, parseJson, TRAILING_CONTENT, unclosedMessage, type JsonSyntaxError } from '../formats/json/jsonParser';
import type { ExtractSink, ParseErrorRecord } from '../formats/records';
import { jsonFormats, pickJsonFormat } from '../formats/registry';
import { LineIndex, type Position, type PositionSource } from '../text/positions';
import { errorAt, extractInto, formatSize, runExtractor, type ExtractSettings } from './extract';
import { countNewlines, decodeUtf8, firstInvalidUtf8, invalidUtf8Error } from './utf8';
import { JsonSplitter, pathTree, type SkeletonPiece, type SplitHandler, type SplitPosition } from './jsonSplitter';

/**
 * A large JSON document read from disk without holding it: the splitter cuts the elements of
 * the record arrays formats declare (`JsonFormat.streaming`) out of the byte stream, each
 * element is parsed on its own with absolute positions and fed to the format, and the rest of
 * the document (the header: Inspect's `eval`, promptfoo's `results.version`...) is parsed once,
 * small as it is. Every byte is parsed once.
 *
 * Which format reads the file is decided when the first record array holds a few elements
 * ("preview"): `match` sees the document read so far with those elements. When a format that
 * could read that array needs header members not yet read (they come after the array), the
 * decision waits for the end of the document: the elements' places are noted (not their
 * contents) and they are read from disk again, and parsed, once it is known. When the winner
 * reads the document whole (no streaming), the array's content goes back into the document,
 * which is then read as before, in one piece (limit: maxFileBytes).
 *
 * Errors keep the in-memory path's messages and places (the nesting limit counts the levels
 * around an element); one difference, in the reader's favour: the 50-error cap counts per element.
 */

/** Elements and bytes a decision waits for at most. */
const PREVIEW_ELEMENTS = 16;
const PREVIEW_BYTES = 1024 * 1024;

export type Mode = 'scan' | 'stream' | 'defer' | 'whole';

interface ArrayInfo {
  path: readonly string[];
  /** Containers around the array (for the parser's depth limit). */
  depth: number;
}

interface ParsedElement {
  arrayId: number;
  node: JsonNode | null;
  source: JsonRecordSource;
  errors: ParseErrorRecord[];
  /** The file ended inside this element: its errors wait for the end (one error per truncation). */
  atEof: boolean;
}

/** Where an element noted for later sits (DEFER): columns of a growable Float64Array. */
export const SPAN_FIELDS = 5; // byte start, byte end (-1: the file's end), line, character, array id

export interface DeferredSpans {
  data: Float64Array;
  count: number;
}

export type StreamOutcome =
  | { kind: 'done'; format: string | null }
  /** Read these elements from disk (in order) into `element`, then call `finish`. */
  | { kind: 'spans'; spans: DeferredSpans }
  /** The document must be read whole after all (the format that reads it does not stream). */
  | { kind: 'whole' };

export class JsonStreamReader {
  private mode: Mode = 'scan';
  private readonly formats: readonly JsonFormat[];
  private readonly arrays: ArrayInfo[] = [];
  private readonly splitter: JsonSplitter;
  private winner: JsonFormat | null = null;
  private extractor: JsonExtractor | null = null;
  private header: JsonHeader | null = null;
  /** The header parsed at the end of the document (for `finish`). */
  private skeletonDone: { parsed: ReturnType<typeof parseJson>; source: JsonRecordSource } | null = null;
  private readonly indexes: number[] = [];
  private previews: ParsedElement[] = [];
  private previewBytes = 0;
  private pendingErrors: ParseErrorRecord[] = [];
  private eofElement: ParsedElement | null = null;
  private spans: DeferredSpans = { data: new Float64Array(0), count: 0 };
  /** First byte that is not UTF-8, and its line. */
  private badByte: { byte: number; line: number } | null = null;
  private tooBigAt = 0;
  /** The last error between elements (a cut right after it is not reported again). */
  private lastSplitError: ParseErrorRecord | null = null;

  constructor(
    private readonly fileName: string,
    private readonly settings: ExtractSettings & { maxFileBytes: number },
    private readonly sink: ExtractSink,
    private readonly forced: JsonFormat | null,
  ) {
    this.formats = forced ? [forced] : jsonFormats;
    const streaming = this.formats.flatMap((f) => f.streaming?.arrays ?? []);
    const tree = pathTree(streaming);
    for (const [key, id] of tree.ids) this.arrays[id] = { path: JSON.parse(key) as string[], depth: 0 };
    this.splitter = new JsonSplitter(tree.root, this.handler());
    if (streaming.length === 0) this.mode = 'whole';
    else this.splitter.keep(true);
  }

  /**
   * How the document is being read: `stream` (elements as they come), `defer` (their places noted
   * until the end), `whole` (as one document), `scan` (not decided yet).
   */
  get strategy(): Mode {
    return this.mode;
  }

  /** Bytes of the document held apart from elements (the header; all of it when read whole). */
  get heldBytes(): number {
    return this.splitter.skeletonSize;
  }

  /** Set when the part read whole grew past maxFileBytes: reading must stop. */
  get tooBig(): ParseErrorRecord | null {
    if (!this.tooBigAt) return null;
    return errorAt('limit', `The file is over the limit of ${formatSize(this.settings.maxFileBytes)} for files read whole, and no format reads it record by record: not analysed (raise the limit with --max-file-mb)`);
  }

  write(chunk: Buffer): void {
    this.splitter.write(chunk);
    if ((this.mode === 'whole' || this.mode === 'scan') && this.splitter.skeletonSize > this.settings.maxFileBytes) this.tooBigAt = this.splitter.skeletonSize;
  }

  /** After the last byte. */
  end(): StreamOutcome {
    const pieces = this.splitter.end();
    if (this.mode === 'scan') this.mode = 'whole'; // no record array held anything
    if (this.mode === 'whole') return { kind: 'done', format: this.readWhole(pieces) };
    const skeleton = this.skeleton(pieces);
    this.skeletonDone = skeleton;
    if (this.mode === 'defer') {
      const root = skeleton.parsed.value;
      const winner = root ? this.pick(root, this.previews) : null;
      const arraysUsed = new Set<number>(this.previews.map((p) => p.arrayId));
      for (let i = 0; i < this.spans.count; i++) arraysUsed.add(this.spans.data[i * SPAN_FIELDS + 4]);
      if (!winner || ![...arraysUsed].every((id) => this.streams(winner, id))) return { kind: 'whole' };
      this.startStreaming(winner, { root: root!, source: skeleton.source });
      if (this.spans.count > 0) return { kind: 'spans', spans: this.spans };
    }
    return { kind: 'done', format: this.finish() };
  }

  /** A deferred element read back from disk (in the order of the spans). */
  deferredElement(spans: DeferredSpans, i: number, bytes: Buffer): void {
    const d = spans.data;
    const o = i * SPAN_FIELDS;
    const arrayId = d[o + 4];
    const start: SplitPosition = { byte: d[o], line: d[o + 2], character: d[o + 3] };
    const atEof = d[o + 1] < 0;
    const delimiter = atEof ? null : bytes[bytes.length - 1];
    const element = this.parseElement(arrayId, [atEof ? bytes : bytes.subarray(0, bytes.length - 1)], start, delimiter, atEof);
    this.extract(element);
  }

  /** After the deferred elements: the header's errors, the extractor's end. Returns the format's name. */
  finish(): string | null {
    const skeleton = this.skeletonDone!;
    const errors = skeleton.parsed.errors.map((e) => this.syntaxError(e, skeleton.source.positions));
    let skeletonEnd: ParseErrorRecord | null = null;
    const last = skeleton.parsed.errors[skeleton.parsed.errors.length - 1];
    if (last && last.start === skeleton.source.src.length && UNCLOSED.test(last.message)) skeletonEnd = errors.pop()!;
    const eof = this.eofElement;
    if (eof) {
      // one error per truncation, counting the brackets the element and the header leave open
      const own = eof.errors[eof.errors.length - 1];
      const ownCount = own ? UNCLOSED.exec(own.message) : null;
      if (own && ownCount && skeletonEnd) {
        const total = Number(ownCount[1]) + Number(UNCLOSED.exec(skeletonEnd.message)![1]);
        own.message = unclosedMessage(total);
        skeletonEnd = null;
      } else if (own && own.range.end.line === skeletonEnd?.range.end.line && own.range.end.character === skeletonEnd.range.end.character) {
        skeletonEnd = null;
      }
      for (const e of eof.errors) this.sink.error(e);
    }
    const split = this.lastSplitError?.range.end;
    if (split && skeletonEnd && split.line === skeletonEnd.range.end.line && split.character === skeletonEnd.range.end.character) skeletonEnd = null;
    if (skeletonEnd) errors.push(skeletonEnd);
    if (this.badByte) this.sink.error(invalidUtf8Error(this.badByte.byte, this.badByte.line));
    for (const e of errors) this.sink.error(e);
    const header: JsonHeader | null = skeleton.parsed.value ? { root: skeleton.parsed.value, source: skeleton.source } : null;
    runExtractor(() => this.extractor!.end?.(this.sink, header ?? undefined), this.sink);
    return this.winner!.name;
  }

  private handler(): SplitHandler {
    return {
      arrayStart: (arrayId, depth) => {
        this.arrays[arrayId].depth = depth;
        switch (this.mode) {
          case 'scan':
          case 'defer':
            return true;
          case 'stream':
            return this.streams(this.winner!, arrayId);
          case 'whole':
            return false;
        }
      },
      element: (arrayId, bytes, start, delimiter) => {
        const atEof = delimiter === null;
        if (this.mode === 'defer') return this.noteSpan(arrayId, bytes, start, delimiter);
        const element = this.parseElement(arrayId, bytes, start, delimiter, atEof);
        const end = element.source.positions.positionAt(element.source.src.length);
        if (this.mode === 'stream') this.extract(element);
        else {
          this.previews.push(element);
          for (const b of bytes) this.previewBytes += b.length;
          if (this.previews.length >= PREVIEW_ELEMENTS || this.previewBytes >= PREVIEW_BYTES) this.decide(arrayId);
        }
        return end;
      },
      arrayEnd: (arrayId) => {
        if (this.mode !== 'scan') return;
        if (this.previews.length === 0) this.splitter.unsplit(); // an empty array: the document keeps it as written
        else this.decide(arrayId);
      },
      error: (message, pos) => {
        const e: ParseErrorRecord = { kind: 'syntax', message, range: { start: { line: pos.line, character: pos.character }, end: { line: pos.line, character: pos.character + 1 } } };
        this.lastSplitError = e;
        if (this.mode === 'stream') this.sink.error(e);
        else this.pendingErrors.push(e);
      },
    };
  }

  private streams(format: JsonFormat, arrayId: number): boolean {
    const path = this.arrays[arrayId].path;
    return Boolean(format.streaming?.arrays.some((p) => samePath(p, path)));
  }

  /** The format of the document, from the header read so far and the preview elements. */
  private decide(arrayId: number): void {
    const skeleton = this.skeleton(this.splitter.piecesSoFar());
    const root = skeleton.parsed.value;
    const path = this.arrays[arrayId].path;
    // the array's `[` is the last character read: a header member before it is complete when it ends there
    const arrayOffset = skeleton.source.src.length - 1;
    const readers = this.formats.filter((f) => this.streams(f, arrayId));
    const final = path.length === 0 || readers.every((f) => (f.streaming!.header ?? []).every((h) => complete(root, h, arrayOffset)));
    if (!final) {
      this.mode = 'defer';
      this.splitter.keep(false);
      return;
    }
    const winner = root ? this.pick(root, this.previews) : null;
    if (!winner || !this.streams(winner, arrayId) || !root) {
      this.mode = 'whole';
      this.previews = [];
      this.pendingErrors = [];
      this.eofElement = null;
      this.splitter.unsplit();
      return;
    }
    this.splitter.keep(false);
    this.startStreaming(winner, { root, source: skeleton.source });
  }

  /** The winner reads the document from here on: the preview elements first, then the errors held meanwhile. */
  private startStreaming(winner: JsonFormat, header: JsonHeader): void {
    this.mode = 'stream';
    this.winner = winner;
    this.header = header;
    this.extractor = winner.begin(this.settings, this.fileName);
    const previews = this.previews;
    this.previews = [];
    for (const p of previews) this.extract(p);
    for (const e of this.pendingErrors) this.sink.error(e);
    this.pendingErrors = [];
  }

  /** The format that reads a document, asked with the preview elements put in their arrays. */
  private pick(root: JsonNode, previews: ParsedElement[]): JsonFormat | null {
    const saved = new Map<JsonArray, JsonNode[]>();
    for (const p of previews) {
      const path = this.arrays[p.arrayId].path;
      const array = path.length === 0 ? root : at(root, ...path);
      if (!p.node || array?.type !== 'array') continue;
      if (!saved.has(array)) {
        saved.set(array, array.items);
        array.items = [...array.items];
      }
      array.items.push(p.node);
    }
    try {
      return this.forced ?? pickJsonFormat(root, this.fileName, this.settings);
    } finally {
      for (const [array, items] of saved) array.items = items;
    }
  }

  private extract(element: ParsedElement): void {
    if (element.atEof) this.eofElement = element;
    else for (const e of element.errors) this.sink.error(e);
    if (!element.node) return;
    const index = (this.indexes[element.arrayId] ?? 0) as number;
    this.indexes[element.arrayId] = index + 1;
    const node = element.node;
    runExtractor(
      () => this.extractor!.element!(node, this.arrays[element.arrayId].path, index, element.source, this.header!, this.sink),
      this.sink,
      element.source.positions,
      node,
    );
  }

  private parseElement(arrayId: number, bytes: Buffer[], start: SplitPosition, delimiter: number | null, atEof: boolean): ParsedElement {
    const buf = bytes.length === 1 ? bytes[0] : Buffer.concat(bytes);
    if (!isUtf8(buf)) this.noteBadByte(buf, start);
    const text = buf.toString('utf8');
    const positions = new LineIndex(text, start.line, start.character);
    const parsed = parseJson(text, { maxDepth: Math.max(1, DEFAULT_MAX_DEPTH - this.arrays[arrayId].depth - 1) });
    let trailing = false;
    const errors = parsed.errors.map((e) => {
      if (e.message === TRAILING_CONTENT) {
        // what follows a value in an array: the in-memory parse says it as the array sees it
        trailing = true;
        return this.syntaxError({ message: `Expected ',' or ']' after an array element, found ${describeAt(text, e.start)}`, start: e.start, end: e.start + 1 }, positions);
      }
      return this.syntaxError(e, positions);
    });
    if (delimiter === 0x7d && !trailing) {
      const pos = positions.positionAt(text.length);
      errors.push({ kind: 'syntax', message: "Expected ',' or ']' after an array element, found '}'", range: { start: pos, end: { line: pos.line, character: pos.character + 1 } } });
    }
    return { arrayId, node: parsed.value, source: { src: text, positions, line: null }, errors, atEof };
  }

  private syntaxError(e: JsonSyntaxError, positions: PositionSource): ParseErrorRecord {
    return { kind: 'syntax', message: e.message, range: { start: positions.positionAt(e.start), end: positions.positionAt(e.end) } };
  }

  /** DEFER: where the element is, to read it again later; its extent comes from its decoded text. */
  private noteSpan(arrayId: number, bytes: Buffer[], start: SplitPosition, delimiter: number | null): Position {
    if (this.spans.count * SPAN_FIELDS === this.spans.data.length) {
      const grown = new Float64Array(Math.max(1024, this.spans.data.length * 2));
      grown.set(this.spans.data);
      this.spans.data = grown;
    }
    const buf = bytes.length === 1 ? bytes[0] : Buffer.concat(bytes);
    const o = this.spans.count++ * SPAN_FIELDS;
    const d = this.spans.data;
    d[o] = start.byte;
    // the delimiter is read back with the element (it says whether `}` closed the array)
    d[o + 1] = delimiter === null ? -1 : start.byte + buf.length + 1;
    d[o + 2] = start.line;
    d[o + 3] = start.character;
    d[o + 4] = arrayId;
    const text = buf.toString('utf8');
    return new LineIndex(text, start.line, start.character).positionAt(text.length);
  }

  private noteBadByte(buf: Buffer, start: SplitPosition): void {
    const offset = firstInvalidUtf8(buf);
    const byte = start.byte + offset;
    if (this.badByte && this.badByte.byte <= byte) return;
    this.badByte = { byte, line: start.line + countNewlines(buf, offset) };
  }

  /** Decoded skeleton pieces as one text, with positions mapped back to the file. */
  private skeleton(pieces: readonly SkeletonPiece[]): { parsed: ReturnType<typeof parseJson>; source: JsonRecordSource } {
    const texts: string[] = [];
    const offsets: number[] = [];
    let length = 0;
    for (const p of pieces) {
      const buf = p.bytes.length === 1 ? p.bytes[0] : Buffer.concat(p.bytes, p.length);
      if (!isUtf8(buf)) this.noteBadByte(buf, p.start);
      const t = buf.toString('utf8');
      offsets.push(length);
      texts.push(t);
      length += t.length;
    }
    const src = texts.join('');
    const positions = new SkeletonPositions(src, offsets, pieces.map((p) => p.start));
    return { parsed: parseJson(src), source: { src, positions, line: null } };
  }

  /** WHOLE: the skeleton is the document; read as the in-memory path reads it. */
  private readWhole(pieces: readonly SkeletonPiece[]): string | null {
    const text = decodeUtf8(Buffer.concat(pieces.flatMap((p) => p.bytes)), this.sink);
    return extractInto(text, this.fileName, this.settings, this.sink);
  }
}

/** What unclosedMessage writes, with its count. */
const UNCLOSED = /^Unexpected end of input: (\d+) unclosed brackets?$/;

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** A header member is complete when it exists and ends before the record array starts. */
function complete(root: JsonNode | null, path: readonly string[], before: number): boolean {
  const node = root ? at(root, ...path) : undefined;
  return node !== undefined && node.end <= before;
}

/**
 * Positions of the skeleton text: it is the document with the record arrays' contents cut out,
 * so each piece maps to where it sits in the file.
 */
class SkeletonPositions implements PositionSource {
  private readonly lines: LineIndex;

  constructor(
    text: string,
    private readonly offsets: number[],
    private readonly starts: SplitPosition[],
  ) {
    this.lines = new LineIndex(text);
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const base = this.offsets[lo] ?? 0;
    const start = this.starts[lo] ?? { line: 0, character: 0 };
    const p = this.lines.positionAt(offset);
    const first = this.lines.positionAt(base).line;
    if (p.line === first) return { line: start.line, character: start.character + (offset - base) };
    return { line: start.line + (p.line - first), character: p.character };
  }
}
