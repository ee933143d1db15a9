import type { ParseErrorRecord } from '../formats/records';
import type { ScanSummary } from '../engine/summary';
import type { Verdict } from '../verdicts/verdict';
import type { Output } from './output';
import type { Report } from './report';
import { errorToJson, verdictJsonText } from './verdictJson';

/**
 * `--format json`: {"files":[{"path","responses":[...],"format","errors":[...]}],"summary":{...}}.
 * Streamed: responses are written as they are classified; files are reported one at a time, in
 * input order, even when several are read at once (engine/scanFiles.ts).
 */
export class JsonReport implements Report {
  private firstFile = true;
  private firstResponse = true;
  private fileErrors: ParseErrorRecord[] = [];

  constructor(
    private readonly out: Output,
    private readonly displayPath: (p: string) => string,
  ) {
    out.write('{"files":[');
  }

  fileStarted(path: string): void {
    this.out.write(`${this.firstFile ? '' : ','}\n{"path":${JSON.stringify(this.displayPath(path))},"responses":[`);
    this.firstFile = false;
    this.firstResponse = true;
    this.fileErrors = [];
  }

  verdicts(_path: string, verdicts: readonly Verdict[]): void {
    for (const v of verdicts) {
      this.out.write(`${this.firstResponse ? '\n' : ',\n'}${verdictJsonText(v)}`);
      this.firstResponse = false;
    }
  }

  errors(_path: string, errors: readonly ParseErrorRecord[]): void {
    this.fileErrors.push(...errors);
  }

  fileDone(_path: string, format: string | null): void {
    this.out.write(`],"format":${JSON.stringify(format)},"errors":${JSON.stringify(this.fileErrors.map(errorToJson))}}`);
  }

  finish(summary: ScanSummary): void {
    this.out.write(`\n],"summary":${JSON.stringify(summary)}}\n`);
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}
