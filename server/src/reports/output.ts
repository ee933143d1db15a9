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

  /** Hands what is buffered to the stream, and waits if the stream is full. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          err ? reject(err) : resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }
}
