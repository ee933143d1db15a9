import type { Writable } from 'node:stream';

/** Text written in pieces to a stream, waiting when the stream asks (a 1 GB report must not pile up in memory). */
export class Output {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  write(s: string): void {
    this.pending.push(s);
    this.size += s.length;
  }

  /** Hands what is buffered to the stream, and waits if the stream is full; throws once the stream has failed. */
  async flush(): Promise<void> {
    // a failed stream takes no more writes and never drains: waiting on it would hang the scan
    if (this.stream.destroyed) throw this.stream.errored ?? new Error('the report output was closed');
    if (this.size === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error | null) => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', closed);
          err ? reject(err) : resolve();
        };
        const closed = () => done(this.stream.errored ?? new Error('the report output was closed'));
        this.stream.on('drain', done);
        this.stream.on('error', done);
        this.stream.on('close', closed);
      });
    }
  }
}
