import type { ParseErrorRecord } from '../formats/records';
import type { Verdict } from '../verdicts/verdict';

/** The JSON shape of one verdict: a contract other tools read (see README, "JSON output"). */
export function verdictToJson(v: Verdict): Record<string, unknown> {
  const r = v.response;
  const out: Record<string, unknown> = {
    id: r.id,
    range: r.range,
    label: v.label,
    score: v.score,
    detector: v.detector,
    sentence: v.sentence,
    prompt: r.prompt,
    model: r.model,
    expected: r.expected,
    overRefusal: v.overRefusal,
  };
  if (r.entry !== undefined) out.entry = r.entry;
  return out;
}

export function errorToJson(e: ParseErrorRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { range: e.range, message: e.message, kind: e.kind };
  if (e.entry !== undefined) out.entry = e.entry;
  return out;
}
