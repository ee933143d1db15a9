import type { ClassifyTextResult } from '../../server/src/shared/protocol';

/**
 * Notification text that holds data (a transcript's sentence, file names, messages quoting them)
 * as plain text. VS Code's notifications turn `[label](target)` into a link when the target is a
 * command:, file: or http(s): URI, and run a command: link, with its arguments, on a click. A
 * zero-width space between `]` and `(` keeps the text looking the same and makes no link.
 */
export function plainText(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}

/** "Refusal (0.97, lexical): “I'm sorry, but I can't help with that.”" */
export function describeResult(r: ClassifyTextResult): string {
  const label = r.label === 'refusal' ? 'Refusal' : 'Not a refusal';
  const sentence = r.sentence ? `: “${r.sentence.text.length > 200 ? `${r.sentence.text.slice(0, 199)}…` : r.sentence.text}”` : '';
  const notice = r.notice ? ` (${r.notice})` : '';
  return plainText(`Refusal Lens: ${label} (${r.score.toFixed(2)}, ${r.detector.name})${sentence}${notice}`);
}
