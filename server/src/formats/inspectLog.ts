import type { JsonExtractor, JsonFormat } from './format';
import { isArray, isObject, prop, scalarText, stringAt, type JsonNode } from './json/jsonNode';
import { extractInspectSample } from './inspectSample';
import type { ExtractOptions } from './records';

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
  begin(options: ExtractOptions): JsonExtractor {
    return {
      record(root, source, sink) {
        const samples = prop(root, 'samples');
        if (!isArray(samples)) return;
        const ctx = { model: inspectModel(root), task: inspectTask(root) };
        const used = new Set<string>();
        samples.items.forEach((sample, i) => {
          // ids by sample id and epoch survive samples being reordered or added
          const id = scalarText(prop(sample, 'id'));
          const epoch = scalarText(prop(sample, 'epoch')) ?? '1';
          let prefix = id === null ? `samples[${i}]: ` : `sample ${id} epoch ${epoch}: `;
          if (used.has(prefix)) prefix = `samples[${i}]: `;
          used.add(prefix);
          extractInspectSample(sample, source, prefix, ctx, options, sink);
        });
      },
    };
  },
};
