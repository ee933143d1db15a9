/**
 * The results panel's message protocol, declared once: what the extension posts to the webview
 * (HostMessage), what the webview posts back (WebviewMessage), and the state the webview keeps
 * with getState/setState (PanelState). Everything arriving from the webview is untrusted input:
 * `parseWebviewMessage` accepts `unknown` and returns a well-formed message or undefined.
 */
import type { ResultRow } from '../../../server/src/shared/resultRow';
import type { RowQuery, SortKey } from './rowQuery';
import { DEFAULT_QUERY, SORT_KEYS } from './rowQuery';

/** Extension -> webview. */
export type HostMessage =
  /** A new result set: forget the old rows. `generation` names the set in later messages. */
  | { type: 'reset'; generation: number; title: string; threshold: number }
  /** Rows appended to the set, in order; `complete` when the extension has sent all it has for now. */
  | { type: 'rows'; generation: number; rows: ResultRow[]; complete: boolean }
  /** A line of progress ("Scanning 12/340 files"), or null to clear it. */
  | { type: 'status'; text: string | null };

export type ExportFormat = 'json' | 'csv';

/** Webview -> extension. */
export type WebviewMessage =
  /** The webview's script has loaded (first show, and again after every hide/show). */
  | { type: 'ready' }
  /** Open row `index` (its position in the set, as sent) of set `generation` in the editor. */
  | { type: 'reveal'; generation: number; index: number }
  /** Save the rows the query shows to a file the user picks. */
  | { type: 'export'; format: ExportFormat; query: RowQuery };

/** Kept by the webview across hide/show with setState. */
export interface PanelState {
  query: RowQuery;
  scrollTop: number;
  /** Position (in display order) of the keyboard-active row. */
  active: number;
  /** The result set scrollTop and active belong to (-1: none); a newer set starts at the top. */
  generation: number;
}

export const DEFAULT_STATE: PanelState = { query: DEFAULT_QUERY, scrollTop: 0, active: 0, generation: -1 };

/** Longest search text / model name accepted from the webview. */
export const MAX_QUERY_TEXT = 1000;

/** A plain object (what structured cloning and JSON make); fields inherited from elsewhere do not count. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A query from untrusted input; fields that are missing or malformed take their defaults. */
export function parseRowQuery(value: unknown): RowQuery {
  if (!isRecord(value)) return { ...DEFAULT_QUERY };
  const sort = SORT_KEYS.includes(value.sort as SortKey) ? (value.sort as SortKey) : DEFAULT_QUERY.sort;
  const text = typeof value.text === 'string' ? value.text.slice(0, MAX_QUERY_TEXT) : '';
  const model = typeof value.model === 'string' && value.model.length <= MAX_QUERY_TEXT ? value.model : null;
  return {
    refusalsOnly: value.refusalsOnly === true,
    overRefusalsOnly: value.overRefusalsOnly === true,
    model,
    text,
    sort,
    descending: typeof value.descending === 'boolean' ? value.descending : DEFAULT_QUERY.descending,
  };
}

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      return isIndex(value.generation) && isIndex(value.index) ? { type: 'reveal', generation: value.generation, index: value.index } : undefined;
    case 'export':
      return value.format === 'json' || value.format === 'csv' ? { type: 'export', format: value.format, query: parseRowQuery(value.query) } : undefined;
    default:
      return undefined;
  }
}

/** The webview's check of what the extension sends (shape only: the rows are the server's). */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'reset':
      return isIndex(value.generation) && typeof value.title === 'string' && typeof value.threshold === 'number'
        ? { type: 'reset', generation: value.generation, title: value.title, threshold: value.threshold }
        : undefined;
    case 'rows':
      return isIndex(value.generation) && Array.isArray(value.rows)
        ? { type: 'rows', generation: value.generation, rows: value.rows as ResultRow[], complete: value.complete === true }
        : undefined;
    case 'status':
      return typeof value.text === 'string' || value.text === null ? { type: 'status', text: value.text } : undefined;
    default:
      return undefined;
  }
}

/** State saved by an earlier instance of the webview (or nothing, or something malformed). */
export function parsePanelState(value: unknown): PanelState {
  if (!isRecord(value)) return { ...DEFAULT_STATE, query: { ...DEFAULT_QUERY } };
  return {
    query: parseRowQuery(value.query),
    scrollTop: typeof value.scrollTop === 'number' && Number.isFinite(value.scrollTop) && value.scrollTop > 0 ? value.scrollTop : 0,
    active: isIndex(value.active) ? value.active : 0,
    generation: isIndex(value.generation) ? value.generation : -1,
  };
}
