import type { JsonRecordSource } from '../format';
import { isObject, prop, stringAt, type JsonArray, type JsonNode } from './jsonNode';
import { parseJson } from './jsonParser';
import { locateContent, locateString, type LocatedText } from './jsonText';

/**
 * Where the prompt text sits in the shapes eval tools write it: a string, a list of text parts,
 * a chat message list (the last user message is the prompt), or a string that itself holds such
 * JSON (promptfoo keeps a chat prompt rendered as a JSON string).
 */

const USER_ROLES = new Set(['user', 'human']);

/** The prompt in a value: a string, text parts, or messages `{role|from, content|value}` (last user one). */
export function locatePrompt(node: JsonNode | undefined, source: JsonRecordSource): LocatedText | null {
  if (!node) return null;
  if (node.type === 'string') return locateString(node, source);
  if (isObject(node)) {
    const messages = prop(node, 'messages');
    return messages?.type === 'array' ? lastUserMessage(messages, source) : null;
  }
  if (node.type !== 'array') return null;
  if (node.items.some((m) => isObject(m) && (prop(m, 'role') !== undefined || prop(m, 'from') !== undefined))) return lastUserMessage(node, source);
  return locateContent(node, source);
}

/** The content of the last user (or human) message of a chat message list. */
export function lastUserMessage(messages: JsonArray, source: JsonRecordSource): LocatedText | null {
  for (let i = messages.items.length - 1; i >= 0; i--) {
    const m = messages.items[i];
    const role = stringAt(m, 'role') ?? stringAt(m, 'from');
    if (role === null || !USER_ROLES.has(role.toLowerCase())) continue;
    const text = locateContent(prop(m, 'content') ?? prop(m, 'value'), source);
    if (text) return text;
  }
  return null;
}

/**
 * A located text that is itself JSON holding a prompt (`[{"role": "user", ...}]`): the prompt
 * inside, with a map through both layers of escapes. Null when the text is not such JSON.
 */
export function locatePromptInJsonText(outer: LocatedText): LocatedText | null {
  const first = outer.text.trimStart()[0];
  if (first !== '[' && first !== '{') return null;
  const parsed = parseJson(outer.text, { maxDepth: 64, maxErrors: 1 });
  if (parsed.errors.length > 0 || !parsed.value || parsed.value.type === 'string') return null;
  // offsets into the outer text are turned into document positions by the outer text's own map
  const inner: JsonRecordSource = { src: outer.text, positions: { positionAt: (offset) => outer.map.range(offset, offset).start }, line: null };
  return locatePrompt(parsed.value, inner);
}
