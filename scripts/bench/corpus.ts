import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeededRandom } from '../testModel/seededRandom';

/** The benchmark's texts: the dev set's responses when ../shared has them, else generated ones of similar lengths. */

export const DEV_SET = path.resolve(__dirname, '../../../shared/data/dev/chatgpt-refusals.jsonl');

export interface Corpus {
  texts: string[];
  source: string;
}

/** `count` distinct texts (every text once: repeats would be cache hits, unfair to the other sides). */
export function loadCorpus(count: number): Corpus {
  if (fs.existsSync(DEV_SET)) {
    const all = [...new Set(fs.readFileSync(DEV_SET, 'utf8').split('\n').filter((l) => l.trim()).map((l) => String(JSON.parse(l).text ?? '')))];
    return { texts: spread(all, count), source: `${path.relative(process.cwd(), DEV_SET)} (${all.length} distinct responses)` };
  }
  return { texts: generatedTexts(count), source: 'generated texts (../shared/data/dev not found)' };
}

/** An evenly spaced sample, so that any count keeps the set's mix of lengths. */
function spread<T>(items: T[], count: number): T[] {
  if (count >= items.length) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

const WORDS = `I am sorry but cannot help with that request however here is some information about the topic you asked
the process involves several steps first you need to understand basic principles then apply them carefully in practice
many people find this useful because it explains how things work in everyday life and why certain rules exist for safety`.split(/\s+/);

/** Responses of 10 to 400 words (mean about 110): prose with sentences and the odd list. */
export function generatedTexts(count: number, seed = 42): string[] {
  const r = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const words = Math.round(10 + 100 * -Math.log(1 - r.next() * 0.98));
    const out: string[] = [];
    for (let w = 0; w < words; w++) {
      let word = WORDS[Math.floor(r.next() * WORDS.length)];
      if (w === 0 || out[out.length - 1].endsWith('.')) word = word[0].toUpperCase() + word.slice(1);
      out.push(r.next() < 0.08 ? `${word}.` : word);
    }
    return `${out.join(' ')}. (${i})`;
  });
}

/** Writes texts as an OpenAI-chat JSONL file (one conversation a line), as an eval run would. */
export function writeChatJsonl(file: string, texts: readonly string[]): void {
  const lines = texts.map((t, i) => JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Prompt ${i}` }, { role: 'assistant', content: t }] }));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
