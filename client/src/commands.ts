import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { classifySelection, classifyTypedText } from './classifyCommands';
import { COMMAND_CATEGORY, COMMANDS, type CommandId } from './commandTable';
import { compareWith } from './compareCommand';
import { exportReport } from './exportCommand';
import { plainText } from './notificationText';
import { downloadModel, selectModelFolder, showModelStatus } from './modelCommands';
import type { ResultsView } from './resultsView';
import { scanWorkspace } from './scanCommand';
import type { ServerController } from './serverController';

export interface CommandContext {
  server: ServerController;
  results: ResultsView;
  output: vscode.LogOutputChannel;
}

/** A handler's value is the command's result (executeCommand returns it); `args` are the command's arguments. */
type Handler = (c: CommandContext, client: LanguageClient | null, args: unknown[]) => Promise<unknown>;

/** Each command's handler; those that need the server get a running client (see needsServer). */
const HANDLERS: Record<CommandId, Handler> = {
  'refusalLens.classifySelection': (_c, client) => classifySelection(client!),
  'refusalLens.classifyText': (_c, client) => classifyTypedText(client!),
  'refusalLens.scanWorkspace': (c, client) => scanWorkspace(client!, c.results),
  'refusalLens.showResults': async (c) => {
    const why = await c.results.show();
    if (why) void vscode.window.showInformationMessage(plainText(`Refusal Lens: ${why}.`));
  },
  'refusalLens.exportReport': (c, client) => exportReport(client!, c.results),
  'refusalLens.compareWith': (c, client, args) => compareWith(client!, c.results, args),
  'refusalLens.selectModelFolder': (c) => selectModelFolder(c.server),
  'refusalLens.downloadModel': (c, client) => downloadModel(client!, c.server),
  'refusalLens.showModelStatus': (_c, client) => showModelStatus(client!),
  'refusalLens.restartServer': (c) => c.server.restart(),
  'refusalLens.showLogs': async (c) => c.output.show(true),
};

/** Registers every command of the table. A command that needs the server says why it cannot run when it is down. */
export function registerCommands(c: CommandContext): vscode.Disposable[] {
  return COMMANDS.map((cmd) =>
    vscode.commands.registerCommand(cmd.id, async (...args: unknown[]) => {
      const client = c.server.running;
      if (cmd.needsServer && !client) return notRunning(c);
      try {
        return await HANDLERS[cmd.id](c, client, args);
      } catch (e) {
        if (e instanceof vscode.CancellationError) return undefined;
        const message = e instanceof Error ? e.message : String(e);
        c.output.error(`${COMMAND_CATEGORY}: ${cmd.title} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
        const choice = await vscode.window.showErrorMessage(plainText(`${COMMAND_CATEGORY}: ${cmd.title} failed: ${message}`), 'Show Logs');
        if (choice) c.output.show(true);
        return undefined;
      }
    }),
  );
}

async function notRunning(c: CommandContext): Promise<void> {
  const choice = await vscode.window.showErrorMessage(plainText(`Refusal Lens: the language server is not running (${c.server.whyNotRunning()}).`), 'Restart Server', 'Show Logs');
  if (choice === 'Restart Server') await c.server.restart();
  else if (choice === 'Show Logs') c.output.show(true);
}
