import type { ParseErrorRecord } from '../formats/records';
import { rateOf, type ScanSummary } from '../engine/summary';
import type { Verdict } from '../verdicts/verdict';
import { findingRange } from '../verdicts/verdictMessage';
import { FileCounts } from './fileCounts';
import type { Output } from './output';
import type { Report } from './report';
import { oneLine, pct } from './reportText';

/**
 * `--format markdown`: for pasting into a pull request. Totals and per-file / per-model tables,
 * then the refusals with links to file#Lline (relative, so they work in the PR's repository).
 */
export class MarkdownReport implements Report {
  private readonly counts: FileCounts;
  private readonly findings: string[] = [];
  private readonly problems: string[] = [];
  private omitted = 0;

  constructor(
    private readonly out: Output,
    displayPath: (p: string) => string,
    private readonly maxFindings = 500,
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
      const at = findingRange(v).start;
      const link = `[${md(file)}:${at.line + 1}](${encodeURI(file)}#L${at.line + 1})`;
      const tag = v.overRefusal ? ' **over-refusal**' : '';
      this.findings.push(`| ${link}${v.response.entry ? ` (${md(v.response.entry)})` : ''} | ${v.score.toFixed(2)} | ${md(v.response.model ?? '')} | ${md(oneLine(v.response.prompt, 80))} | ${md(oneLine(v.sentence?.text ?? v.response.text, 160))}${tag} |`);
    }
  }

  errors(_path: string, errors: readonly ParseErrorRecord[]): void {
    this.counts.errors(errors);
    const file = this.counts.current.path;
    for (const e of errors.slice(0, Math.max(0, this.maxFindings - this.problems.length))) {
      this.problems.push(`- \`${md(file)}:${e.range.start.line + 1}:${e.range.start.character + 1}\` ${md(e.message)}`);
    }
  }

  fileDone(_path: string, format: string | null): void {
    this.counts.fileDone(format);
  }

  finish(s: ScanSummary): void {
    const w = (line = '') => this.out.write(`${line}\n`);
    w('## Refusal Lens');
    w();
    w(`**${s.refusals} refusals in ${s.responses} responses (${pct(s.rate)})**, ${s.overRefusals} over-refusals, ${s.errors} parse errors, ${s.files} files.`);
    w();
    w('| File | Format | Responses | Refusals | Rate | Over-refusals | Errors |');
    w('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const f of this.counts.files) w(`| ${md(f.path)} | ${f.format ?? '-'} | ${f.responses} | ${f.refusals} | ${pct(rateOf(f.refusals, f.responses))} | ${f.overRefusals} | ${f.errors} |`);
    const models = Object.entries(s.byModel);
    if (models.length > 0) {
      w();
      w('| Model | Responses | Refusals | Rate | Over-refusals |');
      w('| --- | ---: | ---: | ---: | ---: |');
      for (const [m, c] of models) w(`| ${md(m)} | ${c.responses} | ${c.refusals} | ${pct(c.rate)} | ${c.overRefusals} |`);
    }
    if (this.findings.length > 0) {
      w();
      w('### Refusals');
      w();
      w('| Where | Score | Model | Prompt | Refusing sentence |');
      w('| --- | ---: | --- | --- | --- |');
      for (const f of this.findings) w(f);
      if (this.omitted > 0) w(`\n… and ${this.omitted} more.`);
    }
    if (this.problems.length > 0) {
      w();
      w('### Parse errors');
      w();
      for (const p of this.problems) w(p);
    }
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}

/** Escapes text for a Markdown table cell: no HTML, no links or emphasis from transcript text. */
export function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&').replace(/\r\n?|\n/g, ' ');
}
