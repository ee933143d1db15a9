import type { ExtractSink, ParseErrorRecord, ResponseRecord } from '../../server/src/formats/records';
import type { Range } from '../../server/src/text/positions';
import { LineIndex } from '../../server/src/text/positions';

/** A sink that keeps what it is given. */
export function collectingSink(): ExtractSink & { responses: ResponseRecord[]; errors: ParseErrorRecord[] } {
  const responses: ResponseRecord[] = [];
  const errors: ParseErrorRecord[] = [];
  return { responses, errors, response: (r) => responses.push(r), error: (e) => errors.push(e) };
}

/** The document text a range covers. */
export function sliceRange(doc: string, range: Range): string {
  const index = new LineIndex(doc);
  return doc.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}
