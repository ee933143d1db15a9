import * as path from 'node:path';
import { CsvReport } from './csvReport';
import { JsonlReport } from './jsonlReport';
import { JsonReport } from './jsonReport';
import { JunitReport } from './junitReport';
import { MarkdownReport } from './markdownReport';
import type { Output } from './output';
import type { Report } from './report';
import { SarifReport } from './sarifReport';
import { TableReport } from './tableReport';

export const REPORT_FORMATS = ['table', 'json', 'jsonl', 'csv', 'sarif', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Paths as users see them: relative to the working directory when inside it, with forward slashes. */
export function displayPath(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  if (!rel) return p;
  return (rel.startsWith('..') || path.isAbsolute(rel) ? p : rel).split(path.sep).join('/');
}

export function createReport(format: ReportFormat, out: Output, cwd = process.cwd()): Report {
  const display = (p: string) => displayPath(p, cwd);
  switch (format) {
    case 'table':
      return new TableReport(out, display);
    case 'json':
      return new JsonReport(out, display);
    case 'jsonl':
      return new JsonlReport(out, display);
    case 'csv':
      return new CsvReport(out, display);
    case 'sarif':
      return new SarifReport(out, display, cwd);
    case 'junit':
      return new JunitReport(out, display);
    case 'markdown':
      return new MarkdownReport(out, display);
  }
}
