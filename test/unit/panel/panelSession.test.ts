import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { HostMessage } from '../../../client/src/panel/panelMessages';
import { DEFAULT_QUERY } from '../../../client/src/panel/rowQuery';
import { PanelSession } from '../../../client/src/panel/panelSession';
import type { ResultRow } from '../../../server/src/shared/resultRow';
import { makeRow, syntheticRows } from '../../helpers/resultRows';

function session(chunk = 1000) {
  const posted: HostMessage[] = [];
  const revealed: ResultRow[] = [];
  const exported: { format: string; title: string; rows: ResultRow[] }[] = [];
  const s = new PanelSession(
    {
      post: (m) => posted.push(m),
      reveal: (r) => revealed.push(r),
      exportRows: (format, title, rows) => exported.push({ format, title, rows }),
    },
    chunk,
  );
  return { s, posted, revealed, exported };
}

const rowsIn = (posted: HostMessage[]): ResultRow[] => posted.flatMap((m) => (m.type === 'rows' ? m.rows : []));

test('nothing is posted before the webview is ready; then the whole set, in chunks', () => {
  const { s, posted } = session(1000);
  const rows = syntheticRows(2500);
  s.setRows('run.jsonl', rows, { threshold: 0.75 });
  assert.equal(posted.length, 0);
  s.receive({ type: 'ready' });
  assert.deepEqual(posted[0], { type: 'reset', generation: 1, title: 'run.jsonl', threshold: 0.75 });
  const chunks = posted.filter((m) => m.type === 'rows');
  assert.deepEqual(chunks.map((m) => (m.type === 'rows' ? [m.rows.length, m.complete] : [])), [[1000, false], [1000, false], [500, true]]);
  assert.deepEqual(rowsIn(posted), rows);
  assert.deepEqual(posted.at(-1), { type: 'status', text: null });
});

test('after hide/show (detach, then ready again) the same rows are sent again', () => {
  const { s, posted } = session();
  s.receive({ type: 'ready' });
  s.setRows('a', syntheticRows(10));
  s.detach();
  s.appendRows(syntheticRows(3));
  s.setStatus('Scanning 2/3 files');
  const before = posted.length;
  s.receive({ type: 'ready' });
  const again = posted.slice(before);
  assert.equal(again[0].type, 'reset');
  assert.equal(rowsIn(again).length, 13);
  assert.deepEqual(again.at(-1), { type: 'status', text: 'Scanning 2/3 files' });
});

test('appended rows stream to a ready webview under the current generation', () => {
  const { s, posted } = session();
  s.receive({ type: 'ready' });
  s.setRows('Workspace scan', []);
  s.appendRows([makeRow({ id: 'x' })]);
  const last = posted.at(-1);
  assert.ok(last?.type === 'rows');
  assert.equal(last.generation, 1);
  assert.equal(last.rows[0].id, 'x');
  assert.equal(s.currentRows.length, 1);
});

test('reveal: the row the index names in the current set; stale or out-of-range requests are ignored', () => {
  const { s, revealed } = session();
  const rows = syntheticRows(5);
  s.setRows('a', rows);
  assert.equal(s.receive({ type: 'reveal', generation: 1, index: 3 }), true);
  assert.equal(revealed[0], rows[3]);
  s.setRows('b', syntheticRows(2));
  assert.equal(s.receive({ type: 'reveal', generation: 1, index: 1 }), false, 'stale generation');
  assert.equal(s.receive({ type: 'reveal', generation: 2, index: 2 }), false, 'past the end');
  assert.equal(s.receive({ type: 'reveal', generation: 2, index: '1' }), false, 'malformed');
  assert.equal(revealed.length, 1);
});

test('export gets the rows the query shows, in display order, not the whole set', () => {
  const { s, exported } = session();
  const rows = syntheticRows(100);
  s.setRows('run', rows);
  s.receive({ type: 'export', format: 'csv', query: { ...DEFAULT_QUERY, refusalsOnly: true, sort: 'score', descending: true } });
  assert.equal(exported.length, 1);
  const e = exported[0];
  assert.equal(e.format, 'csv');
  assert.equal(e.title, 'run');
  assert.equal(e.rows.length, rows.filter((r) => r.label === 'refusal').length);
  assert.ok(e.rows.every((r, i) => r.label === 'refusal' && (i === 0 || e.rows[i - 1].score >= r.score)));
});

test('setRows keeps its own copy, and a bad threshold falls back to 0.5', () => {
  const { s, posted } = session();
  const rows = syntheticRows(3);
  s.setRows('a', rows, { threshold: 7 });
  rows.length = 0;
  assert.equal(s.currentRows.length, 3);
  s.receive({ type: 'ready' });
  assert.deepEqual(posted[0], { type: 'reset', generation: 1, title: 'a', threshold: 0.5 });
});

test('an empty set still completes, so the webview can say "no responses"', () => {
  const { s, posted } = session();
  s.receive({ type: 'ready' });
  assert.deepEqual(posted.slice(0, 2), [
    { type: 'reset', generation: 0, title: 'Refusal Lens results', threshold: 0.5 },
    { type: 'rows', generation: 0, rows: [], complete: true },
  ]);
});
