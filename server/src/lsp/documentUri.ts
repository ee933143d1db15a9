import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file system path of a file: URI; null for other schemes (untitled:, ...). */
export function fsPathOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

const EXTENSION_BY_LANGUAGE: Record<string, string> = { json: '.json', jsonc: '.json', jsonl: '.jsonl', markdown: '.md', csv: '.csv', tsv: '.tsv' };

/**
 * The name format detection sees. Untitled documents have no extension: their language stands in
 * for it (a new JSONL document is read as JSONL).
 */
export function fileNameFor(uri: string, languageId: string): string {
  const fsPath = fsPathOf(uri);
  if (fsPath) return fsPath;
  const name = decodeURIComponent(uri.replace(/^[a-z][a-z0-9+.-]*:/i, '')) || 'untitled';
  return path.extname(name) ? name : `${name}${EXTENSION_BY_LANGUAGE[languageId] ?? ''}`;
}

/** The path users see: relative to the workspace folder holding the file, else the whole path. */
export function displayPath(uri: string, workspaceFolders: readonly string[]): string {
  const fsPath = fsPathOf(uri);
  if (!fsPath) return decodeURIComponent(uri.replace(/^[a-z][a-z0-9+.-]*:/i, ''));
  for (const folder of workspaceFolders) {
    const rel = path.relative(folder, fsPath);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return fsPath;
}
