import type { ParseErrorRecord } from '../formats/records';
import { rateOf, type ScanSummary } from '../engine/summary';
import type { Verdict } from '../verdicts/verdict';
import { findingRange } from '../verdicts/verdictMessage';
import { FileCounts } from './fileCounts';
import type { Output } from './output';
import type { Report } from './report';
import { pct, place, printable } from './reportText';

interface Finding {
  where: string;
  score: number;
  model: string | null;
  text: string;
  over: boolean;
}

/** `--format table`: for people. Per-file counts and rates, then each refusal with file:line:column and its sentence. */
export class TableReport implements Report {
  private readonly counts: FileCounts;
  private readonly findings: Finding[] = [];
  private readonly problems: Finding[] = [];
  private omitted = 0;

  constructor(
    private readonly out: Output,
    displayPath: (p: string) => string,
    private readonly maxFindings = 1000,
  ) {
    this.counts = new FileCounts(displayPath);
  }

  fileStarted(path: string): void {
    this.counts.fileStarted(path);
  }

  verdicts(_path: string, verdicts: readonly Verdict[]): void {
    this.counts.verdicts(verdicts);
    const file = this.counts.current.path;
    for (const v of verdicts) {
      if (v.label !== 'refusal') continue;
      if (this.findings.length >= this.maxFindings) {
        this.omitted++;
        continue;
      }
      this.findings.push({
        where: place(file, v.response.entry, findingRange(v).start),
        score: v.score,
        model: v.response.model,
        text: v.sentence?.text ?? v.response.text,
        over: v.overRefusal,
      });
    }
  }

  errors(_path: string, errors: readonly ParseErrorRecord[]): void {
    this.counts.errors(errors);
    const file = this.counts.current.path;
    for (const e of errors) {
      if (this.problems.length >= this.maxFindings) break;
      this.problems.push({ where: place(file, e.entry, e.range.start), score: 0, model: null, text: e.message, over: false });
    }
  }

  fileDone(_path: string, format: string | null): void {
    this.counts.fileDone(format);
  }

  finish(summary: ScanSummary): void {
    // model names, archive entries and messages come from the files: nothing in them may drive the terminal
    const w = (s: string) => this.out.write(`${printable(s)}\n`);
    const rows = this.counts.files;
    const pathWidth = Math.min(60, Math.max(4, ...rows.map((r) => r.path.length)));
    const line = (cells: string[]) => w(cells.join('  ').trimEnd());
    line(['FILE'.padEnd(pathWidth), 'FORMAT'.padEnd(16), 'RESPONSES'.padStart(9), 'REFUSALS'.padStart(8), 'RATE'.padStart(7), 'ERRORS'.padStart(6)]);
    for (const r of rows) {
      line([clip(r.path, pathWidth).padEnd(pathWidth), (r.format ?? '-').padEnd(16), String(r.responses).padStart(9), String(r.refusals).padStart(8), pct(rateOf(r.refusals, r.responses)).padStart(7), String(r.errors).padStart(6)]);
    }
    line(['TOTAL'.padEnd(pathWidth), `${summary.files} files`.padEnd(16), String(summary.responses).padStart(9), String(summary.refusals).padStart(8), pct(summary.rate).padStart(7), String(summary.errors).padStart(6)]);
    const models = Object.entries(summary.byModel);
    if (models.length > 0) {
      w('');
      const width = Math.min(50, Math.max(5, ...models.map(([m]) => m.length)));
      line(['MODEL'.padEnd(width), 'RESPONSES'.padStart(9), 'REFUSALS'.padStart(8), 'RATE'.padStart(7)]);
      for (const [m, c] of models) line([clip(m, width).padEnd(width), String(c.responses).padStart(9), String(c.refusals).padStart(8), pct(c.rate).padStart(7)]);
    }
    if (this.findings.length > 0) {
      w('');
      w(`Refusals (${summary.refusals}):`);
      for (const f of this.findings) {
        const tag = f.over ? ' [over-refusal]' : '';
        w(`  ${f.where}  ${f.score.toFixed(2)}${f.model ? `  ${f.model}` : ''}${tag}  ${quote(f.text)}`);
      }
      if (this.omitted > 0) w(`  … and ${this.omitted} more (use --format json for all of them)`);
    }
    if (this.problems.length > 0) {
      w('');
      w(`Errors (${summary.errors}):`);
      for (const p of this.problems) w(`  ${p.where}  ${p.text}`);
    }
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 160 ? `${flat.slice(0, 157)}...` : flat);
}
