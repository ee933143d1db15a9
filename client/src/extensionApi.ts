import * as vscode from 'vscode';
import type { ProtocolRequestType, ProtocolRequestType0 } from 'vscode-languageclient/node';
import type { CompareSummary, DocumentStats } from '../../server/src/shared/protocol';
import type { ResultRow } from '../../server/src/shared/resultRow';
import { ResultsPanel } from './panel/resultsPanel';
import type { ServerController } from './serverController';

/** What the results panel holds (and sends its webview): its title, rows and, for compared runs, the summary. */
export interface PanelContents {
  title: string;
  rows: readonly ResultRow[];
  compare: CompareSummary | undefined;
}

/**
 * What `activate()` returns: other extensions (and the e2e suite) talk to the server through the
 * shared protocol and follow each document's analysis without scraping the UI.
 */
export interface RefusalLensApi {
  /** Resolves once the language client runs; rejects with the reason when it cannot start. */
  ready(): Promise<void>;
  /** A request of server/src/shared/protocol.ts through the running client. */
  sendRequest<P, R>(type: ProtocolRequestType<P, R, never, void, void>, params: P): Promise<R>;
  sendRequest<R>(type: ProtocolRequestType0<R, never, void, void>): Promise<R>;
  /** The latest stats the server sent for a document URI. */
  stats(uri: string): DocumentStats | undefined;
  /** Fires for every DocumentStats the server sends (a finished state means the analysis is done). */
  readonly onDidChangeStats: vscode.Event<DocumentStats>;
  /** The open results panel's contents; undefined when no panel is open. */
  panel(): PanelContents | undefined;
}

export function createApi(server: ServerController, statsOf: (uri: string) => DocumentStats | undefined, onDidChangeStats: vscode.Event<DocumentStats>): RefusalLensApi {
  const client = async () => {
    await server.ready();
    const c = server.running;
    if (!c) throw new Error(`Refusal Lens: the language server is not running (${server.whyNotRunning()})`);
    return c;
  };
  return {
    ready: () => server.ready(),
    // By method name: a caller's request type comes from its own copy of the protocol module, and
    // vscode-jsonrpc checks a type's parameter structure by identity against its own copy.
    sendRequest: (async (type: { method: string }, params?: unknown) => {
      const c = await client();
      return params === undefined ? c.sendRequest(type.method) : c.sendRequest(type.method, params);
    }) as RefusalLensApi['sendRequest'],
    stats: statsOf,
    onDidChangeStats,
    panel: () => {
      const p = ResultsPanel.current;
      return p ? { title: p.title, rows: p.rows, compare: p.compare } : undefined;
    },
  };
}
