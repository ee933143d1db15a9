import type { TextFormat } from './format';
import { toResponse, type LocatedText } from './json/jsonText';
import { locateSpan } from './textSpan';
import { closesFence, fenceOpenedBy, markdownLines, type Fence } from './markdownLines';
import type { ExtractOptions, ExtractSink } from './records';
import type { LineIndex } from '../text/positions';

/**
 * Markdown chat transcripts: turns introduced by speaker labels, as headings (`## Assistant`),
 * bold labels (`**Assistant:** text`, `**Assistant**: text`), a bold label alone on its line
 * (SpecStory's Cursor/Copilot exports: `_**User**_`, `_**Assistant**_`, details in parentheses
 * allowed; its `_****_` lines go on with the assistant's turn) or plain ones (`Assistant: text`).
 * A response is the text after an assistant label up to the next speaker label; its prompt is the
 * latest user turn before it. Labels inside fenced code blocks are code, not turns.
 */

type Role = 'assistant' | 'user' | 'system';

/** Speaker names, lower case. `plain` ones are also taken without heading or bold markup. */
const SPEAKERS = new Map<string, { role: Role; plain: boolean; isModel?: boolean }>([
  ['assistant', { role: 'assistant', plain: true }],
  ['ai', { role: 'assistant', plain: true }],
  ['ai assistant', { role: 'assistant', plain: true }],
  ['model', { role: 'assistant', plain: true }],
  ['bot', { role: 'assistant', plain: true }],
  ['chatbot', { role: 'assistant', plain: true }],
  ['chatgpt', { role: 'assistant', plain: true, isModel: true }],
  ['claude', { role: 'assistant', plain: true, isModel: true }],
  ['gemini', { role: 'assistant', plain: true, isModel: true }],
  ['copilot', { role: 'assistant', plain: true, isModel: true }],
  // "Response:" and "Prompt:" start ordinary lines too often to be taken without markup
  ['response', { role: 'assistant', plain: false }],
  ['agent', { role: 'assistant', plain: false }],
  ['user', { role: 'user', plain: true }],
  ['human', { role: 'user', plain: true }],
  ['you', { role: 'user', plain: true }],
  ['me', { role: 'user', plain: true }],
  ['prompt', { role: 'user', plain: false }],
  ['system', { role: 'system', plain: true }],
]);

interface Label {
  role: Role;
  /** The speaker as written (the model's name for `ChatGPT:`, `Claude:` ...). */
  name: string;
  isModel: boolean;
  /** Where the turn's text starts: after the label on its line, or the next line for headings. */
  contentStart: number;
}

const HEADING = /^ {0,3}#{1,6}[ \t]+(?:\*\*|__)?([A-Za-z][A-Za-z .-]{0,30}?)(?:\*\*|__)?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*#*[ \t]*$/;
const BOLD = /^ {0,3}(\*\*|__)([A-Za-z][A-Za-z .-]{0,30}?)(?::[ \t]*\1|\1[ \t]*:)[ \t]*/;
/** A bold label alone on its line, maybe in italics too: `_**User**_`, `**Assistant**`, `_**User (2025-06-20 14:03Z)**_`. */
const BOLD_LINE = /^ {0,3}(_?)(\*\*|__)([A-Za-z][A-Za-z .-]{0,30}?)(?:[ \t]*\([^()\n]{0,80}\))?\2\1[ \t]*:?[ \t]*$/;
const PLAIN = /^ {0,3}([A-Za-z][A-Za-z .-]{0,30}?):(?:[ \t]+|$)/;

function speaker(raw: string, markup: boolean): { role: Role; isModel: boolean } | null {
  const s = SPEAKERS.get(raw.trim().toLowerCase());
  if (!s || (!markup && !s.plain)) return null;
  return { role: s.role, isModel: s.isModel ?? false };
}

/** The speaker label a line starts with, if any. */
function labelOf(line: string, lineStart: number, nextLineStart: number, plain: boolean): Label | null {
  let m = HEADING.exec(line);
  if (m) {
    const s = speaker(m[1], true);
    return s ? { ...s, name: m[1].trim(), contentStart: nextLineStart } : null;
  }
  m = BOLD_LINE.exec(line);
  if (m) {
    const s = speaker(m[3], true);
    return s ? { ...s, name: m[3].trim(), contentStart: nextLineStart } : null;
  }
  m = BOLD.exec(line);
  if (m) {
    const s = speaker(m[2], true);
    return s ? { ...s, name: m[2].trim(), contentStart: lineStart + m[0].length } : null;
  }
  m = plain ? PLAIN.exec(line) : null;
  if (m) {
    const s = speaker(m[1], false);
    return s ? { ...s, name: m[1].trim(), contentStart: lineStart + m[0].length } : null;
  }
  return null;
}

interface Turn {
  label: Label;
  /** The label line's start: the previous turn ends here. */
  labelStart: number;
  end: number;
}

/**
 * Every turn of a transcript, in order; fenced code never starts a turn. Plain labels
 * (`Model: ...`) are taken only in a document that has a user turn too: alone, such a line is
 * more likely a note (`Model: gpt-4o` in a README) than a conversation.
 */
export function transcriptTurns(src: string): Turn[] {
  const turns = scanTurns(src, true);
  return turns.some((t) => t.label.role === 'user') ? turns : scanTurns(src, false);
}

function scanTurns(src: string, plain: boolean): Turn[] {
  const turns: Turn[] = [];
  let fence: Fence | null = null;
  const n = src.length;
  for (const { text: line, start, next } of markdownLines(src)) {
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    fence = fenceOpenedBy(line);
    if (fence) continue;
    const label = labelOf(line, start, Math.min(next, n), plain);
    if (label) {
      if (turns.length > 0) turns[turns.length - 1].end = start;
      turns.push({ label, labelStart: start, end: n });
    }
  }
  return turns;
}

const THEMATIC_BREAK = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
const EMPTY_BOLD = /^ {0,3}_\*\*\*\*_[ \t]*$/;

/**
 * A turn's text, trimmed; a closing thematic break (`---` after a blank line, as exports put
 * between turns) and trailing `_****_` markers are not part of it.
 */
function turnText(src: string, positions: LineIndex, turn: Turn): LocatedText | null {
  const start = Math.min(turn.label.contentStart, turn.end);
  let end = turn.end;
  for (;;) {
    while (end > start && /\s/.test(src[end - 1])) end--;
    const lineStart = Math.max(src.lastIndexOf('\n', end - 1), src.lastIndexOf('\r', end - 1)) + 1;
    if (lineStart <= start) break;
    const last = src.slice(lineStart, end);
    if (EMPTY_BOLD.test(last)) {
      end = lineStart; // SpecStory's `_****_` before a step with no text
      continue;
    }
    if (!THEMATIC_BREAK.test(last)) break;
    const before = src.slice(start, lineStart);
    if (!/\n[ \t]*\r?\n$|\r[ \t]*\r$/.test(before) && before.trim() !== '') break; // `text\n---` is a heading underline
    end = lineStart;
  }
  return locateSpan(src, positions, start, end);
}

function hasAssistantLabel(head: string): boolean {
  return transcriptTurns(head).some((t) => t.label.role === 'assistant');
}

export const markdownTranscriptFormat: TextFormat = {
  kind: 'text',
  name: 'markdown-transcript',
  label: 'Markdown chat transcript',
  match(fileName, head) {
    const lower = fileName.toLowerCase();
    const markdown = lower.endsWith('.md') || lower.endsWith('.markdown');
    if (markdown) return hasAssistantLabel(head) ? 8 : 1; // any Markdown file is ours, with or without turns
    if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 0;
    return hasAssistantLabel(head) ? 4 : 0;
  },
  extract(text: string, positions: LineIndex, _options: ExtractOptions, sink: ExtractSink) {
    let prompt: LocatedText | null = null;
    let k = 0;
    for (const turn of transcriptTurns(text)) {
      const located = turnText(text, positions, turn);
      if (turn.label.role === 'user') {
        prompt = located;
        continue;
      }
      if (turn.label.role !== 'assistant') continue;
      k++;
      if (!located) continue; // an empty turn
      sink.response(
        toResponse(`assistant turn ${k}`, located, {
          prompt,
          model: turn.label.isModel ? turn.label.name : null,
          metadata: { speaker: turn.label.name },
        }),
      );
    }
  },
};
