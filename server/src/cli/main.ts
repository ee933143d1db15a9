import { CancelledError } from '../classify/detector';
import { DetectorUnavailableError } from '../classify/detectorChoice';
import { UsageError } from './args';
import { EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, type CliIo } from './exitCodes';
import { scanCommand, SCAN_HELP } from './scanCommand';
import { diffCommand } from './diffCommand';
import { modelCommand } from './modelCommand';
import { toolVersion } from '../reports/toolInfo';

const HELP = `Usage: refusal-lens <command> [options]

Commands:
  scan <files, folders or globs...>   find refusals and report them
  diff OLD NEW                        compare two runs: newly refused, newly answered, rates
  model download|status|path|quantize get the classifier model, see which one is used, make its int8 version

Run 'refusal-lens <command> --help' for a command's options.

${SCAN_HELP}`;

export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }, signal?: AbortSignal): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io, signal);
      case 'diff':
        return await diffCommand(rest, io, signal);
      case 'model':
        return await modelCommand(rest, io, signal);
      case '--version':
      case '-v':
        io.stdout.write(`${toolVersion()}\n`);
        return EXIT_OK;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${HELP}\n`);
        return command === undefined ? EXIT_ERROR : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}" (try: refusal-lens --help)`);
    }
  } catch (e) {
    if (e instanceof CancelledError) {
      io.stderr.write('refusal-lens: interrupted\n');
      return EXIT_CANCELLED;
    }
    if (e instanceof UsageError || e instanceof DetectorUnavailableError) io.stderr.write(`refusal-lens: ${e.message}\n`);
    else if (debug) io.stderr.write(`refusal-lens: ${(e as Error).stack ?? String(e)}\n`);
    else io.stderr.write(`refusal-lens: ${(e as Error).message ?? String(e)} (run with --debug for details)\n`);
    return EXIT_ERROR;
  }
}

/** Process entry: Ctrl-C cancels the scan between batches (a second Ctrl-C exits at once). */
export function runAsProcess(): void {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    controller.abort();
  });
  // EPIPE (output piped into `head`) is not an error worth a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
  });
  main(process.argv.slice(2), undefined, controller.signal).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runAsProcess();
