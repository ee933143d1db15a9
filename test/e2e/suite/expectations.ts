/**
 * What the e2e fixtures (test/fixtures/e2e/) hold: for each refused response, the text its
 * diagnostic covers as it is written in the file (JSON escapes included), so the range can be
 * checked exactly with rangeOf(). A diagnostic covers the refusing sentence when the detector
 * knows it (the lexical detector does), else the whole response.
 */
export interface FixtureCase {
  file: string;
  format: string;
  responses: number;
  refusals: { raw: string; code: 'refusal' | 'over-refusal' }[];
}

export const FIXTURE_CASES: FixtureCase[] = [
  {
    file: 'fixtures/chat.jsonl',
    format: 'openai-chat',
    responses: 5,
    refusals: [
      { raw: "I'm sorry, but I can't help with that.", code: 'refusal' },
      { raw: `I'm sorry, but I can't help with \\"prank\\" calls.`, code: 'refusal' }, // the sentence, not the response's second line
    ],
  },
  {
    file: 'fixtures/promptfoo.json',
    format: 'promptfoo',
    responses: 3,
    refusals: [
      { raw: "I'm sorry, but I can't help with making fake IDs.", code: 'refusal' },
      { raw: "I'm sorry, but I can't assist with that.", code: 'over-refusal' },
    ],
  },
  {
    file: 'fixtures/sharegpt.json',
    format: 'sharegpt',
    responses: 3,
    refusals: [{ raw: "I'm sorry, but I can't assist with that request.", code: 'refusal' }],
  },
  {
    file: 'fixtures/transcript.md',
    format: 'markdown-transcript',
    responses: 2,
    refusals: [{ raw: "I'm sorry, but I can't help with opening locks that aren't yours.", code: 'refusal' }],
  },
];
