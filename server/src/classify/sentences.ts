import type { TextSpan } from './detector';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Sentence spans of a text, trimmed of surrounding whitespace, empty ones dropped.
 * Line breaks also end a sentence: responses use them for lists and headings, and a refusal
 * on its own line should not swallow the list that follows.
 */
export function sentenceSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const seg of segmenter.segment(text)) {
    let lineStart = seg.index;
    const segEnd = seg.index + seg.segment.length;
    for (let i = seg.index; i <= segEnd; i++) {
      if (i === segEnd || text.charCodeAt(i) === 10) {
        pushTrimmed(text, lineStart, i, spans);
        lineStart = i + 1;
      }
    }
  }
  return spans;
}

function pushTrimmed(text: string, start: number, end: number, out: TextSpan[]): void {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end > start) out.push({ start, end });
}
