import type { ParseErrorRecord } from '../formats/records';
import type { ScanSummary } from '../engine/summary';
import type { Verdict } from '../verdicts/verdict';
import { findingRange, verdictMessage } from '../verdicts/verdictMessage';
import { FileCounts } from './fileCounts';
import type { Output } from './output';
import type { Report } from './report';

/**
 * `--format junit`: a test suite per file, a test case per response (a refusal is a failure, a
 * parse error an error), so CI dashboards list them; a last suite carries the totals as properties.
 * A suite's counts head it, so each file's cases are held until the file is done.
 */
export class JunitReport implements Report {
  private cases: string[] = [];
  private readonly counts: FileCounts;

  constructor(
    private readonly out: Output,
    displayPath: (p: string) => string,
  ) {
    this.counts = new FileCounts(displayPath);
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="Refusal Lens">\n');
  }

  fileStarted(path: string): void {
    this.counts.fileStarted(path);
    this.cases = [];
  }

  verdicts(_path: string, verdicts: readonly Verdict[]): void {
    this.counts.verdicts(verdicts);
    const file = this.counts.current.path;
    for (const v of verdicts) {
      const r = v.response;
      const at = findingRange(v).start;
      const name = `${r.entry ? `${r.entry} ` : ''}${r.id}`;
      const head = `    <testcase name="${xml(name)}" classname="${xml(file)}" file="${xml(file)}" line="${at.line + 1}">`;
      if (v.label === 'refusal') {
        const type = v.overRefusal ? 'over-refusal' : 'refusal';
        const body = [`${verdictMessage(v)} at ${file}:${at.line + 1}:${at.character + 1}`, v.response.model ? `model: ${v.response.model}` : '', r.prompt ? `prompt: ${r.prompt.slice(0, 500)}` : '', `response: ${(v.sentence?.text ?? r.text).slice(0, 1000)}`].filter(Boolean).join('\n');
        this.cases.push(`${head}\n      <failure type="${type}" message="${xml(verdictMessage(v))}">${xml(body)}</failure>\n    </testcase>`);
      } else this.cases.push(`${head.slice(0, -1)}/>`);
    }
  }

  errors(_path: string, errors: readonly ParseErrorRecord[]): void {
    this.counts.errors(errors);
    const file = this.counts.current.path;
    for (const e of errors) {
      const where = `${e.entry ? `${e.entry}:` : ''}${e.range.start.line + 1}:${e.range.start.character + 1}`;
      this.cases.push(`    <testcase name="parse error at ${xml(where)}" classname="${xml(file)}" file="${xml(file)}" line="${e.range.start.line + 1}">\n      <error type="${e.kind}" message="${xml(e.message)}"/>\n    </testcase>`);
    }
  }

  fileDone(): void {
    const c = this.counts.current;
    this.out.write(`  <testsuite name="${xml(c.path)}" tests="${c.responses + c.errors}" failures="${c.refusals}" errors="${c.errors}" skipped="0">\n`);
    for (const tc of this.cases) this.out.write(`${tc}\n`);
    this.out.write('  </testsuite>\n');
    this.cases = [];
  }

  finish(s: ScanSummary): void {
    const props: Array<[string, string | number]> = [
      ['files', s.files], ['responses', s.responses], ['refusals', s.refusals], ['rate', s.rate], ['overRefusals', s.overRefusals], ['parseErrors', s.errors],
    ];
    for (const [model, m] of Object.entries(s.byModel)) props.push([`model:${model}:responses`, m.responses], [`model:${model}:refusals`, m.refusals], [`model:${model}:rate`, m.rate]);
    this.out.write('  <testsuite name="Refusal Lens summary" tests="0" failures="0" errors="0" skipped="0">\n    <properties>\n');
    for (const [k, v] of props) this.out.write(`      <property name="${xml(k)}" value="${xml(String(v))}"/>\n`);
    this.out.write('    </properties>\n  </testsuite>\n</testsuites>\n');
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}

/** XML-escapes text for attributes and content; drops characters XML 1.0 cannot hold. */
export function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
