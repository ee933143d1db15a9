import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_CATEGORY, COMMANDS } from '../../../client/src/commandTable';
import { DEFAULT_SETTINGS, parseSettings, RESTRICTED_SETTINGS } from '../../../server/src/shared/settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
const properties: Record<string, { default: unknown; scope?: string }> = manifest.contributes.configuration.properties;

test('package.json contributes exactly the commands of the command table, in the Refusal Lens category', () => {
  assert.deepEqual(
    manifest.contributes.commands,
    COMMANDS.map((c) => ({ command: c.id, title: c.title, category: COMMAND_CATEGORY })),
  );
});

test('every setting has a contributed default equal to the code default', () => {
  const contributed: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(properties)) {
    const parts = key.replace(/^refusalLens\./, '').split('.');
    let o = contributed;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts.at(-1)!] = spec.default;
  }
  const { settings, problems } = parseSettings(contributed);
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.equal(Object.keys(properties).length, Object.keys(DEFAULT_SETTINGS).length);
});

test('the model path is machine-scoped and restricted in untrusted workspaces; restricted mode is declared', () => {
  assert.equal(properties['refusalLens.modelPath'].scope, 'machine');
  const trust = manifest.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.deepEqual(trust.restrictedConfigurations, RESTRICTED_SETTINGS.map((k) => `refusalLens.${k}`));
});

test('activation on the languages read; Classify Selection in the editor menu only with a selection', () => {
  for (const lang of ['json', 'jsonl', 'markdown', 'csv']) assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`), lang);
  assert.deepEqual(manifest.contributes.menus['editor/context'], [{ command: 'refusalLens.classifySelection', when: 'editorHasSelection', group: 'refusalLens@1' }]);
  assert.equal(manifest.engines.vscode, '^1.100.0');
});
