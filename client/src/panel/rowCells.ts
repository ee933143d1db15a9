/**
 * What each table cell shows for a row: plain strings, pure. The webview puts them in the DOM
 * with textContent and title only, so whatever a response contains stays text.
 */
import type { ChangeKind, ResultRow, RowBefore } from '../../../server/src/shared/resultRow';
import type { SortKey } from './rowQuery';
import { modelOf } from './rowQuery';

export type ColumnId = 'file' | 'model' | 'change' | 'before' | 'label' | 'score' | 'prompt' | 'response';

export interface Column {
  id: ColumnId;
  header: string;
  /** The sort this column's header applies, when it has one. */
  sort?: SortKey;
  /** Shown only for compared runs (rows with `diff`). */
  compareOnly?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { id: 'file', header: 'File', sort: 'file' },
  { id: 'model', header: 'Model', sort: 'model' },
  { id: 'change', header: 'Change', compareOnly: true },
  { id: 'before', header: 'Before', compareOnly: true },
  { id: 'label', header: 'Label', sort: 'label' },
  { id: 'score', header: 'Score', sort: 'score' },
  { id: 'prompt', header: 'Prompt' },
  { id: 'response', header: 'Response' },
];

export interface Cell {
  column: ColumnId;
  /** Shown in the cell (CSS cuts it with an ellipsis). */
  text: string;
  /** Tooltip: the whole value. */
  title: string;
}

export type RowLabel = 'refusal' | 'over-refusal' | 'normal';

/** The label a row shows, or the OLD side of a compared pair. */
export function rowLabel(row: Pick<RowBefore, 'label' | 'overRefusal'>): RowLabel {
  if (row.overRefusal) return 'over-refusal';
  return row.label === 'refusal' ? 'refusal' : 'normal';
}

export const CHANGE_TEXT: Record<ChangeKind, string> = {
  'newly-refused': 'newly refused',
  'newly-answered': 'newly answered',
  'still-refused': 'still refused',
};

export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(3) : '–';
}

/** "evals/run.jsonl:3:91": where a response is, as editors write it. */
function place(at: Pick<RowBefore, 'file' | 'range'>): string {
  return `${at.file}:${at.range.start.line + 1}:${at.range.start.character + 1}`;
}

/** The cells of a row in COLUMNS order: the compare-only ones for rows of compared runs only. */
export function rowCells(row: ResultRow): Cell[] {
  const prompt = row.prompt ?? '';
  const compared: Cell[] = [];
  if (row.diff) {
    const { change, old } = row.diff;
    compared.push(
      { column: 'change', text: CHANGE_TEXT[change], title: `${CHANGE_TEXT[change]}: ${rowLabel(old)} before, ${rowLabel(row)} now` },
      {
        column: 'before',
        text: `${rowLabel(old)} ${formatScore(old.score)}`,
        title: `Before: ${rowLabel(old)} (${String(old.score)}) at ${place(old)}\n${old.response}${old.sentence ? `\n\nRefusing sentence: ${old.sentence}` : ''}\n\nClick (or Shift+Enter) to open the old response.`,
      },
    );
  }
  return [
    { column: 'file', text: row.file, title: place(row) },
    { column: 'model', text: modelOf(row), title: modelOf(row) },
    ...compared,
    { column: 'label', text: rowLabel(row), title: `${rowLabel(row)} (${row.detector} detector)` },
    { column: 'score', text: formatScore(row.score), title: String(row.score) },
    { column: 'prompt', text: prompt, title: prompt },
    { column: 'response', text: row.response, title: row.sentence ? `${row.response}\n\nRefusing sentence: ${row.sentence}` : row.response },
  ];
}
