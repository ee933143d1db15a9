import * as vscode from 'vscode';
import type { DocumentStats } from '../../server/src/shared/protocol';
import { RESTART_SETTINGS, SETTINGS_SECTION } from '../../server/src/shared/settings';
import { registerCommands } from './commands';
import { compareProgress } from './compareCommand';
import { createApi, type RefusalLensApi } from './extensionApi';
import { downloadProgress } from './modelCommands';
import { ResultsView } from './resultsView';
import { scanProgress } from './scanCommand';
import { ServerController } from './serverController';
import { RefusalStatusBar } from './statusBar';

// Activation: one log channel, the language client, the status item, the commands. Nothing here
// waits for the server: commands that need it say so when it is not running.

let server: ServerController | null = null;

export async function activate(context: vscode.ExtensionContext): Promise<RefusalLensApi> {
  const output = vscode.window.createOutputChannel('Refusal Lens', { log: true });
  const statusBar = new RefusalStatusBar();
  const statsEvents = new vscode.EventEmitter<DocumentStats>();
  let results: ResultsView | null = null;
  server = new ServerController(context, output, {
    stats: (s) => {
      statusBar.update(s);
      results?.stats(s);
      statsEvents.fire(s);
    },
    scanProgress,
    scanRows: (r) => results?.scanRows(r.scanId, r.rows),
    downloadProgress,
    compareProgress,
    stateChanged: (state) => statusBar.serverChanged(state, state === 'stopped' ? (server?.whyNotRunning() ?? null) : null),
  });
  results = new ResultsView(context, server);
  context.subscriptions.push(output, statusBar, statsEvents, server, results, ...registerCommands({ server, results, output }));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      const changed = RESTART_SETTINGS.filter((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`));
      if (changed.length === 0 || !server?.running) return;
      const choice = await vscode.window.showInformationMessage(`Refusal Lens: ${changed.map((k) => `${SETTINGS_SECTION}.${k}`).join(', ')} ${changed.length === 1 ? 'applies' : 'apply'} after a server restart.`, 'Restart Server');
      if (choice === 'Restart Server') await server.restart();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output.info('The workspace is now trusted: restarting the server so the model can be used');
      await server?.restart();
    }),
  );

  if (!vscode.workspace.isTrusted) output.info('Restricted mode: the workspace is not trusted, so only the lexical detector runs');
  await server.start();
  return createApi(server, (uri) => statusBar.statsOf(uri), statsEvents.event);
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = null;
}
