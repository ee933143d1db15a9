/**
 * Lines of a Markdown text and its fenced code blocks, for the formats that read chat logs
 * written as Markdown (transcripts, aider's history): a speaker label inside a fence is code.
 * A fence opens with three or more backticks or tildes (indented at most three spaces; a backtick
 * fence's info string holds no backtick) and closes with a line of at least as many of the same
 * character and nothing else.
 */

export interface MarkdownLine {
  /** The line's text, without its line break. */
  text: string;
  start: number;
  /** Where the line break (or the text) ends the line. */
  end: number;
  /** Where the next line starts (a CR LF is one break); past the text's end for the last line. */
  next: number;
}

/** Every line, in order (a CR LF, a lone CR and a LF each end one). */
export function* markdownLines(src: string): Generator<MarkdownLine> {
  const n = src.length;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n && src.charCodeAt(end) !== 10 && src.charCodeAt(end) !== 13) end++;
    const next = end < n && src.charCodeAt(end) === 13 && src.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    yield { text: src.slice(start, end), start, end, next };
    start = next;
  }
}

export interface Fence {
  char: string;
  length: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The fence a line opens, or null. */
export function fenceOpenedBy(line: string): Fence | null {
  const f = FENCE.exec(line);
  if (!f || (f[1][0] === '`' && line.slice(f[0].length).includes('`'))) return null;
  return { char: f[1][0], length: f[1].length };
}

export function closesFence(line: string, fence: Fence): boolean {
  const f = FENCE.exec(line);
  return f !== null && f[1][0] === fence.char && f[1].length >= fence.length && line.slice(f[0].length).trim() === '';
}
