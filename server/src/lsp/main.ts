import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancellationToken,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import {
  ClassifiedCountRequest,
  ClassifyTextRequest,
  CompareFilesRequest,
  DocumentRowsRequest,
  DownloadModelRequest,
  ExportReportRequest,
  ModelStatusRequest,
  parseInitializationOptions,
  ScanWorkspaceRequest,
} from '../shared/protocol';
import { downloadModel } from '../modelStore/download';
import { toolVersion } from '../reports/toolInfo';
import { SETTINGS_SECTION } from '../shared/settings';
import { ConnectionHost } from './connectionHost';
import { fsPathOf } from './documentUri';
import { RefusalServer } from './refusalServer';
import { describeError } from './serverHost';

// The language server process: wiring only. The logic is in RefusalServer (tested without a transport).

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let server: RefusalServer | null = null;
let dynamicConfiguration = false;
let folderEvents = false;

function signalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

function folderPaths(folders: ReadonlyArray<{ uri: string }> | null | undefined): string[] {
  return (folders ?? []).map((f) => fsPathOf(f.uri)).filter((p): p is string => p !== null);
}

function running(): RefusalServer {
  if (!server) throw new Error('The server is not initialised yet');
  return server;
}

connection.onInitialize((params) => {
  const init = parseInitializationOptions(params.initializationOptions);
  const caps = params.capabilities;
  dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  folderEvents = caps.workspace?.workspaceFolders === true;
  const host = new ConnectionHost(connection, caps.window?.workDoneProgress === true);
  const folders = params.workspaceFolders ? folderPaths(params.workspaceFolders) : folderPaths(params.rootUri ? [{ uri: params.rootUri }] : []);
  server = new RefusalServer(host, init, {
    workspaceFolders: folders,
    // HF_ENDPOINT points at another hub (a mirror, or a test server), as for the CLI
    download: (o) => downloadModel({ ...o, endpoint: process.env.HF_ENDPOINT || undefined }),
  });
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'Refusal Lens', version: toolVersion() },
  };
});

connection.onInitialized(() => {
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  if (folderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders(() => {
      void connection.workspace.getWorkspaceFolders().then((f) => server?.setWorkspaceFolders(folderPaths(f)));
    });
  }
  running().warmUp();
});

connection.onDidChangeConfiguration(() => server?.configurationChanged());
documents.onDidChangeContent((e) => server?.documentChanged(e.document));
documents.onDidClose((e) => server?.documentClosed(e.document.uri));
connection.onHover((p) => running().hover(p.textDocument.uri, p.position));

connection.onRequest(DocumentRowsRequest, (p) => running().documentRows(p));
connection.onRequest(ClassifyTextRequest, (p, token) => running().classifyText(p, signalOf(token)));
connection.onRequest(ModelStatusRequest, () => running().modelStatus());
connection.onRequest(ClassifiedCountRequest, () => running().classifiedCount());
connection.onRequest(ScanWorkspaceRequest, (p, token) => running().scanWorkspace(p, signalOf(token)));
connection.onRequest(DownloadModelRequest, (p, token) => running().downloadModel(p, signalOf(token)));
connection.onRequest(ExportReportRequest, (p, token) => running().exportReport(p, signalOf(token)));
connection.onRequest(CompareFilesRequest, (p, token) => running().compareFiles(p, signalOf(token)));

connection.onShutdown(() => server?.dispose());

// Analysis failures are caught per document; anything that still escapes is logged, never fatal.
process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection\n${describeError(e)}`));
process.on('uncaughtException', (e) => connection.console.error(`Uncaught exception\n${describeError(e)}`));

documents.listen(connection);
connection.listen();
