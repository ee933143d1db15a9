#!/usr/bin/env node
// `npm run model:test -- --preset tiny|distilroberta-base --out DIR [--seed N] [--tokenizer auto|generated|DIR]`
// Writes a RoBERTa sequence-classification model with seeded random weights, in the Hugging Face folder layout.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PRESETS, writeTestModel, type PresetName } from './testModel/writeTestModel';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'tiny' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1234' },
    tokenizer: { type: 'string', default: 'auto' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || !values.out) {
  process.stdout.write(`Usage: npm run model:test -- --preset ${Object.keys(PRESETS).join('|')} --out DIR [--seed N] [--tokenizer auto|generated|DIR]\n`);
  process.exit(values.help ? 0 : 1);
}
const t0 = Date.now();
const info = writeTestModel({ preset: values.preset as PresetName, out: values.out, seed: Number(values.seed), tokenizer: values.tokenizer });
process.stdout.write(
  `wrote ${path.relative(process.cwd(), info.dir) || info.dir}: ${info.preset}, ${(info.parameters / 1e6).toFixed(1)}M parameters, ` +
    `${(info.modelBytes / 2 ** 20).toFixed(1)} MiB, tokenizer ${info.tokenizer === 'generated' ? 'generated' : 'roberta-base'}, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
);
