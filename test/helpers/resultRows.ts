import type { ResultRow } from '../../server/src/shared/resultRow';

/** A result row with sensible defaults; tests override what they assert on. */
export function makeRow(overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    uri: 'file:///work/evals/results.json',
    file: 'evals/results.json',
    id: 'results[0].response',
    format: 'promptfoo',
    model: 'gpt-4o',
    label: 'normal',
    overRefusal: false,
    score: 0.1,
    detector: 'lexical',
    range: { start: { line: 3, character: 4 }, end: { line: 3, character: 20 } },
    prompt: 'How do I bake bread?',
    response: 'Mix flour, water, salt and yeast.',
    sentence: null,
    ...overrides,
  };
}

/** `n` rows over 3 models and 50 files, every 4th a refusal, every 20th an over-refusal; deterministic. */
export function syntheticRows(n: number): ResultRow[] {
  const models = ['gpt-4o', 'claude-3', null];
  const rows: ResultRow[] = [];
  for (let i = 0; i < n; i++) {
    const refusal = i % 4 === 0;
    rows.push(
      makeRow({
        uri: `file:///work/evals/run${i % 50}.jsonl`,
        file: `evals/run${i % 50}.jsonl`,
        id: `line ${i + 1}`,
        model: models[i % 3],
        label: refusal ? 'refusal' : 'normal',
        overRefusal: refusal && i % 20 === 0,
        score: refusal ? 0.5 + ((i * 7919) % 500) / 1000 : ((i * 104729) % 500) / 1000,
        range: { start: { line: i, character: 10 }, end: { line: i, character: 40 } },
        prompt: `prompt number ${i}`,
        response: refusal ? `I can't help with request ${i}.` : `Here is answer ${i}.`,
      }),
    );
  }
  return rows;
}
