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
}

/** Longest excerpt sent to the panel, in characters. */
export const EXCERPT_LENGTH = 400;

export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
