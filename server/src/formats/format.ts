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
   * up to 10 = its own signature. Called with the whole document, or with the first record of a JSONL file.
   * `options` are the user's (the generic fallback matches on the field paths it is given).
   */
  match(root: JsonNode, fileName: string, options?: ExtractOptions): number;
  /**
   * A fresh extractor per file: records arrive in order (one for a document, one per JSONL line).
   * `fileName` is for formats whose files say something in their name or folder (lm-eval keeps the
   * model in the folder name and the task in the file name).
   */
  begin(options: ExtractOptions, fileName: string): JsonExtractor;
}

export interface JsonExtractor {
  record(root: JsonNode, source: JsonRecordSource, sink: ExtractSink): void;
  /** After the last record (for formats that hold records back, e.g. to deduplicate). */
  end?(sink: ExtractSink): void;
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
