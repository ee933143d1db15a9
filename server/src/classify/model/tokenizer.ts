import * as os from 'node:os';
import * as path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';

/**
 * Token ids exactly as the Python reference pipeline makes them (`truncation=True,
 * max_length=N`): the text's tokens cut to leave room for the special tokens, then the special
 * tokens around them. (transformers.js's own truncation cuts the final </s> off long texts.)
 */
export class ModelTokenizer {
  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    /** Special tokens the tokenizer puts before and after a single text, e.g. [<s>] and [</s>]. */
    readonly prefix: number[],
    readonly suffix: number[],
    /** The id rows are padded with (attention mask 0 there). */
    readonly padId: number,
  ) {}

  /** Loads tokenizer.json and tokenizer_config.json from a model folder; never touches the network. */
  static async load(dir: string): Promise<ModelTokenizer> {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    // The defaults point inside node_modules; nothing is downloaded, but keep every path ours.
    env.cacheDir = path.join(os.tmpdir(), 'refusal-lens-transformers-cache');
    env.localModelPath = `${path.dirname(path.resolve(dir))}${path.sep}`;
    const tokenizer = await AutoTokenizer.from_pretrained(path.basename(path.resolve(dir)));
    // Learn the single-text template from a probe: where the plain ids sit inside the full ones.
    const probe = 'Hello world';
    const plain = tokenizer.encode(probe, { add_special_tokens: false });
    const full = tokenizer.encode(probe);
    const at = indexOfRun(full, plain);
    if (at < 0) throw new Error('the tokenizer adds special tokens inside the text; cannot truncate it the reference way');
    return new ModelTokenizer(tokenizer, full.slice(0, at), full.slice(at + plain.length), tokenizer.pad_token_id ?? 1);
  }

  /** The ids the model reads for `text`: at most `maxTokens`, special tokens included. */
  encode(text: string, maxTokens: number): number[] {
    const room = Math.max(0, maxTokens - this.prefix.length - this.suffix.length);
    const body = this.bodyTokens(text, room);
    return [...this.prefix, ...(body.length > room ? body.slice(0, room) : body), ...this.suffix];
  }

  /**
   * The text's tokens, at least its first `room` of them. A very long text is first tokenized
   * from a prefix cut before a space: byte-level BPE splits text into words on its own, so the
   * words before such a cut tokenize exactly as in the whole text. If the prefix gives too few
   * tokens, the whole text is tokenized.
   */
  private bodyTokens(text: string, room: number): number[] {
    const limit = room * CHARS_PER_TOKEN_BOUND;
    if (text.length > limit) {
      const cut = wordCut(text, limit);
      if (cut > 0) {
        const ids = this.tokenizer.encode(text.slice(0, cut), { add_special_tokens: false });
        if (ids.length >= room) return ids;
      }
    }
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }
}

/** Characters tried per token needed before the cut is worth it (tokens average about 4 characters). */
const CHARS_PER_TOKEN_BOUND = 12;

/** The last index at or before `limit` where a space follows a letter, digit or punctuation, or -1. */
export function wordCut(text: string, limit: number): number {
  for (let i = Math.min(limit, text.length - 1); i > limit / 2; i--) {
    if (text.charCodeAt(i) === 32 && WORD_END.test(text[i - 1])) return i;
  }
  return -1;
}
const WORD_END = /[\p{L}\p{N}\p{P}]/u;

function indexOfRun(haystack: number[], needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
