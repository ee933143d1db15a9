import type { Classification, ClassifyOptions, Detector, TextSpan } from '../detector';
import { throwIfCancelled } from '../detector';
import { appendSentenceSpans, isSpace, lineEndAt, lineStartAt } from '../sentences';
import { TRIGGER } from './trigger';
import { mayQuote, QuotedRegions } from './quotedRegions';
import { NO_SIGNAL_SCORE, scoreSignals } from './scoring';
import { sentenceSignals, type Signal } from './sentenceSignals';

/** Texts classified between two looks at the clock, the cancellation signal and progress. */
const BATCH = 64;
/** Work this long (ms) without yielding to the event loop keeps a server from answering: yield. */
const SLICE_MS = 20;

/** The offline detector: sentence-aware refusal patterns, no model needed. */
export class LexicalDetector implements Detector {
  readonly kind = 'lexical' as const;
  readonly name = 'lexical';

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    const out: Classification[] = new Array(texts.length);
    let sliceStart = performance.now();
    throwIfCancelled(options.signal);
    for (let i = 0; i < texts.length; i++) {
      if (i > 0 && i % BATCH === 0) {
        options.onProgress?.(i, texts.length);
        if (performance.now() - sliceStart > SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        throwIfCancelled(options.signal);
      }
      out[i] = classifyText(texts[i]);
    }
    throwIfCancelled(options.signal);
    options.onProgress?.(texts.length, texts.length);
    return out;
  }

  async dispose(): Promise<void> {}
}

/**
 * Scores one text. Only the sentences holding a trigger word are segmented and matched, so a
 * text with none costs one regular-expression scan.
 */
export function classifyText(text: string): Classification {
  TRIGGER.lastIndex = 0;
  let hit = TRIGGER.exec(text);
  if (hit === null) return { score: NO_SIGNAL_SCORE, sentence: null };
  const candidates: TextSpan[] = [];
  const line: TextSpan[] = [];
  let lineEnd = -1;
  let k = 0;
  while (hit !== null) {
    const at = hit.index;
    if (at > lineEnd) {
      line.length = 0;
      k = 0;
      lineEnd = lineEndAt(text, at);
      appendSentenceSpans(text, lineStartAt(text, at), lineEnd, line);
    }
    while (k < line.length && line[k].end <= at) k++;
    if (k < line.length && line[k].start <= at) {
      candidates.push(line[k]);
      TRIGGER.lastIndex = line[k].end; // the rest of this sentence is matched as a whole
    } else {
      TRIGGER.lastIndex = at + Math.max(1, hit[0].length);
    }
    hit = TRIGGER.exec(text);
  }
  return classifySentences(text, candidates);
}

/** Scores a text from the given sentences of it (in order); classifyText passes those with trigger words. */
export function classifySentences(text: string, sentences: readonly TextSpan[]): Classification {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const quoted = sentences.length > 0 && mayQuote(text) ? new QuotedRegions(text) : null;
  const signals: Signal[] = [];
  for (const s of sentences) sentenceSignals(text, s, start, quoted, signals);
  return scoreSignals(text, signals);
}
