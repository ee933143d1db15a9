import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DownloadModelRequest, ModelStatusRequest, type DownloadProgress } from '../../server/src/shared/protocol';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';
import { plainText } from './notificationText';
import type { ServerController } from './serverController';

/** Progress of the download in flight, fed by the server's notifications. */
let progressSink: ((p: DownloadProgress) => void) | null = null;

export function downloadProgress(p: DownloadProgress): void {
  progressSink?.(p);
}

/** A model folder's layout (the hub's): what findModel requires. */
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

/** Select Model Folder...: sets refusalLens.modelPath in the user's settings and restarts the server to load it. */
export async function selectModelFolder(server: ServerController): Promise<void> {
  const picked = await vscode.window.showOpenDialog({ title: 'Refusal Lens: the model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx)', canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Use This Model' });
  const folder = picked?.[0];
  if (!folder) return;
  const missing: string[] = [];
  for (const file of MODEL_FILES) {
    if (!(await exists(vscode.Uri.joinPath(folder, file)))) missing.push(file);
  }
  if (missing.length > 0) {
    const choice = await vscode.window.showWarningMessage(plainText(`Refusal Lens: ${folder.fsPath} has no ${missing.join(', ')}: it does not look like a model folder.`), 'Use Anyway');
    if (choice !== 'Use Anyway') return;
  }
  // machine scope: the user's settings are the only place this setting is read from
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('modelPath', folder.fsPath, vscode.ConfigurationTarget.Global);
  const trustNote = vscode.workspace.isTrusted ? '' : ' This workspace is not trusted: the lexical detector runs until you trust it.';
  void vscode.window.showInformationMessage(plainText(`Refusal Lens: model folder set to ${folder.fsPath}; restarting the server to load it.${trustNote}`));
  await server.restart();
}

/** Download Model: the server downloads into the extension's storage, with progress and cancel. */
export async function downloadModel(client: LanguageClient, server: ServerController): Promise<void> {
  const go = await vscode.window.showInformationMessage(
    'Refusal Lens: download the refusal model (ProtectAI/distilroberta-base-rejection-v1, about 330 MB) from Hugging Face into the extension\'s storage?',
    { modal: true },
    'Download',
  );
  if (go !== 'Download') return;
  const downloadId = `download-${Date.now().toString(36)}`;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Refusal Lens: downloading the model', cancellable: true }, async (progress, token) => {
    let reported = 0;
    progressSink = (p) => {
      if (p.downloadId !== downloadId) return;
      const pct = p.total ? (p.received / p.total) * 100 : 0;
      progress.report({ increment: Math.max(0, pct - reported), message: `${p.file}: ${(p.received / 1024 / 1024).toFixed(1)}${p.total ? ` of ${(p.total / 1024 / 1024).toFixed(1)}` : ''} MB` });
      reported = Math.max(reported, pct);
    };
    try {
      return await client.sendRequest(DownloadModelRequest, { downloadId }, token);
    } finally {
      progressSink = null;
    }
  });
  if (!result) return;
  if (!result.ok) {
    void vscode.window.showErrorMessage(plainText(`Refusal Lens: ${result.message}`), 'Show Logs').then((c) => c && vscode.commands.executeCommand('refusalLens.showLogs'));
    return;
  }
  const choice = await vscode.window.showInformationMessage(plainText(`Refusal Lens: ${result.message}`), 'Restart Server');
  if (choice === 'Restart Server') await server.restart();
}

/** Show Model Status: which detector runs, why, and what to do about it. */
export async function showModelStatus(client: LanguageClient): Promise<void> {
  const s = await client.sendRequest(ModelStatusRequest);
  if (!s) return;
  const detector = s.detector ? `${s.detector.name} (${s.detector.kind})` : 'not ready yet';
  const parts = [`Detector: ${detector}.`, `Asked for: ${s.preference}.`];
  if (s.modelPath) parts.push(`Model folder: ${s.modelPath}.`);
  if (s.precision) parts.push(`Precision: ${s.precision}.`);
  if (s.restricted) parts.push('Restricted mode: the workspace is not trusted, so no model is loaded.');
  if (s.notice) parts.push(s.notice.endsWith('.') ? s.notice : `${s.notice}.`);
  parts.push(`${s.classified} texts classified since the server started.`);
  const actions = s.detector?.kind === 'model' ? ['Show Logs'] : ['Select Model Folder', 'Download Model', 'Show Logs'];
  const choice = await vscode.window.showInformationMessage(plainText(`Refusal Lens: ${parts.join(' ')}`), ...actions);
  if (choice === 'Select Model Folder') await vscode.commands.executeCommand('refusalLens.selectModelFolder');
  else if (choice === 'Download Model') await vscode.commands.executeCommand('refusalLens.downloadModel');
  else if (choice === 'Show Logs') await vscode.commands.executeCommand('refusalLens.showLogs');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
