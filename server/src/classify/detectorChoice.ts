import type { Detector } from './detector';
import { LexicalDetector } from './lexical/lexicalDetector';

export type DetectorPreference = 'lexical' | 'model' | 'auto';

export interface DetectorChoice {
  detector: Detector;
  /** Why the detector in use is not the one asked for (shown once: stderr, status bar). */
  notice: string | null;
}

export class DetectorUnavailableError extends Error {}

/**
 * The one place that decides which detector runs: the model when asked for and available,
 * the lexical detector otherwise (with a notice saying why). `model` fails when no model can be had.
 */
export async function chooseDetector(preference: DetectorPreference): Promise<DetectorChoice> {
  if (preference === 'lexical') return { detector: new LexicalDetector(), notice: null };
  const reason = 'the model detector is not available in this build';
  if (preference === 'model') throw new DetectorUnavailableError(`No model: ${reason}`);
  return { detector: new LexicalDetector(), notice: `Using the lexical detector: ${reason}` };
}
