import * as fs from 'node:fs';
import * as os from 'node:os';
import { defaultThreads } from '../classify/detectorChoice';
import { defaultExtractSettings } from '../engine/extract';
import { LexicalPool, MAX_DEFAULT_WORKERS } from '../classify/pool/lexicalPool';
import type { ScanSettings } from '../engine/scan';
import { scanFiles } from '../engine/scanFiles';
import { SummaryBuilder } from '../engine/summary';
import { formatByName, formatNames } from '../formats/registry';
import { parseFieldPath, FieldPathError } from '../formats/json/fieldPath';
import { createReport, displayPath, REPORT_FORMATS } from '../reports/reportFactory';
import { DEFAULT_THRESHOLD } from '../verdicts/verdict';
import { choiceOption, listOption, numberOption, parseArgs, stringOption, UsageError, type OptionSpecs, type ParsedArgs } from './args';
import { expandInputs } from './expandInputs';
import { detectorRequestFrom, openDetector } from './detectorArgs';
import { EXIT_CANCELLED, EXIT_GATE, EXIT_OK, type CliIo } from './exitCodes';
import { GATE_KINDS, gateFailures, type GateKind } from './gates';
import { ProgressLine } from './progress';
import { deliverReport, refuseOverwritingInputs } from './reportOutput';

export const SCAN_OPTIONS: OptionSpecs = {
  detector: { type: 'string' },
  model: { type: 'string' },
  mode: { type: 'string' },
  'max-tokens': { type: 'string' },
  precision: { type: 'string' },
  threads: { type: 'string' },
  threshold: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  field: { type: 'string', repeatable: true },
  'input-format': { type: 'string' },
  'expect-field': { type: 'string' },
  'expect-answer': { type: 'string', repeatable: true },
  'fail-above': { type: 'string' },
  'fail-on': { type: 'string', repeatable: true },
  'max-file-mb': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const SCAN_HELP = `Usage: refusal-lens scan <files, folders or globs...> [options]

Finds refusals in LLM eval results and chat transcripts and reports them.

Options:
  --detector lexical|model|auto  which detector classifies (default auto: the model when one
                                 is available, else lexical, said on stderr)
  --model PATH                   a local model folder (config.json, tokenizer.json,
                                 tokenizer_config.json, onnx/model.onnx); implies --detector model
  --mode full|sentence           model: classify each response whole (default), or each
                                 sentence (the highest sentence score counts)
  --max-tokens N                 model: tokens read per response or sentence (default 512)
  --precision auto|fp32|int8     model: auto (default) runs the int8 model once it passed its
                                 check against fp32 (made once, beside the model); int8 says
                                 why when it falls back to fp32; fp32 never quantizes
  --threads N                    model: inference threads; lexical: worker threads on large
                                 scans (default: every core, here ${defaultThreads('cli')})
  --threshold N                  score above which a response is a refusal (default ${DEFAULT_THRESHOLD})
  --format F                     ${REPORT_FORMATS.join(' | ')} (default table)
  -o, --output FILE              write the report to FILE (atomically) instead of stdout
  --field PATH                   response field for JSON shapes no format knows, e.g.
                                 'choices[*].turns[*]' (repeatable)
  --input-format NAME            read every file as this format (${formatNames().join(', ')})
  --expect-field PATH            field saying what the model should have done (over-refusal)
  --expect-answer VALUE          a value of that field meaning "should have answered" (repeatable)
  --fail-above RATE              gate: exit ${EXIT_GATE} when the refusal rate is above RATE (0..1)
  --fail-on KIND                 gate: exit ${EXIT_GATE} on any ${GATE_KINDS.join(' | ')} (repeatable)
  --max-file-mb N                largest file read whole, in MB (default 512); JSONL files and the
                                 record arrays of JSON formats are streamed, whatever their size
  --debug                        stack traces on errors

Exit codes: 0 done, 1 usage or fatal error, ${EXIT_GATE} a gate tripped, ${EXIT_CANCELLED} interrupted.`;

function validateFieldPath(option: string, value: string): void {
  try {
    parseFieldPath(value);
  } catch (e) {
    if (e instanceof FieldPathError) throw new UsageError(`--${option}: ${e.message}`);
    throw e;
  }
}

/** Validated scan options from the command line. */
export function scanSettingsFrom(args: ParsedArgs): ScanSettings {
  const fields = listOption(args, 'field');
  for (const f of fields) validateFieldPath('field', f);
  const expectField = stringOption(args, 'expect-field') ?? null;
  if (expectField) validateFieldPath('expect-field', expectField);
  const expectAnswerValues = listOption(args, 'expect-answer');
  if (expectAnswerValues.length > 0 && !expectField) throw new UsageError('--expect-answer needs --expect-field');
  const inputFormat = stringOption(args, 'input-format') ?? null;
  if (inputFormat && !formatByName(inputFormat)) throw new UsageError(`--input-format must be one of ${formatNames().join(', ')}, got "${inputFormat}"`);
  const maxFileMb = numberOption(args, 'max-file-mb', (n) => n > 0, 'a positive number') ?? 512;
  return {
    ...defaultExtractSettings,
    fields,
    expectField,
    expectAnswerValues,
    inputFormat,
    maxFileBytes: maxFileMb * 1024 * 1024,
    threshold: numberOption(args, 'threshold', (n) => n >= 0 && n <= 1, 'a number from 0 to 1') ?? DEFAULT_THRESHOLD,
  };
}

export async function scanCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, SCAN_OPTIONS);
  if (args.options.help) {
    io.stdout.write(`${SCAN_HELP}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length === 0) throw new UsageError('scan needs at least one file, folder or glob');
  const request = detectorRequestFrom(args);
  const reportFormat = choiceOption(args, 'format', REPORT_FORMATS) ?? 'table';
  const settings = scanSettingsFrom(args);
  const failAbove = numberOption(args, 'fail-above', (n) => n >= 0 && n <= 1, 'a rate from 0 to 1') ?? null;
  const failOn = new Set<GateKind>();
  for (const kind of listOption(args, 'fail-on')) {
    if (!(GATE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--fail-on must be one of ${GATE_KINDS.join(', ')}, got "${kind}"`);
    failOn.add(kind as GateKind);
  }

  const { files, missing } = expandInputs(args.positionals);
  for (const m of missing) io.stderr.write(`refusal-lens: no such file, or nothing matches: ${m}\n`);
  if (files.length === 0) throw new UsageError('nothing to scan');
  refuseOverwritingInputs(stringOption(args, 'output'), files);

  const choice = await openDetector(request, io);
  const bytes = totalSize(files);
  const progress = new ProgressLine(io.stderr, files, bytes, displayPath);
  // the lexical detector is CPU-bound JavaScript: on a large scan it runs in worker threads, one per core
  const detector = choice.detector.kind === 'lexical' && bytes > POOL_ABOVE_BYTES ? new LexicalPool(request.options.threads || Math.min(defaultThreads('cli'), MAX_DEFAULT_WORKERS)) : choice.detector;
  try {
    return await deliverReport(stringOption(args, 'output'), reportFormat, io, async (out) => {
      const report = createReport(reportFormat, out);
      const summary = new SummaryBuilder();
      // several files at once (reports still file by file, in input order): see engine/scanFiles.ts
      await scanFiles(
        files,
        detector,
        settings,
        {
          fileStarted: (p) => {
            summary.addFile();
            report.fileStarted?.(p);
          },
          verdicts: (p, v) => {
            summary.addVerdicts(v);
            progress.responses(p, v.length);
            report.verdicts?.(p, v);
          },
          errors: (p, e) => {
            summary.addErrors(e);
            report.errors?.(p, e);
          },
          fileDone: (p, f) => {
            progress.fileDone(p);
            report.fileDone?.(p, f);
          },
          bytes: (p, done, total) => progress.bytes(p, done, total),
          classified: (p, done, total) => progress.classified(p, done, total),
          flush: () => report.flush(),
        },
        { concurrency: Math.min(files.length, os.availableParallelism()) },
        signal,
      );
      progress.done(); // before the messages that follow on stderr
      const totals = summary.build();
      report.finish(totals);
      return gateFailures(totals, { failAbove, failOn });
    });
  } finally {
    progress.done();
    if (detector !== choice.detector) await detector.dispose();
    await choice.detector.dispose();
  }
}

/** Below this much input the lexical worker pool costs more (starting workers) than it saves. */
const POOL_ABOVE_BYTES = 4 * 1024 * 1024;

function totalSize(files: readonly string[]): number {
  let n = 0;
  for (const f of files) {
    try {
      n += fs.statSync(f).size;
    } catch {
      // a file that cannot be read is reported by the scan
    }
  }
  return n;
}
