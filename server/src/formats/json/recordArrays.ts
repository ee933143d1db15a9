import type { JsonExtractor, JsonRecordSource } from '../format';
import type { ExtractSink } from '../records';
import { isArray, type JsonNode } from './jsonNode';
import { recordPrefix } from './jsonText';

/** Reads one record; `idPrefix` ends with `.` or `: ` and starts every response id it makes. */
export type RecordReader = (node: JsonNode, source: JsonRecordSource, idPrefix: string, sink: ExtractSink) => void;

/**
 * The extractor of formats whose files hold records one per JSONL line, or as a JSON document
 * that is one record or an array of them (streamed element by element when large). Ids are
 * `line N: ...` for JSONL lines and `[i]. ...` for array elements, the same either way the array is read.
 */
export function recordsOrArrayOfRecords(read: RecordReader): JsonExtractor {
  return {
    record(root, source, sink) {
      const prefix = recordPrefix(source);
      if (isArray(root)) root.items.forEach((item, i) => read(item, source, `${prefix}[${i}].`, sink));
      else read(root, source, prefix, sink);
    },
    element(node, _array, index, source, _header, sink) {
      read(node, source, `[${index}].`, sink);
    },
  };
}
