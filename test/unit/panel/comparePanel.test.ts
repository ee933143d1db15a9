import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareCaption, compareTitle, modelChanges, pointsChange } from '../../../client/src/panel/compareText';
import type { HostMessage, RevealSide } from '../../../client/src/panel/panelMessages';
import { PanelSession, revealTarget } from '../../../client/src/panel/panelSession';
import { rowCells } from '../../../client/src/panel/rowCells';
import { rowsToCsv, rowsToJson } from '../../../client/src/panel/rowExport';
import { DEFAULT_QUERY, queryRows } from '../../../client/src/panel/rowQuery';
import { TableView } from '../../../client/src/webview/tableView';
import type { ResultRow } from '../../../server/src/shared/resultRow';
import { makeDiffRow, makeSummary } from '../../helpers/compareRows';
import { MiniDocument, type MiniElement } from '../../helpers/miniDom';
import { makeRow } from '../../helpers/resultRows';

const rows = [
  makeDiffRow('still-refused', { prompt: 'lock' }),
  makeDiffRow('newly-refused', { prompt: 'poem' }),
  makeDiffRow('newly-answered', { prompt: 'hotwire' }, { response: 'I will not explain hotwiring.' }),
  makeDiffRow('newly-refused', { prompt: 'kill', model: 'claude' }),
];

test('filter by change kind; the other filters still apply; absent shows every kind', () => {
  assert.deepEqual(queryRows(rows, DEFAULT_QUERY), [0, 1, 2, 3]);
  assert.deepEqual(queryRows(rows, { ...DEFAULT_QUERY, change: 'newly-refused' }), [1, 3]);
  assert.deepEqual(queryRows(rows, { ...DEFAULT_QUERY, change: 'newly-answered' }), [2]);
  assert.deepEqual(queryRows(rows, { ...DEFAULT_QUERY, change: 'still-refused' }), [0]);
  assert.deepEqual(queryRows(rows, { ...DEFAULT_QUERY, change: 'newly-refused', model: 'claude' }), [3]);
  assert.deepEqual(queryRows(rows, { ...DEFAULT_QUERY, refusalsOnly: true }), [0, 1, 3], 'refusals now');
  assert.deepEqual(queryRows([makeRow(), ...rows], { ...DEFAULT_QUERY, change: 'still-refused' }), [1], 'a row of no comparison has no change');
  assert.deepEqual(queryRows(rows, { ...DEFAULT_QUERY, text: 'hotwiring' }), [2], 'search reads the OLD response too');
});

test('a compared row has Change and Before cells; an ordinary row has neither', () => {
  const cells = rowCells(makeDiffRow('newly-refused', {}, { score: 0.0512, range: { start: { line: 6, character: 3 }, end: { line: 6, character: 9 } } }));
  assert.deepEqual(cells.map((c) => c.column), ['file', 'model', 'change', 'before', 'label', 'score', 'prompt', 'response']);
  const change = cells.find((c) => c.column === 'change')!;
  const before = cells.find((c) => c.column === 'before')!;
  assert.equal(change.text, 'newly refused');
  assert.equal(change.title, 'newly refused: normal before, refusal now');
  assert.equal(before.text, 'normal 0.051');
  assert.match(before.title, /^Before: normal \(0\.0512\) at evals\/old\.jsonl:7:4\nHere is how\./);
  assert.deepEqual(rowCells(makeRow()).map((c) => c.column), ['file', 'model', 'label', 'score', 'prompt', 'response']);
});

test('reveal goes to the NEW response, or with side old to the OLD one', () => {
  const row = rows[1];
  assert.deepEqual(revealTarget(row, 'new'), { uri: row.uri, file: row.file, range: row.range });
  assert.deepEqual(revealTarget(row, 'old'), { uri: row.diff!.old.uri, file: row.diff!.old.file, range: row.diff!.old.range });
  const plain = makeRow();
  assert.deepEqual(revealTarget(plain, 'old'), { uri: plain.uri, file: plain.file, range: plain.range }, 'no OLD side: its own');
});

function session() {
  const posted: HostMessage[] = [];
  const revealed: Array<[ResultRow, RevealSide]> = [];
  const exported: ResultRow[][] = [];
  const s = new PanelSession({ post: (m) => posted.push(m), reveal: (r, side) => revealed.push([r, side]), exportRows: (_f, _t, r) => exported.push(r) });
  return { s, posted, revealed, exported };
}

test('the session sends the comparison with the reset, and reveals either side of a pair', () => {
  const { s, posted, revealed } = session();
  const summary = makeSummary();
  s.setRows(compareTitle(summary), rows, { threshold: 0.5, compare: summary });
  s.receive({ type: 'ready' });
  assert.deepEqual(posted[0], { type: 'reset', generation: 1, title: 'evals/old.jsonl → evals/new.jsonl', threshold: 0.5, compare: summary });
  assert.equal(s.currentCompare, summary);
  assert.equal(s.receive({ type: 'reveal', generation: 1, index: 2 }), true);
  assert.equal(s.receive({ type: 'reveal', generation: 1, index: 2, side: 'old' }), true);
  assert.equal(s.receive({ type: 'reveal', generation: 1, index: 2, side: 'sideways' }), false, 'malformed side');
  assert.deepEqual(revealed, [
    [rows[2], 'new'],
    [rows[2], 'old'],
  ]);
  // another set that is no comparison: no summary, and no OLD side to reveal
  s.setRows('run.jsonl', [makeRow()]);
  assert.equal(s.currentCompare, undefined);
  assert.deepEqual(posted.filter((m) => m.type === 'reset').at(-1), { type: 'reset', generation: 2, title: 'run.jsonl', threshold: 0.5 });
  assert.equal(s.receive({ type: 'reveal', generation: 2, index: 0, side: 'old' }), false);
});

test('export writes the rows the change filter shows, with their change and OLD side', () => {
  const { s, exported } = session();
  s.setRows('a → b', rows, { compare: makeSummary() });
  s.receive({ type: 'export', format: 'json', query: { ...DEFAULT_QUERY, change: 'newly-refused' } });
  assert.deepEqual(exported[0], [rows[1], rows[3]]);
  const json = JSON.parse(rowsToJson('a → b', exported[0]));
  assert.equal(json.title, 'a → b');
  assert.deepEqual(json.rows[0].change, 'newly-refused');
  assert.deepEqual(json.rows[0].old, { file: 'evals/old.jsonl', uri: 'file:///work/evals/old.jsonl', id: 'line 3: messages[1].content', line: 3, column: 91, model: 'gpt-4o', label: 'normal', score: 0.05, response: 'Here is how.', sentence: null });
  const csv = rowsToCsv(exported[0]).split('\r\n');
  assert.equal(csv[0], 'file,line,column,id,change,oldLabel,oldScore,oldFile,oldLine,oldColumn,oldId,oldResponse,oldUri,model,label,overRefusal,score,detector,format,prompt,response,sentence,uri');
  assert.match(csv[1], /^evals\/new\.jsonl,4,5,results\[0\]\.response,newly-refused,normal,0\.05,evals\/old\.jsonl,3,91,line 3: messages\[1\]\.content,Here is how\.,file:\/\/\/work\/evals\/old\.jsonl,gpt-4o,refusal,/);
  assert.equal(rowsToCsv([makeRow()]).split('\r\n')[0], 'file,line,column,id,model,label,overRefusal,score,detector,format,prompt,response,sentence,uri', 'ordinary rows keep their columns');
  const noDiff = JSON.parse(rowsToJson('t', [makeRow()]));
  assert.equal('change' in noDiff.rows[0] || 'old' in noDiff.rows[0], false);
});

test('the summary in words: title, rates before and after, counts, per model', () => {
  const s = makeSummary();
  assert.equal(compareTitle(s), 'evals/old.jsonl → evals/new.jsonl');
  assert.equal(compareCaption(s), 'Refusal rate 37.5% (3/8) → 50% (4/8) (+12.5 points) · 2 newly refused · 1 newly answered · 2 still refused · 3 answered in both · matched by prompt');
  assert.equal(
    compareCaption(makeSummary({ onlyOld: 2, onlyNew: 1, key: 'prompt+model', parseErrors: { old: 1, new: 0 } })).split(' · ').slice(-2).join(' · '),
    'matched by prompt+model (2 only in old, 1 only in new) · 1 parse error',
  );
  assert.deepEqual(modelChanges(s), [
    { model: 'claude-3-haiku', before: '50% (2/4)', after: '25% (1/4)', change: '−25.0 points', beforeRate: 0.5, afterRate: 0.25 },
    { model: 'gpt-4o', before: '25% (1/4)', after: '75% (3/4)', change: '+50.0 points', beforeRate: 0.25, afterRate: 0.75 },
  ]);
  assert.equal(pointsChange(null, s.new), '–');
  assert.equal(pointsChange(s.old, s.old), '±0 points');
  const gone = modelChanges(makeSummary({ byModel: [{ model: 'm', old: { responses: 2, refusals: 1, overRefusals: 0, rate: 0.5 }, new: null }] }));
  assert.deepEqual(gone[0], { model: 'm', before: '50% (1/2)', after: '–', change: '–', beforeRate: 0.5, afterRate: null });
});

test('the table: a click in the Before cell or Shift+Enter reveals the OLD response; elsewhere the NEW one', () => {
  const doc = new MiniDocument();
  const grid = doc.createElement('div');
  const viewport = doc.createElement('div');
  const spacer = doc.createElement('div');
  viewport.clientHeight = 240;
  grid.appendChild(viewport);
  const revealed: Array<[number, RevealSide]> = [];
  const view = new TableView(doc as never, grid as never, viewport as never, spacer as never, { reveal: (i, side) => revealed.push([i, side]), activeChanged() {} });
  view.setData([...rows, makeRow()], [0, 1, 2, 3, 4]);
  const rowEl = (pos: number): MiniElement => viewport.children.find((c) => c.getAttribute('data-pos') === String(pos))!;
  const cell = (pos: number, id: string) => rowEl(pos).children.find((c) => c.getAttribute('data-testid') === `cell-${id}`)!;
  assert.equal(rowEl(1).getAttribute('data-change'), 'newly-refused');
  assert.equal(rowEl(4).getAttribute('data-change'), null);
  cell(1, 'before').dispatch('click');
  cell(1, 'response').dispatch('click');
  rowEl(2).dispatch('keydown', { key: 'Enter', shiftKey: true });
  rowEl(2).dispatch('keydown', { key: 'Enter' });
  rowEl(4).dispatch('keydown', { key: 'Enter', shiftKey: true });
  assert.deepEqual(revealed, [
    [1, 'old'],
    [1, 'new'],
    [2, 'old'],
    [2, 'new'],
    [4, 'new'],
  ]);
});
