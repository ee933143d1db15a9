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

/**
 * Exactly `JSON.stringify(verdictToJson(v))`, built without the intermediate object: the JSON
 * report writes one per response, a million for a large scan.
 */
export function verdictJsonText(v: Verdict): string {
  const r = v.response;
  const s = v.sentence;
  const sentence = s ? `{"range":${JSON.stringify(s.range)},"text":${JSON.stringify(s.text)}}` : 'null';
  return `{"id":${JSON.stringify(r.id)}${field('range', r.range)}${field('label', v.label)}${field('score', v.score)}${field('detector', v.detector)},"sentence":${sentence}${field('prompt', r.prompt)}${field('model', r.model)}${field('expected', r.expected)}${field('overRefusal', v.overRefusal)}${field('entry', r.entry)}}`;
}

/** `,"key":value` as JSON.stringify writes a property (nothing for undefined). */
function field(key: string, value: unknown): string {
  return value === undefined ? '' : `,"${key}":${JSON.stringify(value)}`;
}

export function errorToJson(e: ParseErrorRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { range: e.range, message: e.message, kind: e.kind };
  if (e.entry !== undefined) out.entry = e.entry;
  return out;
}
