import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * A report file written through a temporary sibling and renamed into place when complete, so a
 * crash or Ctrl-C never leaves a half-written report under the requested name.
 */
export class AtomicFile {
  readonly stream: fs.WriteStream;
  private readonly temp: string;
  private settled = false;
  /** An exit before commit or discard (a second Ctrl-C, process.exit) still removes the temporary file. */
  private readonly removeOnExit = () => {
    try {
      // closed first: Windows does not remove an open file
      const { fd } = this.stream as unknown as { fd: number | null };
      if (typeof fd === 'number') fs.closeSync(fd);
      fs.rmSync(this.temp, { force: true });
    } catch {
      // exiting: nothing more to do
    }
  };

  constructor(readonly target: string) {
    this.temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    this.stream = fs.createWriteStream(this.temp, { flags: 'wx' });
    // A file that cannot be created or written fails Output.flush() and commit(); without a
    // listener the stream's 'error' event would be an uncaught exception (a crash of the CLI or the server).
    this.stream.on('error', () => {});
    process.on('exit', this.removeOnExit);
  }

  /** Resolves once the temporary file is created; rejects, saying which report, when it cannot be. */
  async opened(): Promise<void> {
    try {
      if (this.stream.errored) throw this.stream.errored;
      if (this.stream.pending) await once(this.stream, 'ready');
    } catch (e) {
      throw await this.failed(e);
    }
  }

  /** Closes the temporary file and renames it into place; when that fails, nothing is left behind. */
  async commit(): Promise<void> {
    if (this.settled) return;
    try {
      this.stream.end();
      await finished(this.stream);
      await fs.promises.rename(this.temp, this.target);
      this.settled = true;
      process.off('exit', this.removeOnExit);
    } catch (e) {
      throw await this.failed(e);
    }
  }

  private async failed(e: unknown): Promise<Error> {
    await this.discard();
    return new Error(`cannot write ${this.target}: ${(e as Error).message}`, { cause: e });
  }

  /** Removes the temporary file; safe to call twice, and after a failed commit. */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.stream.destroy();
    await fs.promises.rm(this.temp, { force: true });
    process.off('exit', this.removeOnExit);
  }
}
