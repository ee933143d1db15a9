import type { ArchiveFormat, Format, JsonFormat, TextFormat } from './format';
import type { JsonNode } from './json/jsonNode';
import { defaultExtractOptions, type ExtractOptions } from './records';
import { openaiChatFormat } from './openaiChat';
import { promptfooFormat } from './promptfoo';
import { sharegptFormat } from './sharegpt';
import { openaiEvalsFormat } from './openaiEvals';
import { genericJsonFormat } from './genericJson';
import { inspectLogFormat } from './inspectLog';
import { inspectEvalFormat } from './inspectEval';
import { lmEvalHarnessFormat } from './lmEvalHarness';
import { garakFormat } from './garak';
import { markdownTranscriptFormat } from './markdownTranscript';
import { aiderHistoryFormat } from './aiderHistory';
import { helmFormat } from './helm';
import { deepevalFormat } from './deepeval';
import { batchOutputFormat } from './batchOutput';
import { csvFormat } from './csvTable';

/**
 * Every format, in order of preference when two match equally well. The generic fallback
 * matches last and weakest: it only takes files no specific format claims.
 */
export const formats: readonly Format[] = [openaiChatFormat, promptfooFormat, sharegptFormat, openaiEvalsFormat, inspectLogFormat, inspectEvalFormat, lmEvalHarnessFormat, garakFormat, helmFormat, deepevalFormat, batchOutputFormat, aiderHistoryFormat, markdownTranscriptFormat, csvFormat, genericJsonFormat];

export const jsonFormats = formats.filter((f): f is JsonFormat => f.kind === 'json');
export const textFormats = formats.filter((f): f is TextFormat => f.kind === 'text');
export const archiveFormats = formats.filter((f): f is ArchiveFormat => f.kind === 'archive');

export function formatByName(name: string): Format | undefined {
  return formats.find((f) => f.name === name);
}

export function formatNames(): string[] {
  return formats.map((f) => f.name);
}

/** The JSON format that claims this value most surely, or null when none does. */
export function pickJsonFormat(root: JsonNode, fileName: string, options: ExtractOptions = defaultExtractOptions): JsonFormat | null {
  let best: JsonFormat | null = null;
  let bestScore = 0;
  for (const f of jsonFormats) {
    const score = f.match(root, fileName, options);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

export function pickTextFormat(fileName: string, head: string): TextFormat | null {
  let best: TextFormat | null = null;
  let bestScore = 0;
  for (const f of textFormats) {
    const score = f.match(fileName, head);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

export function pickArchiveFormat(fileName: string, head: Uint8Array): ArchiveFormat | null {
  return archiveFormats.find((f) => f.match(fileName, head) > 0) ?? null;
}
