import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, escapeHtml, makeNonce, panelHtml } from '../../../client/src/panel/panelHtml';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcDEF0123456789abcDEF0123456789',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
};

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return m[1];
}

test('the CSP denies by default and allows only the nonce-tagged script and the extension stylesheet', () => {
  const csp = cspOf(panelHtml(input)).split(';').map((d) => d.trim());
  assert.equal(csp[0], "default-src 'none'");
  assert.ok(csp.includes(`script-src 'nonce-${input.nonce}'`));
  assert.ok(csp.includes(`style-src ${input.cspSource} 'nonce-${input.nonce}'`));
  assert.ok(csp.includes("base-uri 'none'"));
  for (const d of csp) {
    assert.doesNotMatch(d, /unsafe-inline|unsafe-eval|\*|https:(?!\/\/file)|data:/, d);
  }
  assert.equal(csp.filter((d) => d.startsWith('img-src') || d.startsWith('connect-src') || d.startsWith('font-src')).length, 0);
});

test('the CSP meta tag comes before any script or stylesheet', () => {
  const html = panelHtml(input);
  const meta = html.indexOf('Content-Security-Policy');
  assert.ok(meta > 0 && meta < html.indexOf('<link') && meta < html.indexOf('<script'));
});

test('exactly one script, external, carrying the nonce; no inline script, style or handler', () => {
  const html = panelHtml(input);
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0][0], `<script nonce="${input.nonce}" src="${input.scriptUri}"></script>`);
  assert.equal(scripts[0][1], '', 'no inline script body');
  assert.doesNotMatch(html, /<style\b/);
  assert.doesNotMatch(html, /\sstyle=/);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler attributes');
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(html, /<a\b|href=(?!"https:\/\/file)/, 'no links (the stylesheet link aside)');
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${input.styleUri.replace(/[.+/]/g, '\\$&')}" nonce="${input.nonce}">`));
});

test('the stable DOM the e2e tests rely on is in the shell', () => {
  const html = panelHtml(input);
  for (const id of ['results-title', 'results-status', 'filter-refusals', 'filter-over-refusals', 'filter-model', 'filter-search', 'row-count', 'export-json', 'export-csv', 'summary', 'summary-models', 'summary-files', 'summary-histogram', 'results-table', 'results-body', 'results-empty', 'sort-score', 'sort-file', 'sort-model', 'sort-label', 'filter-change', 'compare-summary', 'compare-caption', 'compare-models']) {
    assert.match(html, new RegExp(`data-testid="${id}"`), id);
  }
  assert.match(html, /role="grid"/);
  // six columns, and two more (Change, Before) that show for compared runs only
  assert.equal((html.match(/role="columnheader"/g) ?? []).length, 8);
  assert.equal((html.match(/role="columnheader" class="cell c-\w+ compare-only"/g) ?? []).length, 2);
  assert.match(html, /<select id="change-filter" data-testid="filter-change"><option value="">All changes<\/option><option value="newly-refused">newly refused<\/option><option value="newly-answered">newly answered<\/option><option value="still-refused">still refused<\/option><\/select>/);
});

test('resource URIs and the CSP source are escaped, so a hostile path cannot break out of the attribute', () => {
  const html = panelHtml({ ...input, scriptUri: 'https://x/a"><script>alert(1)</script>', styleUri: "https://x/b'><img src=x onerror=alert(1)>", cspSource: 'https://x "><script>alert(2)</script>' });
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.doesNotMatch(html, /<img/);
  assert.match(html, /a&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('escapeHtml escapes what matters in text and double-quoted attributes', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), `&lt;a href=&quot;x&quot; title='y'&gt;&amp;&lt;/a&gt;`);
});

test('a fresh nonce per render: 32 letters or digits, never repeated', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const n = makeNonce();
    assert.match(n, /^[A-Za-z0-9]{32}$/);
    seen.add(n);
  }
  assert.equal(seen.size, 200);
  const a = panelHtml({ ...input, nonce: makeNonce() });
  const b = panelHtml({ ...input, nonce: makeNonce() });
  assert.notEqual(cspOf(a), cspOf(b));
});

test('contentSecurityPolicy uses the nonce for both scripts and styles', () => {
  assert.equal(contentSecurityPolicy('S', 'N'), "default-src 'none'; style-src S 'nonce-N'; script-src 'nonce-N'; base-uri 'none'; form-action 'none'");
});
