/** A one-line progress display on stderr, only when stderr is a terminal. */
export class ProgressLine {
  private readonly tty: boolean;
  private filesDone = 0;
  private count = 0;
  private readonly started = Date.now();
  private last = 0;
  private name = '';

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly totalFiles: number,
  ) {
    this.tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  }

  file(name: string): void {
    this.name = name;
    this.render(true);
    this.filesDone++;
  }

  responses(n: number): void {
    this.count += n;
    this.render(false);
  }

  private render(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? Math.round(this.count / secs) : 0;
    const width = (this.stream as NodeJS.WriteStream).columns ?? 80;
    const text = `[${Math.min(this.filesDone + 1, this.totalFiles)}/${this.totalFiles}] ${this.count} responses, ${rate}/s  ${this.name}`;
    this.stream.write(`\r\x1b[K${text.slice(0, width - 1)}`);
  }

  done(): void {
    if (this.tty) this.stream.write('\r\x1b[K');
  }
}
