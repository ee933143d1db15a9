import * as assert from 'node:assert/strict';
import { sentenceSpans } from '../../server/src/classify/sentences';
import type { ResponseRecord } from '../../server/src/formats/records';
import { sliceRange } from './sink';

/**
 * The round trip every format must pass: the document slice a range points at, decoded the way
 * the format encodes text, is exactly the text; for the whole response and for every sentence.
 */

export type Decode = (raw: string) => string;

/** Inside a JSON string: escapes as JSON writes them. */
export const decodeJson: Decode = (raw) => JSON.parse(`"${raw}"`) as string;

/** Plain text: line breaks read as LF. */
export const decodePlain: Decode = (raw) => raw.replace(/\r\n?/g, '\n');

/** Inside a quoted CSV field: `""` is a quote. */
export const decodeCsv: Decode = (raw) => decodePlain(raw.replace(/""/g, '"'));

export function assertExactRanges(doc: string, r: ResponseRecord, decode: Decode, options: { joined?: boolean } = {}): void {
  if (!options.joined) assert.equal(decode(sliceRange(doc, r.range)), r.text, `${r.id}: the range covers the text`);
  const spans = sentenceSpans(r.text);
  assert.ok(spans.length > 0, `${r.id}: has sentences`);
  for (const s of spans) {
    const raw = sliceRange(doc, r.map.range(s.start, s.end));
    assert.equal(decode(raw), r.text.slice(s.start, s.end), `${r.id}: sentence at ${s.start}`);
  }
}
