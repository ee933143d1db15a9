import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_QUERY_TEXT, parseHostMessage, parsePanelState, parseRowQuery, parseWebviewMessage } from '../../../client/src/panel/panelMessages';
import { DEFAULT_QUERY } from '../../../client/src/panel/rowQuery';
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
