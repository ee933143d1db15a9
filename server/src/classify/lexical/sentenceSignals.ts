import type { TextSpan } from '../detector';
import { isNonDecliningApology, isNotTheSpeakerRefusing, isReported } from './guards';
import { INSTEAD, PATTERNS, SEARCH_ELSEWHERE, type Pattern, type SignalKind } from './patterns';
import { ADVICE_OBJECT, ADVICE_VERB, CATEGORY_OBJECT, LIMITATION_OBJECT, OPINION_OBJECT, STANCE_VERBS } from './vocabulary';
import type { QuotedRegions } from './quotedRegions';

/** One piece of evidence: what kind, how strong, in which sentence. */
export interface Signal {
  kind: SignalKind;
  weight: number;
  span: TextSpan;
  /** The pattern's name, for development and debugging. */
  pattern: string;
}

/** "with that", "this request", "your request": the refusal names the request itself. */
const NAMES_THE_REQUEST = /^\s*(?:you\s+)?(?:with\s+|on\s+|to\s+)?(?:that|this|it|your\s+request|this\s+request|that\s+request|the\s+request|such|this\s+one|that\s+one|you\s+with\s+(?:that|this))\b/i;

/** "... not programmed to have/hold ...": what it lacks, not what it declines. */
const TO_HAVE = /^\s*to\s+(?:have|hold|form|possess|harbou?r)\b/i;

/** "... not my place to speculate", "... not appropriate for me to take sides": a stance declined, not the request. */
const TO_TAKE_A_STANCE = new RegExp(`^\\s*(?:${STANCE_VERBS}|speak\\s+(?:for|on\\s+behalf))\\b`, 'i');

/** Verbs of approving: declining them states a principle. */
const MORAL_VERB = /^(?:condon|endors|promot|encourag|support|glorif|justif)/i;

/** Softeners that come with refusals: "Unfortunately, I can't", "I'm afraid I can't". */
const REGRET = /\b(?:unfortunately|regrettably|I['\u2019]m\s+afraid|I\s+am\s+afraid|sorry|apologi[sz]e|apologies)\b/i;

/** Apologies and AI self-references are openings: later in a response they say much less. */
const OPENING_CHARS = 240;
/** Evidence this far into a response is weighed down: long answers mention refusals in passing. */
const LATE_CHARS = 600;
/** Professional advice declined: between a limitation and a refusal (see ADVICE_OBJECT). */
const ADVICE_WEIGHT = 0.4;
/** "Try Google Search" replaces the answer when at most this much comes before it. */
const SEARCH_LEAD_CHARS = 200;

/**
 * Appends the signals of one sentence to `out`. `start` is where the response's text starts
 * (its first non-space character), to tell an opening apology from one further on.
 */
export function sentenceSignals(text: string, span: TextSpan, start: number, quoted: QuotedRegions | null, out: Signal[]): void {
  const sentence = text.slice(span.start, span.end);
  const late = span.start - start > LATE_CHARS;
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(sentence)) !== null) {
      const at = m.index;
      const end = at + m[0].length;
      if (!quoted?.contains(span.start + at) && !guarded(p, sentence, at, end)) {
        const s = weigh(p, m, text, sentence, span, start);
        if (s) {
          if (late) s.weight *= s.kind === 'refusal' || s.kind === 'policy' ? 0.95 : 0.8;
          out.push(s);
          break; // one signal per pattern and sentence
        }
      }
      if (p.re.lastIndex === at) p.re.lastIndex++;
    }
  }
}

function guarded(p: Pattern, sentence: string, at: number, end: number): boolean {
  return p.firstPerson ? isNotTheSpeakerRefusing(sentence, at, end) : isReported(sentence, at, end);
}

function weigh(p: Pattern, m: RegExpExecArray, text: string, sentence: string, span: TextSpan, start: number): Signal | null {
  let kind = p.kind;
  let weight = p.weight;
  const rest = sentence.slice(m.index + m[0].length, m.index + m[0].length + 60);
  // "I can't provide personal opinions", "I'm not programmed to have opinions": a disclaimer.
  if ((kind === 'refusal' && m.groups?.verb !== undefined) || (kind === 'policy' && TO_HAVE.test(rest))) {
    if (OPINION_OBJECT.test(rest)) return { kind: 'opinion', weight: 0.45, span, pattern: p.name };
  }
  // "It is not my place to speculate", "not appropriate for me to take sides": a stance declined.
  if (p.name === 'not appropriate for me' && TO_TAKE_A_STANCE.test(rest)) return { kind: 'opinion', weight: 0.55, span, pattern: p.name };
  if (kind === 'refusal' && m.groups?.verb !== undefined) {
    // "I can't give medical advice", "I can't diagnose this": professional advice declined.
    if (ADVICE_OBJECT.test(rest) || ADVICE_VERB.test(m.groups.verb)) return { kind: 'limitation', weight: ADVICE_WEIGHT, span, pattern: 'declines professional advice' };
    // "I can't provide real-time data" is a limitation.
    if (LIMITATION_OBJECT.test(rest)) return { kind: 'limitation', weight: 0.35, span, pattern: p.name };
    // "I can't condone the act of ...", "I cannot promote discrimination": a principle stated, not
    // the request declined (unless it names it: "I can't promote that").
    if (MORAL_VERB.test(m.groups.verb) && !NAMES_THE_REQUEST.test(rest)) {
      kind = 'judgement';
      weight = 0.72;
    }
    if (CATEGORY_OBJECT.test(rest)) {
      kind = 'judgement';
      weight = 0.72;
    }
    if (NAMES_THE_REQUEST.test(rest)) weight = Math.max(weight, 0.97);
  }
  if (kind === 'refusal' || kind === 'policy' || kind === 'judgement') {
    if (REGRET.test(sentence) && !isNonDecliningApology(sentence)) weight = Math.max(weight, kind === 'judgement' ? 0.85 : 0.97);
  }
  const opening = span.start - start <= OPENING_CHARS;
  if (p.openingOnly && !opening) return null;
  if (kind === 'apology') {
    if (isNonDecliningApology(sentence)) return null;
    if (!opening) weight = 0.45;
  }
  if (kind === 'identity' && !opening) weight = 0.2;
  // "I'd recommend consulting a lawyer instead": the pointer replaces the answer.
  if (kind === 'redirect' && INSTEAD.test(sentence)) weight = 0.7;
  // Gemini's "... try Google Search.": a pointer to a search engine with next to nothing before it.
  if (kind === 'redirect' && span.start - start <= SEARCH_LEAD_CHARS && SEARCH_ELSEWHERE.test(sentence) && !/\d/.test(text.slice(start, span.start))) weight = 0.7;
  if (kind === 'limitation' && REGRET.test(sentence) && !isNonDecliningApology(sentence)) {
    kind = 'apology';
    weight = 0.72;
  }
  return { kind, weight, span, pattern: p.name };
}
