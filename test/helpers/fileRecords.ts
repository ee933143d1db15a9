import { extractFile, type FileChunk, type FileSourceOptions } from '../../server/src/engine/fileSource';

/** Everything the CLI's file source reads from a file, its chunks put together, and the format. */
export async function readFileRecords(file: string, options: FileSourceOptions): Promise<FileChunk & { format: string | null }> {
  const x = extractFile(file, options);
  const all: FileChunk = { responses: [], errors: [] };
  for await (const c of x.chunks) {
    for (const r of c.responses) all.responses.push(r);
    for (const e of c.errors) all.errors.push(e);
  }
  return { ...all, format: x.format() };
}
