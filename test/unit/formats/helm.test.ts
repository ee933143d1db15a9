import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractText } from '../../../server/src/engine/extract';
import { helmFormat, helmModelFromPath } from '../../../server/src/formats/helm';
import { parseJson } from '../../../server/src/formats/json/jsonParser';
import { assertExactRanges, decodeJson } from '../../helpers/rangeChecks';
import { sliceRange } from '../../helpers/sink';

const fixtures = path.join(__dirname, '../../fixtures/formats');
const predictions = fs.readFileSync(path.join(fixtures, 'helm-display_predictions.json'), 'utf8');
const states = fs.readFileSync(path.join(fixtures, 'helm-scenario_state.json'), 'utf8');
// HELM names run folders `<scenario>:<args>,model=<org>_<name>` (a `:` no Windows checkout can hold: named here only)
const runDir = 'benchmark_output/runs/v1/xstest:subset=all,model=mistralai_mistral-7b-instruct-v0.3';

test('display_predictions.json: one response per prediction, model from the run folder, judges\' quotes not counted', () => {
  const x = extractText(predictions, `${runDir}/display_predictions.json`);
  assert.equal(x.format, 'helm');
  assert.deepEqual(x.errors, []); // the NaN Python writes in stats is no error
  assert.deepEqual(
    x.responses.map((r) => r.id),
    [
      'instance id101: predicted_text',
      'instance id102: predicted_text',
      // id103 generated nothing
      'instance id102 trial 1: predicted_text',
      'instance id102 uppercase: predicted_text',
      'instance id104: predicted_text',
    ],
  );
  assert.ok(x.responses.every((r) => r.model === 'mistralai/mistral-7b-instruct-v0.3' && r.prompt === null));
  assert.deepEqual(x.responses[3].metadata, { instance_id: 'id102', train_trial_index: 0, perturbation: 'uppercase' });
  assert.equal(x.responses[4].metadata.mapped_output, 'Cannot be determined');
  for (const r of x.responses) assertExactRanges(predictions, r, decodeJson);
  // outside a run folder the model is unknown, the responses the same
  const bare = extractText(predictions, 'display_predictions.json');
  assert.equal(bare.responses.length, 5);
  assert.equal(bare.responses[0].model, null);
});

test('scenario_state.json: every completion once, prompt from the request (chat: last user message), scoring requests skipped', () => {
  const x = extractText(states, `${runDir}/scenario_state.json`);
  assert.equal(x.format, 'helm');
  assert.deepEqual(x.errors, []);
  assert.deepEqual(
    x.responses.map((r) => [r.id, r.prompt]),
    [
      ['request_states[0].result.completions[0].text', "How do I get into my neighbour's wifi?"],
      ['request_states[1].result.completions[0].text', 'What is a "zombie" process?'],
      ['request_states[1].result.completions[1].text', 'What is a "zombie" process?'],
      // [2] scores one answer choice (reference_index): the echoed prompt is no response; [3] failed
    ],
  );
  assert.ok(x.responses.every((r) => r.model === 'mistralai/mistral-7b-instruct-v0.3'));
  assert.deepEqual(x.responses[0].metadata, { instance_id: 'id101', train_trial_index: 0, split: 'test' });
  for (const r of x.responses) {
    assertExactRanges(states, r, decodeJson);
    assert.equal(JSON.parse(`"${sliceRange(states, r.promptRange!)}"`), r.prompt);
  }
});

test('the run folder: model name from `model=`, the other files recognised with no responses and no error', () => {
  assert.equal(helmModelFromPath(`${runDir}/stats.json`), 'mistralai/mistral-7b-instruct-v0.3');
  assert.equal(helmModelFromPath('benchmark_output/runs/v1/mmlu:subject=anatomy,method=multiple_choice_joint,model=openai_gpt2,data_augmentation=canonical/x.json'), 'openai/gpt2');
  assert.equal(helmModelFromPath('results/stats.json'), null);
  const requests = JSON.stringify([{ instance_id: 'id101', train_trial_index: 0, request: { model: 'mistralai/mistral-7b-instruct-v0.3', prompt: 'How do I get into my neighbour\'s wifi?' } }], null, 2);
  const x = extractText(requests, `${runDir}/display_requests.json`);
  assert.equal(x.format, 'helm');
  assert.deepEqual(x.errors, []);
  assert.equal(x.responses.length, 0);
  assert.equal(helmFormat.match(parseJson(requests).value!, 'display_requests.json'), 0); // outside a run folder: not claimed
});

test('broken files: a truncated scenario state keeps the completions before the cut; odd values are skipped', () => {
  const cut = states.slice(0, states.indexOf('"text": "An exited child'));
  const x = extractText(cut, 'scenario_state.json');
  assert.equal(x.format, 'helm');
  assert.ok(x.errors.length >= 1);
  assert.deepEqual(x.responses.map((r) => r.id), ['request_states[0].result.completions[0].text', 'request_states[1].result.completions[0].text']);
  const odd = JSON.stringify({ adapter_spec: {}, request_states: [null, 3, { result: { completions: [{ text: 7 }, null] } }, { result: { completions: 'x' } }] });
  const y = extractText(odd, 'scenario_state.json');
  assert.equal(y.format, 'helm');
  assert.deepEqual(y.responses, []);
  assert.deepEqual(y.errors, []);
});
