/**
 * Every command of the extension, once: id, palette title, and whether it needs the language
 * server. package.json `contributes.commands` lists the same (a unit test keeps the two equal);
 * commands.ts gives each id its handler (the types make a missing one an error).
 */
export const COMMAND_CATEGORY = 'Refusal Lens';

export const COMMANDS = [
  { id: 'refusalLens.classifySelection', title: 'Classify Selection', needsServer: true },
  { id: 'refusalLens.classifyText', title: 'Classify Text...', needsServer: true },
  { id: 'refusalLens.scanWorkspace', title: 'Scan Workspace', needsServer: true },
  { id: 'refusalLens.showResults', title: 'Show Results Panel', needsServer: false },
  { id: 'refusalLens.exportReport', title: 'Export Report...', needsServer: true },
  { id: 'refusalLens.compareWith', title: 'Compare With...', needsServer: true },
  { id: 'refusalLens.selectModelFolder', title: 'Select Model Folder...', needsServer: false },
  { id: 'refusalLens.downloadModel', title: 'Download Model', needsServer: true },
  { id: 'refusalLens.showModelStatus', title: 'Show Model Status', needsServer: true },
  { id: 'refusalLens.restartServer', title: 'Restart Server', needsServer: false },
  { id: 'refusalLens.showLogs', title: 'Show Logs', needsServer: false },
] as const;

export type CommandId = (typeof COMMANDS)[number]['id'];
