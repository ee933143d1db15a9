import { createHash } from 'node:crypto';
import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { at, isArray, isObject, prop, scalarText, stringAt, type JsonNode } from './json/jsonNode';
import { locateString, toResponse, type LocatedText } from './json/jsonText';
import { locatePromptInJsonText } from './json/promptText';
import { expectationOf } from './expectation';
import { baseName, parentFolder } from './filePath';
import type { ExtractOptions, MetadataValue } from './records';

/**
 * lm-evaluation-harness `--log_samples` files, `<output>/<model>/samples_<task>_<date>.jsonl`:
 * one record per document and filter, `{doc_id, doc, target, arguments, resps, filtered_resps,
 * filter, metrics, ...}`. The raw generation is `resps[0][k]` (k > 0 only with `repeats`), the
 * prompt `arguments.gen_args_0.arg_0` (older versions: `arguments[0][0]`). Every filter writes
 * the same generations again, so a document's generation is counted once. The harness writes no
 * model name into the records: it names the folder after the model (`org__name`).
 */

function isSampleRecord(node: JsonNode | undefined): boolean {
  return isObject(node) && prop(node, 'doc_id') !== undefined && isArray(prop(node, 'resps'));
}

/** The task in `samples_<task>_<date>.jsonl` (the date is ISO, `2024-05-01T12-30-45.123456`). */
export function taskFromFileName(fileName: string): string | null {
  const m = /samples_(.+?)_\d{4}-\d{2}-\d{2}(?:[T_].*)?\.jsonl?$/i.exec(baseName(fileName));
  return m ? m[1] : null;
}

/** The model in the folder the harness names after it: `meta-llama__Llama-3.1-8B` is `meta-llama/Llama-3.1-8B`. */
export function modelFromPath(fileName: string): string | null {
  const folder = parentFolder(fileName);
  return folder.includes('__') ? folder.replace('__', '/') : null;
}

export const lmEvalHarnessFormat: JsonFormat = {
  kind: 'json',
  name: 'lm-eval-harness',
  label: 'lm-evaluation-harness samples',
  match(root, fileName) {
    if (!isSampleRecord(root)) return 0;
    return prop(root, 'filtered_resps') !== undefined || taskFromFileName(fileName) ? 10 : 8;
  },
  begin(options: ExtractOptions, fileName = ''): JsonExtractor {
    const task = taskFromFileName(fileName);
    const folderModel = modelFromPath(fileName);
    /** doc_id -> hashes of the generations already counted for it (hashes: files have 100k docs). */
    const seen = new Map<string, Set<string>>();
    return {
      record(root, source, sink) {
        if (!isSampleRecord(root)) return;
        const docId = scalarText(prop(root, 'doc_id')) ?? '?';
        const generations = generationsOf(prop(root, 'resps'));
        if (generations.length === 0) return; // loglikelihood tasks: scores, no text
        if (!generates(prop(root, 'arguments'), generations)) return; // a rolling loglikelihood: its score, written as a string
        let counted = seen.get(docId);
        if (!counted) seen.set(docId, (counted = new Set()));
        const earlier = counted.size; // generations of this document read from earlier lines
        const prompt = promptOf(prop(root, 'arguments'), source);
        const model = folderModel ?? stringAt(root, 'model') ?? stringAt(root, 'model_name');
        const expected = expectationOf(root, options);
        for (const { node, path } of generations) {
          const key = textKey(node.value);
          if (counted.has(key)) continue; // the same generation under another filter
          counted.add(key);
          const metadata: Record<string, MetadataValue> = { doc_id: docId };
          if (task) metadata.task = task;
          const filter = stringAt(root, 'filter');
          if (filter) metadata.filter = filter;
          // a different text for a document read before: the line keeps the id unique
          const id = earlier > 0 && source.line !== null ? `line ${source.line}: doc ${docId}: ${path}` : `doc ${docId}: ${path}`;
          sink.response(toResponse(id, locateString(node, source), { prompt, model, expected, metadata }));
        }
      },
    };
  },
};

/**
 * Whether the request generated text. The harness writes every response as strings (`sanitize_list`),
 * so a `loglikelihood_rolling` request's score (`resps: [["-1234.5"]]`) looks like a generation; its
 * arguments tell: a generation's second argument holds the generation settings (`{until: ...}`),
 * a loglikelihood's is the continuation, a rolling one has none. Without arguments, a response
 * that is only numbers is taken for a score.
 */
function generates(args: JsonNode | undefined, generations: ReadonlyArray<{ node: { value: string } }>): boolean {
  const request = isObject(args) ? prop(args, 'gen_args_0') : isArray(args) ? args.items[0] : undefined;
  const second = isObject(request) ? prop(request, 'arg_1') : isArray(request) ? request.items[1] : null;
  if (second !== null) return isObject(second);
  return !generations.every((g) => NUMBER.test(g.node.value.trim()));
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** The generations of `resps`: `[[text, ...]]` (one request, `repeats` samples), or `[text]`. */
function generationsOf(resps: JsonNode | undefined): Array<{ node: Extract<JsonNode, { type: 'string' }>; path: string }> {
  if (!isArray(resps) || resps.items.length === 0) return [];
  const first = resps.items[0];
  if (first.type === 'string') return [{ node: first, path: 'resps[0]' }];
  if (!isArray(first)) return [];
  const out: Array<{ node: Extract<JsonNode, { type: 'string' }>; path: string }> = [];
  first.items.forEach((g, k) => {
    if (g.type === 'string') out.push({ node: g, path: `resps[0][${k}]` });
  });
  return out;
}

/**
 * The prompt: `arguments.gen_args_0.arg_0`, or `arguments[0][0]`. Chat-templated API models keep
 * the messages JSON-encoded (`arg_0` a string, or a one-element list of it): the prompt is then
 * the last user message inside, mapped through both layers of escapes.
 */
function promptOf(args: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  let node = isObject(args) ? at(args, 'gen_args_0', 'arg_0') : isArray(args) ? at(args, 0, 0) : undefined;
  if (isArray(node)) node = node.items[0];
  if (node?.type !== 'string') return null;
  const located = locateString(node, source);
  return (located.text.startsWith('[{') ? locatePromptInJsonText(located) : null) ?? located;
}

/** A digest of a text: equal generations are recognised without keeping their text. */
function textKey(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
