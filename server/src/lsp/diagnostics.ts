import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { ParseErrorRecord } from '../formats/records';
import { excerpt } from '../shared/resultRow';
import type { SeveritySetting } from '../shared/settings';
import type { Verdict } from '../verdicts/verdict';
import { findingKind, findingRange, verdictMessage } from '../verdicts/verdictMessage';

export const DIAGNOSTIC_SOURCE = 'Refusal Lens';
export const PARSE_ERROR_CODE = 'parse-error';

const SEVERITY: Record<SeveritySetting, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * One diagnostic per refused response: on the refusing sentence when the detector found it, else
 * on the whole response; the prompt as related information. Responses inside archive members
 * (`entry`) have no place in this document and get none.
 */
export function refusalDiagnostics(uri: string, verdicts: readonly Verdict[], severity: SeveritySetting): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const v of verdicts) {
    const kind = findingKind(v);
    if (kind === null || v.response.entry !== undefined) continue;
    const r = v.response;
    const relatedInformation: DiagnosticRelatedInformation[] = [];
    if (r.promptRange) relatedInformation.push({ location: { uri, range: r.promptRange }, message: `Prompt: ${excerpt(r.prompt ?? '', 120)}` });
    out.push({
      range: findingRange(v),
      severity: SEVERITY[severity],
      code: kind,
      source: DIAGNOSTIC_SOURCE,
      message: `${verdictMessage(v)}${kind === 'over-refusal' ? ': the data says this prompt should have been answered' : ''}`,
      ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
    });
  }
  return out;
}

/**
 * Input that could not be read, at its place: Error, except an unrecognised shape (Information).
 * An empty document is not a problem worth a squiggle and gets none.
 */
export function parseErrorDiagnostics(errors: readonly ParseErrorRecord[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (e.kind === 'empty' || e.entry !== undefined) continue;
    out.push({
      range: e.range,
      severity: e.kind === 'unrecognised' ? DiagnosticSeverity.Information : DiagnosticSeverity.Error,
      code: PARSE_ERROR_CODE,
      source: DIAGNOSTIC_SOURCE,
      message: e.message,
    });
  }
  return out;
}
