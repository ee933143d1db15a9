/** LSP-compatible positions: zero-based line, character in UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Converts offsets of one source string (a document, or one JSONL line) into positions. */
export interface PositionSource {
  positionAt(offset: number): Position;
}

/**
 * A whole document: line starts found once, positions by binary search. A piece of a larger
 * document (one element of a JSON array read on its own) passes where it starts: its line, and
 * the character its first line starts at.
 */
export class LineIndex implements PositionSource {
  private readonly starts: number[];

  constructor(
    text: string,
    private readonly firstLine = 0,
    private readonly firstCharacter = 0,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        // CR LF counts as one break, a lone CR as a break of its own (as LSP does)
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.firstLine + lo, character: offset - this.starts[lo] + (lo === 0 ? this.firstCharacter : 0) };
  }

  offsetAt(pos: Position): number {
    const line = pos.line - this.firstLine;
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.starts[this.starts.length - 1];
    return this.starts[line] + pos.character - (line === 0 ? this.firstCharacter : 0);
  }
}

/** One line of a JSONL file: it holds no line break, so the position is the line and the offset. */
export class SingleLine implements PositionSource {
  constructor(readonly line: number) {}
  positionAt(offset: number): Position {
    return { line: this.line, character: offset };
  }
}

export function rangeOf(source: PositionSource, start: number, end: number): Range {
  return { start: source.positionAt(start), end: source.positionAt(end) };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
