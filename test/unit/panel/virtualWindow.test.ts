import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OVERSCAN, pageRows, scrollToReveal, virtualWindow } from '../../../client/src/panel/virtualWindow';
import { ROW_HEIGHT, TableView } from '../../../client/src/webview/tableView';
import { MiniDocument } from '../../helpers/miniDom';
import type { MiniElement } from '../../helpers/miniDom';
import { syntheticRows } from '../../helpers/resultRows';

test('the window covers the viewport plus overscan, clamped to the list', () => {
  assert.deepEqual(virtualWindow(1000, 24, 0, 240, 5), { first: 0, end: 15, height: 24000 });
  assert.deepEqual(virtualWindow(1000, 24, 2400, 240, 5), { first: 95, end: 115, height: 24000 });
  // A partly visible row at each edge is rendered.
  assert.deepEqual(virtualWindow(1000, 24, 2412, 240, 0), { first: 100, end: 111, height: 24000 });
  // Scrolled past the end (the list shrank): the last rows, not an empty window.
  assert.deepEqual(virtualWindow(10, 24, 99999, 120, 0), { first: 5, end: 10, height: 240 });
  assert.deepEqual(virtualWindow(0, 24, 0, 240), { first: 0, end: 0, height: 0 });
  assert.deepEqual(virtualWindow(5, 24, -50, 240, 2), { first: 0, end: 5, height: 120 });
});

test('scrollToReveal moves as little as possible', () => {
  assert.equal(scrollToReveal(10, 24, 0, 240), 24, 'below: bottom edge aligned');
  assert.equal(scrollToReveal(3, 24, 240, 240), 72, 'above: top edge aligned');
  assert.equal(scrollToReveal(12, 24, 240, 240), 240, 'visible: unchanged');
  assert.equal(scrollToReveal(0, 24, 0, 10), 0, 'viewport smaller than a row');
});

test('a page is one viewport less a row of context, at least one row', () => {
  assert.equal(pageRows(24, 240), 9);
  assert.equal(pageRows(24, 10), 1);
});

function table(viewportHeight: number) {
  const doc = new MiniDocument();
  const grid = doc.createElement('div');
  const viewport = doc.createElement('div');
  const spacer = doc.createElement('div');
  viewport.clientHeight = viewportHeight;
  grid.appendChild(viewport);
  const revealed: number[] = [];
  const view = new TableView(doc as never, grid as never, viewport as never, spacer as never, { reveal: (i) => revealed.push(i), activeChanged() {} });
  const rowEls = (): MiniElement[] => viewport.children.filter((c) => c.getAttribute('role') === 'row');
  return { doc, grid, viewport, spacer, view, revealed, rowEls };
}

test('50,000 rows: only the visible window is in the DOM, at the right offsets', () => {
  const rows = syntheticRows(50_000);
  const order = rows.map((_, i) => i).reverse();
  const t = table(480);
  t.view.setData(rows, order);
  const visible = 480 / ROW_HEIGHT;
  assert.equal(t.spacer.style.height, `${50_000 * ROW_HEIGHT}px`);
  assert.equal(t.grid.getAttribute('aria-rowcount'), '50001');
  assert.equal(t.rowEls().length, visible + OVERSCAN);
  assert.ok(t.doc.created.length < 2000, `${t.doc.created.length} elements created`);

  t.viewport.scrollTop = 30_000 * ROW_HEIGHT;
  t.view.render();
  const els = t.rowEls();
  assert.equal(els.length, visible + 2 * OVERSCAN);
  const positions = els.map((e) => Number(e.getAttribute('data-pos'))).sort((a, b) => a - b);
  assert.equal(positions[0], 30_000 - OVERSCAN);
  assert.equal(positions.at(-1), 30_000 + visible + OVERSCAN - 1);
  const at = els.find((e) => e.getAttribute('data-pos') === '30000')!;
  assert.equal(at.style.transform, `translateY(${30_000 * ROW_HEIGHT}px)`);
  assert.equal(at.getAttribute('data-index'), String(order[30_000]));
  assert.equal(at.getAttribute('aria-rowindex'), '30002');
  assert.equal(at.descendants().find((c) => c.getAttribute('data-testid') === 'cell-response')?.textContent, rows[order[30_000]].response);
});

test('scrolling reuses rows still in the window and drops the others', () => {
  const t = table(240);
  t.view.setData(syntheticRows(1000), [...Array(1000).keys()]);
  const before = t.rowEls().find((e) => e.getAttribute('data-pos') === '8')!;
  t.viewport.scrollTop = 5 * ROW_HEIGHT;
  t.view.render();
  assert.ok(t.rowEls().includes(before), 'row 8 kept its element');
  t.viewport.scrollTop = 500 * ROW_HEIGHT;
  t.view.render();
  assert.ok(!t.rowEls().includes(before));
  assert.equal(t.rowEls().length, 240 / ROW_HEIGHT + 2 * OVERSCAN);
});

test('new data replaces rows even at the same positions', () => {
  const t = table(240);
  const a = syntheticRows(100);
  t.view.setData(a, [...Array(100).keys()]);
  const b = syntheticRows(100).map((r) => ({ ...r, response: `new ${r.response}` }));
  t.view.setData(b, [...Array(100).keys()]);
  const cell = t.rowEls()[0].descendants().find((c) => c.getAttribute('data-testid') === 'cell-response');
  assert.match(cell!.textContent, /^new /);
});

test('keyboard: arrows, Page Down, End move the active row into view; Enter reveals it', () => {
  const t = table(240);
  const order = [...Array(1000).keys()].map((i) => 999 - i);
  t.view.setData(syntheticRows(1000), order);
  const first = t.rowEls().find((e) => e.getAttribute('data-pos') === '0')!;
  assert.equal(first.getAttribute('tabindex'), '0', 'roving tabindex starts at the first row');
  first.dispatch('keydown', { key: 'ArrowDown' });
  assert.equal(t.view.activePos, 1);
  assert.equal(t.doc.activeElement?.getAttribute('data-pos'), '1');
  (t.doc.activeElement as MiniElement).dispatch('keydown', { key: 'PageDown' });
  assert.equal(t.view.activePos, 1 + 9);
  assert.equal(t.viewport.scrollTop, 11 * ROW_HEIGHT - 240, 'scrolled just enough');
  (t.doc.activeElement as MiniElement).dispatch('keydown', { key: 'End' });
  assert.equal(t.view.activePos, 999);
  assert.equal(t.viewport.scrollTop, 1000 * ROW_HEIGHT - 240);
  const ev = (t.doc.activeElement as MiniElement).dispatch('keydown', { key: 'Enter' });
  assert.ok(ev.defaultPrevented);
  assert.deepEqual(t.revealed, [order[999]]);
  assert.equal(t.rowEls().filter((e) => e.getAttribute('tabindex') === '0').length, 1);
  assert.equal(t.viewport.getAttribute('tabindex'), '-1', 'the active row is the tab stop');
});

test('a click on a cell reveals its row and makes it active', () => {
  const t = table(240);
  const order = [...Array(50).keys()].map((i) => (i * 7) % 50);
  t.view.setData(syntheticRows(50), order);
  const row = t.rowEls().find((e) => e.getAttribute('data-pos') === '4')!;
  row.children[5].dispatch('click');
  assert.deepEqual(t.revealed, [order[4]]);
  assert.equal(t.view.activePos, 4);
});

test('when the active row scrolls out of the DOM, the body becomes the tab stop', () => {
  const t = table(240);
  t.view.setData(syntheticRows(1000), [...Array(1000).keys()]);
  t.viewport.scrollTop = 400 * ROW_HEIGHT;
  t.view.render();
  assert.equal(t.viewport.getAttribute('tabindex'), '0');
  t.viewport.dispatch('keydown', { key: 'ArrowDown' });
  assert.equal(t.view.activePos, 401, 'continues from the first row on screen');
  assert.equal(t.viewport.scrollTop, 400 * ROW_HEIGHT);
  assert.equal(t.doc.activeElement?.getAttribute('data-pos'), '401');
  assert.equal(t.viewport.getAttribute('tabindex'), '-1');
});
