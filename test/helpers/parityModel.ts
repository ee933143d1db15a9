import * as fs from 'node:fs';
import * as path from 'node:path';
import { PARITY_DIR, TOKENIZER_DIR } from './sharedData';

export interface ParityCase {
  text: string;
  input_ids: number[];
  logits: number[];
  pipeline: { label: string; score: number }[];
}

/** A model folder in the Hugging Face layout made of the parity fixture's model and config and the real tokenizer (links, no copies). */
export function parityModelFolder(dir: string): string {
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const link = (from: string, to: string) => {
    fs.rmSync(to, { force: true });
    fs.symlinkSync(from, to);
  };
  link(path.join(PARITY_DIR, 'tiny-model.onnx'), path.join(dir, 'onnx', 'model.onnx'));
  link(path.join(PARITY_DIR, 'config.json'), path.join(dir, 'config.json'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) link(path.join(TOKENIZER_DIR, f), path.join(dir, f));
  return dir;
}

export function parityCases(): ParityCase[] {
  return JSON.parse(fs.readFileSync(path.join(PARITY_DIR, 'parity.json'), 'utf8')).cases;
}
