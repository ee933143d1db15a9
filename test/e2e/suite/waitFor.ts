import * as vscode from 'vscode';
import type { CompareSummary, DocumentStats } from '../../../server/src/shared/protocol';
import type { ResultRow } from '../../../server/src/shared/resultRow';

export const SOURCE = 'Refusal Lens';

/** Our diagnostics on a document (other extensions' are left out). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return 'none';
  const shown = ds.slice(0, 5).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
  return `${ds.length}: ${shown.join('; ')}${ds.length > 5 ? '; ...' : ''}`;
}

/**
 * Resolves with the document's diagnostics once `accept` holds, checking now and on every
 * diagnostics change of that document (no polling, no sleeps); rejects after `timeoutMs` saying
 * what it waited for and what it saw last.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let sub: vscode.Disposable | undefined;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} on ${uri.path.split('/').pop()}; diagnostics seen last: ${describeDiagnostics(ourDiagnostics(uri))}`));
    }, timeoutMs);
    const check = (): boolean => {
      const ds = ourDiagnostics(uri);
      if (!accept(ds)) return false;
      clearTimeout(timer);
      sub?.dispose();
      resolve(ds);
      return true;
    };
    if (check()) return;
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
  });
}

/** Resolves when `event` fires with a value `accept` takes; rejects after `timeoutMs` naming `what`. */
export function waitForEvent<T>(event: vscode.Event<T>, accept: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
    }, timeoutMs);
    const sub = event((v) => {
      if (!accept(v)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

/** Resolves with a document's stats once `accept` holds (checked now and on every stats notification). */
export function waitForStats(
  api: { stats(uri: string): DocumentStats | undefined; onDidChangeStats: vscode.Event<DocumentStats> },
  uri: vscode.Uri,
  accept: (s: DocumentStats) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<DocumentStats> {
  const key = uri.toString();
  const now = api.stats(key);
  if (now && accept(now)) return Promise.resolve(now);
  return waitForEvent(api.onDidChangeStats, (s) => s.uri === key && accept(s), `${what} (last stats: ${JSON.stringify(api.stats(key) ?? null)})`, timeoutMs);
}

type PanelContents = { title: string; rows: readonly ResultRow[]; compare: CompareSummary | undefined };

/**
 * Resolves with the results panel's contents once `accept` holds. The panel announces no change
 * (it refreshes a moment after a stats notification), so this checks now, on every stats
 * notification and every 50 ms; rejects after `timeoutMs` saying what it saw last.
 */
export function waitForPanel(
  api: { panel(): PanelContents | undefined; onDidChangeStats: vscode.Event<DocumentStats> },
  accept: (p: PanelContents) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<PanelContents> {
  return new Promise((resolve, reject) => {
    const describe = () => {
      const p = api.panel();
      return p ? `"${p.title}", ${p.rows.length} rows: ${p.rows.map((r) => r.label).join(', ')}` : 'no panel';
    };
    const stop = () => {
      clearTimeout(timer);
      clearInterval(poll);
      sub.dispose();
    };
    const check = () => {
      const p = api.panel();
      if (!p || !accept(p)) return;
      stop();
      resolve(p);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the panel last showed ${describe()}`));
    }, timeoutMs);
    const poll = setInterval(check, 50);
    const sub = api.onDidChangeStats(check);
    check();
  });
}
