/**
 * RFC 4180 CSV (and TSV, or `;`-separated) with offsets: quoted fields may hold delimiters, line
 * breaks and `""`; records end at CR LF, LF or CR; a byte order mark before the first is skipped.
 * Never throws: an unclosed quote or text after a closing quote is reported, and reading goes on
 * at the next line.
 */

export interface CsvCell {
  /** The field's text, unquoted and unescaped (CR LF inside quotes read as LF). */
  value: string;
  /** Document offset of the value's first character (inside the quotes when quoted). */
  start: number;
  /** [text offset, source length] of each `""` and CR LF, for an EscapedTextMap. */
  escapes: Array<[number, number]>;
}

export interface CsvRow {
  cells: CsvCell[];
  /** Offsets of the record in the document, line break excluded. */
  start: number;
  end: number;
}

export interface CsvProblem {
  message: string;
  start: number;
  end: number;
}

export interface CsvHandler {
  row(row: CsvRow): void;
  problem(problem: CsvProblem): void;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export function parseCsv(text: string, delimiter: string, handler: CsvHandler): void {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const rowStart = i;
    const cells: CsvCell[] = [];
    let broken: CsvProblem | null = null;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const open = i;
        const cell = readQuoted(text, i + 1);
        if (cell === null) {
          broken = { message: 'Unclosed quote: this field never ends; the rest of its line is skipped', start: open, end: open + 1 };
          i = lineEnd(text, open);
          break;
        }
        cells.push(cell.cell);
        i = cell.next;
        const c = text.charCodeAt(i);
        if (i < n && c !== delim && c !== CR && c !== LF) {
          broken = { message: 'Unexpected text after a closing quote (a quote inside a field must be doubled: "")', start: i, end: i + 1 };
          i = lineEnd(text, i);
          break;
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === delim || c === CR || c === LF) break;
        }
        cells.push({ value: text.slice(i, j), start: i, escapes: [] });
        i = j;
      }
      if (i < n && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      break;
    }
    const rowEnd = i;
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    if (broken) {
      handler.problem(broken);
      continue;
    }
    if (cells.length === 1 && cells[0].value.trim() === '' && text.charCodeAt(rowStart) !== QUOTE) continue; // blank line
    handler.row({ cells, start: rowStart, end: rowEnd });
  }
}

/** A quoted field's value from just after its opening quote; null when the quote never closes. */
function readQuoted(text: string, from: number): { cell: CsvCell; next: number } | null {
  const escapes: Array<[number, number]> = [];
  let value = '';
  let chunk = from;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      value += text.slice(chunk, i);
      if (text.charCodeAt(i + 1) !== QUOTE) return { cell: { value, start: from, escapes }, next: i + 1 };
      escapes.push([value.length, 2]);
      value += '"';
      chunk = i + 2;
      i++;
    } else if (c === CR && text.charCodeAt(i + 1) === LF) {
      value += text.slice(chunk, i);
      escapes.push([value.length, 2]);
      value += '\n';
      chunk = i + 2;
      i++;
    }
  }
  return null;
}

/** Offset of the line break that ends the line holding `i` (or the end). */
function lineEnd(text: string, i: number): number {
  while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
  return i;
}

/** The delimiter of a header line: the most frequent of `,` TAB `;` outside quotes (`,` on a tie or none). */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], ['\t', 0], [';', 0]]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, c] of counts) if (c > counts.get(best)!) best = d;
  return best;
}
