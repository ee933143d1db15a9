/**
 * The panel's export: the rows it shows as JSON or CSV text. Pure. The texts are the panel's
 * excerpts (the Export Report command writes whole responses).
 */
import type { ResultRow } from '../../../server/src/shared/resultRow';
import type { ExportFormat } from './panelMessages';
import { rowLabel } from './rowCells';

interface ExportedRow {
  file: string;
  uri: string;
  id: string;
  /** One-based, as editors show them. */
  line: number;
  column: number;
  format: string | null;
  model: string | null;
  label: string;
  overRefusal: boolean;
  score: number;
  detector: string;
  prompt: string | null;
  response: string;
  sentence: string | null;
}

function exported(row: ResultRow): ExportedRow {
  return {
    file: row.file,
    uri: row.uri,
    id: row.id,
    line: row.range.start.line + 1,
    column: row.range.start.character + 1,
    format: row.format,
    model: row.model,
    label: rowLabel(row),
    overRefusal: row.overRefusal,
    score: row.score,
    detector: row.detector,
    prompt: row.prompt,
    response: row.response,
    sentence: row.sentence,
  };
}

const CSV_COLUMNS: readonly (keyof ExportedRow)[] = ['file', 'line', 'column', 'id', 'model', 'label', 'overRefusal', 'score', 'detector', 'format', 'prompt', 'response', 'sentence', 'uri'];

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (leading
 * = + - @, tab or CR) gets a leading apostrophe: transcripts are attacker-controlled text.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function rowsToCsv(rows: readonly ResultRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const e = exported(row);
    lines.push(CSV_COLUMNS.map((c) => csvField(e[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function rowsToJson(title: string, rows: readonly ResultRow[]): string {
  return `${JSON.stringify({ title, count: rows.length, rows: rows.map(exported) }, null, 2)}\n`;
}

export function exportText(format: ExportFormat, title: string, rows: readonly ResultRow[]): string {
  return format === 'csv' ? rowsToCsv(rows) : rowsToJson(title, rows);
}
