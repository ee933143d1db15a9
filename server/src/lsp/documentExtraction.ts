import { throwIfCancelled } from '../classify/detector';
import { containerOf, extractText, isProbablyBinary, JsonlReader, type ExtractSettings, type Extraction } from '../engine/extract';
import type { ExtractSink, ParseErrorRecord, ResponseRecord } from '../formats/records';
import { formatByName } from '../formats/registry';
import { yieldToEventLoop } from './cachedDetector';

/** Lines, and characters, read between two yields to the event loop. */
const LINES_PER_SLICE = 500;
const CHARS_PER_SLICE = 1024 * 1024;

/**
 * An open document's records. JSONL (the shape of large result files) is read line by line with
 * yields and cancellation checks between slices, so a document of tens of MB never blocks the
 * server; everything else goes through the engine's extractText in one pass. Same records either way.
 */
export async function extractDocument(text: string, fileName: string, settings: ExtractSettings, signal?: AbortSignal): Promise<Extraction> {
  const forced = settings.inputFormat ? formatByName(settings.inputFormat) : undefined;
  const streamable =
    (!settings.inputFormat || forced?.kind === 'json') &&
    /\S/.test(text) &&
    !isProbablyBinary(text.slice(0, 8000)) &&
    containerOf(fileName, text.slice(0, 4096)) === 'jsonl';
  if (!streamable) return extractText(text, fileName, settings);

  const responses: ResponseRecord[] = [];
  const errors: ParseErrorRecord[] = [];
  const sink: ExtractSink = { response: (r) => responses.push(r), error: (e) => errors.push(e) };
  const reader = new JsonlReader(fileName, settings, sink, forced?.kind === 'json' ? forced : null);
  let line = 0;
  let pos = 0;
  let sliceStart = pos;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    reader.line(text.slice(pos, lineEnd), line);
    line++;
    pos = end + 1;
    if (line % LINES_PER_SLICE === 0 || pos - sliceStart > CHARS_PER_SLICE) {
      sliceStart = pos;
      await yieldToEventLoop();
      throwIfCancelled(signal);
    }
  }
  const format = reader.end();
  return { format, responses, errors };
}
