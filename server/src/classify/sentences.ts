import type { TextSpan } from './detector';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * V8's segment iterator costs time proportional to the whole input at every step, so one long
 * text segmented at once is quadratic (a 700 KB line takes 40 s). Lines are segmented one by one,
 * and a long line through windows of this many characters: linear overall.
 */
const WINDOW = 4096;
/** A window with no sentence end is grown up to this size, then cut at a space. */
const MAX_WINDOW = 65536;

/** Left alone, ICU ends a sentence after these; they nearly always continue it ("Dr. Smith", "e.g. this"). */
const CONTINUING_ABBREVIATION = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|Rev|Gen|Gov|Sen|Rep|Capt|Lt|Sgt|Col|vs|cf|approx|Fig|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e)\.$/;
/** What can end a sentence inside a line for ICU: a terminator or a paragraph separator other than LF. */
const BREAK = /[\p{Sentence_Terminal}\r\u0085\u2028\u2029]/gu;
/** What may follow a line's last terminator without starting another sentence. */
const CLOSING = /[\p{Sentence_Terminal}\p{Pe}\p{Pf}"'\s]/u;

/** A list item's number or letter at the start of a line ("1.", "b)"): part of the item's sentence. */
const LIST_MARKER = /^(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})[.)]$/;

/**
 * Sentence spans of a text, trimmed of surrounding whitespace, empty ones dropped.
 * Line breaks also end a sentence: responses use them for lists and headings, and a refusal
 * on its own line should not swallow the list that follows.
 */
export function sentenceSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  appendSentenceSpans(text, 0, text.length, spans);
  return spans;
}

/**
 * Appends the sentence spans of `text[from, to)` to `out`: exactly those `sentenceSpans(text)`
 * gives inside that range, provided `from` and `to` are line boundaries (0, `text.length`, just
 * after or at a `\n`). Lets a caller segment only the lines it cares about.
 */
export function appendSentenceSpans(text: string, from: number, to: number, out: TextSpan[]): void {
  let lineStart = from;
  for (let i = from; i <= to; i++) {
    if (i === to || text.charCodeAt(i) === 10) {
      appendLine(text, lineStart, i, out);
      lineStart = i + 1;
    }
  }
}

/** The start of the line holding `index` (0 or just after a `\n`). */
export function lineStartAt(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** The end of the line holding `index` (its `\n`, or the end of the text). */
export function lineEndAt(text: string, index: number): number {
  const nl = text.indexOf('\n', index);
  return nl < 0 ? text.length : nl;
}

function appendLine(text: string, start: number, end: number, out: TextSpan[]): void {
  let s = start;
  while (s < end && isSpace(text.charCodeAt(s))) s++;
  if (s === end) return;
  if (isOneSentence(text, s, end)) {
    pushTrimmed(text, s, end, out); // most lines: no need to ask ICU
    return;
  }
  const first = out.length;
  let pending = -1; // start of a segment that continues into the next one
  let pos = s;
  let window = WINDOW;
  while (pos < end) {
    const stop = Math.min(end, pos + window);
    const chunk = text.slice(pos, stop);
    // Segments of the window; the last one may be cut by the window's end, so unless the window
    // reaches the line's end it is segmented again as the start of the next window.
    let last = 0;
    let count = 0;
    for (const seg of segmenter.segment(chunk)) {
      if (count > 0) pending = emit(text, pos + last, pos + seg.index, pending, out, first);
      last = seg.index;
      count++;
    }
    if (stop === end) {
      pending = emit(text, pos + last, end, pending, out, first);
      break;
    }
    if (last > 0) {
      pos += last;
      window = WINDOW;
    } else if (window < MAX_WINDOW) {
      window *= 2; // one sentence longer than the window: look further for its end
    } else {
      const cut = lastSpaceBefore(text, pos, stop);
      pending = emit(text, pos, cut, pending, out, first);
      pos = cut;
      window = WINDOW;
    }
  }
  if (pending >= 0) pushTrimmed(text, pending, end, out);
}

/** Emits one raw segment, or holds it back when it continues into the next; returns the new pending start. */
function emit(text: string, start: number, end: number, pending: number, out: TextSpan[], lineFirst: number): number {
  const from = pending >= 0 ? pending : start;
  let e = end;
  while (e > from && isSpace(text.charCodeAt(e - 1))) e--;
  if (e === from) return pending;
  const tail = text.slice(Math.max(from, e - 12), e);
  const isFirstOfLine = out.length === lineFirst && pending < 0;
  if (CONTINUING_ABBREVIATION.test(tail) || (isFirstOfLine && e - from <= 4 && LIST_MARKER.test(text.slice(from, e)))) return from;
  pushTrimmed(text, from, e, out);
  return -1;
}

/** Whether nothing in `text[from, to)` can end a sentence before the line does. */
function isOneSentence(text: string, from: number, to: number): boolean {
  BREAK.lastIndex = from;
  const m = BREAK.exec(text);
  if (m === null || m.index >= to) return true;
  for (let i = m.index; i < to; i++) if (!CLOSING.test(text[i])) return false;
  return true;
}

function lastSpaceBefore(text: string, start: number, stop: number): number {
  for (let i = stop - 1; i > start; i--) if (isSpace(text.charCodeAt(i))) return i + 1;
  return stop;
}

function pushTrimmed(text: string, start: number, end: number, out: TextSpan[]): void {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end > start) out.push({ start, end });
}

/** The characters `\s` matches, without building a string per character. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
