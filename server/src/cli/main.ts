import { DetectorUnavailableError } from '../classify/detectorChoice';
import { UsageError } from './args';
import { scanCommand, SCAN_HELP } from './scanCommand';

declare const REFUSAL_LENS_VERSION: string | undefined;
const VERSION = typeof REFUSAL_LENS_VERSION === 'string' ? REFUSAL_LENS_VERSION : 'dev';

const HELP = `Usage: refusal-lens <command> [options]

Commands:
  scan <files, folders or globs...>   find refusals and report them

Run 'refusal-lens <command> --help' for a command's options.

${SCAN_HELP}`;

/** Exit codes (documented in README): 0 done, 1 usage or fatal error. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;

export async function main(argv: readonly string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
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
    if (e instanceof UsageError || e instanceof DetectorUnavailableError) io.stderr.write(`refusal-lens: ${e.message}\n`);
    else if (debug) io.stderr.write(`refusal-lens: ${(e as Error).stack ?? String(e)}\n`);
    else io.stderr.write(`refusal-lens: ${(e as Error).message ?? String(e)} (run with --debug for details)\n`);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  // EPIPE (output piped into `head`) is not an error worth a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
