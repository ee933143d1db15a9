import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A report file written through a temporary sibling and renamed into place when complete, so a
 * crash or Ctrl-C never leaves a half-written report under the requested name.
 */
export class AtomicFile {
  readonly stream: fs.WriteStream;
  private readonly temp: string;
  private settled = false;

  constructor(readonly target: string) {
    this.temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    this.stream = fs.createWriteStream(this.temp, { flags: 'wx' });
  }

  private async closeStream(): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }

  async commit(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.closeStream();
    await fs.promises.rename(this.temp, this.target);
  }

  /** Removes the temporary file; safe to call from a signal handler path, and twice. */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.stream.destroy();
    await fs.promises.rm(this.temp, { force: true });
  }

  discardSync(): void {
    if (this.settled) return;
    this.settled = true;
    this.stream.destroy();
    fs.rmSync(this.temp, { force: true });
  }
}
