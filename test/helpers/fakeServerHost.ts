import type { Diagnostic } from 'vscode-languageserver';
import type { Classification, ClassifyOptions, Detector } from '../../server/src/classify/detector';
import { throwIfCancelled } from '../../server/src/classify/detector';
import type { OpenDocument } from '../../server/src/lsp/documentTracker';
import type { Logger, ProgressHandle, ServerHost } from '../../server/src/lsp/serverHost';
import { describeError } from '../../server/src/lsp/serverHost';
import type { CompareProgress, DocumentStats, DownloadProgress, ScanProgress, ScanRows } from '../../server/src/shared/protocol';

/** The editor side of the language server, in memory: records what the server sends. */
export class FakeServerHost implements ServerHost {
  /** Every publishDiagnostics call, in order. */
  readonly published: Array<{ uri: string; diagnostics: Diagnostic[] }> = [];
  readonly stats: DocumentStats[] = [];
  readonly scanProgress: ScanProgress[] = [];
  readonly scanRows: ScanRows[] = [];
  readonly downloadProgress: DownloadProgress[] = [];
  readonly compareProgress: CompareProgress[] = [];
  readonly logs: Array<{ level: 'info' | 'warn' | 'error'; message: string }> = [];
  readonly progress: Array<{ title: string; reports: number; done: boolean }> = [];
  /** The `refusalLens` configuration per document URI ('' = the window's). */
  config: Record<string, unknown> = {};
  configurationRequests = 0;
  private readonly waiters: Array<{ test: (s: DocumentStats) => boolean; resolve: (s: DocumentStats) => void }> = [];

  readonly log: Logger = {
    info: (message) => this.logs.push({ level: 'info', message }),
    warn: (message) => this.logs.push({ level: 'warn', message }),
    error: (message, e) => this.logs.push({ level: 'error', message: e === undefined ? message : `${message}\n${describeError(e)}` }),
  };

  publishDiagnostics(uri: string, diagnostics: Diagnostic[]): void {
    this.published.push({ uri, diagnostics });
  }

  /** The diagnostics last published for a document. */
  diagnostics(uri: string): Diagnostic[] | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i].diagnostics;
    return undefined;
  }

  sendStats(stats: DocumentStats): void {
    this.stats.push(stats);
    for (const w of [...this.waiters]) {
      if (w.test(stats)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(stats);
      }
    }
  }

  /** The next stats (already sent or still to come) that pass the test. */
  waitForStats(test: (s: DocumentStats) => boolean): Promise<DocumentStats> {
    const seen = this.stats.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  lastStats(uri: string): DocumentStats | undefined {
    return this.stats.filter((s) => s.uri === uri).at(-1);
  }

  sendScanProgress(progress: ScanProgress): void {
    this.scanProgress.push(progress);
  }

  sendScanRows(rows: ScanRows): void {
    this.scanRows.push(rows);
  }

  sendDownloadProgress(progress: DownloadProgress): void {
    this.downloadProgress.push(progress);
  }

  sendCompareProgress(progress: CompareProgress): void {
    this.compareProgress.push(progress);
  }

  async configuration(uri: string | null): Promise<unknown> {
    this.configurationRequests++;
    return this.config[uri ?? ''] ?? this.config[''];
  }

  async startProgress(title: string): Promise<ProgressHandle> {
    const entry = { title, reports: 0, done: false };
    this.progress.push(entry);
    return { report: () => entry.reports++, done: () => (entry.done = true) };
  }
}

/** An open document whose text and version the test sets. */
export class FakeDocument implements OpenDocument {
  constructor(
    readonly uri: string,
    private text: string,
    readonly languageId = 'jsonl',
    readonly version = 1,
  ) {}

  getText(): string {
    return this.text;
  }

  /** The next version with new text (documents are immutable snapshots, as in the LSP library). */
  edit(text: string): FakeDocument {
    return new FakeDocument(this.uri, text, this.languageId, this.version + 1);
  }
}

/**
 * A detector whose answers wait until the test releases them (to hold an analysis in flight).
 * Scores: 0.9 for texts containing REFUSE, else 0.1.
 */
export class GatedDetector implements Detector {
  readonly kind = 'lexical' as const;
  readonly name = 'gated';
  readonly calls: string[][] = [];
  private gates: Array<() => void> = [];

  /** ignoreCancellation: answer even when cancelled (as a detector in another process might). */
  constructor(private readonly o: { ignoreCancellation?: boolean } = {}) {}

  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    this.calls.push([...texts]);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    if (!this.o.ignoreCancellation) throwIfCancelled(options.signal);
    return texts.map((t) => (t.includes('REFUSE') ? { score: 0.9, sentence: null } : { score: 0.1, sentence: null }));
  }

  /** Calls waiting for release. */
  get waiting(): number {
    return this.gates.length;
  }

  /** Lets the oldest waiting call answer. */
  releaseOne(): void {
    this.gates.shift()?.();
  }

  /** Lets the newest waiting call answer. */
  releaseNewest(): void {
    this.gates.pop()?.();
  }

  releaseAll(): void {
    for (const g of this.gates.splice(0)) g();
  }

  async dispose(): Promise<void> {}
}

/** Resolves once `check` is true, polling the event loop (for conditions no event announces). */
export async function until(check: () => boolean, what: string, maxTurns = 10_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}
