import * as path from 'node:path';
import { CsvReport } from './csvReport';
import { JsonlReport } from './jsonlReport';
import { JsonReport } from './jsonReport';
import { JunitReport } from './junitReport';
import { MarkdownReport } from './markdownReport';
import type { Output } from './output';
import type { Report } from './report';
import { SarifReport, pathToFileUri } from './sarifReport';
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
      // SARIF wants repository-relative URIs; files outside the working directory get file: URIs
      return new SarifReport(out, (p) => {
        const d = display(p);
        return path.isAbsolute(d) ? pathToFileUri(d) : d.split('/').map(encodeURIComponent).join('/');
      });
    case 'junit':
      return new JunitReport(out, display);
    case 'markdown':
      return new MarkdownReport(out, display);
  }
}
