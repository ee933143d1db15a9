import * as fs from 'node:fs';

/**
 * A one-line progress bar on stderr, only when stderr is a terminal: files, bytes read (the ETA
 * comes from bytes, which every format has, even a JSONL file whose record count is unknown until
 * its end), responses and responses/s.
 */
export class ProgressLine {
  private readonly tty: boolean;
  private fileIndex = 0;
  private count = 0;
  private readonly started = Date.now();
  private last = 0;
  private name = '';
  private doneBefore = 0;
  private currentDone = 0;
  private currentTotal = 0;
  /** Bytes of the current file before the chunk being classified, and that chunk's share done. */
  private chunkStart = 0;
  private chunkFraction = 1;
  private chunkClassified = 0;
  private readonly totalBytes: number;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly files: readonly string[],
  ) {
    this.tty = Boolean((stream as NodeJS.WriteStream).isTTY);
    this.totalBytes = this.tty ? files.reduce((n, f) => n + sizeOf(f), 0) : 0;
  }

  file(name: string): void {
    this.doneBefore += this.currentTotal;
    this.currentDone = 0;
    this.currentTotal = 0;
    this.chunkStart = 0;
    this.chunkFraction = 1;
    this.fileIndex++;
    this.name = name;
    this.render(true);
  }

  bytes(done: number, total: number): void {
    this.chunkStart = this.currentDone;
    this.currentDone = done;
    this.currentTotal = total;
    this.chunkFraction = 0;
    this.chunkClassified = 0;
    this.render(false);
  }

  /** Within a chunk: its bytes count as done in proportion to its responses classified. */
  classified(done: number, total: number): void {
    this.chunkClassified = done;
    this.chunkFraction = total > 0 ? done / total : 1;
    this.render(false);
  }

  responses(n: number): void {
    this.count += n;
    this.chunkClassified = 0;
    this.chunkFraction = 1;
    this.render(false);
  }

  private render(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const doneBytes = Math.round(this.doneBefore + this.chunkStart + (this.currentDone - this.chunkStart) * this.chunkFraction);
    const count = this.count + this.chunkClassified;
    const fraction = this.totalBytes > 0 ? Math.min(1, doneBytes / this.totalBytes) : 0;
    const rate = secs > 0.5 ? count / secs : 0;
    const eta = fraction > 0.01 && secs > 1 ? formatDuration((secs / fraction) * (1 - fraction)) : '?';
    const width = (this.stream as NodeJS.WriteStream).columns ?? 80;
    const barWidth = 20;
    const filled = Math.round(fraction * barWidth);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
    const text = `${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(doneBytes)}/${formatBytes(this.totalBytes)}  ${count.toLocaleString('en')} responses  ${rate.toLocaleString('en', { maximumFractionDigits: rate < 10 ? 1 : 0 })}/s  ETA ${eta}  [${this.fileIndex}/${this.files.length}] ${this.name}`;
    this.stream.write(`\r\x1b[K${text.slice(0, width - 1)}`);
  }

  done(): void {
    if (this.tty) this.stream.write('\r\x1b[K');
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(0)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
