/**
 * The arguments "Compare With..." is run with, sorted out without the `vscode` API (so tests read
 * them in node). VS Code and callers pass them in these shapes:
 *   ()                                  the command palette: NEW is the active editor's file
 *   (uri, { groupId, ... })             the editor title's context menu: NEW is that file
 *   (clickedUri, [uri, ...])            the Explorer's context menu, with its selection: two
 *                                       selected files are OLD (selected first) and NEW
 *   (oldUri, newUri, { key })           other extensions and tests: no dialog, no quick pick
 */
import { COMPARE_KEYS, type CompareKey } from '../../server/src/shared/compareSummary';

export interface CompareArgs<U> {
  old: U | null;
  new: U | null;
  /** Null: ask with a quick pick. */
  key: CompareKey | null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws (with words for the user) on arguments that cannot mean a comparison. */
export function parseCompareArgs<U>(args: readonly unknown[], isUri: (v: unknown) => v is U): CompareArgs<U> {
  const uris = args.filter(isUri);
  const selection = args.find((a): a is unknown[] => Array.isArray(a));
  const selected = selection ? selection.filter(isUri) : [];
  if (selected.length > 2) throw new Error(`Compare With... compares two files; ${selected.length} are selected.`);
  const options = args.find((a) => isPlainObject(a) && !isUri(a)) as Record<string, unknown> | undefined;
  let key: CompareKey | null = null;
  if (options && options.key !== undefined) {
    if (!COMPARE_KEYS.includes(options.key as CompareKey)) throw new Error(`unknown matching key "${String(options.key)}" (known: ${COMPARE_KEYS.join(', ')}).`);
    key = options.key as CompareKey;
  }
  if (selected.length === 2) return { old: selected[0], new: selected[1], key };
  if (uris.length >= 2) return { old: uris[0], new: uris[1], key };
  return { old: null, new: uris[0] ?? selected[0] ?? null, key };
}
