import type { DownloadProgress } from '../modelStore/download';

/**
 * Download progress on stderr: on a terminal one line redrawn in place (file, bar, bytes, rate,
 * ETA); otherwise plain lines, one when a file starts and one every 10% of the total.
 */
export class DownloadProgressDisplay {
  private readonly tty: boolean;
  private lastDraw = 0;
  private file = '';
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    this.tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  }

  update(p: DownloadProgress): void {
    if (this.tty) return this.draw(p);
    if (p.file !== this.file) {
      this.file = p.file;
      this.stream.write(`downloading ${p.file} (${formatBytes(p.fileBytesTotal)})\n`);
    }
    const tenth = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 10) : 10;
    if (tenth > this.lastTenth && tenth > 0) {
      this.lastTenth = tenth;
      const rate = p.bytesPerSecond > 0 ? `, ${formatBytes(p.bytesPerSecond)}/s` : '';
      this.stream.write(`  ${tenth * 10}% of ${formatBytes(p.bytesTotal)}${rate}\n`);
    }
  }

  private draw(p: DownloadProgress): void {
    const now = Date.now();
    if (now - this.lastDraw < 100 && p.bytesDone < p.bytesTotal) return;
    this.lastDraw = now;
    const fraction = p.bytesTotal > 0 ? Math.min(p.bytesDone / p.bytesTotal, 1) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const rate = p.bytesPerSecond > 0 ? `${formatBytes(p.bytesPerSecond)}/s` : '';
    const eta = p.bytesPerSecond > 0 ? `ETA ${formatDuration((p.bytesTotal - p.bytesDone) / p.bytesPerSecond)}` : '';
    const text = [p.file, bar, `${Math.floor(fraction * 100)}%`, `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`, rate, eta].filter(Boolean).join('  ');
    const columns = (this.stream as NodeJS.WriteStream).columns ?? 100;
    this.stream.write(`\r\x1b[K${text.slice(0, columns - 1)}`);
    this.drawn = true;
  }

  /** Clears the in-place line before anything else is written. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** Decimal units, as the Hugging Face hub shows sizes (329 MB). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
