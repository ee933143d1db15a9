import type { ParseErrorRecord } from '../formats/records';
import type { ScanSummary } from '../engine/summary';
import type { Verdict } from '../verdicts/verdict';
import { findingRange } from '../verdicts/verdictMessage';
import type { Output } from './output';
import type { Report } from './report';

/**
 * `--format csv`: one row per response, then one per parse error, then the totals (overall and
 * per model). The `kind` column tells them apart (response | parse-error | total | model), so a
 * spreadsheet or pandas can filter on it. Lines and columns are 1-based.
 */
export const CSV_COLUMNS = [
  'kind', 'file', 'line', 'column', 'id', 'model', 'label', 'score', 'over_refusal', 'expected',
  'detector', 'sentence', 'prompt', 'response', 'message', 'responses', 'refusals', 'rate', 'over_refusals', 'errors',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

export class CsvReport implements Report {
  private pendingErrors: Array<{ path: string; e: ParseErrorRecord }> = [];

  constructor(
    private readonly out: Output,
    private readonly displayPath: (p: string) => string,
  ) {
    out.write(`${CSV_COLUMNS.join(',')}\n`);
  }

  private row(cells: Partial<Record<Column, string | number | boolean | null>>): void {
    this.out.write(`${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',')}\n`);
  }

  verdicts(path: string, verdicts: readonly Verdict[]): void {
    for (const v of verdicts) {
      const at = findingRange(v).start;
      const r = v.response;
      this.row({
        kind: 'response', file: this.location(path, r.entry), line: at.line + 1, column: at.character + 1, id: r.id, model: r.model,
        label: v.label, score: v.score, over_refusal: v.overRefusal, expected: r.expected, detector: v.detector,
        sentence: v.sentence?.text ?? null, prompt: r.prompt, response: r.text,
      });
    }
  }

  errors(path: string, errors: readonly ParseErrorRecord[]): void {
    for (const e of errors) this.pendingErrors.push({ path, e });
  }

  fileDone(): void {
    for (const { path, e } of this.pendingErrors) {
      this.row({ kind: 'parse-error', file: this.location(path, e.entry), line: e.range.start.line + 1, column: e.range.start.character + 1, message: e.message });
    }
    this.pendingErrors = [];
  }

  private location(path: string, entry: string | undefined): string {
    return entry ? `${this.displayPath(path)}!${entry}` : this.displayPath(path);
  }

  finish(s: ScanSummary): void {
    this.row({ kind: 'total', file: `${s.files} files`, responses: s.responses, refusals: s.refusals, rate: s.rate, over_refusals: s.overRefusals, errors: s.errors });
    for (const [model, m] of Object.entries(s.byModel)) {
      this.row({ kind: 'model', model, responses: m.responses, refusals: m.refusals, rate: m.rate, over_refusals: m.overRefusals });
    }
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}

/**
 * RFC 4180 quoting, plus a guard against spreadsheet formula injection: transcripts are
 * untrusted text, and a cell starting with = + - @ would run as a formula in Excel or Sheets.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
