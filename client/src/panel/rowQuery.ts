/**
 * Filtering and sorting of result rows: pure, shared by the webview (what it shows) and the
 * extension (what "export" writes), so both always agree on "the current filtered rows".
 */
import type { ChangeKind, ResultRow } from '../../../server/src/shared/resultRow';

export type SortKey = 'order' | 'score' | 'file' | 'model' | 'label';
export const SORT_KEYS: readonly SortKey[] = ['order', 'score', 'file', 'model', 'label'];

export interface RowQuery {
  refusalsOnly: boolean;
  overRefusalsOnly: boolean;
  /** A model name as `modelOf` gives it; null shows every model. */
  model: string | null;
  /** Case-insensitive substring of the prompt, response or file (or the OLD response of a compared pair). */
  text: string;
  sort: SortKey;
  descending: boolean;
  /** Compared runs only: show the pairs of this change kind (absent: every kind). */
  change?: ChangeKind;
}

export const DEFAULT_QUERY: RowQuery = Object.freeze({
  refusalsOnly: false,
  overRefusalsOnly: false,
  model: null,
  text: '',
  sort: 'order',
  descending: false,
});

/** Shown for rows whose model is not known. */
export const UNKNOWN_MODEL = '(unknown model)';

export function modelOf(row: ResultRow): string {
  return row.model ?? UNKNOWN_MODEL;
}

/** The direction a column sorts in when first chosen: highest scores first, names A to Z. */
export function defaultDescending(sort: SortKey): boolean {
  return sort === 'score' || sort === 'label';
}

function matcher(text: string): ((row: ResultRow) => boolean) | null {
  const needle = text.trim();
  if (needle === '') return null;
  // A case-insensitive literal: no per-row lower-casing, no cache of 50,000 lower-cased copies.
  const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
  return (row) => re.test(row.response) || (row.prompt !== null && re.test(row.prompt)) || re.test(row.file) || (row.diff !== undefined && re.test(row.diff.old.response));
}

/** The rows the label filters ignore: text and model only (the summary's population). */
export function matchesScope(query: RowQuery): (row: ResultRow) => boolean {
  const text = matcher(query.text);
  const model = query.model;
  return (row) => (model === null || modelOf(row) === model) && (text === null || text(row));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function comparator(rows: readonly ResultRow[], sort: SortKey): ((a: number, b: number) => number) | null {
  switch (sort) {
    case 'order':
      return null;
    case 'score':
      return (a, b) => scoreKey(rows[a].score) - scoreKey(rows[b].score);
    case 'file':
      return (a, b) => collator.compare(rows[a].file, rows[b].file);
    case 'model':
      return (a, b) => collator.compare(modelOf(rows[a]), modelOf(rows[b]));
    case 'label':
      return (a, b) => labelRank(rows[a]) - labelRank(rows[b]);
  }
}

function scoreKey(score: number): number {
  return Number.isFinite(score) ? score : -Infinity;
}

function labelRank(row: ResultRow): number {
  return row.overRefusal ? 2 : row.label === 'refusal' ? 1 : 0;
}

/**
 * Indices into `rows` of the rows the query shows, in display order. Ties keep the rows' own
 * order (document order, then arrival order for workspace scans) in both directions.
 */
export function queryRows(rows: readonly ResultRow[], query: RowQuery): number[] {
  const inScope = matchesScope(query);
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (query.refusalsOnly && row.label !== 'refusal') continue;
    if (query.overRefusalsOnly && !row.overRefusal) continue;
    if (query.change !== undefined && row.diff?.change !== query.change) continue;
    if (inScope(row)) out.push(i);
  }
  const compare = comparator(rows, query.sort);
  const sign = query.descending ? -1 : 1;
  if (compare) out.sort((a, b) => sign * compare(a, b) || a - b);
  else if (query.descending) out.reverse();
  return out;
}

/** Model names present in the rows, sorted, for the model filter. */
export function modelsIn(rows: readonly ResultRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) seen.add(modelOf(row));
  return [...seen].sort(collator.compare);
}
