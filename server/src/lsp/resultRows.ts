import { excerpt, type ResultRow } from '../shared/resultRow';
import type { Verdict } from '../verdicts/verdict';
import { findingRange } from '../verdicts/verdictMessage';

/** A verdict as the results panel shows it (short excerpts only: rows cross two message boundaries). */
export function toResultRow(v: Verdict, uri: string, file: string, format: string | null): ResultRow {
  const r = v.response;
  return {
    uri,
    file: r.entry !== undefined ? `${file} › ${r.entry}` : file,
    id: r.id,
    format,
    model: r.model,
    label: v.label,
    overRefusal: v.overRefusal,
    score: v.score,
    detector: v.detector,
    range: findingRange(v),
    prompt: r.prompt === null ? null : excerpt(r.prompt),
    response: excerpt(r.text),
    sentence: v.sentence ? excerpt(v.sentence.text) : null,
  };
}
