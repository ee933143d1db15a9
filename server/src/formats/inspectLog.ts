import type { JsonExtractor, JsonFormat, JsonRecordSource } from './format';
import { isArray, isObject, prop, scalarText, stringAt, type JsonNode } from './json/jsonNode';
import { extractInspectSample, type InspectContext } from './inspectSample';
import type { ExtractOptions, ExtractSink } from './records';

/**
 * Inspect AI `.json` logs: `{version, status, eval: {task, model, ...}, plan, results, stats,
 * samples: [...]}`. Each sample is read as inspectSample.ts says (its transcript and output
 * counted once). A log written with `--no-log-samples` has no samples and so no responses.
 */

/** The header of an Inspect log (`.json` document, or `header.json`/`_journal/start.json` of a `.eval`). */
export function isInspectHeader(node: JsonNode | undefined): boolean {
  if (!isObject(node) || prop(node, 'version')?.type !== 'number') return false;
  const spec = prop(node, 'eval');
  return isObject(spec) && (prop(spec, 'model') !== undefined || prop(spec, 'task') !== undefined);
}

export function inspectModel(header: JsonNode | undefined): string | null {
  return stringAt(header, 'eval', 'model');
}

export function inspectTask(header: JsonNode | undefined): string | null {
  return stringAt(header, 'eval', 'task');
}

export const inspectLogFormat: JsonFormat = {
  kind: 'json',
  name: 'inspect-log',
  label: 'Inspect AI log (.json)',
  match(root) {
    return isInspectHeader(root) ? 10 : 0;
  },
  // large logs: one sample at a time, with eval (model, task) and version from the header
  streaming: { arrays: [['samples']], header: [['version'], ['eval']] },
  begin(options: ExtractOptions): JsonExtractor {
    const used = new Set<string>();
    const sample = (node: JsonNode, i: number, source: JsonRecordSource, ctx: InspectContext, sink: ExtractSink) => {
      // ids by sample id and epoch survive samples being reordered or added
      const id = scalarText(prop(node, 'id'));
      const epoch = scalarText(prop(node, 'epoch')) ?? '1';
      let prefix = id === null ? `samples[${i}]: ` : `sample ${id} epoch ${epoch}: `;
      if (used.has(prefix)) prefix = `samples[${i}]: `;
      used.add(prefix);
      extractInspectSample(node, source, prefix, ctx, options, sink);
    };
    let streamed: InspectContext | null = null;
    return {
      record(root, source, sink) {
        const samples = prop(root, 'samples');
        if (!isArray(samples)) return;
        const ctx = { model: inspectModel(root), task: inspectTask(root) };
        samples.items.forEach((node, i) => sample(node, i, source, ctx, sink));
      },
      element(node, _array, index, source, header, sink) {
        streamed ??= { model: inspectModel(header.root), task: inspectTask(header.root) };
        sample(node, index, source, streamed, sink);
      },
    };
  },
};
