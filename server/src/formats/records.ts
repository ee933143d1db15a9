import type { Range } from '../text/positions';
import type { TextMap } from '../text/textMap';

/** What the data says the model should have done with the prompt (for over-refusal). */
export type Expectation = 'answer' | 'refuse';

export type MetadataValue = string | number | boolean | null;

/** One model response found in a file. Formats produce these; nothing here knows about models. */
export interface ResponseRecord {
  /** Stable across edits elsewhere in the file: record plus field path, e.g. `line 12: messages[3].content`. */
  id: string;
  /** The response text, unescaped. */
  text: string;
  /** Where the response text sits in the document (inside the quotes for JSON strings). */
  range: Range;
  /** Text spans to document ranges (escapes make the two differ). */
  map: TextMap;
  prompt: string | null;
  promptRange: Range | null;
  /** Model or provider that wrote the response, when the file says. */
  model: string | null;
  expected: Expectation | null;
  /** For archives (Inspect `.eval`): the member file the ranges refer to. */
  entry?: string;
  metadata: Record<string, MetadataValue>;
}

export type ParseErrorKind = 'syntax' | 'encoding' | 'empty' | 'binary' | 'limit' | 'unrecognised' | 'io' | 'structure';

/** Input that could not be read. It never stops the rest of the file from being analysed. */
export interface ParseErrorRecord {
  kind: ParseErrorKind;
  message: string;
  range: Range;
  entry?: string;
}

export interface ExtractSink {
  response(record: ResponseRecord): void;
  error(record: ParseErrorRecord): void;
}

/** Options every format may read; they come from settings or CLI flags, validated upstream. */
export interface ExtractOptions {
  /** Field paths for the generic JSON fallback, e.g. `choices[*].turns[*]`. */
  fields: string[];
  /** Field path holding the expected behaviour, and the values that mean "should have answered". */
  expectField: string | null;
  expectAnswerValues: string[];
  /** CSV/TSV column names to take the response and prompt from (first match wins). */
  responseColumns: string[];
  promptColumns: string[];
}

export const defaultExtractOptions: ExtractOptions = {
  fields: [],
  expectField: null,
  expectAnswerValues: [],
  responseColumns: [],
  promptColumns: [],
};

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
