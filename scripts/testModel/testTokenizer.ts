/**
 * A small byte-level BPE tokenizer in the roberta-base layout (same special tokens and ids, same
 * pre-tokenizer and post-processor), generated so tests run where the real tokenizer is absent.
 * Its vocabulary: the 256 byte symbols plus merges that spell a list of common words.
 */

const WORDS = `the be to of and a in that have I it for not on with he as you do at this but his by from they we say
her she or an will my one all would there their what so up out if about who get which go me when make can like time no
just him know take people into year your good some could them see other than then now look only come its over think also
back after use two how our work first well way even new want because any these give day most us is are was were been has
had did does sorry cannot can't won't unable assist help provide comply request apologize apologise however here please
must decline refuse policy guidelines against harmful illegal safe information answer question sure certainly happy
course following steps example code write text model language AI assistant response`.split(/\s+/);

/** GPT-2's byte-to-character table: printable bytes stand for themselves, the rest map past U+00FF. */
export function byteAlphabet(): string[] {
  const chars: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    chars[b] = String.fromCharCode(printable ? b : 256 + extra++);
  }
  return chars;
}

export interface TokenizerFiles {
  'tokenizer.json': unknown;
  'tokenizer_config.json': unknown;
  'special_tokens_map.json': unknown;
}

const SPECIAL = ['<s>', '<pad>', '</s>', '<unk>'];

export function generatedTokenizer(): TokenizerFiles {
  const alphabet = byteAlphabet();
  const vocab: Record<string, number> = {};
  const add = (token: string) => {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  };
  SPECIAL.forEach(add);
  alphabet.forEach(add);
  const merges: string[] = [];
  const seen = new Set<string>();
  const encoder = new TextEncoder();
  for (const word of WORDS) {
    for (const form of [word, ` ${word}`]) {
      const symbols = [...encoder.encode(form)].map((b) => alphabet[b]);
      let left = symbols[0];
      for (const right of symbols.slice(1)) {
        const merge = `${left} ${right}`;
        if (!seen.has(merge)) {
          seen.add(merge);
          merges.push(merge);
        }
        left += right;
        add(left);
      }
    }
  }
  add('<mask>');
  const addedToken = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: content === '<mask>',
    rstrip: false,
    normalized: content !== '<mask>',
    special: true,
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...SPECIAL, '<mask>'].map(addedToken),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', vocab['</s>']], cls: ['<s>', vocab['<s>']], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  const specialTokens = { bos_token: '<s>', cls_token: '<s>', eos_token: '</s>', mask_token: '<mask>', pad_token: '<pad>', sep_token: '</s>', unk_token: '<unk>' };
  return {
    'tokenizer.json': tokenizer,
    'tokenizer_config.json': { ...specialTokens, add_prefix_space: false, clean_up_tokenization_spaces: true, errors: 'replace', model_max_length: 512, tokenizer_class: 'RobertaTokenizer', trim_offsets: true },
    'special_tokens_map.json': specialTokens,
  };
}

/** Vocabulary size of a tokenizer.json (model vocabulary and added tokens). */
export function vocabularySize(tokenizerJson: unknown): number {
  const t = tokenizerJson as { model: { vocab: Record<string, number> }; added_tokens?: { id: number }[] };
  let max = -1;
  for (const id of Object.values(t.model.vocab)) max = Math.max(max, id);
  for (const a of t.added_tokens ?? []) max = Math.max(max, a.id);
  return max + 1;
}
