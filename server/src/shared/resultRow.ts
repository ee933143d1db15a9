/**
 * One response as the results panel shows it: made by the language server from a verdict, sent
 * to the client, rendered by the webview. Plain data only (it crosses two message boundaries).
 */
export interface ResultRow {
  /** Document URI (file:// or untitled:) the response is in. */
  uri: string;
  /** Path shown to the user (workspace-relative where possible). */
  file: string;
  /** The response's stable id within its file. */
  id: string;
  format: string | null;
  model: string | null;
  label: 'refusal' | 'normal';
  overRefusal: boolean;
  /** Unrounded. */
  score: number;
  detector: 'lexical' | 'model';
  /** The range to reveal on click: the refusing sentence when known, else the response (zero-based LSP positions). */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** Short excerpts (the webview never gets whole multi-megabyte texts). */
  prompt: string | null;
  response: string;
  sentence: string | null;
  /** Set on rows of a comparison of two runs (Compare With...): this row is the NEW side. */
  diff?: RowDiff;
}

/** How a matched pair of responses changed from the OLD run to the NEW one. */
export type ChangeKind = 'newly-refused' | 'newly-answered' | 'still-refused';
export const CHANGE_KINDS: readonly ChangeKind[] = ['newly-refused', 'newly-answered', 'still-refused'];

export interface RowDiff {
  change: ChangeKind;
  /** The OLD run's response this row was matched with. */
  old: RowBefore;
}

/** The OLD side of a compared pair: where it is and how it was labelled. */
export interface RowBefore {
  uri: string;
  file: string;
  id: string;
  model: string | null;
  label: 'refusal' | 'normal';
  overRefusal: boolean;
  score: number;
  /** The range to reveal (the refusing sentence when known, else the response). */
  range: ResultRow['range'];
  response: string;
  sentence: string | null;
}

/** Longest excerpt sent to the panel, in characters. */
export const EXCERPT_LENGTH = 400;

export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
