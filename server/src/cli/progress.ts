interface FileProgress {
  index: number;
  /** Bytes read before the chunk being classified, and at its end. */
  chunkStart: number;
  chunkEnd: number;
  /** Share of the current chunk's responses classified (its bytes count in proportion). */
  fraction: number;
  classified: number;
  size: number;
  finished: boolean;
}

/**
 * A one-line progress bar on stderr, only when stderr is a terminal: bytes read (the ETA comes
 * from bytes, which every format has, even a JSONL file whose record count is unknown until its
 * end), responses and responses/s, and the file being reported. Several files may be read at
 * once: their bytes add up.
 */
export class ProgressLine {
  private readonly tty: boolean;
  private count = 0;
  private readonly started = Date.now();
  private last = 0;
  private readonly files = new Map<string, FileProgress>();
  /** Bytes of finished files. */
  private finishedBytes = 0;
  private cleared = false;

  /** `totalBytes`: the size of all the files together (the ETA's base). */
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly paths: readonly string[],
    private readonly totalBytes: number,
    private readonly label: (path: string) => string = (p) => p,
  ) {
    this.tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  }

  /** Bytes of a file read so far: a chunk read up to `done` is now being classified. */
  bytes(path: string, done: number, total: number): void {
    const f = this.file(path);
    if (f.finished) return;
    f.chunkStart = f.chunkEnd;
    f.chunkEnd = done;
    f.size = total;
    f.fraction = 0;
    f.classified = 0;
    this.render(false);
  }

  /** Within a chunk: its bytes count as done in proportion to its responses classified. */
  classified(path: string, done: number, total: number): void {
    const f = this.file(path);
    f.classified = done;
    f.fraction = total > 0 ? done / total : 1;
    this.render(false);
  }

  /** Responses reported (a chunk is complete). */
  responses(path: string, n: number): void {
    const f = this.file(path);
    this.count += n;
    f.classified = 0;
    f.fraction = 1;
    this.render(false);
  }

  fileDone(path: string): void {
    const f = this.file(path);
    if (f.finished) return;
    f.finished = true;
    this.finishedBytes += Math.max(f.size, f.chunkEnd);
    this.files.delete(path);
    this.render(true);
  }

  private file(path: string): FileProgress {
    let f = this.files.get(path);
    if (!f) {
      this.files.set(path, (f = { index: this.paths.indexOf(path), chunkStart: 0, chunkEnd: 0, fraction: 1, classified: 0, size: 0, finished: false }));
      this.render(true);
    }
    return f;
  }

  private render(force: boolean): void {
    if (!this.tty || this.cleared) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    let doneBytes = this.finishedBytes;
    let count = this.count;
    let shown: FileProgress | null = null;
    let shownPath = '';
    for (const [path, f] of this.files) {
      doneBytes += f.chunkStart + (f.chunkEnd - f.chunkStart) * f.fraction;
      count += f.classified;
      if (!shown || f.index < shown.index) {
        shown = f;
        shownPath = path;
      }
    }
    doneBytes = Math.round(doneBytes);
    const fraction = this.totalBytes > 0 ? Math.min(1, doneBytes / this.totalBytes) : 0;
    const rate = secs > 0.5 ? count / secs : 0;
    const eta = fraction > 0.01 && secs > 1 ? formatDuration((secs / fraction) * (1 - fraction)) : '?';
    const width = (this.stream as NodeJS.WriteStream).columns ?? 80;
    const barWidth = 20;
    const filled = Math.round(fraction * barWidth);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
    const where = shown ? `  [${shown.index + 1}/${this.paths.length}] ${this.label(shownPath)}` : '';
    const text = `${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(doneBytes)}/${formatBytes(this.totalBytes)}  ${count.toLocaleString('en')} responses  ${rate.toLocaleString('en', { maximumFractionDigits: rate < 10 ? 1 : 0 })}/s  ETA ${eta}${where}`;
    this.stream.write(`\r\x1b[K${text.slice(0, width - 1)}`);
  }

  /** Clears the line (once; nothing is drawn after). */
  done(): void {
    if (this.tty && !this.cleared) this.stream.write('\r\x1b[K');
    this.cleared = true;
  }
}

/** Binary units for the progress line (downloadProgress.ts has the hub's decimal ones for model sizes). */
function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(0)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
