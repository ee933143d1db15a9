/** Large OpenAI-chat JSONL files, every `every`-th response a refusal; each text unique (no cache hits across rows). */
export function chatJsonl(responses: number, every = 10): string {
  const lines: string[] = [];
  for (let i = 0; i < responses; i++) {
    const refused = i % every === 0;
    const answer = refused ? `I'm sorry, but I can't help with request ${i}.` : `Here is the answer to question ${i}: it depends on the details, but usually yes.`;
    lines.push(JSON.stringify({ model: i % 2 ? 'model-a' : 'model-b', messages: [{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: answer }] }));
  }
  return `${lines.join('\n')}\n`;
}

export function refusalsIn(responses: number, every = 10): number {
  return Math.ceil(responses / every);
}
