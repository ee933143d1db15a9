import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { comparePositions, type Range } from '../text/positions';
import { excerpt } from '../shared/resultRow';
import type { ModeSetting } from '../shared/settings';
import type { Verdict } from '../verdicts/verdict';

export function contains(range: Range, p: Position): boolean {
  return comparePositions(range.start, p) <= 0 && comparePositions(p, range.end) <= 0;
}

/** The verdict of the response under the cursor (the innermost one if ranges nest). */
export function verdictAt(verdicts: readonly Verdict[], p: Position): Verdict | null {
  let best: Verdict | null = null;
  for (const v of verdicts) {
    if (v.response.entry !== undefined || !contains(v.response.range, p)) continue;
    if (!best || contains(best.response.range, v.response.range.start)) best = v;
  }
  return best;
}

export interface HoverContext {
  threshold: number;
  mode: ModeSetting;
}

/** Hover on a response: label, score, detector, model, mode and the deciding sentence. */
export function hoverFor(v: Verdict, ctx: HoverContext): Hover {
  const label = v.overRefusal ? 'Over-refusal' : v.label === 'refusal' ? 'Refusal' : 'Not a refusal';
  const lines = [
    `**${label}**: score ${v.score.toFixed(2)} (refusal above ${ctx.threshold})`,
    '',
    `Detector: ${escapeMarkdown(v.detectorName)} · Mode: ${ctx.mode} · Model: ${v.response.model === null ? 'not named' : escapeMarkdown(v.response.model)}`,
  ];
  if (v.overRefusal) lines.push('', 'The data says this prompt should have been answered.');
  if (v.sentence) lines.push('', `Sentence: ${escapeMarkdown(excerpt(v.sentence.text, 300))}`);
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    range: v.response.range,
  };
}

/**
 * Transcript text is shown as text: the characters that start Markdown or HTML constructs are
 * escaped, and line breaks flattened (so nothing reaches the start of a line, where `-`, `#`, `1.` act).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~&]/g, '\\$&').replace(/\r?\n/g, ' ');
}
