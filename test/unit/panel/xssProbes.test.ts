import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareCaption, compareTitle, modelChanges } from '../../../client/src/panel/compareText';
import { rowCells } from '../../../client/src/panel/rowCells';
import { rowsToCsv, rowsToJson } from '../../../client/src/panel/rowExport';
import { summarize } from '../../../client/src/panel/rowSummary';
import { histogramChart, rateBarsChart } from '../../../client/src/webview/charts';
import { compareModelsTable } from '../../../client/src/webview/compareView';
import { renderRow, TableView } from '../../../client/src/webview/tableView';
import { makeDiffRow, makeSummary } from '../../helpers/compareRows';
import { MiniDocument, MiniElement } from '../../helpers/miniDom';
import { makeRow } from '../../helpers/resultRows';

/** What transcripts may contain, aimed at anything that would treat text as HTML, CSS or a URL. */
const PROBES = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '[click](javascript:alert(1))',
  '</style><script>alert(2)</script>',
  `"'><svg onload=alert(3)>`,
  '&lt;b&gt; already-escaped &amp; text',
  '</div></div><a href="javascript:alert(4)">x</a>',
];

const probeRows = PROBES.map((p, i) =>
  makeRow({ file: p, model: p, prompt: p, response: p, sentence: p, id: p, label: i % 2 ? 'refusal' : 'normal', uri: `file:///tmp/${i}.json` }),
);

// The renderers' doc parameter is a DOM Document; the shim stands in for it.
type Doc = Parameters<typeof renderRow>[0];
const asDoc = (d: MiniDocument): Doc => d as unknown as Doc;

/** The serialised markup with attribute values blanked (a quoted value is data, not markup). */
function markup(el: MiniElement): string {
  return el.outerHTML.replace(/="[^"]*"/g, '=""');
}

function assertInert(doc: MiniDocument, allowedTags: string[]): void {
  for (const el of doc.created) {
    assert.ok(allowedTags.includes(el.tagName), `unexpected <${el.tagName}> created`);
    for (const [name, value] of el.attributes) {
      assert.doesNotMatch(name, /^on/i, `event handler attribute ${name}`);
      assert.ok(!['href', 'src', 'xlink:href', 'style', 'srcdoc', 'action', 'formaction'].includes(name), `attribute ${name}=${value}`);
    }
  }
}

test('row cells carry the probes verbatim as text, for textContent', () => {
  for (const [i, row] of probeRows.entries()) {
    const cells = rowCells(row);
    for (const column of ['file', 'model', 'prompt', 'response'] as const) {
      assert.equal(cells.find((c) => c.column === column)?.text, PROBES[i]);
    }
  }
});

test('rendered rows hold the probes as text nodes: no element, handler or link is made from data', () => {
  const doc = new MiniDocument();
  probeRows.forEach((row, i) => {
    const el = renderRow(asDoc(doc), row, i, i) as unknown as MiniElement;
    const cells = el.children;
    assert.equal(cells.length, 6);
    for (const id of ['file', 'model', 'prompt', 'response']) {
      const cell = cells.find((c) => c.getAttribute('data-testid') === `cell-${id}`);
      assert.ok(cell);
      assert.equal(cell.textContent, PROBES[i]);
      assert.equal(cell.children.length, 0, 'text, not child elements');
    }
    const html = markup(el);
    assert.doesNotMatch(html, /<script|<img|<svg|<a[\s>]|<\/style>/i, html);
  });
  assertInert(doc, ['div']);
});

test('the serialised row escapes markup: the browser would show the probe, not run it', () => {
  const doc = new MiniDocument();
  const el = renderRow(asDoc(doc), probeRows[0], 0, 0) as unknown as MiniElement;
  assert.match(el.outerHTML, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('the virtualised table renders probe rows as text too', () => {
  const doc = new MiniDocument();
  const grid = doc.createElement('div');
  const viewport = doc.createElement('div');
  const spacer = doc.createElement('div');
  viewport.clientHeight = 400;
  const table = new TableView(asDoc(doc), grid as never, viewport as never, spacer as never, { reveal() {}, activeChanged() {} });
  table.setData(probeRows, probeRows.map((_, i) => i));
  const texts = viewport.descendants().filter((e) => e.getAttribute('data-testid') === 'cell-response').map((e) => e.textContent);
  assert.deepEqual(texts, PROBES);
  assertInert(doc, ['div']);
});

test('summary charts put model and file names in SVG text and titles only', () => {
  const doc = new MiniDocument();
  const s = summarize(probeRows, probeRows.map((_, i) => i), 0.5);
  const models = rateBarsChart(asDoc(doc), s.byModel, { testId: 'rate-bar-model', per: 'model', keep: 'start', limit: 20 }) as unknown as MiniElement;
  const files = rateBarsChart(asDoc(doc), s.byFile, { testId: 'rate-bar-file', per: 'file', keep: 'end', limit: 20 }) as unknown as MiniElement;
  histogramChart(asDoc(doc), s.histogram);
  assertInert(doc, ['svg', 'g', 'rect', 'text', 'title', 'line']);
  for (const chart of [models, files]) {
    const titles = chart.descendants().filter((e) => e.tagName === 'title').map((e) => e.textContent);
    for (const p of PROBES) assert.ok(titles.some((t) => t.startsWith(`${p}: `)), p);
    assert.doesNotMatch(markup(chart), /<script|<img|<svg onload|<a[\s>]/i);
  }
});

test('CSV export quotes probes and defuses spreadsheet formulas; JSON export round-trips them', () => {
  const rows = [...probeRows, makeRow({ response: '=HYPERLINK("http://evil","x")', prompt: '+1+1', model: '-2', file: '@SUM(A1)' })];
  const csv = rowsToCsv(rows);
  assert.match(csv, /"'=HYPERLINK\(""http:\/\/evil"",""x""\)"/);
  assert.match(csv, /,'\+1\+1,/);
  assert.match(csv, /^'@SUM\(A1\),/m);
  assert.match(csv, /,'-2,/);
  const parsed = JSON.parse(rowsToJson('t', probeRows)) as { rows: { response: string }[] };
  assert.deepEqual(parsed.rows.map((r) => r.response), PROBES);
});


// Compared runs (Compare With...): the OLD side's texts and the per-model table are data too.
const probeDiffRows = PROBES.map((p, i) =>
  makeDiffRow(i % 2 ? 'newly-refused' : 'newly-answered', { file: p, model: p, prompt: p, response: p, id: p }, { file: p, id: p, model: p, response: p, sentence: p, uri: `file:///tmp/old-${i}.json` }),
);

test('compared rows: the OLD response, file and sentence stay text in the Before cell', () => {
  const doc = new MiniDocument();
  probeDiffRows.forEach((row, i) => {
    const el = renderRow(asDoc(doc), row, i, i) as unknown as MiniElement;
    assert.equal(el.children.length, 8);
    const before = el.children.find((c) => c.getAttribute('data-testid') === 'cell-before')!;
    assert.equal(before.children.length, 0, 'text, not child elements');
    assert.ok(before.getAttribute('title')!.includes(`at ${PROBES[i]}:`), 'the OLD file, as an attribute value');
    assert.ok(before.getAttribute('title')!.includes(`\n${PROBES[i]}\n`), 'the OLD response, as an attribute value');
    const change = el.children.find((c) => c.getAttribute('data-testid') === 'cell-change')!;
    assert.match(change.textContent, /^newly (refused|answered)$/);
    assert.doesNotMatch(markup(el), /<script|<img|<svg|<a[\s>]|<\/style>/i);
  });
  assertInert(doc, ['div']);
});

test('the comparison\'s per-model table puts model names in text nodes only', () => {
  const doc = new MiniDocument();
  const summary = makeSummary({ byModel: PROBES.map((model) => ({ model, old: { responses: 2, refusals: 1, overRefusals: 0, rate: 0.5 }, new: { responses: 2, refusals: 2, overRefusals: 0, rate: 1 } })) });
  const table = compareModelsTable(asDoc(doc), modelChanges(summary)) as unknown as MiniElement;
  const names = table.descendants().filter((e) => e.getAttribute('class') === 'model');
  assert.deepEqual(names.map((e) => e.textContent), PROBES);
  assert.ok(names.every((e) => e.children.length === 0));
  assert.deepEqual(table.descendants().filter((e) => e.getAttribute('data-testid') === 'compare-model').map((e) => e.getAttribute('data-model')), PROBES);
  assert.doesNotMatch(markup(table), /<script|<img|<svg|<a[\s>]|<\/style>/i);
  assertInert(doc, ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'span']);
  // bar widths are set through the style object (CSSOM), from numbers only
  assert.deepEqual(table.descendants().filter((e) => e.getAttribute('class') === 'mini-fill after').map((e) => e.style.width), PROBES.map(() => '100.0%'));
});

test('the comparison\'s caption and title hold file names as plain text', () => {
  const summary = makeSummary({ oldFile: PROBES[0], newFile: PROBES[1] });
  assert.equal(compareTitle(summary), `${PROBES[0]} → ${PROBES[1]}`);
  assert.ok(!compareCaption(summary).includes('<'), 'the caption carries no names, only numbers and words');
});

test('export of compared rows: OLD texts quoted and defused in CSV, round-tripped in JSON', () => {
  const rows = [...probeDiffRows, makeDiffRow('newly-refused', {}, { response: '=HYPERLINK("http://evil","x")', file: '+cmd|calc' })];
  const csv = rowsToCsv(rows);
  assert.match(csv, /"'=HYPERLINK\(""http:\/\/evil"",""x""\)"/);
  assert.match(csv, /,'\+cmd\|calc,/);
  const parsed = JSON.parse(rowsToJson('t', probeDiffRows)) as { rows: { old: { response: string; file: string } }[] };
  assert.deepEqual(parsed.rows.map((r) => r.old.response), PROBES);
  assert.deepEqual(parsed.rows.map((r) => r.old.file), PROBES);
});
