import { collectVerdicts } from '../engine/collect';
import { DIFF_KEYS, diffRuns, type DiffKey } from '../engine/diff';
import { writeDiffReport } from '../reports/diffReport';
import { displayPath, REPORT_FORMATS } from '../reports/reportFactory';
import { choiceOption, parseArgs, stringOption, UsageError, type OptionSpecs } from './args';
import { detectorRequestFrom, openDetector } from './detectorArgs';
import { EXIT_GATE, EXIT_OK, type CliIo } from './exitCodes';
import { deliverReport, refuseOverwritingInputs } from './reportOutput';
import { SCAN_OPTIONS, scanSettingsFrom } from './scanCommand';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DIFF_OPTIONS: OptionSpecs = {
  ...Object.fromEntries(Object.entries(SCAN_OPTIONS).filter(([k]) => !['fail-above', 'fail-on'].includes(k))),
  key: { type: 'string' },
  'fail-on-new-refusals': { type: 'boolean' },
};

export const DIFF_HELP = `Usage: refusal-lens diff OLD NEW [options]

Compares two runs of the same prompts: newly refused, newly answered, still refused, and the
refusal rate per model before and after.

Options:
  --key prompt|id|prompt+model   how responses are matched (default prompt; id = same record and field)
  --fail-on-new-refusals         exit ${EXIT_GATE} when any prompt answered in OLD is refused in NEW
  --format F                     ${REPORT_FORMATS.join(' | ')} (default table)
  -o, --output FILE              write the report to FILE (atomically)
  --detector, --model, --mode, --max-tokens, --precision, --threads, --threshold, --field,
  --input-format, --expect-field, --expect-answer, --max-file-mb, --debug
                                 as for scan`;

export async function diffCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, DIFF_OPTIONS);
  if (args.options.help) {
    io.stdout.write(`${DIFF_HELP}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length !== 2) throw new UsageError('diff needs exactly two files: OLD NEW');
  const [oldPath, newPath] = args.positionals.map((p) => path.resolve(p));
  for (const p of [oldPath, newPath]) {
    if (!fs.existsSync(p) || fs.statSync(p).isDirectory()) throw new UsageError(`not a file: ${displayPath(p)}`);
  }
  const key = (choiceOption(args, 'key', DIFF_KEYS) ?? 'prompt') as DiffKey;
  const format = choiceOption(args, 'format', REPORT_FORMATS) ?? 'table';
  const settings = scanSettingsFrom(args);
  const request = detectorRequestFrom(args);
  refuseOverwritingInputs(stringOption(args, 'output'), [oldPath, newPath]);

  const { detector } = await openDetector(request, io);
  try {
    return await deliverReport(stringOption(args, 'output'), format, io, async (out) => {
      const oldRun = await collectVerdicts(oldPath, detector, settings, signal);
      const newRun = await collectVerdicts(newPath, detector, settings, signal);
      for (const run of [oldRun, newRun]) {
        for (const e of run.errors) io.stderr.write(`refusal-lens: ${displayPath(run.path)}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}\n`);
      }
      const diff = diffRuns(oldRun.verdicts, newRun.verdicts, key);
      writeDiffReport(format, diff, out, { oldPath, newPath, key, display: (p) => displayPath(p), root: process.cwd() });
      return args.options['fail-on-new-refusals'] && diff.newlyRefused.length > 0 ? [`${diff.newlyRefused.length} newly refused`] : [];
    });
  } finally {
    await detector.dispose();
  }
}
