import * as vscode from 'vscode';
import type { ProtocolRequestType, ProtocolRequestType0 } from 'vscode-languageclient/node';
import type { DocumentStats } from '../../server/src/shared/protocol';
import type { ServerController } from './serverController';

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
    sendRequest: (async (type: ProtocolRequestType0<unknown, never, void, void>, params?: unknown) => {
      const c = await client();
      return params === undefined ? c.sendRequest(type) : c.sendRequest(type as unknown as ProtocolRequestType<unknown, unknown, never, void, void>, params);
    }) as RefusalLensApi['sendRequest'],
    stats: statsOf,
    onDidChangeStats,
  };
}
