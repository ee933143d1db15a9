import type { Position } from '../text/positions';

/**
 * Splits a JSON document, fed as raw bytes in pieces, into the elements of chosen arrays and the
 * rest (the "skeleton"), without parsing either: it only follows strings, brackets and the keys
 * that lead to the chosen arrays. The elements are parsed one by one afterwards
 * (engine/jsonStream.ts), the skeleton once: every byte of the document is parsed exactly once.
 *
 * An element's bytes run from its first character to the `,` or bracket that ends it at its
 * level, so whatever malformed text follows a value stays with that value, and the way the
 * positional parser recovers from errors (skip to the next `,` or closing bracket of the
 * enclosing container) is followed: strings end at a line break, a backslash escapes the byte
 * after it, any closing bracket closes a level. Positions (line, UTF-16 character) are counted
 * as LineIndex counts them (CR LF is one break, a lone CR a break of its own) outside elements;
 * an element's own extent comes back from its parse.
 */

export interface SplitPosition {
  /** Byte offset in the file. */
  byte: number;
  line: number;
  /** UTF-16 code units from the start of the line. */
  character: number;
}

/** A node of the key-path tree of the arrays to split. */
export interface PathNode {
  children: Map<string, PathNode>;
  /** The array's id when this path is a record array, else -1. */
  arrayId: number;
}

export function pathTree(paths: ReadonlyArray<readonly string[]>): { root: PathNode; ids: Map<string, number> } {
  const root: PathNode = { children: new Map(), arrayId: -1 };
  const ids = new Map<string, number>();
  for (const path of paths) {
    const key = JSON.stringify(path);
    if (ids.has(key)) continue;
    let node = root;
    for (const step of path) {
      let next = node.children.get(step);
      if (!next) node.children.set(step, (next = { children: new Map(), arrayId: -1 }));
      node = next;
    }
    node.arrayId = ids.size;
    ids.set(key, node.arrayId);
  }
  return { root, ids };
}

export interface SplitHandler {
  /** A record array opens (at its `[`, inside `depth` containers): true to split its elements out. */
  arrayStart(arrayId: number, depth: number): boolean;
  /**
   * One element: its bytes (pieces of the fed buffers), where it starts, and the byte that ended
   * it (`,` `]` `}`; null at the end of the file). Returns the position just past the element.
   */
  element(arrayId: number, bytes: Buffer[], start: SplitPosition, delimiter: number | null): Position;
  /** The array closed, or the file ended inside it (atEof). */
  arrayEnd(arrayId: number, atEof: boolean): void;
  /** A structure error between elements, in the parser's words. */
  error(message: string, at: SplitPosition): void;
}

/** A stretch of the skeleton: bytes and where the first one sits. */
export interface SkeletonPiece {
  bytes: Buffer[];
  length: number;
  start: SplitPosition;
}

interface Frame {
  object: boolean;
  /** Key-path node of this container (null when no record array lies below it). */
  path: PathNode | null;
  expectKey: boolean;
  key: string | null;
}

const enum State {
  Skeleton,
  SkeletonString,
  /** In a split array, before an element (after `[` or `,`). */
  Before,
  Element,
  ElementString,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LF = 10;
const CR = 13;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class JsonSplitter {
  private state = State.Skeleton;
  private line = 0;
  private character = 0;
  private byte = 0;
  private crPending = false;
  private escaped = false;
  private depth = 0;
  private readonly frames: Frame[] = [];
  private rootStarted = false;
  private started = false;

  // the skeleton piece being built
  private readonly pieces: SkeletonPiece[] = [];
  private piece: SkeletonPiece | null = null;
  private skeletonBytes = 0;

  // the split array and its current element
  private arrayId = -1;
  private firstElement = true;
  private elementStart: SplitPosition | null = null;
  private elementBytes: Buffer[] = [];
  private elementLength = 0;
  /** The split array's content so far, kept while the caller may still put it back (`unsplit`). */
  private raw: Buffer[] | null = null;
  private contentStart: SplitPosition | null = null;
  private keepRaw = false;
  private unsplitRequested = false;

  /** The first bytes, while they might still be a byte order mark. */
  private head: Buffer | null = null;

  // a key being read
  private keyBytes: Buffer[] | null = null;

  /** Next line feed / carriage return at or after the element scan in the current chunk (chunk length: none). */
  private nextLF = -1;
  private nextCR = -1;

  constructor(
    private readonly root: PathNode,
    private readonly handler: SplitHandler,
  ) {}

  /** The skeleton pieces complete so far (all of them while an array is being split). */
  piecesSoFar(): readonly SkeletonPiece[] {
    return this.pieces;
  }

  /** Bytes of skeleton so far (the whole document when nothing is split). */
  get skeletonSize(): number {
    return this.skeletonBytes + (this.piece?.length ?? 0);
  }

  /**
   * Keep the split array's content until `keep(false)`, so that `unsplit` can put it back
   * (while the caller has not decided yet whether to read its elements one by one).
   */
  keep(on: boolean): void {
    this.keepRaw = on;
    if (!on) this.raw = null;
  }

  /**
   * From the handler's element or arrayEnd call: the current array is not split after all; its
   * content so far goes back into the skeleton and the rest of it stays there.
   */
  unsplit(): void {
    if (!this.raw) throw new Error('unsplit needs keep(true) from the start of the array');
    this.unsplitRequested = true;
  }

  write(chunk: Buffer): void {
    if (!this.started) {
      // a byte order mark may come in pieces too
      const head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      if (head.length < 3 && head.equals(BOM.subarray(0, head.length))) {
        this.head = head;
        return;
      }
      this.head = null;
      chunk = head;
    }
    let i = 0;
    const n = chunk.length;
    if (!this.started) {
      this.started = true;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        i = 3;
        this.byte = 3; // the mark is not text: positions start after it, byte offsets are the file's
      }
      this.piece = { bytes: [], length: 0, start: this.position() };
    }
    // where the current run (skeleton piece, or the split array's raw content) started in this chunk
    let runFrom = i;
    let elementFrom = this.inElement() ? i : -1;
    let keyFrom = this.keyBytes ? i : -1;
    this.nextLF = -1;
    this.nextCR = -1;
    while (i < n) {
      const state = this.state;
      if (state === State.Element || state === State.ElementString) {
        const end = this.scanElement(chunk, i, n);
        if (end === n) break;
        // the element ends before its delimiter
        this.elementBytes.push(chunk.subarray(elementFrom, end));
        this.elementLength += end - elementFrom;
        elementFrom = -1;
        const bytes = this.elementBytes;
        const start = this.elementStart!;
        this.elementBytes = [];
        this.state = State.Before;
        this.firstElement = false;
        const delimiter = chunk[end];
        this.moveTo(this.handler.element(this.arrayId, bytes, start, delimiter), start.byte + this.elementLength);
        i = end;
        if (this.unsplitRequested) {
          runFrom = this.applyUnsplit(chunk, runFrom, i);
          continue; // the delimiter is read again, as skeleton
        }
        if (delimiter !== COMMA) {
          runFrom = this.closeArray(chunk, runFrom, i, delimiter);
          if (this.unsplitRequested) runFrom = this.applyUnsplit(chunk, runFrom, i);
        }
        this.advance(delimiter);
        i++;
        continue;
      }
      const b = chunk[i];
      if (this.crPending) {
        this.crPending = false;
        if (b !== LF) {
          this.line++;
          this.character = 0;
        }
      }
      if (state === State.Skeleton) {
        if (b === QUOTE) {
          this.state = State.SkeletonString;
          const top = this.frames[this.frames.length - 1];
          if (top?.object && top.expectKey && top.path && top.path.children.size > 0) {
            this.keyBytes = [];
            keyFrom = i + 1;
          }
        } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          const path = this.valuePath();
          if (b === OPEN_BRACKET && path && path.arrayId >= 0 && this.handler.arrayStart(path.arrayId, this.frames.length)) {
            // the skeleton keeps the `[`; the content is split
            this.appendPiece(chunk, runFrom, i + 1);
            this.closePiece();
            this.frames.push({ object: false, path: null, expectKey: false, key: null });
            this.arrayId = path.arrayId;
            this.firstElement = true;
            this.state = State.Before;
            this.advance(b);
            this.contentStart = this.position();
            this.raw = this.keepRaw ? [] : null;
            runFrom = ++i;
            continue;
          }
          this.frames.push({ object: b === OPEN_BRACE, path: b === OPEN_BRACE ? path : null, expectKey: b === OPEN_BRACE, key: null });
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          this.frames.pop();
        } else if (b === COMMA) {
          const top = this.frames[this.frames.length - 1];
          if (top?.object) {
            top.expectKey = true;
            top.key = null;
          }
        } else if (this.frames.length === 0 && b > 32) {
          this.rootStarted = true;
        }
      } else if (state === State.SkeletonString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE || b === LF || b === CR) {
          this.state = State.Skeleton;
          if (this.keyBytes) {
            this.keyBytes.push(chunk.subarray(keyFrom, i));
            this.endKey(b === QUOTE);
            keyFrom = -1;
          }
          // an unterminated string ends at the line break, which is then read as structure
          if (b !== QUOTE) continue;
        }
      } else {
        // State.Before
        if (b === 32 || b === LF || b === CR || b === 9) {
          // whitespace between elements
        } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) {
          if (b === CLOSE_BRACE || !this.firstElement) this.handler.error(`Unexpected '${String.fromCharCode(b)}' where a value was expected`, this.position());
          runFrom = this.closeArray(chunk, runFrom, i, b);
          if (this.unsplitRequested) runFrom = this.applyUnsplit(chunk, runFrom, i);
        } else if (b === COMMA) {
          this.handler.error("Unexpected ',' where a value was expected", this.position());
          this.firstElement = false;
        } else {
          this.state = State.Element;
          this.depth = 0;
          this.elementStart = this.position();
          this.elementBytes = [];
          this.elementLength = 0;
          elementFrom = i;
          continue; // this byte is the element's first
        }
      }
      this.advance(b);
      i++;
    }
    if (elementFrom >= 0 && this.inElement()) {
      this.elementBytes.push(chunk.subarray(elementFrom));
      this.elementLength += n - elementFrom;
    }
    if (keyFrom >= 0 && this.keyBytes) this.keyBytes.push(chunk.subarray(keyFrom));
    if (this.isSkeletonState()) this.appendPiece(chunk, runFrom, n);
    else if (this.raw) this.raw.push(chunk.subarray(runFrom));
  }

  /** At the end of the file: the last element, an unclosed array, the last skeleton piece. */
  end(): SkeletonPiece[] {
    if (this.head) {
      const head = this.head;
      this.head = null;
      this.started = true;
      this.piece = { bytes: [head], length: head.length, start: this.position() };
    }
    if (this.crPending) {
      this.crPending = false;
      this.line++;
      this.character = 0;
    }
    if (!this.started) this.piece = { bytes: [], length: 0, start: this.position() };
    if (this.inElement()) {
      const bytes = this.elementBytes;
      const start = this.elementStart!;
      this.elementBytes = [];
      this.state = State.Before;
      this.moveTo(this.handler.element(this.arrayId, bytes, start, null), start.byte + this.elementLength);
    }
    if (this.state === State.Before) {
      this.handler.arrayEnd(this.arrayId, true);
      if (this.unsplitRequested) {
        this.unsplitRequested = false;
        this.startPieceWithRaw();
      } else {
        // the skeleton's end is the file's end: a truncation error is placed there
        this.closePiece();
        this.piece = { bytes: [], length: 0, start: this.position() };
      }
      this.state = State.Skeleton;
    }
    this.closePiece();
    return this.pieces;
  }

  /**
   * Reads element bytes from i: strings are jumped over with indexOf (they are most of the bytes),
   * structure is followed byte by byte. Returns the index of the delimiter ending the element, or
   * n when the chunk ends first (the state carries over to the next chunk).
   */
  private scanElement(chunk: Buffer, i: number, n: number): number {
    let depth = this.depth;
    let inString = this.state === State.ElementString;
    let escaped = this.escaped;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        let stop = chunk.indexOf(QUOTE, i);
        if (stop < 0) stop = n;
        if (this.nextLF < i) {
          const f = chunk.indexOf(LF, i);
          this.nextLF = f < 0 ? n : f;
        }
        if (this.nextCR < i) {
          const f = chunk.indexOf(CR, i);
          this.nextCR = f < 0 ? n : f;
        }
        if (this.nextLF < stop) stop = this.nextLF;
        if (this.nextCR < stop) stop = this.nextCR;
        // only the run of backslashes right before the stop decides whether it is escaped
        let k = stop - 1;
        while (k >= i && chunk[k] === BACKSLASH) k--;
        const odd = (stop - 1 - k) % 2 === 1;
        if (stop === n) {
          escaped = odd;
          i = n;
          break;
        }
        // a quote ends the string; so does a line break (unterminated), whitespace after that
        if (!odd) inString = false;
        i = stop + 1;
        continue;
      }
      const b = chunk[i];
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (depth === 0) return this.saveElement(0, false, false, i);
        depth--;
      } else if (b === COMMA && depth === 0) return this.saveElement(0, false, false, i);
      i++;
    }
    return this.saveElement(depth, inString, escaped, n);
  }

  private saveElement(depth: number, inString: boolean, escaped: boolean, at: number): number {
    this.depth = depth;
    this.state = inString ? State.ElementString : State.Element;
    this.escaped = escaped;
    return at;
  }

  private inElement(): boolean {
    return this.state === State.Element || this.state === State.ElementString;
  }

  /** The position of the byte being read. */
  private position(): SplitPosition {
    return { byte: this.byte, line: this.line, character: this.character };
  }

  private moveTo(at: Position, byte: number): void {
    this.line = at.line;
    this.character = at.character;
    this.byte = byte;
    this.crPending = false;
  }

  /** Moves past byte b. */
  private advance(b: number): void {
    this.byte++;
    if (b < 0x80) {
      if (b === LF) {
        this.line++;
        this.character = 0;
      } else {
        this.character++;
        if (b === CR) this.crPending = true;
      }
    } else if (b >= 0xc0) this.character += b >= 0xf0 ? 2 : 1; // a lead byte; 4-byte sequences are surrogate pairs
  }

  private isSkeletonState(): boolean {
    return this.state === State.Skeleton || this.state === State.SkeletonString;
  }

  /** Key-path node of a value starting here. */
  private valuePath(): PathNode | null {
    const top = this.frames[this.frames.length - 1];
    if (!top) {
      if (this.rootStarted) return null;
      this.rootStarted = true;
      return this.root;
    }
    if (!top.object || !top.path || top.key === null) return null;
    return top.path.children.get(top.key) ?? null;
  }

  private endKey(closed: boolean): void {
    const top = this.frames[this.frames.length - 1];
    const bytes = Buffer.concat(this.keyBytes!);
    this.keyBytes = null;
    if (!top) return;
    top.expectKey = false;
    if (!closed) return;
    top.key = bytes.includes(BACKSLASH) ? decodeEscapedKey(bytes) : bytes.toString('utf8');
  }

  private appendPiece(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.piece!.bytes.push(chunk.subarray(from, to));
    this.piece!.length += to - from;
  }

  private closePiece(): void {
    if (!this.piece) return;
    this.pieces.push(this.piece);
    this.skeletonBytes += this.piece.length;
    this.piece = null;
  }

  /** The split array closes at byte i (`]`, or `}`, which closes it too); returns where the next run starts. */
  private closeArray(chunk: Buffer, runFrom: number, i: number, b: number): number {
    if (this.raw) this.raw.push(chunk.subarray(runFrom, i));
    this.frames.pop();
    this.state = State.Skeleton;
    this.handler.arrayEnd(this.arrayId, false);
    if (this.unsplitRequested) return i;
    this.raw = null;
    // the skeleton gets `]` whatever closed the array (a `}` is an error already reported)
    const closer = b === CLOSE_BRACKET;
    this.piece = { bytes: closer ? [] : [Buffer.from(']')], length: closer ? 0 : 1, start: this.position() };
    return closer ? i : i + 1;
  }

  /** Puts the split array's content back into the skeleton, which goes on from byte i. */
  private applyUnsplit(chunk: Buffer, runFrom: number, i: number): number {
    this.unsplitRequested = false;
    if (this.raw && i > runFrom) this.raw.push(chunk.subarray(runFrom, i));
    // inside the array (a delimiter is next) or just past its bracket: ordinary skeleton either way
    this.state = State.Skeleton;
    this.startPieceWithRaw();
    return i;
  }

  private startPieceWithRaw(): void {
    const raw = this.raw ?? [];
    this.raw = null;
    this.keepRaw = false;
    this.piece = { bytes: raw, length: raw.reduce((s, r) => s + r.length, 0), start: this.contentStart! };
  }
}

/** A key with escapes (rare): read as JSON.parse reads it, or as written when that fails. */
function decodeEscapedKey(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}
