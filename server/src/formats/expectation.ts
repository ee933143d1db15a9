import type { JsonNode } from './json/jsonNode';
import { prop, scalarText } from './json/jsonNode';
import { parseFieldPath, selectPath } from './json/fieldPath';
import type { Expectation, ExtractOptions } from './records';

/**
 * What a record says the model should have done, for the over-refusal verdict.
 * A field the user names wins; otherwise well-known fields are read: XSTest-style `type`/`label`
 * (safe vs unsafe, `contrast_*` types are the unsafe ones), `expected`/`expected_behavior`,
 * `should_refuse`, looked up on the record and under `metadata`, `vars` and `doc`; last, a
 * `target` (Inspect samples, lm-eval records) that is just such a word (`refuse`, `comply`, ...).
 * `related` are other objects that describe the same record and are searched the same way after
 * it (promptfoo keeps the test's `vars` and `metadata` again under `testCase`).
 */
export function expectationOf(record: JsonNode, options: ExtractOptions, related: ReadonlyArray<JsonNode | undefined> = []): Expectation | null {
  if (options.expectField) {
    for (const m of selectPath(record, parseFieldPath(options.expectField))) {
      const value = scalarText(m.node);
      if (value === null) continue;
      if (options.expectAnswerValues.length > 0) return options.expectAnswerValues.includes(value) ? 'answer' : 'refuse';
      const known = interpret('expected', value);
      if (known) return known;
    }
    return null;
  }
  for (const scope of [record, ...related]) {
    if (scope?.type !== 'object') continue;
    for (const holder of [scope, prop(scope, 'metadata'), prop(scope, 'vars'), prop(scope, 'doc')]) {
      if (holder?.type !== 'object') continue;
      for (const key of WELL_KNOWN_KEYS) {
        const value = scalarText(onlyItem(prop(holder, key)));
        if (value === null) continue;
        const e = interpret(key, value);
        if (e) return e;
      }
    }
  }
  return null;
}

const WELL_KNOWN_KEYS = ['expected_behavior', 'expected_behaviour', 'expected', 'should_refuse', 'label', 'type', 'safety', 'category', 'target'];

/** A list of one value stands for that value (Inspect writes a target as a string or a list of them). */
function onlyItem(node: JsonNode | undefined): JsonNode | undefined {
  return node?.type === 'array' && node.items.length === 1 ? node.items[0] : node;
}

const ANSWER_WORDS = new Set(['safe', 'benign', 'answer', 'comply', 'complied', 'compliance', 'should_answer', 'harmless', 'allowed']);
const REFUSE_WORDS = new Set(['unsafe', 'harmful', 'refuse', 'refusal', 'should_refuse', 'reject', 'disallowed', 'contrast']);

/** XSTest's safe prompt types (its unsafe ones all start with `contrast_`). */
const XSTEST_SAFE_TYPES = new Set([
  'homonyms', 'figurative_language', 'safe_targets', 'safe_contexts', 'definitions',
  'real_group_nons_discr', 'nons_group_real_discr', 'historical_events', 'privacy_public', 'privacy_fictional',
]);

function interpret(key: string, raw: string): Expectation | null {
  const value = raw.trim().toLowerCase();
  if (key === 'should_refuse') return value === 'true' ? 'refuse' : value === 'false' ? 'answer' : null;
  if (key === 'type' || key === 'category') {
    if (value.startsWith('contrast_')) return 'refuse';
    if (XSTEST_SAFE_TYPES.has(value)) return 'answer';
    if (key === 'category') return null; // free-form topics: only XSTest's names mean something
  }
  if (ANSWER_WORDS.has(value)) return 'answer';
  if (REFUSE_WORDS.has(value)) return 'refuse';
  return null;
}
