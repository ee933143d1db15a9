import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATOR_VERSION, writeTestModel } from '../../scripts/testModel/writeTestModel';

/**
 * The full-size generated model (distilroberta-base shape, random weights, about 330 MB), kept in
 * .cache/models/ (where `npm run bench` keeps it too) and generated there only when missing or
 * made by another generator version. Tests must not write into it: they quantize to their own
 * temporary folders.
 */
export const FULL_SIZE_DIR = path.resolve(__dirname, '../../.cache/models/distilroberta-base-random');

export function fullSizeModel(): string {
  const configFile = path.join(FULL_SIZE_DIR, 'config.json');
  const marker = fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, 'utf8')).refusal_lens_test_model : null;
  if (marker?.preset !== 'distilroberta-base' || marker.version !== GENERATOR_VERSION || !fs.existsSync(path.join(FULL_SIZE_DIR, 'onnx/model.onnx'))) {
    writeTestModel({ preset: 'distilroberta-base', out: FULL_SIZE_DIR });
  }
  return FULL_SIZE_DIR;
}
