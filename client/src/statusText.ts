import { formatRate, type DocumentStats } from '../../server/src/shared/protocol';

/** What the status item shows for the active document (no vscode types: unit-tested). */
export interface StatusView {
  text: string;
  tooltip: string;
  tone: 'normal' | 'warning' | 'error';
  /** Clicking opens the results panel, or the logs when something went wrong. */
  click: 'results' | 'logs';
}

export type ServerState = 'starting' | 'running' | 'stopped';

/**
 * The status for a document: null hides the item (a document we do not read).
 * `readable`: the document is one the extension sends to the server (json, jsonl, markdown, csv).
 */
export function statusView(stats: DocumentStats | undefined, server: ServerState, readable: boolean, stopReason: string | null = null): StatusView | null {
  if (server === 'stopped') {
    if (!readable) return null;
    return { text: '$(error) Refusals: server stopped', tooltip: `Refusal Lens: the language server is not running${stopReason ? `: ${stopReason}` : ''}.\nClick to see the logs; run "Refusal Lens: Restart Server" to start it again.`, tone: 'error', click: 'logs' };
  }
  if (!stats) return server === 'starting' && readable ? { text: '$(loading~spin) Refusals', tooltip: 'Refusal Lens: starting the language server', tone: 'normal', click: 'logs' } : null;
  const s = stats.state;
  if (stats.format === null && s.kind !== 'error') return null;
  const counts = `Refusals ${formatRate(stats.rate)} (${stats.refusals}/${stats.responses})`;
  const detector = stats.detector ? ` · ${stats.detector.kind}` : '';
  const lines = [`Refusal Lens: ${stats.responses} responses, ${stats.refusals} refused${stats.overRefusals ? ` (${stats.overRefusals} over-refusals)` : ''}`];
  if (stats.format) lines.push(`Format: ${stats.format}`);
  if (stats.parseErrors) lines.push(`Parse errors: ${stats.parseErrors} (see Problems)`);
  if (stats.detector) lines.push(`Detector: ${stats.detector.name} (${stats.detector.kind})`);
  switch (s.kind) {
    case 'loading-model':
      return { text: '$(loading~spin) Refusals: loading model', tooltip: 'Refusal Lens: loading the model; results follow', tone: 'normal', click: 'results' };
    case 'classifying':
      return { text: `$(loading~spin) Refusals: ${s.done}/${s.total}`, tooltip: [`Refusal Lens: classifying ${s.done} of ${s.total} responses`, ...lines.slice(1)].join('\n'), tone: 'normal', click: 'results' };
    case 'ready':
      return { text: `${counts}${detector}`, tooltip: [...lines, 'Click to open the results panel.'].join('\n'), tone: 'normal', click: 'results' };
    case 'lexical-fallback':
      return { text: `$(warning) ${counts}${detector}`, tooltip: [...lines, `Lexical fallback: ${s.reason}`, 'Click to open the results panel.'].join('\n'), tone: 'warning', click: 'results' };
    case 'restricted':
      return { text: `$(shield) ${counts}${detector} (restricted)`, tooltip: [...lines, 'Restricted mode: this workspace is not trusted, so only the lexical detector runs. Trust the workspace to use the model.', 'Click to open the results panel.'].join('\n'), tone: 'warning', click: 'results' };
    case 'error':
      return { text: '$(error) Refusals: error', tooltip: `Refusal Lens could not analyse this document: ${s.message}\nClick to see the logs.`, tone: 'error', click: 'logs' };
  }
}
