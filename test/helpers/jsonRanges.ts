import * as assert from 'node:assert/strict';
import { sentenceSpans } from '../../server/src/classify/sentences';
import type { ResponseRecord } from '../../server/src/formats/records';
import type { Range } from '../../server/src/text/positions';
import { sliceRange } from './sink';

/** The text a range of a JSON document covers, read back as the inside of a JSON string. */
export function decodeAt(doc: string, range: Range): string {
  return JSON.parse(`"${sliceRange(doc, range)}"`) as string;
}

/**
 * The round trip every JSON format must pass: the response range, and the range of every
 * sentence of the text, slice the document to the escaped form of exactly that text.
 * (For responses read from one JSON string; texts joined from several parts span the gaps.)
 */
export function assertExactRanges(doc: string, r: ResponseRecord): void {
  assert.equal(decodeAt(doc, r.range), r.text, `${r.id}: the response range`);
  const spans = sentenceSpans(r.text);
  assert.ok(spans.length > 0, `${r.id}: has sentences`);
  for (const s of spans) assert.equal(decodeAt(doc, r.map.range(s.start, s.end)), r.text.slice(s.start, s.end), `${r.id}: sentence at ${s.start}`);
}
