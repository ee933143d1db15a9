import { defaultExtractSettings } from '../engine/extract';
import type { ScanSettings } from '../engine/scan';
import type { Settings } from '../shared/settings';
import { formatForPath } from './fileGlobs';

/**
 * How the engine reads a file from disk under a document's settings (Scan Workspace, Export
 * Report, Compare With...): its field paths, the format a `refusalLens.files` glob names for it
 * (`inputFormat`, null to detect), the size limit and the threshold.
 */
export function scanSettingsFor(settings: Settings, fsPath: string, workspaceFolders: readonly string[]): ScanSettings {
  return {
    ...defaultExtractSettings,
    fields: settings.fields,
    inputFormat: formatForPath(settings.files, fsPath, workspaceFolders),
    maxFileBytes: settings.maxFileSizeMb * 1024 * 1024,
    threshold: settings.threshold,
  };
}
