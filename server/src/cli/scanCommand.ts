import * as path from 'node:path';
import { chooseDetector, type DetectorPreference } from '../classify/detectorChoice';
import { defaultExtractSettings } from '../engine/extract';
import { scanFile, type ScanSettings } from '../engine/scan';
import { SummaryBuilder } from '../engine/summary';
import { formatByName, formatNames } from '../formats/registry';
import { parseFieldPath, FieldPathError } from '../formats/json/fieldPath';
import { JsonReport } from '../reports/jsonReport';
import { Output } from '../reports/output';
import type { Report } from '../reports/report';
import { TableReport } from '../reports/tableReport';
import { DEFAULT_THRESHOLD } from '../verdicts/verdict';
import { choiceOption, listOption, numberOption, parseArgs, stringOption, UsageError, type OptionSpecs } from './args';
import { expandInputs } from './expandInputs';
import { ProgressLine } from './progress';

export const SCAN_OPTIONS: OptionSpecs = {
  detector: { type: 'string' },
  threshold: { type: 'string' },
  format: { type: 'string' },
  field: { type: 'string', repeatable: true },
  'input-format': { type: 'string' },
  'max-file-mb': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const SCAN_HELP = `Usage: refusal-lens scan <files, folders or globs...> [options]

Finds refusals in LLM eval results and chat transcripts and reports them.

Options:
  --detector lexical|model|auto  which detector classifies (default auto: the model when one
                                 is available, else lexical, said on stderr)
  --threshold N                  score above which a response is a refusal (default ${DEFAULT_THRESHOLD})
  --format table|json            report format (default table)
  --field PATH                   response field for JSON shapes no format knows, e.g.
                                 'choices[*].turns[*]' (repeatable)
  --input-format NAME            read every file as this format (${formatNames().join(', ')})
  --max-file-mb N                largest file read whole, in MB (default 512; JSONL streams)
  --debug                        stack traces on errors

Exit codes: 0 done, 1 usage or fatal error.`;

const REPORT_FORMATS = ['table', 'json'] as const;

export async function scanCommand(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const args = parseArgs(argv, SCAN_OPTIONS);
  if (args.options.help) {
    io.stdout.write(`${SCAN_HELP}\n`);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('scan needs at least one file, folder or glob');
  const preference = choiceOption(args, 'detector', ['lexical', 'model', 'auto'] as const) ?? 'auto';
  const threshold = numberOption(args, 'threshold', (n) => n >= 0 && n <= 1, 'a number from 0 to 1') ?? DEFAULT_THRESHOLD;
  const reportFormat = choiceOption(args, 'format', REPORT_FORMATS) ?? 'table';
  const fields = listOption(args, 'field');
  for (const f of fields) {
    try {
      parseFieldPath(f);
    } catch (e) {
      if (e instanceof FieldPathError) throw new UsageError(`--field: ${e.message}`);
      throw e;
    }
  }
  const inputFormat = stringOption(args, 'input-format') ?? null;
  if (inputFormat && !formatByName(inputFormat)) throw new UsageError(`--input-format must be one of ${formatNames().join(', ')}, got "${inputFormat}"`);
  const maxFileMb = numberOption(args, 'max-file-mb', (n) => n > 0, 'a positive number') ?? 512;

  const { files, missing } = expandInputs(args.positionals);
  for (const m of missing) io.stderr.write(`refusal-lens: no such file, or nothing matches: ${m}\n`);
  if (files.length === 0) throw new UsageError('nothing to scan');

  const choice = await chooseDetector(preference as DetectorPreference);
  if (choice.notice) io.stderr.write(`refusal-lens: ${choice.notice}\n`);
  const settings: ScanSettings = {
    ...defaultExtractSettings,
    fields,
    inputFormat,
    maxFileBytes: maxFileMb * 1024 * 1024,
    threshold,
  };
  const out = new Output(io.stdout as NodeJS.WritableStream & import('node:stream').Writable);
  const display = (p: string) => path.relative(process.cwd(), p) || p;
  const report: Report = reportFormat === 'json' ? new JsonReport(out, display) : new TableReport(out, display);
  const summary = new SummaryBuilder();
  const progress = new ProgressLine(io.stderr, files.length);
  try {
    for (const file of files) {
      summary.addFile();
      progress.file(display(file));
      await scanFile(file, choice.detector, settings, {
        fileStarted: (p) => report.fileStarted?.(p),
        verdicts: (p, v) => {
          summary.addVerdicts(v);
          progress.responses(v.length);
          report.verdicts?.(p, v);
        },
        errors: (p, e) => {
          summary.addErrors(e);
          report.errors?.(p, e);
        },
        fileDone: (p, f) => report.fileDone?.(p, f),
      });
      await report.flush();
    }
  } finally {
    progress.done();
    await choice.detector.dispose();
  }
  report.finish(summary.build());
  await report.flush();
  return 0;
}
