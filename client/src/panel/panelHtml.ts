/**
 * The results panel's HTML shell: a pure function of the CSP source, a nonce and two resource
 * URIs, so it is tested in node. It holds no data: every row, name and number is put in later by
 * the webview's script with textContent. No inline script or style, no event handler attributes.
 */
import { CHANGE_KINDS } from '../../../server/src/shared/resultRow';
import { CHANGE_TEXT, COLUMNS } from './rowCells';

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** Fresh per HTML render: makeNonce(). */
  nonce: string;
  /** webview.asWebviewUri(dist/webview.js) */
  scriptUri: string;
  /** webview.asWebviewUri(dist/webview.css) */
  styleUri: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for HTML text and double-quoted attribute values (the only kind the shell writes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c]);
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters from a 62-letter alphabet drawn with the platform's CSPRNG (~190 bits). */
export function makeNonce(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  // 248 = 4 * 62: rejecting bytes above it keeps every letter equally likely.
  let out = '';
  while (out.length < 32) {
    for (const b of bytes) if (b < 248 && out.length < 32) out += NONCE_ALPHABET[b % 62];
    globalThis.crypto.getRandomValues(bytes);
  }
  return out;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function headerCells(): string {
  return COLUMNS.map((c) => {
    const label = escapeHtml(c.header);
    const inner = c.sort
      ? `<button type="button" class="sort" data-sort="${c.sort}" data-testid="sort-${c.sort}">${label}<span class="sort-mark" aria-hidden="true"></span></button>`
      : label;
    return `<div role="columnheader" class="cell c-${c.id}${c.compareOnly ? ' compare-only' : ''}"${c.sort ? ' aria-sort="none"' : ''}>${inner}</div>`;
  }).join('');
}

function changeOptions(): string {
  const kinds = CHANGE_KINDS.map((k) => `<option value="${k}">${escapeHtml(CHANGE_TEXT[k])}</option>`);
  return `<option value="">All changes</option>${kinds.join('')}`;
}

export function panelHtml(input: PanelHtmlInput): string {
  const nonce = escapeHtml(input.nonce);
  const csp = escapeHtml(contentSecurityPolicy(input.cspSource, input.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}" nonce="${nonce}">
<title>Refusal Lens results</title>
</head>
<body>
<header class="top">
<h1 id="title" data-testid="results-title">Refusal Lens results</h1>
<span id="status" class="status" role="status" aria-live="polite" data-testid="results-status"></span>
</header>
<div class="toolbar" role="toolbar" aria-label="Filters and export">
<label class="check"><input type="checkbox" id="refusals-only" data-testid="filter-refusals"> Refusals only</label>
<label class="check"><input type="checkbox" id="over-refusals-only" data-testid="filter-over-refusals"> Over-refusals only</label>
<label class="field">Model <select id="model-filter" data-testid="filter-model"><option value="">All models</option></select></label>
<label class="field compare-only">Change <select id="change-filter" data-testid="filter-change">${changeOptions()}</select></label>
<input type="search" id="search" class="search" placeholder="Search prompt, response, file" aria-label="Search prompt, response or file" maxlength="1000" data-testid="filter-search">
<span id="count" class="count" aria-live="polite" data-testid="row-count"></span>
<span class="spacer-flex"></span>
<button type="button" id="export-json" data-testid="export-json">Export JSON</button>
<button type="button" id="export-csv" data-testid="export-csv">Export CSV</button>
</div>
<details id="summary" class="summary" open data-testid="summary">
<summary>Summary <span id="summary-caption" class="caption" data-testid="summary-caption"></span></summary>
<div class="charts">
<figure class="chart"><figcaption>Refusal rate per model <span class="key key-over" aria-hidden="true"></span><span class="key-text">over-refusals</span></figcaption><div id="chart-models" data-testid="summary-models"></div></figure>
<figure class="chart"><figcaption>Refusal rate per file <span class="key key-over" aria-hidden="true"></span><span class="key-text">over-refusals</span></figcaption><div id="chart-files" data-testid="summary-files"></div></figure>
<figure class="chart"><figcaption>Score histogram</figcaption><div id="chart-histogram" data-testid="summary-histogram"></div></figure>
</div>
</details>
<section id="compare-summary" class="compare-summary compare-only" aria-label="Comparison summary" data-testid="compare-summary">
<p id="compare-caption" class="compare-caption" data-testid="compare-caption"></p>
<div id="compare-models" data-testid="compare-models"></div>
</section>
<div id="grid" class="grid" role="grid" aria-label="Responses" aria-rowcount="1" aria-readonly="true" data-testid="results-table">
<div class="grid-head" role="rowgroup">
<div class="row head" role="row" aria-rowindex="1">${headerCells()}</div>
</div>
<div id="viewport" class="viewport" role="rowgroup" tabindex="0" data-testid="results-body">
<div id="spacer" class="spacer" aria-hidden="true"></div>
</div>
<p id="empty" class="empty" data-testid="results-empty" hidden>No responses yet.</p>
</div>
<script nonce="${nonce}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}
