import type { Classification, ClassifyOptions, Detector } from '../detector';
import { throwIfCancelled } from '../detector';
import { sentenceSpans } from '../sentences';

// Placeholder patterns: the real detector replaces this file.
const REFUSAL = /\b(I'm sorry|I am sorry|I apologi[sz]e)\b.*\b(can(?:no|')t|unable|won't)\b|\bI (?:can(?:no|')t|won't|must decline)\b.*\b(help|assist|provide|comply)\b/i;

/** The offline detector: sentence-aware refusal patterns, no model needed. */
export class LexicalDetector implements Detector {
  readonly kind = 'lexical' as const;
  readonly name = 'lexical';

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    const out: Classification[] = [];
    for (let i = 0; i < texts.length; i++) {
      if (i % 1000 === 0) throwIfCancelled(options.signal);
      out.push(classifyText(texts[i]));
    }
    options.onProgress?.(texts.length, texts.length);
    return out;
  }

  async dispose(): Promise<void> {}
}

export function classifyText(text: string): Classification {
  for (const s of sentenceSpans(text)) {
    if (REFUSAL.test(text.slice(s.start, s.end))) return { score: 0.95, sentence: s };
  }
  return { score: 0.05, sentence: null };
}
