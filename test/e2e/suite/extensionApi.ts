import * as vscode from 'vscode';
import type { CompareSummary, DocumentStats } from '../../../server/src/shared/protocol';
import type { ResultRow } from '../../../server/src/shared/resultRow';

export const EXTENSION_ID = 'refusal-lens.refusal-lens';

/**
 * The extension's public API as the suite uses it (docs/e2e-notes.md, point 1). Typed loosely on
 * purpose: the suite checks what is there and skips, with the reason, what is not there yet.
 */
export interface RefusalLensApi {
  ready?(): Promise<void>;
  sendRequest?(type: unknown, params?: unknown): Promise<unknown>;
  stats?(uri: string): DocumentStats | undefined;
  onDidChangeStats?: vscode.Event<DocumentStats>;
  /** The open results panel's title, rows and (for compared runs) summary. */
  panel?(): { title: string; rows: readonly ResultRow[]; compare: CompareSummary | undefined } | undefined;
}

export async function activateExtension(): Promise<RefusalLensApi> {
  const ext = vscode.extensions.getExtension<RefusalLensApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = (await ext.activate()) ?? {};
  await api.ready?.();
  return api;
}

/** The API, or a skip of the running test that says which part is missing. */
export async function apiWith<K extends keyof RefusalLensApi>(ctx: Mocha.Context, ...keys: K[]): Promise<Required<Pick<RefusalLensApi, K>>> {
  const api = await activateExtension();
  const missing = keys.filter((k) => typeof api[k] === 'undefined');
  if (missing.length) {
    console.log(`      skipped: the extension API has no ${missing.join(', ')} yet (docs/e2e-notes.md, point 1)`);
    ctx.skip();
  }
  return api as Required<Pick<RefusalLensApi, K>>;
}
