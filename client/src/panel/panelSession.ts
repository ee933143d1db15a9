/**
 * The extension side of the results panel without the `vscode` API, so tests drive it directly:
 * it owns the rows (the webview only gets copies), streams them to the webview in chunks once it
 * says it is ready (again after every hide/show, since the panel does not retain its context),
 * and turns the webview's untrusted messages into calls on a host.
 */
import type { CompareSummary } from '../../../server/src/shared/compareSummary';
import type { ResultRow } from '../../../server/src/shared/resultRow';
import type { ExportFormat, HostMessage, RevealSide } from './panelMessages';
import { parseWebviewMessage } from './panelMessages';
import { queryRows } from './rowQuery';

export interface PanelHost {
  post(message: HostMessage): void;
  /** Open the row's document and select its range (`old`: the OLD response of a compared pair). */
  reveal(row: ResultRow, side: RevealSide): void;
  /** Save `rows` (the webview's current filtered rows) to a file the user picks. */
  exportRows(format: ExportFormat, title: string, rows: ResultRow[]): void;
}

/** Where a reveal goes: the row's own response, or the OLD response of a compared pair. */
export function revealTarget(row: ResultRow, side: RevealSide): { uri: string; file: string; range: ResultRow['range'] } {
  const at = side === 'old' && row.diff ? row.diff.old : row;
  return { uri: at.uri, file: at.file, range: at.range };
}

export interface SetRowsOptions {
  /** The threshold the rows were labelled with (the histogram's line). Default 0.5. */
  threshold?: number;
  /** The rows compare two runs (each carries `diff`): the summary of that comparison. */
  compare?: CompareSummary;
}

export const DEFAULT_TITLE = 'Refusal Lens results';
export const DEFAULT_THRESHOLD = 0.5;
/** Rows per message: small enough that the webview paints between chunks of a 50,000-row set. */
export const CHUNK_ROWS = 2000;

export class PanelSession {
  private rows: ResultRow[] = [];
  private title = DEFAULT_TITLE;
  private threshold = DEFAULT_THRESHOLD;
  private compare: CompareSummary | undefined;
  private generation = 0;
  private status: string | null = null;
  private ready = false;

  constructor(
    private readonly host: PanelHost,
    private readonly chunkRows = CHUNK_ROWS,
  ) {}

  get currentRows(): readonly ResultRow[] {
    return this.rows;
  }

  get currentTitle(): string {
    return this.title;
  }

  /** The comparison the current set shows, if it is one. */
  get currentCompare(): CompareSummary | undefined {
    return this.compare;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** Replace the result set. */
  setRows(title: string, rows: readonly ResultRow[], options: SetRowsOptions = {}): void {
    this.generation++;
    this.title = title;
    this.rows = rows.slice();
    const t = options.threshold;
    this.threshold = typeof t === 'number' && t >= 0 && t <= 1 ? t : DEFAULT_THRESHOLD;
    this.compare = options.compare;
    if (this.ready) this.sendAll();
  }

  /** Add rows to the current set (a workspace scan streams its files' rows this way). */
  appendRows(rows: readonly ResultRow[]): void {
    for (const row of rows) this.rows.push(row);
    if (this.ready) this.sendChunks(rows);
  }

  setStatus(text: string | null): void {
    this.status = text;
    if (this.ready) this.host.post({ type: 'status', text });
  }

  /** The webview's document went away (panel hidden): hold messages until it says ready again. */
  detach(): void {
    this.ready = false;
  }

  /** A message from the webview. Returns false when it was malformed or stale and so ignored. */
  receive(raw: unknown): boolean {
    const message = parseWebviewMessage(raw);
    if (!message) return false;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendAll();
        return true;
      case 'reveal': {
        if (message.generation !== this.generation || message.index >= this.rows.length) return false;
        const row = this.rows[message.index];
        // only a compared pair has an OLD side
        if (message.side === 'old' && !row.diff) return false;
        this.host.reveal(row, message.side ?? 'new');
        return true;
      }
      case 'export': {
        const shown = queryRows(this.rows, message.query).map((i) => this.rows[i]);
        this.host.exportRows(message.format, this.title, shown);
        return true;
      }
    }
  }

  private sendAll(): void {
    const reset: HostMessage = { type: 'reset', generation: this.generation, title: this.title, threshold: this.threshold };
    if (this.compare) reset.compare = this.compare;
    this.host.post(reset);
    this.sendChunks(this.rows);
    this.host.post({ type: 'status', text: this.status });
  }

  private sendChunks(rows: readonly ResultRow[]): void {
    if (rows.length === 0) {
      this.host.post({ type: 'rows', generation: this.generation, rows: [], complete: true });
      return;
    }
    for (let start = 0; start < rows.length; start += this.chunkRows) {
      const chunk = rows.slice(start, start + this.chunkRows);
      this.host.post({ type: 'rows', generation: this.generation, rows: chunk, complete: start + this.chunkRows >= rows.length });
    }
  }
}
