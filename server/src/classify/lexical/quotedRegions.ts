/**
 * The parts of a response the model does not say in its own voice: fenced code blocks, inline
 * code, quotations ("...", “...”, «...») and Markdown block quotes (lines starting with `>`).
 * "I can't" inside `print("Sorry, I can't find that file")`, in a character's line of a story or
 * in the user's text quoted back is not the model refusing.
 */

const BACKTICK = 96;
const TILDE = 126;
const QUOTE = 34;
const GT = 62;
const OPEN_CURLY = 0x201c;
const CLOSE_CURLY = 0x201d;
const OPEN_GUILLEMET = 0xab;
const CLOSE_GUILLEMET = 0xbb;

export class QuotedRegions {
  /** start0, end0, start1, end1, ...: sorted by start. */
  private readonly bounds: number[] = [];

  constructor(text: string) {
    const found: number[] = []; // code and block quotes
    const quotes: number[] = []; // quotations
    let inFence = false;
    let fenceStart = 0;
    let fenceChar = 0;
    let openStraight = -1; // an open "..." in the current paragraph
    let lineStart = 0;
    while (lineStart <= text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      let first = lineStart;
      while (first < lineEnd && first - lineStart < 4 && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
      const c = text.charCodeAt(first);
      const isFence = (c === BACKTICK || c === TILDE) && text.charCodeAt(first + 1) === c && text.charCodeAt(first + 2) === c;
      if (inFence) {
        if (isFence && c === fenceChar) {
          found.push(fenceStart, lineEnd);
          inFence = false;
        }
      } else if (isFence) {
        inFence = true;
        fenceStart = lineStart;
        fenceChar = c;
        openStraight = -1;
      } else if (first === lineEnd) {
        openStraight = -1; // a blank line ends the paragraph: an unclosed quote stays unclosed
      } else if (c === GT) {
        found.push(lineStart, lineEnd);
      } else {
        openStraight = this.scanLine(text, first, lineEnd, openStraight, found, quotes);
      }
      lineStart = lineEnd + 1;
    }
    if (inFence) found.push(fenceStart, text.length);
    this.keep(text, found, quotes);
  }

  /** Whether `at` lies inside a quotation or code. */
  contains(at: number): boolean {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (at < b[2 * mid]) hi = mid - 1;
      else if (at >= b[2 * mid + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Inline code and quotations on one line; a straight quote may stay open into the next line of its paragraph. */
  private scanLine(text: string, from: number, to: number, openStraight: number, found: number[], quotes: number[]): number {
    let i = from;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === BACKTICK) {
        let run = 1;
        while (text.charCodeAt(i + run) === BACKTICK) run++;
        const close = findRun(text, i + run, to, run);
        if (close < 0) {
          i += run;
          continue;
        }
        found.push(i, close + run);
        i = close + run;
        continue;
      }
      if (c === QUOTE) {
        if (openStraight < 0) openStraight = i;
        else {
          quotes.push(openStraight, i + 1);
          openStraight = -1;
        }
      } else if (c === OPEN_CURLY || c === OPEN_GUILLEMET) {
        const close = text.indexOf(String.fromCharCode(c === OPEN_CURLY ? CLOSE_CURLY : CLOSE_GUILLEMET), i + 1);
        const paragraphEnd = text.indexOf('\n\n', i);
        if (close > 0 && (paragraphEnd < 0 || close < paragraphEnd)) {
          quotes.push(i, close + 1);
          i = close + 1;
          continue;
        }
      }
      i++;
    }
    return openStraight;
  }

  /** Sorts the regions, dropping a quotation that is the whole response: a reply wrapped in quotes is still the model's. */
  private keep(text: string, found: number[], quotes: number[]): void {
    let first = 0;
    while (first < text.length && text.charCodeAt(first) <= 32) first++;
    let last = text.length;
    while (last > first && text.charCodeAt(last - 1) <= 32) last--;
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k < found.length; k += 2) pairs.push([found[k], found[k + 1]]);
    for (let k = 0; k < quotes.length; k += 2) if (quotes[k] > first || quotes[k + 1] < last) pairs.push([quotes[k], quotes[k + 1]]);
    pairs.sort((a, b) => a[0] - b[0]);
    for (const [s, e] of pairs) {
      const n = this.bounds.length;
      if (n > 0 && s <= this.bounds[n - 1]) this.bounds[n - 1] = Math.max(this.bounds[n - 1], e);
      else this.bounds.push(s, e);
    }
  }
}

/** The next run of exactly `run` backticks on the line, or -1. */
function findRun(text: string, from: number, to: number, run: number): number {
  let i = from;
  while (i < to) {
    if (text.charCodeAt(i) !== BACKTICK) {
      i++;
      continue;
    }
    let n = 0;
    while (text.charCodeAt(i + n) === BACKTICK) n++;
    if (n === run) return i;
    i += n;
  }
  return -1;
}

/** Whether the text has anything QuotedRegions could find (saves building it). */
export function mayQuote(text: string): boolean {
  return text.indexOf('"') >= 0 || text.indexOf('`') >= 0 || text.indexOf('\u201c') >= 0 || text.indexOf('\u00ab') >= 0 || text.indexOf('~~~') >= 0 || text.charCodeAt(0) === GT || text.indexOf('\n>') >= 0 || /\n[ \t]{1,3}>/.test(text);
}
