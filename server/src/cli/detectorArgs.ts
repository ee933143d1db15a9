import { chooseDetector, type DetectorChoice, type DetectorOptions, type DetectorPreference } from '../classify/detectorChoice';
import { PRECISIONS } from '../classify/model/int8Model';
import { choiceOption, numberOption, stringOption, type ParsedArgs } from './args';
import type { CliIo } from './exitCodes';
import { int8ProgressPrinter } from './int8Progress';
import { packageModelsDir, userCacheDir } from './modelLocations';

/** The detector scan and diff are asked for: --detector and the model options, validated. */
export interface DetectorRequest {
  preference: DetectorPreference;
  options: DetectorOptions;
}

/** Validates the detector options (before any slow work, so a usage error comes at once). */
export function detectorRequestFrom(args: ParsedArgs): DetectorRequest {
  const options: DetectorOptions = {
    modelPath: stringOption(args, 'model') ?? null,
    modelsDir: packageModelsDir(),
    cacheDir: userCacheDir(),
    mode: choiceOption(args, 'mode', ['full', 'sentence'] as const),
    maxTokens: numberOption(args, 'max-tokens', (n) => Number.isInteger(n) && n >= 8 && n <= 512, 'an integer from 8 to 512'),
    threads: threadsOption(args),
    context: 'cli',
    precision: choiceOption(args, 'precision', PRECISIONS) ?? 'auto',
  };
  // A model folder named on the command line is meant to be used: failing to load it is an error, not a fallback.
  const preference = choiceOption(args, 'detector', ['lexical', 'model', 'auto'] as const) ?? (options.modelPath ? 'model' : 'auto');
  return { preference, options };
}

/** --threads: inference threads (scan, diff, model download and quantize). */
export function threadsOption(args: ParsedArgs): number | undefined {
  return numberOption(args, 'threads', (n) => Number.isInteger(n) && n >= 1 && n <= 256, 'an integer from 1 to 256');
}

/** Loads the detector (the int8 preparation shown on stderr) and says on stderr why it is not the one asked for. */
export async function openDetector(request: DetectorRequest, io: CliIo): Promise<DetectorChoice> {
  const choice = await chooseDetector(request.preference, { ...request.options, onPrecisionStep: int8ProgressPrinter(io.stderr) });
  if (choice.notice) io.stderr.write(`refusal-lens: ${choice.notice}\n`);
  return choice;
}
