/** Text helpers the human-readable reports share. */

/**
 * A line safe to print on a terminal: control characters (an escape sequence in a model name
 * could clear the screen or retitle the window) and bidirectional overrides (which reorder what
 * is shown) are written as \uXXXX, as JSON writes them.
 */
export function printable(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
