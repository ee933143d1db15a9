/**
 * The panel's export: the rows it shows as JSON or CSV text. Pure. The texts are the panel's
 * excerpts (the Export Report command writes whole responses). Rows of compared runs also carry
 * their change and the OLD side they were matched with.
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
  /** Compared runs only. */
  change?: string;
  old?: ExportedBefore;
}

interface ExportedBefore {
  file: string;
  uri: string;
  id: string;
  line: number;
  column: number;
  model: string | null;
  label: string;
  score: number;
  response: string;
  sentence: string | null;
}

function exported(row: ResultRow): ExportedRow {
  const e: ExportedRow = {
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
  if (row.diff) {
    const o = row.diff.old;
    e.change = row.diff.change;
    e.old = { file: o.file, uri: o.uri, id: o.id, line: o.range.start.line + 1, column: o.range.start.character + 1, model: o.model, label: rowLabel(o), score: o.score, response: o.response, sentence: o.sentence };
  }
  return e;
}

type CsvValue = string | number | boolean | null;
type CsvColumn = keyof Omit<ExportedRow, 'change' | 'old'>;

const CSV_COLUMNS: readonly CsvColumn[] = ['file', 'line', 'column', 'id', 'model', 'label', 'overRefusal', 'score', 'detector', 'format', 'prompt', 'response', 'sentence', 'uri'];
/** Added after `id` when the rows compare two runs. */
const CSV_COMPARE_COLUMNS: readonly (keyof ExportedBefore)[] = ['label', 'score', 'file', 'line', 'column', 'id', 'response', 'uri'];
const oldColumn = (c: keyof ExportedBefore) => `old${c[0].toUpperCase()}${c.slice(1)}`;

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (leading
 * = + - @, tab or CR) gets a leading apostrophe: transcripts are attacker-controlled text.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function rowsToCsv(rows: readonly ResultRow[]): string {
  const compared = rows.some((r) => r.diff);
  const header: string[] = [...CSV_COLUMNS];
  if (compared) header.splice(header.indexOf('id') + 1, 0, 'change', ...CSV_COMPARE_COLUMNS.map(oldColumn));
  const lines = [header.join(',')];
  for (const row of rows) {
    const e = exported(row);
    const cells: CsvValue[] = CSV_COLUMNS.map((c) => e[c]);
    if (compared) cells.splice(CSV_COLUMNS.indexOf('id') + 1, 0, e.change ?? null, ...CSV_COMPARE_COLUMNS.map((c) => e.old?.[c] ?? null));
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function rowsToJson(title: string, rows: readonly ResultRow[]): string {
  return `${JSON.stringify({ title, count: rows.length, rows: rows.map(exported) }, null, 2)}\n`;
}

export function exportText(format: ExportFormat, title: string, rows: readonly ResultRow[]): string {
  return format === 'csv' ? rowsToCsv(rows) : rowsToJson(title, rows);
}
