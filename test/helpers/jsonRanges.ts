import type { ResponseRecord } from '../../server/src/formats/records';
import type { Range } from '../../server/src/text/positions';
import { assertExactRanges as assertRanges, decodeJson } from './rangeChecks';
import { sliceRange } from './sink';

/** rangeChecks.ts for JSON documents: what a range covers is read back as the inside of a JSON string. */

export function decodeAt(doc: string, range: Range): string {
  return decodeJson(sliceRange(doc, range));
}

/** The response range, and the range of every sentence, slice the document to exactly that text, escaped. */
export function assertExactRanges(doc: string, r: ResponseRecord): void {
  assertRanges(doc, r, decodeJson);
}
