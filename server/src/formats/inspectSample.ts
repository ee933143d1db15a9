import type { JsonRecordSource } from './format';
import { isArray, isObject, prop, scalarText, stringAt, type JsonArray, type JsonNode, type JsonString } from './json/jsonNode';
import { locateJoined, toResponse, type LocatedText } from './json/jsonText';
import { expectationOf } from './expectation';
import type { ExtractOptions, ExtractSink, MetadataValue, ResponseRecord } from './records';
import { rangeOf } from '../text/positions';

/**
 * One Inspect AI sample (an element of `samples` in a `.json` log, or a `samples/*.json` member of
 * a `.eval` archive) into response records.
 *
 * Which texts count: every assistant message of the transcript `messages` that the model
 * generated (few-shot assistant messages given in the input are prompt, not response), then
 * `output.choices[k].message` (or `output.completion` when no choice holds text) only when it is
 * not one of those messages again. The output normally IS the last assistant message (the same
 * message id, the same text): it is counted once, at its transcript location, because the
 * transcript holds every turn and the output only the last.
 *
 * Long texts may be stored once under `attachments` and referenced as `attachment://<hash>`
 * (`tc://<hash>` in older logs): the record's text and range are then the attachment string's.
 */

export interface InspectContext {
  /** `eval.model` of the log (e.g. `openai/gpt-4o`). */
  model: string | null;
  task: string | null;
  /** Archive member the sample was read from. */
  entry?: string;
}

const ATTACHMENT = /^(?:attachment|tc):\/\//;

class Attachments {
  /** Missing references already reported (the output repeats the transcript's). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly table: JsonNode | undefined,
    private readonly source: JsonRecordSource,
    private readonly sink: ExtractSink,
    private readonly entry: string | undefined,
  ) {}

  /** The string a node stands for: itself, or the attachment it references (null when missing). */
  resolve(node: JsonString): JsonString | null {
    const m = ATTACHMENT.exec(node.value);
    if (!m) return node;
    const target = prop(this.table, node.value.slice(m[0].length));
    if (target?.type === 'string') return target;
    if (this.reported.has(node.value)) return null;
    this.reported.add(node.value);
    const error = { kind: 'structure' as const, message: `${node.value} is not in this sample's attachments: its text is unknown`, range: rangeOf(this.source.positions, node.start, node.end) };
    this.sink.error(this.entry === undefined ? error : { ...error, entry: this.entry });
    return null;
  }

  /** Message content (a string, or parts of which `type: "text"` ones count), attachments resolved. */
  content(node: JsonNode | undefined): LocatedText | null {
    if (!node) return null;
    const strings: JsonString[] = [];
    if (node.type === 'string') strings.push(node);
    else if (isArray(node)) {
      for (const part of node.items) {
        if (part.type === 'string') strings.push(part);
        else if (isObject(part) && (stringAt(part, 'type') ?? 'text') === 'text') {
          const text = prop(part, 'text');
          if (text?.type === 'string') strings.push(text);
        }
      }
    }
    const resolved = strings.map((s) => this.resolve(s)).filter((s): s is JsonString => s !== null && s.value.trim() !== '');
    return locateJoined(resolved, this.source);
  }
}

/** Text compared to find the output again in the transcript (parts are joined differently in each). */
function sameTextKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function lastUserContent(messages: JsonArray, before: number, attachments: Attachments): LocatedText | null {
  for (let i = Math.min(before, messages.items.length) - 1; i >= 0; i--) {
    const m = messages.items[i];
    if (stringAt(m, 'role') !== 'user') continue;
    const text = attachments.content(prop(m, 'content'));
    if (text) return text;
  }
  return null;
}

export function extractInspectSample(
  sample: JsonNode,
  source: JsonRecordSource,
  idPrefix: string,
  ctx: InspectContext,
  options: ExtractOptions,
  sink: ExtractSink,
): void {
  if (!isObject(sample)) return;
  const attachments = new Attachments(prop(sample, 'attachments'), source, sink, ctx.entry);
  const input = prop(sample, 'input');
  const inputPrompt = isArray(input) ? lastUserContent(input, input.items.length, attachments) : input?.type === 'string' ? attachments.content(input) : null;
  const output = prop(sample, 'output');
  const model = ctx.model ?? stringAt(output, 'model');
  const expected = expectationOf(sample, options);
  const metadata: Record<string, MetadataValue> = {};
  const sampleId = scalarText(prop(sample, 'id'));
  const epoch = scalarText(prop(sample, 'epoch'));
  if (sampleId !== null) metadata.sample_id = sampleId;
  if (epoch !== null) metadata.epoch = Number(epoch);
  if (ctx.task) metadata.task = ctx.task;
  const scores = prop(sample, 'scores');
  if (isObject(scores)) {
    for (const s of scores.properties) {
      const value = prop(s.value, 'value');
      if (value && (value.type === 'string' || value.type === 'number' || value.type === 'boolean')) metadata[`score.${s.key}`] = value.value;
    }
  }
  const records: ResponseRecord[] = [];
  const add = (path: string, text: LocatedText, prompt: LocatedText | null, extra: Record<string, MetadataValue> = {}): ResponseRecord => {
    const r = toResponse(`${idPrefix}${path}`, text, { prompt, model, expected, entry: ctx.entry, metadata: { ...metadata, ...extra } });
    records.push(r);
    return r;
  };

  // few-shot assistant turns of the input come back in the transcript; they are not the model's
  const inputAssistantTexts = new Set<string>();
  if (isArray(input)) {
    for (const m of input.items) {
      if (stringAt(m, 'role') !== 'assistant') continue;
      const t = attachments.content(prop(m, 'content'));
      if (t) inputAssistantTexts.add(sameTextKey(t.text));
    }
  }

  /** Transcript records by message id and by text, to find the output among them. */
  const byId = new Map<string, ResponseRecord>();
  const byText = new Map<string, ResponseRecord>();
  const messages = prop(sample, 'messages');
  if (isArray(messages)) {
    messages.items.forEach((m, j) => {
      if (stringAt(m, 'role') !== 'assistant') return;
      const origin = stringAt(m, 'source');
      if (origin === 'input') return;
      const text = attachments.content(prop(m, 'content'));
      if (!text) return; // tool calls only
      const key = sameTextKey(text.text);
      if (origin === null && inputAssistantTexts.has(key)) return;
      const r = add(`messages[${j}].content`, text, lastUserContent(messages, j, attachments) ?? inputPrompt);
      const id = stringAt(m, 'id');
      if (id) byId.set(id, r);
      byText.set(key, r);
    });
  }

  const prompt = isArray(messages) ? lastUserContent(messages, messages.items.length, attachments) ?? inputPrompt : inputPrompt;
  const choices = prop(output, 'choices');
  let choiceText = false;
  if (isArray(choices)) {
    choices.items.forEach((c, k) => {
      const message = prop(c, 'message');
      const text = attachments.content(prop(message, 'content'));
      if (!text) return;
      choiceText = true;
      const id = stringAt(message, 'id');
      const key = sameTextKey(text.text);
      const stop = stringAt(c, 'stop_reason');
      const again = (id ? byId.get(id) : undefined) ?? byText.get(key);
      if (again) {
        // the transcript's message again: counted there, with what only the output says
        if (stop) again.metadata.stop_reason = stop;
        return;
      }
      byText.set(key, add(`output.choices[${k}].message.content`, text, prompt, stop ? { stop_reason: stop } : {}));
    });
  }
  const completion = prop(output, 'completion');
  if (!choiceText && completion?.type === 'string') {
    const text = attachments.content(completion);
    if (text && !byText.has(sameTextKey(text.text))) add('output.completion', text, prompt);
  }
  for (const r of records) sink.response(r);
}
