import type { TextFormat } from './format';
import { joinLocated, toResponse, type LocatedText } from './json/jsonText';
import { locateSpan } from './textSpan';
import { closesFence, fenceOpenedBy, markdownLines, type Fence } from './markdownLines';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';
import type { LineIndex } from '../text/positions';

/**
 * aider's chat log, `.aider.chat.history.md`: each session starts with `# aider chat started at
 * <time>`; what the user typed is written as `#### ` lines (one per input line; a `/code` or
 * `/ask` command is written once as typed and once as the message sent); aider's own output
 * (settings, token counts, "Applied edit to ...") as `> ` lines; the model's replies as plain
 * Markdown between them. A reply is a stretch of such text after a user message, up to the next
 * `#### ` or `> ` line outside a code fence: aider may ask the model again without a new message
 * (after files are added), and each answer counts. The model is the session's `> Main model:`
 * (older aider: `> Model:`). A `> ` line the model itself wrote as a quote ends its reply there.
 */

const SESSION = /^# aider chat started at (.*?)\s*$/;
const USER = /^####(?:[ \t]+(.*?))?[ \t]*$/;
const AIDER = /^>/;
const MODEL = /^> (?:Main model|Model): (\S+)/;

export const aiderHistoryFormat: TextFormat = {
  kind: 'text',
  name: 'aider-history',
  label: 'aider chat history',
  match(fileName, head) {
    if (/(^|[\\/])\.aider\.chat\.history\.md$/i.test(fileName)) return 10;
    return /^# aider chat started at /m.test(head) ? 9 : 0;
  },
  extract(text: string, positions: LineIndex, _options: ExtractOptions, sink: ExtractSink) {
    let session: string | null = null;
    let model: string | null = null;
    let prompt: LocatedText | null = null;
    /** Lines of the user message being read (consecutive `#### ` lines). */
    let userLines: LocatedText[] = [];
    /** The reply being read: from its first to its last non-blank line. */
    let replyStart = -1;
    let replyEnd = -1;
    let fence: Fence | null = null;
    let k = 0;

    const endUser = () => {
      if (userLines.length === 0) return;
      prompt = joinLocated(userLines, '\n'); // one message, its lines joined by line breaks
      userLines = [];
    };
    const endReply = () => {
      if (replyStart < 0) return;
      const located = locateSpan(text, positions, replyStart, replyEnd);
      replyStart = replyEnd = -1;
      if (!located || !prompt) return; // text before the session's first message is not a reply
      k++;
      const metadata: Record<string, MetadataValue> = {};
      if (session) metadata.session = session;
      sink.response(toResponse(`aider reply ${k}`, located, { prompt, model, metadata }));
    };

    for (const { text: line, start, end } of markdownLines(text)) {
      if (fence) {
        // inside a fence every line is the reply's, whatever it starts with
        if (closesFence(line, fence)) fence = null;
        replyEnd = end;
      } else if (SESSION.test(line)) {
        endReply();
        endUser();
        session = SESSION.exec(line)![1];
        model = null;
        prompt = null;
      } else if (USER.test(line)) {
        endReply();
        const content = USER.exec(line)![1] ?? '';
        const contentStart = start + line.indexOf(content, 4);
        const located = content ? locateSpan(text, positions, contentStart, contentStart + content.length) : null;
        if (located) userLines.push(located);
      } else if (AIDER.test(line)) {
        endReply();
        endUser();
        const m = MODEL.exec(line);
        if (m) model = m[1];
      } else {
        endUser();
        if (line.trim() !== '') {
          if (replyStart < 0) replyStart = start;
          replyEnd = end;
          fence = fenceOpenedBy(line);
        }
      }
    }
    endReply();
  },
};
