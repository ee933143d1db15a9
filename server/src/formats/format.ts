import type { JsonNode } from './json/jsonNode';
import type { ExtractOptions, ExtractSink } from './records';
import type { LineIndex, PositionSource } from '../text/positions';

/** Where one parsed JSON value came from: a whole JSON document, or one line of a JSONL file. */
export interface JsonRecordSource {
  /** The text the node offsets refer to (the document, or the line). */
  src: string;
  positions: PositionSource;
  /** 1-based line number of a JSONL record; null for a whole document. */
  line: number | null;
}

/** A format whose files are JSON documents or JSONL records (most eval outputs). */
export interface JsonFormat {
  readonly kind: 'json';
  readonly name: string;
  readonly label: string;
  /**
   * How surely a value is in this format: 0 = not at all, 1 = a weak guess by well-known keys,
   * up to 10 = its own signature. Called with the whole document, or with the records of a JSONL file
   * one by one from the first until a format claims one.
   * `options` are the user's (the generic fallback matches on the field paths it is given).
   * A large document read in streaming (see `streaming`) is matched on a preview: the document
   * with its record array holding only its first few elements, and without the members that come
   * after that array in the file unless a format's `streaming.header` asked for them.
   */
  match(root: JsonNode, fileName: string, options?: ExtractOptions): number;
  /**
   * A fresh extractor per file: records arrive in order (one for a document, one per JSONL line).
   * `fileName` is for formats whose files say something in their name or folder (lm-eval keeps the
   * model in the folder name and the task in the file name).
   */
  begin(options: ExtractOptions, fileName: string): JsonExtractor;
  /**
   * Optional: where the records of a JSON document live, so that the CLI reads a large document
   * one array element at a time (engine/jsonStream.ts) instead of as one string and one tree.
   * A format that declares it implements `JsonExtractor.element`; a format without it is read whole.
   */
  readonly streaming?: JsonStreaming;
}

/** The record arrays of a format's JSON documents, for reading them element by element. */
export interface JsonStreaming {
  /**
   * Key paths from the root to the arrays whose elements are records: `[]` is a top-level array,
   * `['samples']` Inspect's samples, `['results', 'results']` promptfoo v3's results.
   */
  readonly arrays: ReadonlyArray<readonly string[]>;
  /**
   * Key paths of the other members that `match` or the extractor read (Inspect: `['eval']`,
   * `['version']`). When they all come before the record array in the file, elements are read as
   * they come; when one comes after it, the elements' places are noted and they are read (each
   * still parsed once) after the end of the document.
   */
  readonly header?: ReadonlyArray<readonly string[]>;
}

/** The document around streamed elements: every member but the record arrays' contents. */
export interface JsonHeader {
  /** The document with its record arrays empty: the members read so far (all of them in `end`). */
  root: JsonNode;
  /** The header's own text and positions (ranges of its strings are exact). */
  source: JsonRecordSource;
}

export interface JsonExtractor {
  record(root: JsonNode, source: JsonRecordSource, sink: ExtractSink): void;
  /**
   * Streaming formats: one element of a record array, parsed on its own. `array` is one of
   * `streaming.arrays`, `index` the element's index in it (as `items[index]` of the whole
   * document), `source` the element's own text with absolute positions. Records and ids must be
   * exactly those `record` gives for the whole document.
   */
  element?(node: JsonNode, array: readonly string[], index: number, source: JsonRecordSource, header: JsonHeader, sink: ExtractSink): void;
  /**
   * After the last record (for formats that hold records back, e.g. to deduplicate). A streamed
   * document passes its complete header (for members that come after the records).
   */
  end?(sink: ExtractSink, header?: JsonHeader): void;
}

/** A format read as plain text (Markdown transcripts, CSV/TSV). */
export interface TextFormat {
  readonly kind: 'text';
  readonly name: string;
  readonly label: string;
  /** 0 = not this format; higher = surer. `head` is the first few KB of the file. */
  match(fileName: string, head: string): number;
  extract(text: string, positions: LineIndex, options: ExtractOptions, sink: ExtractSink): void;
}

/** A binary container of JSON members (Inspect AI `.eval` ZIP logs): CLI and panel only. */
export interface ArchiveFormat {
  readonly kind: 'archive';
  readonly name: string;
  readonly label: string;
  match(fileName: string, head: Uint8Array): number;
  extract(data: Uint8Array, options: ExtractOptions, sink: ExtractSink): void;
}

export type Format = JsonFormat | TextFormat | ArchiveFormat;
