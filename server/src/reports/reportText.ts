/** Text helpers the human-readable reports share. */

/**
 * A line safe to print on a terminal: control characters (an escape sequence in a model name
 * could clear the screen or retitle the window) and bidirectional overrides (which reorder what
 * is shown) are written as \uXXXX, as JSON writes them.
 */
export function printable(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A rate as a percentage with one decimal: 0.125 -> "12.5%". */
export function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** Text on one line (runs of white space made one space), cut to at most `n` characters with an ellipsis; null is empty. */
export function oneLine(s: string | null, n: number): string {
  const flat = (s ?? '').replace(/\s+/g, ' ').trim();
  return flat.length <= n ? flat : `${flat.slice(0, n - 1)}…`;
}

/** Where something is, as editors and terminals link it: `file[!entry]:line:column` (1-based). */
export function place(file: string, entry: string | undefined, at: { line: number; character: number }): string {
  return `${file}${entry ? `!${entry}` : ''}:${at.line + 1}:${at.character + 1}`;
}
