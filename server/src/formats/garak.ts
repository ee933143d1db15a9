import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { at, isArray, isObject, prop, scalarText, stringAt, type JsonNode, type JsonObject, type JsonString } from './json/jsonNode';
import { locateString, recordPrefix, toResponse, type LocatedText } from './json/jsonText';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink, MetadataValue, ResponseRecord } from './records';

/**
 * garak `*.report.jsonl`: one entry a line, kind in `entry_type`. The run's settings come first
 * (`start_run setup`, flattened keys such as `plugins.target_name`, `plugins.model_name` before
 * garak 0.11). Each attempt is written twice: when the generator has answered (`status` 1) and
 * again after detection (`status` 2), so responses are read from status 2 entries; an attempt
 * that never reached status 2 (an interrupted run) is read from its status 1 entry at the end.
 * Responses are `outputs[i].text` (plain strings before garak 0.11; null when generation
 * failed); the prompt is a string or a Conversation `{turns: [{role, content: {text}}]}`.
 * `conversations` repeats the outputs and is not read.
 *
 * The run's `*.hitlog.jsonl` is read too: one line per output a detector scored as a hit
 * (`{goal, prompt, output, score, attempt_id, attempt_idx, generator, probe, detector}`), so an
 * output two detectors hit is written twice and counted once.
 */

const ENTRY_TYPES = new Set(['start_run setup', 'init', 'attempt', 'eval', 'completion', 'digest', 'config']);

const MODEL_KEYS = ['plugins.target_name', 'plugins.model_name', 'model_name', 'target_name'];
const GENERATOR_KEYS = ['plugins.target_type', 'plugins.model_type', 'model_type', 'target_type'];

/** A setting from the setup entry: a flattened `plugins.x` key, or nested `plugins: {x}`. */
function setting(setup: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const flat = stringAt(setup, key);
    if (flat) return flat;
    const dot = key.indexOf('.');
    if (dot > 0) {
      const nested = stringAt(setup, key.slice(0, dot), key.slice(dot + 1));
      if (nested) return nested;
    }
  }
  return null;
}

export const garakFormat: JsonFormat = {
  kind: 'json',
  name: 'garak',
  label: 'garak report',
  match(root) {
    const type = stringAt(root, 'entry_type');
    if (type === null) return isHit(root) ? 9 : 0;
    return ENTRY_TYPES.has(type) ? 10 : 6;
  },
  begin(options: ExtractOptions): JsonExtractor {
    let model: string | null = null;
    let generator: string | null = null;
    /** Status 1 attempts by uuid, until their status 2 entry arrives. */
    const unfinished = new Map<string, ResponseRecord[]>();
    /** Hit log outputs already read (attempt and output index). */
    const hits = new Set<string>();
    return {
      record(root, source, sink) {
        if (!isObject(root)) return;
        const type = stringAt(root, 'entry_type');
        if (type === null && isHit(root)) {
          const hit = hitResponse(root, source, hits, options);
          if (hit) sink.response(hit);
          return;
        }
        if (type === 'start_run setup') {
          model = setting(root, MODEL_KEYS) ?? model;
          generator = setting(root, GENERATOR_KEYS) ?? generator;
          return;
        }
        if (type !== 'attempt') return;
        const status = scalarText(prop(root, 'status'));
        const uuid = stringAt(root, 'uuid');
        if (status === '2') {
          // a status 2 entry cut short (no outputs) leaves its status 1 entry to be read
          if (uuid && isArray(prop(root, 'outputs'))) unfinished.delete(uuid);
          for (const r of attemptResponses(root, source, uuid, { model, generator, status: 2 }, options)) sink.response(r);
        } else if (status === '1' && uuid) {
          unfinished.set(uuid, attemptResponses(root, source, uuid, { model, generator, status: 1 }, options));
        }
      },
      end(sink: ExtractSink) {
        for (const records of unfinished.values()) for (const r of records) sink.response(r);
        unfinished.clear();
      },
    };
  },
};

interface RunInfo {
  model: string | null;
  generator: string | null;
  status: number;
}

function attemptResponses(attempt: JsonObject, source: JsonRecordSource, uuid: string | null, run: RunInfo, options: ExtractOptions): ResponseRecord[] {
  const outputs = prop(attempt, 'outputs');
  if (!isArray(outputs)) return [];
  const prompt = promptOf(prop(attempt, 'prompt'), source);
  const expected = expectationOf(attempt, options);
  const probe = stringAt(attempt, 'probe_classname');
  const goal = stringAt(attempt, 'goal');
  const seq = scalarText(prop(attempt, 'seq'));
  const detectors = prop(attempt, 'detector_results');
  const prefix = uuid ? `attempt ${uuid}: ` : recordPrefix(source);
  const out: ResponseRecord[] = [];
  outputs.items.forEach((o, i) => {
    const node = o.type === 'string' ? o : prop(o, 'text');
    if (node?.type !== 'string') return; // the generator gave nothing
    const metadata: Record<string, MetadataValue> = {};
    if (probe) metadata.probe = probe;
    if (goal) metadata.goal = goal;
    if (seq !== null) metadata.seq = Number(seq);
    if (run.generator) metadata.generator = run.generator;
    if (run.status !== 2) metadata.status = run.status;
    if (isObject(detectors)) {
      for (const d of detectors.properties) {
        const score = at(d.value, i);
        if (score?.type === 'number') metadata[`detector.${d.key}`] = score.value;
      }
    }
    const path = o.type === 'string' ? `outputs[${i}]` : `outputs[${i}].text`;
    out.push(toResponse(`${prefix}${path}`, locateString(node, source), { prompt, model: run.model, expected, metadata }));
  });
  return out;
}

/** The prompt: a string (older garak), or the last user turn of a Conversation. */
function promptOf(node: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  if (node?.type === 'string') return locateString(node, source);
  const turns = prop(node, 'turns');
  if (!isArray(turns)) return null;
  for (let i = turns.items.length - 1; i >= 0; i--) {
    const turn = turns.items[i];
    const role = stringAt(turn, 'role');
    if (role !== null && role !== 'user') continue;
    const content = prop(turn, 'content');
    const text: JsonString | undefined = content?.type === 'string' ? content : (prop(content, 'text') as JsonString | undefined);
    if (text?.type === 'string') return locateString(text, source);
  }
  return null;
}

/** A hit log line: the output of one attempt that one detector scored as a hit. */
function isHit(node: JsonNode | undefined): node is JsonObject {
  return isObject(node) && prop(node, 'attempt_id') !== undefined && prop(node, 'detector') !== undefined && prop(node, 'output') !== undefined;
}

function hitResponse(hit: JsonObject, source: JsonRecordSource, seen: Set<string>, options: ExtractOptions): ResponseRecord | null {
  const output = prop(hit, 'output');
  const node = output?.type === 'string' ? output : prop(output, 'text');
  if (node?.type !== 'string') return null;
  const attempt = scalarText(prop(hit, 'attempt_id')) ?? '?';
  const index = scalarText(prop(hit, 'attempt_idx')) ?? '0';
  const key = `${attempt}#${index}`;
  if (seen.has(key)) return null; // another detector hit the same output
  seen.add(key);
  const metadata: Record<string, MetadataValue> = {};
  const probe = stringAt(hit, 'probe');
  const goal = stringAt(hit, 'goal');
  const detector = stringAt(hit, 'detector');
  const score = prop(hit, 'score');
  if (probe) metadata.probe = probe;
  if (goal) metadata.goal = goal;
  if (detector && score?.type === 'number') metadata[`detector.${detector}`] = score.value;
  // `generator` is "<type> <name>", e.g. "openai gpt-4o"
  const generator = stringAt(hit, 'generator');
  const space = generator ? generator.indexOf(' ') : -1;
  if (generator && space > 0) metadata.generator = generator.slice(0, space);
  const model = generator ? (space > 0 ? generator.slice(space + 1) : generator) : null;
  const path = output?.type === 'string' ? 'output' : 'output.text';
  return toResponse(`attempt ${attempt}: outputs[${index}] (hit log ${path})`, locateString(node, source), {
    prompt: promptOf(prop(hit, 'prompt'), source),
    model,
    expected: expectationOf(hit, options),
    metadata,
  });
}
