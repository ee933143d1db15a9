import * as fs from 'node:fs';
import * as path from 'node:path';

/** ../shared next to the repository: data read at test time, never committed. */
export const SHARED = path.resolve(__dirname, '../../../shared');

export const PARITY_DIR = path.join(SHARED, 'fixtures/parity');
export const TOKENIZER_DIR = path.join(SHARED, 'fixtures/roberta-base-tokenizer');

/** Null when every path exists, else the reason to print when skipping. */
export function missingShared(...paths: string[]): string | null {
  const missing = paths.filter((p) => !fs.existsSync(p));
  return missing.length ? `../shared not found: ${missing.map((p) => path.relative(path.dirname(SHARED), p)).join(', ')}` : null;
}
