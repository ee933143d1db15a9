import { buildZip, type ZipMember, type ZipMethod, type ZipOptions } from './zipWriter';

/**
 * Builds Inspect AI `.eval` archives from a log object (`{version, eval, plan, results, stats,
 * samples}`), laid out as Inspect's EvalRecorder writes them: `_journal/start.json`, one
 * `samples/{id}_epoch_{n}.json` per sample, `_journal/summaries/1.json`, `summaries.json`,
 * `header.json`; JSON indented by 2 as pydantic's `to_json(indent=2)` writes it.
 * Used by the tests (through test/helpers/evalArchive.ts) and by make-example-eval.ts.
 */

export interface EvalArchiveOptions extends ZipOptions {
  /** Compression of every member (default deflate), or per member name. */
  method?: ZipMethod | ((name: string) => ZipMethod);
  zstdNoContentSize?: boolean;
  /** Leave `header.json` out, as in a run still going on. */
  noHeader?: boolean;
  /** Replace or add members (by name) after the standard ones are laid out. */
  override?: (members: ZipMember[]) => ZipMember[];
}

export interface EvalArchive {
  bytes: Uint8Array;
  /** Each member's JSON text, by name (to check ranges against). */
  texts: Map<string, string>;
}

type Json = Record<string, unknown>;

export function sampleMemberName(sample: Json): string {
  return `samples/${String(sample.id)}_epoch_${String(sample.epoch ?? 1)}.json`;
}

export function buildEvalArchive(log: Json, options: EvalArchiveOptions = {}): EvalArchive {
  const { samples = [], ...header } = log as Json & { samples?: Json[] };
  const summaries = samples.map((s) => ({ id: s.id, epoch: s.epoch, input: s.input, target: s.target, scores: s.scores }));
  const texts = new Map<string, string>();
  const add = (name: string, value: unknown) => texts.set(name, JSON.stringify(value, null, 2));
  add('_journal/start.json', { version: header.version, eval: header.eval, plan: header.plan });
  for (const s of samples) add(sampleMemberName(s), s);
  add('_journal/summaries/1.json', summaries);
  add('summaries.json', summaries);
  if (!options.noHeader) add('header.json', header);
  const methodOf = (name: string): ZipMethod => (typeof options.method === 'function' ? options.method(name) : options.method ?? 'deflate');
  let members: ZipMember[] = [...texts].map(([name, data]) => ({ name, data, method: methodOf(name), zstdNoContentSize: options.zstdNoContentSize }));
  if (options.override) {
    members = options.override(members);
    for (const m of members) if (typeof m.data === 'string') texts.set(m.name, m.data);
  }
  return { bytes: buildZip(members, options), texts };
}
