import type { ParseErrorRecord } from '../formats/records';
import type { Verdict } from '../verdicts/verdict';

export interface FileCount {
  /** As shown (displayPath). */
  path: string;
  format: string | null;
  responses: number;
  refusals: number;
  overRefusals: number;
  errors: number;
}

/**
 * Counts per file for the reports that show them (table, markdown, junit). Reports receive the
 * files one after another (engine/scanFiles.ts), so the counts go to the file last started.
 */
export class FileCounts {
  readonly files: FileCount[] = [];

  constructor(private readonly displayPath: (p: string) => string) {}

  /** The file being reported. */
  get current(): FileCount {
    return this.files[this.files.length - 1];
  }

  fileStarted(path: string): void {
    this.files.push({ path: this.displayPath(path), format: null, responses: 0, refusals: 0, overRefusals: 0, errors: 0 });
  }

  verdicts(verdicts: readonly Verdict[]): void {
    const f = this.current;
    for (const v of verdicts) {
      f.responses++;
      if (v.label === 'refusal') f.refusals++;
      if (v.overRefusal) f.overRefusals++;
    }
  }

  errors(errors: readonly ParseErrorRecord[]): void {
    this.current.errors += errors.length;
  }

  fileDone(format: string | null): void {
    this.current.format = format;
  }
}
