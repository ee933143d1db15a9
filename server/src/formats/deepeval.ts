import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { isArray, isObject, prop, stringAt, type JsonNode, type JsonObject } from './json/jsonNode';
import { locateContent, locateString, toResponse, type LocatedText } from './json/jsonText';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';

/**
 * DeepEval test runs: `.deepeval/.latest_test_run.json` is `{"testRunData": <test run>}` (or only
 * `{"testRunLink": ...}` when the run went to Confident AI: no test cases in the file), and
 * `test_run_<time>.json` (DEEPEVAL_RESULTS_FOLDER) is the test run itself. A test run has
 * `testCases: [{name, input, actualOutput, expectedOutput, context, retrievalContext, success,
 * metricsData: [{name, score, success, ...}], ...}]`: the response is `actualOutput`, its prompt
 * `input`. `conversationalTestCases[i].turns` are `{role, content}` turns (the assistant's are
 * responses, the user turn before each its prompt); DeepEval before 2.0 wrote them as test cases
 * (`{input, actualOutput}`), read the same way. The model is the run's `hyperparameters.model`
 * when logged.
 */

const RUN_KEYS = ['testCases', 'conversationalTestCases'];

function isTestRun(node: JsonNode | undefined): node is JsonObject {
  return isObject(node) && RUN_KEYS.some((k) => isArray(prop(node, k))) && (isArray(prop(node, 'testCases')) ? looksLikeCases(prop(node, 'testCases')) : true);
}

/** Test cases as DeepEval writes them (an empty list counts: a run with only conversations). */
function looksLikeCases(cases: JsonNode | undefined): boolean {
  if (!isArray(cases)) return false;
  const first = cases.items.find(isObject);
  return !first || prop(first, 'actualOutput') !== undefined || (prop(first, 'input') !== undefined && prop(first, 'metricsData') !== undefined);
}

export const deepevalFormat: JsonFormat = {
  kind: 'json',
  name: 'deepeval',
  label: 'DeepEval test run',
  match(root) {
    if (isTestRun(prop(root, 'testRunData'))) return 10;
    if (isTestRun(root) && (prop(root, 'testPassed') !== undefined || prop(root, 'metricsScores') !== undefined || looksLikeCases(prop(root, 'testCases')))) return 9;
    if (isObject(root) && root.properties.length === 1 && prop(root, 'testRunLink')?.type === 'string') return 8;
    return 0;
  },
  begin(options: ExtractOptions): JsonExtractor {
    return {
      record(root, source, sink) {
        const nested = prop(root, 'testRunData');
        if (isTestRun(nested)) readRun(nested, 'testRunData.', source, options, sink);
        else if (isTestRun(root)) readRun(root, '', source, options, sink);
        // a file holding only the link to Confident AI has no test cases to read
      },
    };
  },
};

function readRun(run: JsonObject, prefix: string, source: JsonRecordSource, options: ExtractOptions, sink: ExtractSink): void {
  const model = stringAt(run, 'hyperparameters', 'model') ?? stringAt(run, 'hyperparameters', 'Model');
  const cases = prop(run, 'testCases');
  if (isArray(cases)) {
    cases.items.forEach((c, i) => {
      if (isObject(c)) testCase(c, `${prefix}testCases[${i}].`, null, model, source, options, sink);
    });
  }
  const conversations = prop(run, 'conversationalTestCases');
  if (!isArray(conversations)) return;
  conversations.items.forEach((conv, i) => {
    const turns = prop(conv, 'turns');
    if (!isObject(conv) || !isArray(turns)) return;
    const base = metadataOf(conv);
    let prompt: LocatedText | null = null;
    turns.items.forEach((turn, j) => {
      if (!isObject(turn)) return;
      const path = `${prefix}conversationalTestCases[${i}].turns[${j}].`;
      if (prop(turn, 'actualOutput') !== undefined || prop(turn, 'input') !== undefined) {
        testCase(turn, path, base, model, source, options, sink); // DeepEval before 2.0
        return;
      }
      const role = stringAt(turn, 'role');
      const text = locateContent(prop(turn, 'content'), source);
      if (role === 'user') prompt = text;
      if (role !== 'assistant' || !text) return;
      sink.response(toResponse(`${path}content`, text, { prompt, model, expected: expectationOf(conv, options), metadata: { ...base } }));
    });
  });
}

function testCase(
  c: JsonObject,
  path: string,
  conversation: Record<string, MetadataValue> | null,
  model: string | null,
  source: JsonRecordSource,
  options: ExtractOptions,
  sink: ExtractSink,
): void {
  // a string; multimodal test cases keep a list of texts and images
  const text = locateContent(prop(c, 'actualOutput'), source);
  if (!text || text.text.trim() === '') return; // no output recorded
  const input = prop(c, 'input');
  const prompt = input?.type === 'string' ? locateString(input, source) : isArray(input) ? locateContent(input, source) : null;
  const metadata = { ...(conversation ?? {}), ...metadataOf(c) };
  sink.response(toResponse(`${path}actualOutput`, text, { prompt, model, expected: expectationOf(c, options), metadata }));
}

/** The case's name, verdict and metric scores. */
function metadataOf(c: JsonNode): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  const name = stringAt(c, 'name');
  if (name) out.name = name;
  const success = prop(c, 'success');
  if (success?.type === 'boolean') out.success = success.value;
  const metrics = prop(c, 'metricsData');
  if (isArray(metrics)) {
    for (const m of metrics.items) {
      const metric = stringAt(m, 'name');
      const score = prop(m, 'score');
      if (metric && score?.type === 'number') out[`metric.${metric}`] = score.value;
    }
  }
  return out;
}
