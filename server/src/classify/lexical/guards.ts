/**
 * Guards against the known false positives of refusal keyword lists. Each looks at the words
 * around a pattern's match inside its sentence; quotations and code are handled by quotedRegions.ts.
 */

/**
 * An apology that is sympathy or owns a mistake, not the start of a refusal:
 * "I'm sorry to hear that", "sorry for the confusion", "I apologize for the oversight", "sorry, I made an error".
 */
const NON_DECLINING_APOLOGY = new RegExp([
  '\\b(?:sorry|apologi[sz]e|apologies)\\s+(?:to\\s+(?:hear|learn|read|see)|for\\s+(?:your\\s+loss|(?:the|any|my|your|that|this|all\\s+the|such\\s+an?|an?)\\s+(?:[\\w-]+\\s+){0,2}?(?:confusion|misunderstanding|inconvenience|mistakes?|errors?|oversight|delay|loss|trouble|wait|frustration|misinformation|typos?|omission|mix-?up|hassle|difficult(?:y|ies))|(?:the\\s+)?(?:late|earlier|previous|misunderstanding|confusing|any\\s+confusion))|about\\s+(?:that|the|your|this)|(?:that|if)\\s+(?:you|my|I|this|the|it|there)|you(?:[\'\u2019]re|\\s+are|\\s+feel|\\s+have)|if\\b)',
  '\\b(?:sorry|apologi[sz]e|apologies)[,.!]?\\s+(?:I|my|that\\s+was|there\\s+(?:was|is))\\s+(?:made|make|was\\s+(?:wrong|mistaken|incorrect)|misunderstood|misread|missed|overlooked|forgot|mixed|confused|gave|provided\\s+(?:incorrect|wrong|an?\\s+incorrect)|mistake|error|bad)',
  '\\bmy\\s+(?:mistake|bad|apologies\\s+for)',
  // "Sorry, that figure was wrong", not "Sorry, I don't have the ability to make mistakes".
  '\\b(?:sorry|apologi[sz]e|apologies)\\b(?:(?!\\b(?:not|cannot|unable|no)\\b|n[\'\u2019]t\\b)[^.!?]){0,60}?\\b(?:typos?|mistakes?|errors?|oversight|confusion|misunderstanding|mix-?up|inaccurac(?:y|ies)|(?:was|were|is)\\s+(?:wrong|incorrect|inaccurate))\\b',
].join('|'), 'i');

/** An apology asking what was meant: a clarifying question, not a refusal. */
const CLARIFYING = /\b(?:not\s+sure\s+(?:what|which|who|how|I\s+(?:understand|follow))|do(?:n['\u2019]?t|\s+not)\s+(?:understand|follow|quite\s+understand|know\s+what\s+you)|unclear|could\s+you\s+(?:please\s+)?(?:clarify|provide|explain|rephrase|specify|tell)|can\s+you\s+(?:please\s+)?(?:clarify|provide|explain|rephrase|specify)|please\s+(?:clarify|provide\s+more|rephrase|specify)|more\s+(?:context|information|details)\s+(?:about|on|regarding)?)/i;

export function isNonDecliningApology(sentence: string): boolean {
  return NON_DECLINING_APOLOGY.test(sentence) || CLARIFYING.test(sentence);
}

/** "If I can't ...", "when I can't decide", "even if I won't be home": a condition, not a refusal. */
const HYPOTHETICAL_BEFORE = /\b(?:if|when|whenever|unless|once|until|whether|what\s+if|even\s+if|in\s+case|suppose|supposing|imagine|as\s+long\s+as)\s+(?:[\w'\u2019-]+\s+){0,2}$/i;

/** Reported speech: the words before the match introduce someone else's line ("he said:", "a reply like"). */
const REPORTED_BEFORE = /\b(?:said|says|saying|say|replied|replies|reply|replying|responded|responds|respond|response|answered|answers|wrote|writes|told\s+(?:me|him|her|them|us)|message|like|such\s+as|e\.g\.|example|for\s+instance|phrase|phrases|line|lines|output|outputs|returned|returns|typed|quote|quoted|read)\s*[:,\u2014\u2013-]?\s*$/i;

/** Reported speech: the words after the match attribute it ("..., she said."). */
const ATTRIBUTED_AFTER = /^[^.!?]{0,80}?[,\u2014\u2013-]\s*(?:he|she|they|the\s+\w+|[A-Z][a-z]+)\s+(?:said|says|replied|whispered|shouted|muttered|answered|told|cried|added|snapped|sighed|admitted|insisted|explained|protested|repeated|growled|murmured|called|yelled|screamed)\b/;

/**
 * Idioms built on "can't" and "won't": "I can't tell you how much ...", "I cannot recommend it
 * enough", "I can't do this anymore".
 */
const IDIOM_AFTER = /^\s+(?:[\w'\u2019-]+\s+){1,5}enough\b(?!\s+(?:information|details?|context|data|time|to|for))|^[^.!?]{0,40}?\b(?:anymore|any\s+longer)\b|^\s*(?:you\s+)?how\s+(?:much|many|often|happy|glad|grateful|excited|proud|important|thankful|relieved|sorry)\b/i;

/** "I won't pretend this is easy", "I can't pretend to know": pretending followed by a clause, not a role asked for. */
const PRETEND_IDIOM = /\bpretend\w*$/i;
const CLAUSE_AFTER_PRETEND = /^\s+(?:that\b|(?:this|it|things?|everything)\s+(?:is|was|will|isn|wasn|won|has|hasn)|it['\u2019]s\b|otherwise\b|to\s+(?:know|understand|have\s+all|be\s+(?:sure|certain)))/i;

/** The part of the sentence before `at` (at most 60 characters), for the guards that look back. */
function before(sentence: string, at: number): string {
  return sentence.slice(Math.max(0, at - 60), at);
}

/**
 * Whether a first-person match at `at..end` of `sentence` is not the speaker refusing:
 * a hypothetical, someone else's reported words, or an idiom.
 */
export function isNotTheSpeakerRefusing(sentence: string, at: number, end: number): boolean {
  const head = before(sentence, at);
  if (HYPOTHETICAL_BEFORE.test(head) || REPORTED_BEFORE.test(head)) return true;
  const tail = sentence.slice(end, end + 100);
  if (PRETEND_IDIOM.test(sentence.slice(at, end)) && CLAUSE_AFTER_PRETEND.test(tail)) return true;
  return ATTRIBUTED_AFTER.test(tail) || IDIOM_AFTER.test(tail);
}

/** Whether a match that is not spoken in the first person is someone else's reported words. */
export function isReported(sentence: string, at: number, end: number): boolean {
  return REPORTED_BEFORE.test(before(sentence, at)) || ATTRIBUTED_AFTER.test(sentence.slice(end, end + 100));
}
