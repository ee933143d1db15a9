import * as vscode from 'vscode';
import { parseSettings, SETTINGS_SECTION, type Settings } from '../../server/src/shared/settings';

/** The validated settings for a document (or the window), as the server reads them. */
export function settingsFor(uri?: vscode.Uri): Settings {
  return parseSettings(vscode.workspace.getConfiguration(undefined, uri).get(SETTINGS_SECTION)).settings;
}
