import { isAbsolute } from 'node:path';
import type { ParseErrorRecord } from '../formats/records';
import type { ScanSummary } from '../engine/summary';
import type { Range } from '../text/positions';
import type { Verdict } from '../verdicts/verdict';
import { findingKind, findingRange, verdictMessage } from '../verdicts/verdictMessage';
import type { Output } from './output';
import type { Report } from './report';
import { TOOL_INFO_URI, toolVersion } from './toolInfo';

/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. One rule per finding kind,
 * a result per refusal / over-refusal / parse error with its region (1-based, UTF-16 columns),
 * the score in properties, the totals in the run's properties. Streamed: results are written as found.
 */

export const SARIF_RULES = [
  {
    id: 'refusal',
    name: 'Refusal',
    shortDescription: { text: 'The model refused to answer.' },
    fullDescription: { text: 'A model response classified as a refusal (score above the threshold).' },
    help: {
      text: 'The response declines the request. If the prompt should have been answered, this is a capability or over-refusal problem; if it should have been refused, it is the expected behaviour. The region is the refusing sentence.',
      markdown: 'The response **declines the request**. If the prompt should have been answered, look at it as an over-refusal; if not, it is expected. The region is the refusing sentence.',
    },
    defaultConfiguration: { level: 'warning' },
  },
  {
    id: 'over-refusal',
    name: 'OverRefusal',
    shortDescription: { text: 'The model refused a prompt that should have been answered.' },
    fullDescription: { text: 'A refusal of a prompt that the data marks as safe or to be answered (XSTest-style labels, metadata, or --expect-field).' },
    help: {
      text: 'The data says this prompt is benign and should have been answered, but the model refused. Over-refusals make a model less useful without making it safer.',
      markdown: 'The data says this prompt is **benign** and should have been answered, but the model refused.',
    },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'parse-error',
    name: 'ParseError',
    shortDescription: { text: 'Part of the file could not be read.' },
    fullDescription: { text: 'Malformed input (a bad JSONL line, truncated JSON, invalid UTF-8, ...). The rest of the file was still analysed.' },
    help: { text: 'Fix or regenerate the file; the responses in the unreadable part were not analysed.', markdown: 'Fix or regenerate the file; the responses in the unreadable part were **not analysed**.' },
    defaultConfiguration: { level: 'error' },
  },
] as const;

type RuleId = (typeof SARIF_RULES)[number]['id'];

export class SarifReport implements Report {
  private first = true;

  /** `root`: the folder `displayPath` makes paths relative to, and so the run's %SRCROOT%. */
  constructor(
    private readonly out: Output,
    private readonly displayPath: (p: string) => string,
    root: string,
  ) {
    const head = JSON.stringify(sarifLog(sarifRun(SARIF_RULES, root)));
    // open the run's results array: everything up to the run's closing braces
    out.write(`${head.slice(0, -3)},"results":[`);
  }

  verdicts(path: string, verdicts: readonly Verdict[]): void {
    for (const v of verdicts) {
      const kind = findingKind(v);
      if (!kind) continue;
      const excerpt = (v.sentence?.text ?? v.response.text).replace(/\s+/g, ' ').trim().slice(0, 200);
      this.result(kind, `${verdictMessage(v)}: "${excerpt}"`, path, findingRange(v), v.response.entry, {
        score: v.score,
        detector: v.detector,
        detectorName: v.detectorName,
        model: v.response.model,
        responseId: v.response.id,
        prompt: v.response.prompt === null ? null : v.response.prompt.slice(0, 500),
        expected: v.response.expected,
      });
    }
  }

  errors(path: string, errors: readonly ParseErrorRecord[]): void {
    for (const e of errors) this.result('parse-error', e.message, path, e.range, e.entry, { kind: e.kind });
  }

  private result(ruleId: RuleId, text: string, path: string, range: Range, entry: string | undefined, properties: Record<string, unknown>): void {
    const ruleIndex = SARIF_RULES.findIndex((r) => r.id === ruleId);
    const artifact = artifactLocation(this.displayPath(path));
    const result = {
      ruleId,
      ruleIndex,
      level: SARIF_RULES[ruleIndex].defaultConfiguration.level,
      message: { text: entry ? `${text} (in ${entry})` : text },
      locations: [{ physicalLocation: { artifactLocation: artifact, region: sarifRegion(range) } }],
      partialFingerprints: { responseLocation: `${artifact.uri}${entry ? `!${entry}` : ''}:${range.start.line + 1}:${range.start.character + 1}:${ruleId}` },
      properties,
    };
    this.out.write(`${this.first ? '\n' : ',\n'}${JSON.stringify(result)}`);
    this.first = false;
  }

  finish(summary: ScanSummary): void {
    this.out.write(`\n],"invocations":[{"executionSuccessful":true}],"properties":{"summary":${JSON.stringify(summary)}}}]}\n`);
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}

/** A SARIF log of one run. */
export function sarifLog(run: Record<string, unknown>) {
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

/** A run's head: the tool and its rules, UTF-16 columns, and %SRCROOT%, the folder relative artifact URIs resolve against. */
export function sarifRun(rules: readonly unknown[], root: string) {
  return {
    tool: { driver: { name: 'Refusal Lens', version: toolVersion(), semanticVersion: toolVersion(), informationUri: TOOL_INFO_URI, rules } },
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileUri(root)}/` } },
  };
}

/** A file as shown (see displayPath): relative to %SRCROOT% when it is inside it, else an absolute file: URI. */
export function artifactLocation(shown: string): { uri: string; uriBaseId?: string } {
  return isAbsolute(shown) ? { uri: pathToFileUri(shown) } : { uri: shown.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** SARIF regions are 1-based; an empty range still spans one column so viewers can show it. */
export function sarifRegion(range: Range) {
  const startLine = range.start.line + 1;
  const startColumn = range.start.character + 1;
  let endLine = range.end.line + 1;
  let endColumn = range.end.character + 1;
  if (endLine < startLine || (endLine === startLine && endColumn <= startColumn)) {
    endLine = startLine;
    endColumn = startColumn + 1;
  }
  return { startLine, startColumn, endLine, endColumn };
}

export function pathToFileUri(p: string): string {
  const abs = p.replace(/\\/g, '/');
  return `file://${abs.startsWith('/') ? '' : '/'}${abs.split('/').map(encodeURIComponent).join('/')}`;
}
