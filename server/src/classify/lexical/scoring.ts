import type { Classification } from '../detector';
import type { SignalKind } from './patterns';
import { responseCues } from './responseCues';
import type { Signal } from './sentenceSignals';

/** Kinds that decide alone: an explicit refusal or a citation of rules. */
const STRONG: ReadonlySet<SignalKind> = new Set(['refusal', 'policy']);

/** A text with no refusal pattern (with or without trigger words: the result must not depend on the shortcut). */
export const NO_SIGNAL_SCORE = 0.02;

/** How much one deflection cue raises a weak signal, and one answer cue lowers it. */
const DEFLECTION_STEP = 0.15;
const ANSWER_STEP = 0.08;
const MAX_CUES = 3;
/** The most a weak signal scores when the reply answers anyway (below the default threshold). */
const DELIVERED_CAP = 0.45;
/** How much a second, independent signal adds (a fraction of what is left to 1). */
const SUPPORT = 0.5;

/**
 * The response's score from its sentences' signals: the strongest signal decides (and its
 * sentence is the one reported); a weak one is moved by what the rest of the response does
 * (deflect or answer); a second signal in another sentence adds some confidence.
 */
export function scoreSignals(text: string, signals: readonly Signal[]): Classification {
  if (signals.length === 0) return { score: NO_SIGNAL_SCORE, sentence: null };
  let best = signals[0];
  for (const s of signals) if (s.weight > best.weight) best = s;
  let score = best.weight;
  let cap = 0.995;
  if (!STRONG.has(best.kind)) {
    const cues = responseCues(text, best.span.start, best.span.end);
    score += DEFLECTION_STEP * Math.min(cues.deflections, MAX_CUES) - ANSWER_STEP * Math.min(cues.answers, MAX_CUES);
    // A disclaimer with a list or code after it, or after a direct "No, ...": the reply gives what
    // was asked. Not for an apology: "Sorry, ... Here are some other places to look: ..." redirects.
    if (cues.delivered && best.kind !== 'apology') cap = DELIVERED_CAP;
  }
  let support = 0;
  for (const s of signals) {
    if (s === best || s.span === best.span || s.kind === best.kind) continue;
    if (s.weight > support) support = s.weight;
  }
  score += (1 - score) * SUPPORT * support;
  return { score: Math.min(cap, Math.max(NO_SIGNAL_SCORE, score)), sentence: { start: best.span.start, end: best.span.end } };
}
