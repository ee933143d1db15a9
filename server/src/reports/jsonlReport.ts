import type { ParseErrorRecord } from '../formats/records';
import type { Verdict } from '../verdicts/verdict';
import type { Output } from './output';
import type { Report } from './report';
import { errorToJson, verdictToJson } from './verdictJson';

/**
 * `--format jsonl`: one JSON object a line, `"type": "response"` or `"type": "error"`, each
 * naming its file. No summary (a stream to pipe into jq or a database); the others have one.
 */
export class JsonlReport implements Report {
  constructor(
    private readonly out: Output,
    private readonly displayPath: (p: string) => string,
  ) {}

  verdicts(path: string, verdicts: readonly Verdict[]): void {
    const file = this.displayPath(path);
    for (const v of verdicts) this.out.write(`${JSON.stringify({ type: 'response', file, ...verdictToJson(v) })}\n`);
  }

  errors(path: string, errors: readonly ParseErrorRecord[]): void {
    const file = this.displayPath(path);
    for (const e of errors) this.out.write(`${JSON.stringify({ type: 'error', file, ...errorToJson(e) })}\n`);
  }

  finish(): void {}

  flush(): Promise<void> {
    return this.out.flush();
  }
}
