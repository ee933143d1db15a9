import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, parseSettings, RESTART_SETTINGS, RESTRICTED_SETTINGS } from '../../../server/src/shared/settings';
import { parseInitializationOptions } from '../../../server/src/shared/protocol';
import { SettingsCache } from '../../../server/src/lsp/settingsCache';
import { FakeServerHost } from '../../helpers/fakeServerHost';

test('nothing configured: the defaults, no problems', () => {
  for (const raw of [undefined, null, {}]) {
    const { settings, problems } = parseSettings(raw);
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(problems, []);
  }
  assert.equal(DEFAULT_SETTINGS.severity, 'warning');
  assert.equal(DEFAULT_SETTINGS.threshold, 0.5);
  assert.equal(DEFAULT_SETTINGS.maxTokens, 512);
});

test('valid values are taken as given (trimmed where they are paths or globs)', () => {
  const { settings, problems } = parseSettings({
    detector: 'lexical',
    modelPath: ' /models/x ',
    allowDownload: true,
    threshold: 0.75,
    mode: 'sentence',
    maxTokens: 128,
    precision: 'int8',
    severity: 'information',
    files: { promptfoo: ['**/output*.json', ' '], 'openai-chat': 'chats/*.jsonl' },
    fields: ['choices[*].turns[*]', ''],
    maxFileSizeMb: 200,
    threads: 2,
    trace: { server: 'verbose' },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    detector: 'lexical',
    modelPath: '/models/x',
    allowDownload: true,
    threshold: 0.75,
    mode: 'sentence',
    maxTokens: 128,
    precision: 'int8',
    severity: 'information',
    files: { promptfoo: ['**/output*.json'], 'openai-chat': ['chats/*.jsonl'] },
    fields: ['choices[*].turns[*]'],
    maxFileSizeMb: 200,
    threads: 2,
    traceServer: 'verbose',
  });
});

test('each invalid value falls back to its default with one problem naming the setting', () => {
  const { settings, problems } = parseSettings({
    detector: 'gpt',
    modelPath: 42,
    allowDownload: 'yes',
    threshold: 1.5,
    mode: 'paragraph',
    maxTokens: 100.5,
    precision: 'int4',
    severity: 'fatal',
    files: { promptfoo: [1, 2] },
    fields: 'a.b',
    maxFileSizeMb: -1,
    threads: Number.NaN,
    trace: { server: 'loud' },
  });
  assert.deepEqual(settings, { ...DEFAULT_SETTINGS, files: {} });
  assert.equal(problems.length, 13);
  for (const key of ['detector', 'modelPath', 'allowDownload', 'threshold', 'mode', 'maxTokens', 'precision', 'severity', 'files.promptfoo', 'fields', 'maxFileSizeMb', 'threads', 'trace.server']) {
    assert.ok(problems.some((p) => p.startsWith(`refusalLens.${key}:`)), key);
  }
  assert.match(problems[0], /expected one of auto, model, lexical, got "gpt"; using the default/);
});

test('a configuration that is not an object is reported, and the defaults are used', () => {
  const { settings, problems } = parseSettings('threshold=0.2');
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.equal(problems.length, 1);
});

test('restart and restricted lists name real settings; the model path needs a restart and is restricted', () => {
  for (const k of [...RESTART_SETTINGS, ...RESTRICTED_SETTINGS]) assert.ok(k in DEFAULT_SETTINGS, k);
  assert.ok((RESTART_SETTINGS as readonly string[]).includes('modelPath'));
  assert.ok((RESTRICTED_SETTINGS as readonly string[]).includes('modelPath'));
});

test('initialization options: a client that does not say the workspace is trusted gets restricted mode', () => {
  assert.equal(parseInitializationOptions(undefined).trusted, false);
  assert.equal(parseInitializationOptions({ trusted: 'yes' }).trusted, false);
  assert.deepEqual(parseInitializationOptions({ trusted: true, storagePath: '/s', extensionPath: 3 }), { trusted: true, storagePath: '/s', extensionPath: null });
});

test('the settings cache logs each problem once, names unknown formats, and asks again after clear()', async () => {
  const host = new FakeServerHost();
  host.config[''] = { threshold: 'high', files: { 'no-such-format': ['*.json'] } };
  const cache = new SettingsCache((uri) => host.configuration(uri), host.log);
  const a = await cache.get('file:///a.json');
  await cache.get('file:///a.json');
  await cache.get('file:///b.json');
  assert.equal(a.threshold, 0.5);
  assert.equal(host.configurationRequests, 2);
  const warnings = host.logs.filter((l) => l.level === 'warn').map((l) => l.message);
  assert.equal(warnings.length, 2);
  assert.ok(warnings.some((w) => w.includes('no format is named "no-such-format"')));
  cache.clear();
  await cache.get('file:///a.json');
  assert.equal(host.configurationRequests, 3);
});
