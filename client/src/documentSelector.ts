import * as vscode from 'vscode';
import type { DocumentFilter } from 'vscode-languageclient/node';
import { settingsFor } from './clientSettings';

/** Languages whose documents go to the server (it decides by content whether it reads them). */
export const LANGUAGES = ['json', 'jsonl', 'markdown', 'csv', 'tsv'] as const;

/** Extensions sent whatever language an editor gave them (a .csv without a CSV extension is plaintext). */
const EXTENSIONS_PATTERN = '**/*.{json,jsonl,ndjson,jsonlines,md,markdown,csv,tsv}';

/**
 * The language client's document selector: the languages above in files and untitled documents,
 * the known extensions in any language, and the user's `refusalLens.files` globs (read at start).
 */
export function documentSelector(): DocumentFilter[] {
  const filters: DocumentFilter[] = [];
  for (const language of LANGUAGES) filters.push({ scheme: 'file', language }, { scheme: 'untitled', language });
  filters.push({ scheme: 'file', pattern: EXTENSIONS_PATTERN });
  for (const glob of userGlobs()) filters.push({ scheme: 'file', pattern: glob });
  return filters;
}

/** Whether a document is one the server is sent (for the status item when the server is down). */
export function isReadable(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
  return vscode.languages.match(documentSelector() as vscode.DocumentSelector, document) > 0;
}

/** `refusalLens.files` globs, made to match anywhere when relative (selectors match absolute paths). */
export function userGlobs(): string[] {
  return Object.values(settingsFor().files)
    .flat()
    .map((g) => (g.startsWith('/') || g.startsWith('**') ? g : `**/${g}`));
}
