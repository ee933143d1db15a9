import type { ScanObserver } from '../engine/scan';
import type { ScanSummary } from '../engine/summary';

/** A report format: it sees the scan as it happens and writes when it can. */
export interface Report extends ScanObserver {
  /** After the last file; writes whatever is left (the summary, for most formats). */
  finish(summary: ScanSummary): void;
  /** Lets buffered output drain (called between chunks). */
  flush(): Promise<void>;
}
