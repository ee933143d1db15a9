import * as path from 'node:path';
import type { JsonExtractor, JsonFormat, JsonRecordSource } from '../formats/format';
import { parseJson, TRAILING_CONTENT } from '../formats/json/jsonParser';
import type { JsonNode } from '../formats/json/jsonNode';
import { defaultExtractOptions, type ExtractOptions, type ExtractSink, type ParseErrorRecord, type ResponseRecord } from '../formats/records';
import { formatByName, formatNames, pickJsonFormat, pickTextFormat } from '../formats/registry';
import { LineIndex, SingleLine, rangeOf, type PositionSource } from '../text/positions';

/**
 * Reading one file's text into response records: how to read it (JSON document, JSONL lines,
 * plain text), which format it is, and every error with its place. Never throws on content.
 */

export interface ExtractSettings extends ExtractOptions {
  /** A format forced by name (CLI `--input-format`), or null to detect. */
  inputFormat: string | null;
  /** JSONL lines longer than this many characters are reported and skipped. */
  maxLineLength: number;
}

export const defaultExtractSettings: ExtractSettings = {
  ...defaultExtractOptions,
  inputFormat: null,
  maxLineLength: 64 * 1024 * 1024,
};

export interface Extraction {
  /** Name of the format that read the file, or null when none could. */
  format: string | null;
  responses: ResponseRecord[];
  errors: ParseErrorRecord[];
}

export type Container = 'json' | 'jsonl' | 'text';

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson', '.jsonlines']);
const JSON_EXTENSIONS = new Set(['.json']);
const TEXT_EXTENSIONS = new Set(['.md', '.markdown', '.csv', '.tsv', '.txt']);

/** How to read a file: by its extension, else by its first characters. */
export function containerOf(fileName: string, head: string): Container {
  const ext = path.extname(fileName).toLowerCase();
  if (JSONL_EXTENSIONS.has(ext)) return 'jsonl';
  if (JSON_EXTENSIONS.has(ext)) return 'json';
  if (TEXT_EXTENSIONS.has(ext)) return 'text';
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) return looksLikeJsonl(trimmed) ? 'jsonl' : 'json';
  return 'text';
}

/** A first line that is a whole JSON object followed by another line starting with `{`. */
function looksLikeJsonl(head: string): boolean {
  const nl = head.indexOf('\n');
  if (nl < 0) return false;
  const first = head.slice(0, nl).trim();
  return first.endsWith('}') && head.slice(nl + 1).trimStart().startsWith('{') && parseJson(first).errors.length === 0;
}

export function isProbablyBinary(head: string): boolean {
  return head.slice(0, 8000).includes('\u0000');
}

export function errorAt(kind: ParseErrorRecord['kind'], message: string, line = 0, character = 0): ParseErrorRecord {
  return { kind, message, range: { start: { line, character }, end: { line, character } } };
}

/** Files not read at all (the CLI tells them from the bytes, the editor from the text). */
export function emptyFileError(): ParseErrorRecord {
  return errorAt('empty', 'The file is empty: no responses to analyse');
}

export function binaryFileError(): ParseErrorRecord {
  return errorAt('binary', 'This looks like a binary file (it holds NUL bytes): not analysed');
}

/** Extracts a whole text (an open document, or a file read into memory). */
export function extractText(text: string, fileName: string, settings: ExtractSettings = defaultExtractSettings): Extraction {
  const responses: ResponseRecord[] = [];
  const errors: ParseErrorRecord[] = [];
  const sink: ExtractSink = { response: (r) => responses.push(r), error: (e) => errors.push(e) };
  const format = extractInto(text, fileName, settings, sink);
  return { format, responses, errors };
}

/** Like extractText, into a sink; returns the format's name. */
export function extractInto(text: string, fileName: string, settings: ExtractSettings, sink: ExtractSink): string | null {
  if (text.trim() === '') {
    sink.error(emptyFileError());
    return null;
  }
  if (isProbablyBinary(text)) {
    sink.error(binaryFileError());
    return null;
  }
  const forced = settings.inputFormat ? formatByName(settings.inputFormat) : undefined;
  if (settings.inputFormat && !forced) {
    sink.error(errorAt('unrecognised', `Unknown input format "${settings.inputFormat}"; known: ${formatNames().join(', ')}`));
    return null;
  }
  if (forced?.kind === 'archive') {
    sink.error(errorAt('unrecognised', `The ${forced.label} format is a binary archive: open the file from disk with the CLI or the panel`));
    return null;
  }
  if (forced?.kind === 'text') {
    forced.extract(text, new LineIndex(text), settings, sink);
    return forced.name;
  }
  const container = containerOf(fileName, text.slice(0, 4096));
  if (container === 'text' && !forced) {
    const format = pickTextFormat(fileName, text.slice(0, 8192));
    if (!format) {
      sink.error(errorAt('unrecognised', unrecognisedMessage(fileName)));
      return null;
    }
    format.extract(text, new LineIndex(text), settings, sink);
    return format.name;
  }
  const jsonFormat = forced?.kind === 'json' ? forced : null;
  if (container === 'jsonl') return extractJsonlText(text, fileName, settings, sink, jsonFormat);
  return extractJsonDocument(text, fileName, settings, sink, jsonFormat);
}

function unrecognisedMessage(fileName: string): string {
  return `No known format recognised in ${path.basename(fileName)}: name one with --input-format (${formatNames().join(', ')}) or give the response fields with --field`;
}

function extractJsonDocument(text: string, fileName: string, settings: ExtractSettings, sink: ExtractSink, forced: JsonFormat | null): string | null {
  const positions = new LineIndex(text);
  const parsed = parseJson(text);
  const trailing = parsed.errors[0]?.message === TRAILING_CONTENT;
  if (trailing && parsed.value?.type === 'object' && looksLikeJsonl(text.trimStart())) {
    // several JSON values one per line in a .json file: it is JSONL whatever its name says
    return extractJsonlText(text, fileName, settings, sink, forced);
  }
  for (const e of parsed.errors) sink.error({ kind: 'syntax', message: e.message, range: rangeOf(positions, e.start, e.end) });
  if (!parsed.value) return null;
  const format = forced ?? pickJsonFormat(parsed.value, fileName, settings);
  if (!format) {
    sink.error(errorAt('unrecognised', unrecognisedMessage(fileName)));
    return null;
  }
  const extractor = format.begin(settings, fileName);
  const source: JsonRecordSource = { src: text, positions, line: null };
  runExtractor(() => extractor.record(parsed.value!, source, sink), sink, positions, parsed.value);
  runExtractor(() => extractor.end?.(sink), sink);
  return format.name;
}

/**
 * A format's bug must not stop the file: it becomes an error record at the record it failed on
 * (at the file's start when it failed outside a record, in `end`).
 */
export function runExtractor(fn: () => void, sink: ExtractSink, positions?: PositionSource, node?: JsonNode): void {
  try {
    fn();
  } catch (e) {
    const message = `Could not read this record: ${e instanceof Error ? e.message : String(e)}`;
    if (positions && node) sink.error({ kind: 'structure', message, range: rangeOf(positions, node.start, Math.min(node.end, node.start + 1)) });
    else sink.error(errorAt('structure', message));
  }
}

function extractJsonlText(text: string, fileName: string, settings: ExtractSettings, sink: ExtractSink, forced: JsonFormat | null): string | null {
  const reader = new JsonlReader(fileName, settings, sink, forced);
  let line = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    reader.line(text.slice(start, lineEnd), line);
    line++;
    start = end + 1;
  }
  return reader.end();
}

/** How many records may wait for the format to be known before the file is called unrecognised. */
const MAX_PENDING = 20;

/**
 * JSONL, one line at a time (the CLI streams lines from disk into it; an open document is split
 * into lines). Each line is parsed on its own: a bad line is an error on that line only.
 */
export class JsonlReader {
  private format: JsonFormat | null;
  private extractor: JsonExtractor | null = null;
  private pending: Array<{ root: JsonNode; source: JsonRecordSource }> = [];
  private gaveUp = false;
  private sawRecord = false;

  constructor(
    private readonly fileName: string,
    private readonly settings: ExtractSettings,
    private readonly sink: ExtractSink,
    forced: JsonFormat | null = null,
  ) {
    this.format = forced;
    if (forced) this.extractor = forced.begin(settings, fileName);
  }

  /** `line` is zero-based. */
  line(text: string, line: number): void {
    if (text.length > this.settings.maxLineLength) {
      this.lineTooLong(line, text.length);
      return;
    }
    if (text.trim() === '') return;
    const positions = new SingleLine(line);
    const parsed = parseJson(text);
    for (const e of parsed.errors) {
      this.sink.error({ kind: 'syntax', message: `Line ${line + 1}: ${e.message}`, range: rangeOf(positions, e.start, e.end) });
    }
    if (!parsed.value) return;
    this.sawRecord = true;
    const source: JsonRecordSource = { src: text, positions, line: line + 1 };
    if (this.extractor) {
      this.feed(parsed.value, source);
      return;
    }
    if (this.gaveUp) return;
    this.pending.push({ root: parsed.value, source });
    const format = pickJsonFormat(parsed.value, this.fileName, this.settings);
    if (format) {
      this.format = format;
      this.extractor = format.begin(this.settings, this.fileName);
      const held = this.pending;
      this.pending = [];
      for (const p of held) this.feed(p.root, p.source);
    } else if (this.pending.length >= MAX_PENDING) {
      this.giveUp();
    }
  }

  /** A line skipped for its length (the CLI reports these without ever holding the line). */
  lineTooLong(line: number, length: number): void {
    this.sink.error(errorAt('limit', `Line ${line + 1} is ${formatSize(length)} long, over the limit of ${formatSize(this.settings.maxLineLength)}: skipped`, line));
  }

  /** Reports a line that is not valid UTF-8 (it is still read, with replacement characters). */
  invalidUtf8(line: number): void {
    this.sink.error(errorAt('encoding', `Line ${line + 1} is not valid UTF-8: read with replacement characters`, line));
  }

  private feed(root: JsonNode, source: JsonRecordSource): void {
    runExtractor(() => this.extractor!.record(root, source, this.sink), this.sink, source.positions, root);
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.pending = [];
    this.sink.error(errorAt('unrecognised', unrecognisedMessage(this.fileName)));
  }

  /** After the last line: returns the format's name, or null. */
  end(): string | null {
    if (!this.extractor) {
      if (!this.gaveUp) {
        if (this.sawRecord) this.giveUp();
        else this.sink.error(errorAt('empty', 'No JSON records in this file'));
      }
      return null;
    }
    runExtractor(() => this.extractor!.end?.(this.sink), this.sink);
    return this.format!.name;
  }
}

export function formatSize(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / 1024 / 1024).toFixed(1)} MB`;
  if (chars >= 1024) return `${(chars / 1024).toFixed(1)} KB`;
  return `${chars} characters`;
}
