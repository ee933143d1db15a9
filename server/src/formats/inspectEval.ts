import { isUtf8 } from 'node:buffer';
import type { ArchiveFormat, JsonRecordSource } from './format';
import { parseJson } from './json/jsonParser';
import type { JsonNode } from './json/jsonNode';
import { extractInspectSample, type InspectContext } from './inspectSample';
import { inspectModel, inspectTask, isInspectHeader } from './inspectLog';
import { ZERO_RANGE, type ExtractOptions, type ExtractSink } from './records';
import { readZipDirectory, readZipEntry, ZipError, type ZipEntry } from './zip/zipReader';
import { LineIndex, rangeOf } from '../text/positions';

/**
 * Inspect AI `.eval` logs: a ZIP holding `header.json` (the log without samples; while a run is
 * going on only `_journal/start.json`), one `samples/{id}_epoch_{n}.json` per sample, and
 * `summaries.json`/`_journal/summaries/*.json` (inputs and scores only: not read, they hold no
 * output). Members are deflated, or zstd-compressed (method 93) by newer Inspect versions.
 * Records name their member in `entry`; their ranges are positions in that member's JSON.
 */

/** Larger members are reported, not read (a JS string cannot hold much more). */
const MAX_MEMBER_BYTES = 512 * 1024 * 1024;

const HEADER_MEMBERS = ['header.json', '_journal/start.json', 'start.json'];

function isSampleMember(name: string): boolean {
  return name.startsWith('samples/') && name.endsWith('.json');
}

export const inspectEvalFormat: ArchiveFormat = {
  kind: 'archive',
  name: 'inspect-eval',
  label: 'Inspect AI log (.eval)',
  match(fileName, head) {
    if (!fileName.toLowerCase().endsWith('.eval')) return 0;
    const zip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
    return zip ? 10 : 5; // a damaged .eval is still ours to report on
  },
  extract(data: Uint8Array, options: ExtractOptions, sink: ExtractSink) {
    let entries: ZipEntry[];
    try {
      const dir = readZipDirectory(data);
      entries = dir.entries;
      if (dir.recovered) sink.error({ kind: 'structure', message: `Damaged .eval archive: ${dir.recovered}`, range: ZERO_RANGE });
    } catch (e) {
      sink.error({ kind: 'structure', message: e instanceof Error ? e.message : String(e), range: ZERO_RANGE });
      return;
    }

    const ctx: InspectContext = { model: null, task: null };
    for (const name of HEADER_MEMBERS) {
      const entry = entries.find((e) => e.name === name);
      if (!entry) continue;
      const header = readMember(data, entry, sink)?.value ?? undefined;
      if (isInspectHeader(header)) {
        ctx.model = inspectModel(header);
        ctx.task = inspectTask(header);
        break;
      }
    }

    const samples = entries.filter((e) => isSampleMember(e.name)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    for (const entry of samples) {
      const member = readMember(data, entry, sink);
      if (!member?.value) continue;
      extractInspectSample(member.value, member.source, `${entry.name}: `, { ...ctx, entry: entry.name }, options, sink);
    }
  },
};

/** A member parsed as JSON; its problems become error records naming it. Null when unreadable. */
function readMember(data: Uint8Array, entry: ZipEntry, sink: ExtractSink): { value: JsonNode | null; source: JsonRecordSource } | null {
  let bytes: Uint8Array;
  try {
    bytes = readZipEntry(data, entry, MAX_MEMBER_BYTES);
  } catch (e) {
    const message = e instanceof ZipError ? e.message : String(e);
    sink.error({ kind: 'structure', message: `${entry.name}: cannot be read: ${message}`, range: ZERO_RANGE, entry: entry.name });
    return null;
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = buffer.toString('utf8');
  if (!isUtf8(buffer)) sink.error({ kind: 'encoding', message: `${entry.name}: not valid UTF-8: read with replacement characters`, range: ZERO_RANGE, entry: entry.name });
  if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`; // keep offsets: a space stands in for the BOM
  const positions = new LineIndex(text);
  const parsed = parseJson(text);
  for (const e of parsed.errors) sink.error({ kind: 'syntax', message: `${entry.name}: ${e.message}`, range: rangeOf(positions, e.start, e.end), entry: entry.name });
  return { value: parsed.value, source: { src: text, positions, line: null } };
}
