import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_QUERY_TEXT, parseCompareSummary, parseHostMessage, parsePanelState, parseRowQuery, parseWebviewMessage } from '../../../client/src/panel/panelMessages';
import { DEFAULT_QUERY } from '../../../client/src/panel/rowQuery';
import { makeSummary } from '../../helpers/compareRows';
import { makeRow } from '../../helpers/resultRows';

test('well-formed webview messages pass, rebuilt with only their known fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', generation: 3, index: 41, uri: 'file:///etc/passwd' }), { type: 'reveal', generation: 3, index: 41 });
  const q = { refusalsOnly: true, overRefusalsOnly: false, model: 'gpt-4o', text: 'sorry', sort: 'score', descending: true };
  assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'csv', query: q }), { type: 'export', format: 'csv', query: q });
});

test('malformed webview messages are rejected', () => {
  const bad: unknown[] = [
    null,
    undefined,
    'ready',
    42,
    [],
    { type: 'nope' },
    { type: 'reveal' },
    { type: 'reveal', generation: 1, index: -1 },
    { type: 'reveal', generation: 1, index: 1.5 },
    { type: 'reveal', generation: 1, index: '3' },
    { type: 'reveal', generation: 1, index: Number.MAX_VALUE },
    { type: 'reveal', generation: Number.NaN, index: 0 },
    { type: 'export', format: 'html', query: {} },
    { type: 'export', format: '../../x', query: {} },
    { type: 'openUri', uri: 'command:workbench.action.terminal.new' },
    Object.create({ type: 'ready' }),
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
});

test('a query from the webview is normalised: wrong types take defaults, long text is cut', () => {
  assert.deepEqual(parseRowQuery(null), DEFAULT_QUERY);
  assert.deepEqual(parseRowQuery({ refusalsOnly: 'yes', overRefusalsOnly: 1, model: 7, text: ['x'], sort: 'constructor', descending: 'no' }), DEFAULT_QUERY);
  assert.equal(parseRowQuery({ text: 'x'.repeat(5000) }).text.length, MAX_QUERY_TEXT);
  assert.equal(parseRowQuery({ model: 'm'.repeat(5000) }).model, null);
  assert.equal(parseRowQuery({ sort: '__proto__' }).sort, DEFAULT_QUERY.sort);
});

test('the webview checks host messages by shape', () => {
  const row = makeRow();
  assert.deepEqual(parseHostMessage({ type: 'reset', generation: 1, title: 't', threshold: 0.5 }), { type: 'reset', generation: 1, title: 't', threshold: 0.5 });
  assert.deepEqual(parseHostMessage({ type: 'rows', generation: 1, rows: [row], complete: true }), { type: 'rows', generation: 1, rows: [row], complete: true });
  assert.deepEqual(parseHostMessage({ type: 'status', text: null }), { type: 'status', text: null });
  assert.equal(parseHostMessage({ type: 'rows', generation: 1, rows: 'x' }), undefined);
  assert.equal(parseHostMessage({ type: 'reset', generation: 1, title: 5, threshold: 0.5 }), undefined);
  assert.equal(parseHostMessage({ type: 'status', text: 3 }), undefined);
  assert.equal(parseHostMessage('reset'), undefined);
});

test('saved webview state: garbage gives defaults, good state survives', () => {
  assert.deepEqual(parsePanelState(undefined), { query: DEFAULT_QUERY, scrollTop: 0, active: 0, generation: -1 });
  assert.deepEqual(parsePanelState({ query: 'x', scrollTop: -5, active: -1, generation: 'g' }), { query: DEFAULT_QUERY, scrollTop: 0, active: 0, generation: -1 });
  const good = { query: { ...DEFAULT_QUERY, text: 'sorry', sort: 'file' }, scrollTop: 480, active: 20, generation: 4 };
  assert.deepEqual(parsePanelState(good), good);
  assert.equal(parsePanelState({ scrollTop: Number.POSITIVE_INFINITY }).scrollTop, 0);
});

test('reveal of the OLD side: only "old" or "new" pass, rebuilt without the rest', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', generation: 2, index: 4, side: 'old', uri: 'file:///etc/passwd' }), { type: 'reveal', generation: 2, index: 4, side: 'old' });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', generation: 2, index: 4, side: 'new' }), { type: 'reveal', generation: 2, index: 4 });
  for (const side of ['OLD', 'both', '', 1, null, ['old'], { old: true }]) {
    assert.equal(parseWebviewMessage({ type: 'reveal', generation: 2, index: 4, side }), undefined, JSON.stringify(side));
  }
});

test('the change filter in a query: a known change kind, else absent', () => {
  assert.equal(parseRowQuery({ change: 'newly-refused' }).change, 'newly-refused');
  assert.equal(parseRowQuery({ change: 'still-refused' }).change, 'still-refused');
  for (const change of ['newly refused', 'NEWLY-REFUSED', '__proto__', 3, null, ['newly-answered']]) {
    assert.equal('change' in parseRowQuery({ change }), false, JSON.stringify(change));
  }
  const m = parseWebviewMessage({ type: 'export', format: 'json', query: { ...DEFAULT_QUERY, change: 'newly-answered' } });
  assert.deepEqual(m, { type: 'export', format: 'json', query: { ...DEFAULT_QUERY, change: 'newly-answered' } });
  assert.equal(parsePanelState({ query: { change: 'newly-refused' } }).query.change, 'newly-refused', 'the filter survives hide/show');
});

test('a reset may carry a comparison summary; a malformed one rejects the message', () => {
  const summary = makeSummary();
  assert.deepEqual(parseHostMessage({ type: 'reset', generation: 1, title: 'a → b', threshold: 0.5, compare: { ...summary, extra: '<script>' } }), { type: 'reset', generation: 1, title: 'a → b', threshold: 0.5, compare: summary });
  assert.deepEqual(parseCompareSummary(JSON.parse(JSON.stringify(summary))), summary);
  const broken: unknown[] = [
    null,
    'summary',
    { ...summary, key: 'line' },
    { ...summary, oldFile: 3 },
    { ...summary, newlyRefused: -1 },
    { ...summary, stillRefused: Number.NaN },
    { ...summary, old: null },
    { ...summary, new: { responses: 1, refusals: 1, overRefusals: 0 } },
    { ...summary, byModel: 'x' },
    { ...summary, byModel: [{ model: 5, old: null, new: null }] },
    { ...summary, byModel: [{ model: 'm', old: { rate: 'high' }, new: null }] },
    { ...summary, parseErrors: { old: 0 } },
  ];
  for (const compare of broken) {
    assert.equal(parseHostMessage({ type: 'reset', generation: 1, title: 't', threshold: 0.5, compare }), undefined, JSON.stringify(compare)?.slice(0, 80));
  }
  // a model with responses in one run only
  const oneSided = { ...summary, byModel: [{ model: 'm', old: null, new: summary.new }] };
  assert.deepEqual(parseCompareSummary(oneSided), oneSided);
});
