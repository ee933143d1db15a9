import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the detector needs from a model folder's config.json (and tokenizer_config.json). */
export interface ModelConfig {
  /** Label names by output index (id2label). */
  labels: string[];
  /** The output index whose probability is the refusal score. */
  rejectionIndex: number;
  /** Most tokens (special tokens included) the model reads: its position table's size for RoBERTa. */
  maxTokens: number;
}

export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

export const REJECTION_LABEL = 'REJECTION';

export function readModelConfig(dir: string): ModelConfig {
  const config = readJson(path.join(dir, 'config.json')) as { id2label?: Record<string, string>; max_position_embeddings?: number; pad_token_id?: number; model_type?: string };
  const id2label = config.id2label ?? {};
  const labels: string[] = [];
  for (const [id, label] of Object.entries(id2label)) labels[Number(id)] = String(label);
  const rejectionIndex = labels.findIndex((l) => l?.toUpperCase() === REJECTION_LABEL);
  if (rejectionIndex < 0) {
    throw new ModelLoadError(`${path.join(dir, 'config.json')}: id2label has no ${REJECTION_LABEL} label (labels: ${labels.join(', ') || 'none'}); this is not a refusal classifier`);
  }
  // RoBERTa numbers positions from pad_token_id + 1, so its table holds that many fewer tokens.
  const positions = config.max_position_embeddings ?? 514;
  let maxTokens = config.model_type === 'roberta' || config.model_type === undefined ? positions - ((config.pad_token_id ?? 1) + 1) : positions;
  const tokenizerConfig = fs.existsSync(path.join(dir, 'tokenizer_config.json')) ? (readJson(path.join(dir, 'tokenizer_config.json')) as { model_max_length?: number }) : {};
  if (typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length > 0) maxTokens = Math.min(maxTokens, tokenizerConfig.model_max_length);
  return { labels, rejectionIndex, maxTokens };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelLoadError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelLoadError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Softmax of one row of logits, in double precision; the probability of label `index`. */
export function labelProbability(logits: ArrayLike<number>, offset: number, count: number, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < count; i++) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(logits[offset + i] - max);
  return Math.exp(logits[offset + index] - max) / sum;
}
