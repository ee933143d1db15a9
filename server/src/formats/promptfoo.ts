import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { at, isArray, isObject, prop, type JsonArray, type JsonNode, type JsonObject } from './json/jsonNode';
import { parseFieldPath, selectPath } from './json/fieldPath';
import { locateContent, locateString, recordPrefix, toResponse, type LocatedText } from './json/jsonText';
import { locatePromptInJsonText } from './json/promptText';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink, MetadataValue, ParseErrorRecord, ResponseRecord } from './records';
import type { TextMap } from '../text/textMap';

/**
 * promptfoo output, as `promptfoo eval -o` writes it:
 * - `results.json`, v3: `{evalId, results: {version: 3, results: [EvaluateResult...], prompts, stats}, config}`;
 * - `results.json`, v2 (older promptfoo): `results.table.body[r].outputs[c]` cells under `results.table.head.prompts[c]`
 *   (v2 files also hold `results.results`; only the table is read, so nothing counts twice);
 * - `results.jsonl`: one EvaluateResult a line.
 *
 * The response is `response.output`. promptfoo keeps what the provider returned, so it may be an
 * object or a list: a list of strings or text parts is read as one text; an object is read through
 * the first text field it has (`output`, `text`, `content`, `response`, `answer`, `completion`,
 * `message.content`, `choices[0].message.content`, `choices[0].text`), and an object with none
 * (tool calls, structured data) holds no text to classify and is skipped. A result without output
 * (a provider error) is skipped too.
 *
 * The prompt is `prompt.raw` (when it is a chat prompt rendered as JSON, the last user message in
 * it), else the test's prompt-like var. The model is `provider.label`, else `provider.id`.
 * promptfoo's own verdicts are kept as metadata: `isRefusal` (`response.isRefusal`), `success`, `score`.
 */

/** Where an object output keeps its text, in order. */
const OUTPUT_TEXT_PATHS = ['output', 'text', 'content', 'response', 'answer', 'completion', 'message.content', 'choices[0].message.content', 'choices[0].text'].map(
  (p) => parseFieldPath(p),
);

/** Var names that hold the prompt itself, in order (the redteam plugins inject `prompt` or `query`). */
const PROMPT_VARS = ['prompt', 'query', 'question', 'input', 'message', 'request', 'instruction'];

/** promptfoo's stand-in when PROMPTFOO_STRIP_PROMPT_TEXT is set: not a prompt. */
const STRIPPED_PROMPT = '[prompt stripped]';

/** The older table cell text of a failed test: `<error or grader reasons>\n---\n<output>`. */
const FAILURE_SEPARATOR = '\n---\n';

function isEvaluateResult(node: JsonNode | undefined): node is JsonObject {
  return (
    isObject(node) &&
    prop(node, 'provider') !== undefined &&
    isObject(prop(node, 'prompt')) &&
    (prop(node, 'response') !== undefined || prop(node, 'testCase') !== undefined) &&
    (prop(node, 'promptIdx') !== undefined || prop(node, 'testIdx') !== undefined)
  );
}

/** The `results` summary of an output file, with its shape. */
function summaryOf(root: JsonNode): { summary: JsonObject; table: JsonObject | null } | null {
  const summary = prop(root, 'results');
  if (!isObject(summary)) return null;
  const version = prop(summary, 'version');
  const table = prop(summary, 'table');
  if (isObject(table) && (version?.type !== 'number' || version.value < 3)) return { summary, table };
  if (isArray(prop(summary, 'results')) && version?.type === 'number') return { summary, table: null };
  return null;
}

export const promptfooFormat: JsonFormat = {
  kind: 'json',
  name: 'promptfoo',
  label: 'promptfoo results',
  match(root) {
    if (summaryOf(root)) return 10;
    if (isEvaluateResult(root)) return 9;
    if (isArray(root) && isEvaluateResult(root.items.find(isObject))) return 8;
    return 0;
  },
  // Large files: v3 results one at a time (a top-level array too). A v2 file's table comes after
  // its results (which are not read when there is a table): they wait for the end, kept as records.
  streaming: { arrays: [[], ['results', 'results']], header: [['results', 'version']] },
  begin(options: ExtractOptions): JsonExtractor {
    const reader = new ResultReader(options);
    const held: Array<{ response: ResponseRecord } | { error: ParseErrorRecord }> = [];
    const hold: ExtractSink = { response: (response) => held.push({ response }), error: (error) => held.push({ error }) };
    return {
      element(node, array, index, source, header, sink) {
        if (!isObject(node)) return;
        if (array.length === 0) return reader.result(node, source, `[${index}].`, sink);
        const version = at(header.root, 'results', 'version');
        const v3 = version?.type === 'number' && version.value >= 3;
        reader.result(node, source, `results.results[${index}].`, v3 ? sink : hold);
      },
      end(sink, header) {
        const shape = header && summaryOf(header.root);
        if (shape?.table) reader.table(shape.table, header!.source, 'results.table.', sink);
        else for (const h of held) 'response' in h ? sink.response(h.response) : sink.error(h.error);
        held.length = 0;
      },
      record(root, source, sink) {
        const prefix = recordPrefix(source);
        if (isEvaluateResult(root)) return reader.result(root, source, prefix, sink);
        if (isArray(root)) return root.items.forEach((item, i) => isObject(item) && reader.result(item, source, `${prefix}[${i}].`, sink));
        const shape = summaryOf(root);
        if (!shape) return;
        if (shape.table) reader.table(shape.table, source, `${prefix}results.table.`, sink);
        else {
          const results = prop(shape.summary, 'results') as JsonArray;
          results.items.forEach((item, i) => isObject(item) && reader.result(item, source, `${prefix}results.results[${i}].`, sink));
        }
      },
    };
  },
};

class ResultReader {
  constructor(private readonly options: ExtractOptions) {}

  /** One EvaluateResult (v3 and JSONL). */
  result(node: JsonObject, source: JsonRecordSource, idPrefix: string, sink: ExtractSink): void {
    const response = prop(node, 'response');
    const output = locateOutput(prop(response, 'output'), source);
    if (!output) return;
    const testCase = prop(node, 'testCase');
    sink.response(
      toResponse(`${idPrefix}response.output${output.subPath}`, output.text, {
        prompt: promptOfRaw(at(node, 'prompt', 'raw'), source) ?? promptOfVars(prop(node, 'vars') ?? prop(testCase, 'vars'), source),
        model: providerName(prop(node, 'provider')),
        expected: expectationOf(node, this.options, [testCase]),
        metadata: metadataOf(response, prop(node, 'success'), prop(node, 'score')),
      }),
    );
  }

  /** A v2 table: one response per output cell, the prompt and provider from the column head. */
  table(table: JsonObject, source: JsonRecordSource, idPrefix: string, sink: ExtractSink): void {
    const headPrompts = at(table, 'head', 'prompts');
    const body = prop(table, 'body');
    if (!isArray(body)) return;
    body.items.forEach((row, r) => {
      const outputs = prop(row, 'outputs');
      if (!isArray(outputs)) return;
      outputs.items.forEach((cell, c) => {
        if (!isObject(cell)) return; // a column with no result is written as null
        const cellId = `${idPrefix}body[${r}].outputs[${c}].`;
        const response = prop(cell, 'response');
        let text: LocatedText | null = null;
        let id = '';
        const output = locateOutput(prop(response, 'output'), source);
        if (output) {
          text = output.text;
          id = `${cellId}response.output${output.subPath}`;
        } else {
          const cellText = prop(cell, 'text');
          if (cellText?.type !== 'string') return;
          text = locateString(cellText, source);
          const pass = prop(cell, 'pass');
          const sep = text.text.indexOf(FAILURE_SEPARATOR);
          if (pass?.type === 'boolean' && !pass.value && sep >= 0) text = tail(text, sep + FAILURE_SEPARATOR.length);
          id = `${cellId}text`;
        }
        const head = isArray(headPrompts) ? headPrompts.items[c] : undefined;
        const testCase = prop(cell, 'testCase') ?? prop(row, 'test');
        sink.response(
          toResponse(id, text, {
            prompt: promptOfRaw(prop(cell, 'prompt'), source) ?? promptOfRaw(prop(head, 'raw'), source) ?? promptOfVars(prop(testCase, 'vars'), source),
            model: providerName(prop(cell, 'provider')) ?? providerName(prop(head, 'provider')),
            expected: expectationOf(cell, this.options, [testCase, prop(row, 'test')]),
            metadata: metadataOf(response, prop(cell, 'pass') ?? prop(cell, 'success'), prop(cell, 'score')),
          }),
        );
      });
    });
  }
}

/** The text of `response.output`, with the path below `output` it came from. */
function locateOutput(node: JsonNode | undefined, source: JsonRecordSource): { text: LocatedText; subPath: string } | null {
  if (!node) return null;
  if (node.type === 'string') return { text: locateString(node, source), subPath: '' };
  if (node.type === 'array') {
    const text = locateContent(node, source);
    return text ? { text, subPath: '' } : null;
  }
  if (node.type !== 'object') return null;
  for (const steps of OUTPUT_TEXT_PATHS) {
    for (const m of selectPath(node, steps, '')) {
      const text = locateContent(m.node, source);
      if (text) return { text, subPath: `.${m.path}` };
    }
  }
  return null;
}

function promptOfRaw(node: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  if (node?.type !== 'string' || node.value.trim() === '' || node.value === STRIPPED_PROMPT) return null;
  const raw = locateString(node, source);
  return locatePromptInJsonText(raw) ?? raw;
}

function promptOfVars(vars: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  if (!isObject(vars)) return null;
  for (const key of PROMPT_VARS) {
    const v = prop(vars, key);
    if (v?.type === 'string') return locateString(v, source);
  }
  const strings = vars.properties.filter((p) => p.value.type === 'string');
  return strings.length === 1 && strings[0].value.type === 'string' ? locateString(strings[0].value, source) : null;
}

function providerName(node: JsonNode | undefined): string | null {
  if (node?.type === 'string') return node.value || null;
  if (!isObject(node)) return null;
  const label = prop(node, 'label');
  if (label?.type === 'string' && label.value !== '') return label.value;
  const id = prop(node, 'id');
  return id?.type === 'string' && id.value !== '' ? id.value : null;
}

function metadataOf(response: JsonNode | undefined, success: JsonNode | undefined, score: JsonNode | undefined): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  const isRefusal = prop(response, 'isRefusal');
  if (isRefusal?.type === 'boolean') out.isRefusal = isRefusal.value;
  if (success?.type === 'boolean') out.success = success.value;
  if (score?.type === 'number') out.score = score.value;
  return out;
}

/** The part of a located text from `from` on (the output after a failure reason). */
function tail(text: LocatedText, from: number): LocatedText {
  const map: TextMap = { textLength: text.text.length - from, range: (start, end) => text.map.range(start + from, end + from) };
  return { text: text.text.slice(from), map, range: map.range(0, map.textLength) };
}
