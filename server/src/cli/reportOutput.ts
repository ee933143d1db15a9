import * as fs from 'node:fs';
import { AtomicFile } from '../reports/atomicFile';
import { Output } from '../reports/output';
import { UsageError } from './args';
import { EXIT_GATE, EXIT_OK, type CliIo } from './exitCodes';

/**
 * --output must not name a file the command reads: the report would replace the results it was
 * made from. Compared as files on disk (whatever the spelling, case or links).
 */
export function refuseOverwritingInputs(outputPath: string | undefined, inputs: readonly string[]): void {
  const out = outputPath ? statOrNull(outputPath) : null;
  if (!out) return;
  const same = (f: string) => {
    const s = statOrNull(f);
    return s !== null && s.ino === out.ino && s.dev === out.dev;
  };
  if (inputs.some(same)) throw new UsageError(`--output ${outputPath} is one of the files read: the report must go to another file`);
}

/** bigint: NTFS file ids do not fit a double. */
function statOrNull(p: string): fs.BigIntStats | null {
  try {
    return fs.statSync(p, { bigint: true });
  } catch {
    return null;
  }
}

/**
 * How scan and diff deliver a report, and their gate: `write` writes the report to `out` and
 * returns why the gate trips (nothing: it does not). The report goes to stdout, or with --output
 * through a temporary file renamed into place once complete (a failure or Ctrl-C leaves nothing).
 */
export async function deliverReport(outputPath: string | undefined, format: string, io: CliIo, write: (out: Output) => Promise<string[]>): Promise<number> {
  const target = outputPath ? new AtomicFile(outputPath) : null;
  try {
    await target?.opened();
    const out = new Output(target ? target.stream : (io.stdout as never));
    const failures = await write(out);
    await out.flush();
    await target?.commit();
    if (target) io.stderr.write(`refusal-lens: wrote ${format} report to ${outputPath}\n`);
    if (failures.length > 0) {
      io.stderr.write(`refusal-lens: gate tripped: ${failures.join('; ')}\n`);
      return EXIT_GATE;
    }
    return EXIT_OK;
  } catch (e) {
    await target?.discard();
    throw e;
  }
}
