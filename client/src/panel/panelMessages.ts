/**
 * The results panel's message protocol, declared once: what the extension posts to the webview
 * (HostMessage), what the webview posts back (WebviewMessage), and the state the webview keeps
 * with getState/setState (PanelState). Everything arriving from the webview is untrusted input:
 * `parseWebviewMessage` accepts `unknown` and returns a well-formed message or undefined.
 */
import { COMPARE_KEYS, type CompareKey, type CompareSummary, type RunCounts } from '../../../server/src/shared/compareSummary';
import { CHANGE_KINDS, type ChangeKind, type ResultRow } from '../../../server/src/shared/resultRow';
import type { RowQuery, SortKey } from './rowQuery';
import { DEFAULT_QUERY, SORT_KEYS } from './rowQuery';

/** Extension -> webview. */
export type HostMessage =
  /**
   * A new result set: forget the old rows. `generation` names the set in later messages.
   * `compare`: the set is a comparison of two runs (rows carry `diff`), with its summary.
   */
  | { type: 'reset'; generation: number; title: string; threshold: number; compare?: CompareSummary }
  /** Rows appended to the set, in order; `complete` when the extension has sent all it has for now. */
  | { type: 'rows'; generation: number; rows: ResultRow[]; complete: boolean }
  /** A line of progress ("Scanning 12/340 files"), or null to clear it. */
  | { type: 'status'; text: string | null };

export type ExportFormat = 'json' | 'csv';

/** Which response of a row to open: its own (NEW, for compared runs) or the OLD one it was matched with. */
export type RevealSide = 'new' | 'old';

/** Webview -> extension. */
export type WebviewMessage =
  /** The webview's script has loaded (first show, and again after every hide/show). */
  | { type: 'ready' }
  /**
   * Open row `index` (its position in the set, as sent) of set `generation` in the editor;
   * `side: 'old'` opens the OLD response of a compared pair instead.
   */
  | { type: 'reveal'; generation: number; index: number; side?: RevealSide }
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
  const query: RowQuery = {
    refusalsOnly: value.refusalsOnly === true,
    overRefusalsOnly: value.overRefusalsOnly === true,
    model,
    text,
    sort,
    descending: typeof value.descending === 'boolean' ? value.descending : DEFAULT_QUERY.descending,
  };
  if (CHANGE_KINDS.includes(value.change as ChangeKind)) query.change = value.change as ChangeKind;
  return query;
}

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal': {
      if (!isIndex(value.generation) || !isIndex(value.index)) return undefined;
      if (value.side !== undefined && value.side !== 'new' && value.side !== 'old') return undefined;
      const reveal: WebviewMessage = { type: 'reveal', generation: value.generation, index: value.index };
      if (value.side === 'old') reveal.side = 'old';
      return reveal;
    }
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
    case 'reset': {
      if (!isIndex(value.generation) || typeof value.title !== 'string' || typeof value.threshold !== 'number') return undefined;
      const reset: HostMessage = { type: 'reset', generation: value.generation, title: value.title, threshold: value.threshold };
      if (value.compare !== undefined) {
        const compare = parseCompareSummary(value.compare);
        if (!compare) return undefined;
        reset.compare = compare;
      }
      return reset;
    }
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

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function parseRunCounts(value: unknown): RunCounts | null | undefined {
  if (value === null) return null;
  if (!isRecord(value) || !isCount(value.responses) || !isCount(value.refusals) || !isCount(value.overRefusals) || !isCount(value.rate)) return undefined;
  return { responses: value.responses, refusals: value.refusals, overRefusals: value.overRefusals, rate: value.rate };
}

/** A comparison's summary by shape (rebuilt with its known fields only), or undefined. */
export function parseCompareSummary(value: unknown): CompareSummary | undefined {
  if (!isRecord(value)) return undefined;
  const strings = [value.oldUri, value.newUri, value.oldFile, value.newFile];
  if (!strings.every((v) => typeof v === 'string') || !COMPARE_KEYS.includes(value.key as CompareKey)) return undefined;
  const counts = [value.newlyRefused, value.newlyAnswered, value.stillRefused, value.stillAnswered, value.onlyOld, value.onlyNew];
  if (!counts.every(isCount)) return undefined;
  const oldCounts = parseRunCounts(value.old);
  const newCounts = parseRunCounts(value.new);
  if (!oldCounts || !newCounts || !Array.isArray(value.byModel) || !isRecord(value.parseErrors)) return undefined;
  const byModel: CompareSummary['byModel'] = [];
  for (const m of value.byModel as unknown[]) {
    if (!isRecord(m) || typeof m.model !== 'string') return undefined;
    const o = parseRunCounts(m.old);
    const n = parseRunCounts(m.new);
    if (o === undefined || n === undefined) return undefined;
    byModel.push({ model: m.model, old: o, new: n });
  }
  const errors = value.parseErrors;
  if (!isCount(errors.old) || !isCount(errors.new)) return undefined;
  return {
    oldUri: value.oldUri as string,
    newUri: value.newUri as string,
    oldFile: value.oldFile as string,
    newFile: value.newFile as string,
    key: value.key as CompareKey,
    old: oldCounts,
    new: newCounts,
    newlyRefused: value.newlyRefused as number,
    newlyAnswered: value.newlyAnswered as number,
    stillRefused: value.stillRefused as number,
    stillAnswered: value.stillAnswered as number,
    onlyOld: value.onlyOld as number,
    onlyNew: value.onlyNew as number,
    byModel,
    parseErrors: { old: errors.old, new: errors.new },
  };
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
