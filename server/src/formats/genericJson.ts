import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { isArray, isObject, prop, type JsonNode, type JsonObject, type JsonString } from './json/jsonNode';
import { joinKey, parseFieldPath, selectPath, type PathMatch, type PathStep } from './json/fieldPath';
import { locateContent, locateString, recordPrefix, toResponse, type LocatedText } from './json/jsonText';
import { locatePrompt } from './json/promptText';
import { expectationOf } from './expectation';
import { ZERO_RANGE, type Expectation, type ExtractOptions } from './records';

/**
 * The fallback for JSON and JSONL shapes no format knows.
 *
 * With field paths from the user (`--field`, e.g. `choices[*].turns[*]`, `[*].output_1`), it takes
 * exactly what they reach, from the document root or from each JSONL line: strings, and the
 * strings of a list. Without, it guesses from well-known key names: a record (the root, the items
 * of a root array, or the items of an array one level under the root, like `{"data": [...]}`)
 * answers with the first of RESPONSE_KEYS it has, or with those of its `choices[*]` items
 * (MT-bench answer files). Either way, the prompt, model and expected behaviour come from the
 * nearest object around the response that has them (PROMPT_KEYS, MODEL_KEYS, expectation.ts).
 *
 * It scores 1, below every specific format, and 0 for JSON with no such response: a file counts
 * only when one of its first records holds a response key whose string has a space in it (prose,
 * not `"output": "dist"`), so package.json or tsconfig.json are never taken for eval output.
 */

/** In order of preference: one per record, so a record's reference `answer` loses to its `response`. */
const RESPONSE_KEYS = [
  'model_output', 'model_response', 'model_answer', 'response', 'completion', 'generation', 'generated_text', 'output',
  'output_text', 'actual_output', 'actualOutput', 'prediction', 'assistant', 'reply', 'answer', 'turns',
];
const PROMPT_KEYS = ['prompt', 'input', 'question', 'instruction', 'query', 'user', 'human'];
const MODEL_KEYS = ['model', 'model_id', 'model_name', 'generator'];

/** How many records match() looks at before giving up. */
const MATCH_SAMPLE = 50;

export const genericJsonFormat: JsonFormat = {
  kind: 'json',
  name: 'generic',
  label: 'JSON (generic fields)',
  match(root, _fileName, options) {
    const fields = options?.fields ?? [];
    let candidates: PathMatch[];
    if (fields.length > 0) candidates = parsePaths(fields).flatMap((steps) => (steps ? selectPath(root, steps) : []));
    else candidates = guessResponses(root, MATCH_SAMPLE);
    return candidates.slice(0, 1000).some((m) => textsOf(m).some(({ node }) => /\S\s+\S/.test(node.value))) ? 1 : 0;
  },
  begin(options: ExtractOptions): JsonExtractor {
    const paths = parsePaths(options.fields);
    let found = 0;
    let notText = 0;
    return {
      record(root, source, sink) {
        let matches: PathMatch[];
        if (options.fields.length > 0) {
          matches = paths.flatMap((steps) => (steps ? selectPath(root, steps) : []));
          matches.sort((a, b) => a.node.start - b.node.start);
        } else matches = guessResponses(root, Infinity);
        const prefix = recordPrefix(source);
        for (const m of matches) {
          const texts = textsOf(m);
          if (texts.length === 0) notText++;
          for (const t of texts) {
            found++;
            sink.response(toResponse(`${prefix}${t.path}`, locateString(t.node, source), surroundings(m, source, options)));
          }
        }
      },
      end(sink) {
        if (found > 0) return;
        const what = options.fields.map((f) => `"${f}"`).join(', ');
        let message: string;
        if (options.fields.length === 0) message = `No response field of a known name (${RESPONSE_KEYS.join(', ')}) in this file: name the fields with --field`;
        else if (notText > 0) message = `The field paths ${what} reach ${notText} ${notText === 1 ? 'value that is' : 'values that are'} not text: name the text fields themselves (add [*] for lists)`;
        else message = `The field paths ${what} reach nothing in this file`;
        sink.error({ kind: 'structure', message, range: ZERO_RANGE });
      },
    };
  },
};

/** Parsed paths; one that does not parse (the CLI checks them first) stands as null and matches nothing. */
function parsePaths(fields: readonly string[]): Array<PathStep[] | null> {
  return fields.map((f) => {
    try {
      return parseFieldPath(f);
    } catch {
      return null;
    }
  });
}

/** The strings a matched value holds: itself, or the strings of a list (one level). */
function textsOf(m: PathMatch): Array<{ node: JsonString; path: string }> {
  if (m.node.type === 'string') return [{ node: m.node, path: m.path }];
  if (m.node.type !== 'array') return [];
  const out: Array<{ node: JsonString; path: string }> = [];
  m.node.items.forEach((item, i) => {
    if (item.type === 'string') out.push({ node: item, path: `${m.path}[${i}]` });
  });
  return out;
}

/** Responses by well-known key names, in document order, at most `limit` records looked at. */
function guessResponses(root: JsonNode, limit: number): PathMatch[] {
  const out: PathMatch[] = [];
  let seen = 0;
  const visitRecord = (record: PathMatch): boolean => {
    if (seen++ >= limit) return false;
    const own = responseOf(record);
    if (own) out.push(own);
    else {
      const choices = prop(record.node, 'choices');
      if (isArray(choices)) {
        const list: PathMatch = { node: choices, path: joinKey(record.path, 'choices'), parent: record };
        choices.items.forEach((c, i) => {
          const r = responseOf({ node: c, path: `${list.path}[${i}]`, parent: list });
          if (r) out.push(r);
        });
      }
    }
    return true;
  };
  const top: PathMatch = { node: root, path: '' };
  if (isArray(root)) {
    for (let i = 0; i < root.items.length; i++) if (!visitRecord({ node: root.items[i], path: `[${i}]`, parent: top })) break;
    return out;
  }
  if (!isObject(root)) return out;
  visitRecord(top);
  if (out.length > 0) return out;
  // records one level down: {"data": [...]}, {"results": [...]}
  for (const p of root.properties) {
    if (!isArray(p.value) || !p.value.items.some((item) => isObject(item) && responseOf({ node: item, path: '' }))) continue;
    const list: PathMatch = { node: p.value, path: joinKey('', p.key), parent: top };
    for (let i = 0; i < p.value.items.length; i++) if (!visitRecord({ node: p.value.items[i], path: `${list.path}[${i}]`, parent: list })) break;
  }
  return out;
}

/** The first well-known response field of an object that holds text. */
function responseOf(record: PathMatch): PathMatch | null {
  if (!isObject(record.node)) return null;
  // `text` names too many things to be guessed, except in an answer record (FastChat's
  // `answer_<model>.jsonl`: {answer_id, model_id, question_id, text}); its question file has no answer_id
  const keys = prop(record.node, 'answer_id') !== undefined ? [...RESPONSE_KEYS, 'text'] : RESPONSE_KEYS;
  for (const key of keys) {
    const value = prop(record.node, key);
    if (!value) continue;
    const m: PathMatch = { node: value, path: joinKey(record.path, key), parent: record };
    if (textsOf(m).length > 0) return m;
  }
  return null;
}

/** Prompt, model and expected behaviour from the nearest enclosing objects that say them. */
function surroundings(m: PathMatch, source: JsonRecordSource, options: ExtractOptions): { prompt: LocatedText | null; model: string | null; expected: Expectation | null } {
  let prompt: LocatedText | null = null;
  let model: string | null = null;
  let expected: Expectation | null = null;
  for (let p = m.parent; p; p = p.parent) {
    if (!isObject(p.node)) continue;
    const holder: JsonObject = p.node;
    if (!prompt) prompt = firstPrompt(holder, m.node, source);
    if (model === null) model = firstString(holder, MODEL_KEYS);
    if (expected === null) expected = expectationOf(holder, options);
  }
  return { prompt, model, expected };
}

function firstPrompt(holder: JsonObject, response: JsonNode, source: JsonRecordSource): LocatedText | null {
  for (const key of PROMPT_KEYS) {
    const v = prop(holder, key);
    if (!v || v === response) continue;
    const text = v.type === 'string' ? locateString(v, source) : locatePrompt(v, source) ?? locateContent(v, source);
    if (text) return text;
  }
  return null;
}

function firstString(holder: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = prop(holder, key);
    if (v?.type === 'string' && v.value !== '') return v.value;
  }
  return null;
}
