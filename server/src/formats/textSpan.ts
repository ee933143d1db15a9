import type { LineIndex } from '../text/positions';
import { EscapedTextMap } from '../text/textMap';
import type { LocatedText } from './json/jsonText';

/**
 * Located text for the plain-text formats (Markdown transcripts, CSV/TSV): a stretch of the
 * document, or a value a parser built from one, with line breaks read as LF (a CR LF is one
 * "escape" of source length 2) and surrounding whitespace trimmed, mapped exactly.
 */

/** Text offset and source length of every CR LF in src[start, end), and the text with LF for each. */
function readLineBreaks(src: string, start: number, end: number): { text: string; escapes: Array<[number, number]> } {
  const escapes: Array<[number, number]> = [];
  let text = '';
  let chunk = start;
  for (let i = src.indexOf('\r', start); i >= 0 && i < end; i = src.indexOf('\r', i + 1)) {
    text += src.slice(chunk, i);
    if (i + 1 < end && src.charCodeAt(i + 1) === 10) {
      escapes.push([text.length, 2]);
      chunk = i + 2;
    } else chunk = i + 1; // a lone CR is a line break of its own: one character for one
    text += '\n';
  }
  text += src.slice(chunk, end);
  return { text, escapes };
}

/** The text of src[start, end) (line breaks as LF), trimmed; null when only whitespace. */
export function locateSpan(src: string, positions: LineIndex, start: number, end: number): LocatedText | null {
  const { text, escapes } = readLineBreaks(src, start, end);
  return locateValue(positions, start, text, escapes);
}

/**
 * A value a parser unescaped (a quoted CSV field: `""` and CR LF are escapes of length 2) whose
 * first character sits at `base` in the document; trimmed; null when only whitespace.
 */
export function locateValue(positions: LineIndex, base: number, value: string, escapes: ReadonlyArray<readonly [number, number]>): LocatedText | null {
  let lead = 0;
  let tail = value.length;
  while (lead < tail && isSpace(value.charCodeAt(lead))) lead++;
  while (tail > lead && isSpace(value.charCodeAt(tail - 1))) tail--;
  if (tail === lead) return null;
  const full = new EscapedTextMap(positions, base, value.length, escapes);
  const shifted = escapes.filter(([t]) => t >= lead && t < tail).map(([t, len]) => [t - lead, len] as [number, number]);
  const map = new EscapedTextMap(positions, full.sourceOffset(lead), tail - lead, shifted);
  return { text: value.slice(lead, tail), map, range: map.range(0, tail - lead) };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x3000;
}
