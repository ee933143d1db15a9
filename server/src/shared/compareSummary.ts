/**
 * What Compare With... reports besides its rows, in plain data: the request's result carries it,
 * the results panel's webview shows it. No imports, so the webview bundle can take it alone.
 */

/** How Compare With... matches the responses of two runs (the CLI's `diff --key`). */
export const COMPARE_KEYS = ['prompt', 'id', 'prompt+model'] as const;
export type CompareKey = (typeof COMPARE_KEYS)[number];

export interface RunCounts {
  responses: number;
  refusals: number;
  overRefusals: number;
  /** refusals / responses (0 when there are none). */
  rate: number;
}
/** What the results panel's summary shows of a comparison. */
export interface CompareSummary {
  oldUri: string;
  newUri: string;
  /** Paths shown to the user (workspace-relative where possible). */
  oldFile: string;
  newFile: string;
  key: CompareKey;
  old: RunCounts;
  new: RunCounts;
  newlyRefused: number;
  newlyAnswered: number;
  stillRefused: number;
  stillAnswered: number;
  /** Responses with no partner in the other run. */
  onlyOld: number;
  onlyNew: number;
  /** Per model, sorted by name; null where the model has no responses in that run. */
  byModel: Array<{ model: string; old: RunCounts | null; new: RunCounts | null }>;
  parseErrors: { old: number; new: number };
}
