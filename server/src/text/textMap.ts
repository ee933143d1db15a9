import type { PositionSource, Range } from './positions';

/** Maps spans of an extracted (unescaped) text back to the document it came from. */
export interface TextMap {
  readonly textLength: number;
  /** The document range covering text[start, end). */
  range(start: number, end: number): Range;
}

type Escapes = ReadonlyArray<readonly [number, number]>;
const NO_ESCAPES = new Int32Array(0);

/**
 * Text read from one contiguous stretch of a source. Every escape in the formats we read
 * (JSON `\n`, `\uXXXX`; CSV `""`; CR LF read as LF) stands for exactly one UTF-16 code unit of
 * text, so: source offset = base + text offset + the extra source length of the escapes before it.
 * The escapes may be given as a function, called the first time a span inside the text is mapped
 * (most texts are only ever mapped whole: with `sourceLength` known, that needs no table).
 */
export class EscapedTextMap implements TextMap {
  private escapeAt: Int32Array | null = null;
  private extra: Int32Array = NO_ESCAPES;

  /** escapes: [text offset, source length] pairs in ascending text order; none for verbatim text. */
  constructor(
    private readonly source: PositionSource,
    private readonly base: number,
    readonly textLength: number,
    private escapes: Escapes | (() => Escapes) = [],
    /** Source length of the whole text, when known (it maps the text's end without the table). */
    private readonly sourceLength?: number,
  ) {
    if (Array.isArray(escapes)) this.table();
  }

  private table(): void {
    const escapes = typeof this.escapes === 'function' ? this.escapes() : this.escapes;
    this.escapes = [];
    if (escapes.length === 0) {
      this.escapeAt = NO_ESCAPES;
      return;
    }
    const at = new Int32Array(escapes.length);
    const extra = new Int32Array(escapes.length);
    let sum = 0;
    for (let i = 0; i < escapes.length; i++) {
      at[i] = escapes[i][0];
      sum += escapes[i][1] - 1;
      extra[i] = sum;
    }
    this.escapeAt = at;
    this.extra = extra;
  }

  /** Source offset of text offset t (clamped to [0, length]; the length maps to the end). */
  sourceOffset(t: number): number {
    const clamped = Math.max(0, Math.min(t, this.textLength));
    if (clamped === 0) return this.base;
    if (clamped === this.textLength && this.sourceLength !== undefined) return this.base + this.sourceLength;
    if (!this.escapeAt) this.table();
    const escapeAt = this.escapeAt!;
    let lo = 0;
    let hi = escapeAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (escapeAt[mid] < clamped) lo = mid + 1;
      else hi = mid;
    }
    return this.base + clamped + (lo > 0 ? this.extra[lo - 1] : 0);
  }

  range(start: number, end: number): Range {
    return { start: this.source.positionAt(this.sourceOffset(start)), end: this.source.positionAt(this.sourceOffset(end)) };
  }
}

/**
 * Several pieces joined by a separator into one text (a message whose content is a list of text
 * parts). A span is mapped from the start of its first piece to the end of its last.
 */
export class JoinedTextMap implements TextMap {
  readonly textLength: number;
  private readonly offsets: number[] = [];

  constructor(
    private readonly pieces: readonly TextMap[],
    separatorLength: number,
  ) {
    let o = 0;
    for (const p of pieces) {
      this.offsets.push(o);
      o += p.textLength + separatorLength;
    }
    this.textLength = Math.max(0, o - separatorLength);
  }

  private locate(t: number, isEnd: boolean): Range['start'] {
    let i = this.pieces.length - 1;
    while (i > 0 && (this.offsets[i] > t || (isEnd && this.offsets[i] === t))) i--;
    const local = Math.min(t - this.offsets[i], this.pieces[i].textLength);
    const r = this.pieces[i].range(local, local);
    return r.start;
  }

  range(start: number, end: number): Range {
    return { start: this.locate(start, false), end: this.locate(end, true) };
  }
}
