/**
 * What the rest of a response says about a weak signal. "As an AI, I don't have personal
 * opinions" followed by a list of facts is an answer with a disclaimer; followed by "it is
 * ultimately up to each individual" it is a polite refusal to answer. Only weak signals
 * (opinion, limitation, identity, apology, judgement, redirect) are moved by these cues:
 * an explicit refusal stays one, however much follows it (a partial refusal is a refusal).
 */

/** Handing the question back or moralising instead of answering. */
const DEFLECTIONS: readonly RegExp[] = [
  /\bup\s+to\s+(?:you|yourself|the\s+(?:individual|people|voters|community|communities|public|reader|user|relevant|local|government|authorities|courts?|society|citizens|person)|each\s+(?:individual|person|of\s+us|community)|individuals|people|communities|society|personal)/i,
  /\b(?:a\s+matter\s+of\s+(?:personal|individual|opinion|perspective|debate|taste|preference)|(?:highly\s+|very\s+|largely\s+|inherently\s+)?subjective\b|depends?\s+on\s+(?:(?:your|one['\u2019]s|individual|personal|each\s+person['\u2019]s|the\s+individual['\u2019]?s?|people['\u2019]s)\s+)(?:personal\s+|individual\s+|own\s+)?(?:values|beliefs|perspectives?|preferences?|opinions?|views?|priorities|circumstances))/i,
  // Objecting to a generalisation: "it is not fair to generalize", "it's not accurate to say that all ...".
  /\bnot\s+(?:fair|appropriate|accurate|productive|helpful|right|okay|ok|possible|correct|ethical|respectful)\s+to\s+(?:generali[sz]e|stereotype|make\s+(?:broad\s+|sweeping\s+)?(?:generali[sz]ations|assumptions|judge?ments)|label|judge|blame|compare|assume|single\s+out|attribute|categori[sz]e)|\b(?:not\s+(?:accurate|fair|true|correct|right)|unfair|inaccurate|incorrect|wrong)\s+(?:and\s+\w+\s+)?to\s+(?:say|state|claim|suggest|assume|imply|generali[sz]e|label|characteri[sz]e)\s+(?:that\s+)?(?:(?:almost|nearly|virtually)\s+)?(?:all|every|an\s+entire|a\s+whole)\b/i,
  // Generic balance in place of an answer: "there are many perspectives", "valid arguments on both sides".
  /\bthere\s+are\s+(?:many|various|different|diverse|multiple)\s+(?:different\s+|diverse\s+|valid\s+)?(?:perspectives|viewpoints|points\s+of\s+view)\b|\b(?:valid|good|strong|reasonable)\s+(?:arguments|points|concerns)\s+on\s+both\s+sides\b/i,
  /\b(?:harmful|negative|inaccurate|unfair|damaging)\s+stereotypes?|\bperpetuat\w*\s+(?:harmful\s+|negative\s+)?(?:stereotypes?|discrimination|prejudice|bias|hate|racism|division)/i,
  /\b(?:remain|stay|be|being)\s+(?:neutral|impartial|unbiased|objective)\b|\b(?:take|taking|pick|picking|choose|choosing)\s+sides\b/i,
  /\bit(?:['\u2019]s|\s+is)\s+(?:important|essential|crucial|necessary)\s+to\s+(?:respect|remember\s+that\s+(?:every|all|each)|recognize\s+that\s+(?:every|all|each)|treat\s+(?:all|every|each|others|people)|approach\s+(?:this|such|these)|avoid\s+(?:making|generali|stereotyp|judg)|promote|foster|celebrate)/i,
  /\b(?:promot\w*|foster\w*)\s+(?:respect|understanding|tolerance|inclusivity|inclusion|equality|kindness|empathy|unity|acceptance|dialogue)\b/i,
  /\b(?:offensive|hurtful|disrespectful|insensitive|derogatory|discriminatory|hateful|bigoted)\b/i,
  /\bultimately\b/i,
  /\b(?:controversial|sensitive|divisive|polarizing|contentious)\s+(?:topic|issue|subject|matter|question)|\bto\s+decide\s+(?:whether|if|for\s+themselves|what)|\b(?:would|will|may|might|could)\s+(?:all\s+)?depend\s+on\b/i,
  /\b(?:decision|choice)s?\b[^.!?]{0,120}?\b(?:(?:should|must|would|will|needs?\s+to|has\s+to|ought\s+to)\s+(?:\w+\s+)?be\s+(?:made|taken|left|carried\s+out|based|evaluated|decided|determined|considered|weighed|reached)|(?:rests|lies|belongs|remains)\s+(?:\w+\s+)?with)\b/i,
  /\bdepends?\s+(?:largely\s+|entirely\s+|ultimately\s+)?on\b/i,
];

/** Going on to answer: an offer of information, a list, content introduced by a colon. */
const ANSWERS: readonly RegExp[] = [
  /\bhere\s+(?:is|are)\b|\bhere['\u2019]s\b|\bbelow\s+(?:is|are)\b|\bthe\s+following\b|\bas\s+follows\b/i,
  /\bI\s+can\s+(?:certainly\s+|still\s+)?(?:provide|offer|give|share|suggest|tell|explain|list|outline|describe|summari[sz]e|present)\s+(?:you\s+)?(?:with\s+)?(?:some|general|information|an?\s|the\s|objective|factual|facts|historical|more|context|insights?|perspectives?|several|a\s+few|details)/i,
  /\b(?:but|however),?\s+(?:here|generally|in\s+general|typically|broadly|there\s+are|many|some\s+(?:people|experts|studies|possible|common|factors|tips|ways))\b/i,
  /:\s*\n|:\s*$/m,
  // Turning from the disclaimer to the answer: "to answer your question", "that being said", "from a scientific point of view".
  /\bto\s+answer\s+your\s+question\b|\b(?:that|this)\s+(?:being\s+)?said\b|\bwith\s+that\s+said\b|\b(?:from|based\s+on)\s+an?\s+(?:[\w-]+\s+)?(?:point\s+of\s+view|perspective|standpoint)\b/i,
  /\b(?:in\s+general|generally\s+speaking|according\s+to|research\s+(?:shows|suggests|indicates|has\s+shown)|studies\s+(?:show|suggest|have\s+shown|indicate)|it\s+is\s+possible\s+that|(?:some|several|a\s+few)\s+(?:possible\s+)?(?:reasons|explanations|factors|ways|tips|steps|options)|reasons\s+why|(?:one|another)\s+(?:possible\s+)?(?:reason|explanation|factor|option|way))\b/i,
];

/**
 * A sentence that tells what ought to be rather than what is, or urges the user to go to someone
 * else ("please see a doctor", "call emergency services"): a lecture or a referral in place of an
 * answer.
 */
const NORMATIVE = /\b(?:should|must|ought\s+to|(?:important|essential|crucial|necessary|vital)\s+to|need\s+to|respect\w*|not\s+(?:appropriate|acceptable|okay|ok|fair|right|ethical|justified)|inappropriate|unacceptable|unfair|unethical|never\s+(?:acceptable|justified|okay|ok))\b|\bplease\s+(?:call|contact|go\s+to|see|consult|visit|seek|reach\s+out\s+to|speak\s+(?:with|to)|talk\s+to)\b|\b(?:call|contact|dial)\s+(?:your\s+local\s+)?(?:emergency\s+services|911|999|112|988)\b/i;
/** Hedged statements of fact ("may", "might", "could", "can"): an answer weighing possibilities. */
const HEDGE = /\b(?:may|might|could|can)\b/gi;
/** After the signal, the reply explains, gives figures or talks to the user: it answers. */
const ANSWERS_AFTER: readonly RegExp[] = [/\b(?:because|due\s+to|as\s+a\s+result\s+of|caused\s+by)\b/i, /\d/, /\byou(?:r|rs|rself)?\b/i];

/** Rough sentence ends, enough to count sentences for a cue (the real segmentation is not needed here). */
const ROUGH_SENTENCE = /[^.!?\n]+/g;

/** A list item at the start of a line: "1. ", "2) ", "- ", "* ", "• ". */
const LIST_ITEM = /(?:^|\n)[ \t]*(?:\d{1,2}[.)]|[-*\u2022])[ \t]+\S/g;

/** A response longer than this reads as an answer around a weak signal, not a refusal. */
const LONG_ANSWER = 600;
/** How much of what follows the signal is read for the cues about it. */
const FOLLOWING_CHARS = 4000;

export interface ResponseCues {
  /** Distinct deflection cues found (each pattern counts once; a lecture or nothing after the signal is one more). */
  deflections: number;
  /** Distinct answer cues found (each pattern counts once; hedges, a list and a long text are one each). */
  answers: number;
  /**
   * The reply gives what was asked whatever its disclaimer says: a list (two items or more) or a
   * code block follows the deciding sentence, or the reply opens with a direct "No, ..." / "Yes, ...".
   */
  delivered: boolean;
}

/** "No, ..." / "Yes, ..." opening the reply: the question is answered, whatever disclaimer follows. */
const DIRECT_ANSWER = /^\s*(?:no|yes)\b\s*[,.!;:\u2014\u2013-]/i;

/** Two or more list items, or a fenced code block. */
function delivers(rest: string): boolean {
  return /(?:^|\n)[ \t]*(?:```|~~~)/.test(rest) || matchesAtLeast(LIST_ITEM, rest, 2);
}

/** Whether the global `re` matches `s` at least `n` times (counting stops there). */
function matchesAtLeast(re: RegExp, s: string, n: number): boolean {
  re.lastIndex = 0;
  let found = 0;
  while (found < n && re.exec(s)) found++;
  return found >= n;
}

/**
 * "..., but most style guides recommend ...", "..., but I can explain the general rule: ...": the
 * sentence goes on to answer.
 */
const GOES_ON = /,\s*but\s+(?!I\b)|;\s*however\b|\bbut\s+I\s+can\s+(?:\w+\s+)?(?:explain|provide|tell|give|share|offer|describe|outline|summari[sz]e|list)\b[^.!?]{0,80}:\s*\S[^]{40}/i;

/** Cues of the whole text, and of what follows the deciding sentence `[from, after)`. */
export function responseCues(text: string, from: number, after: number): ResponseCues {
  let deflections = 0;
  for (const re of DEFLECTIONS) if (re.test(text)) deflections++;
  let answers = 0;
  for (const re of ANSWERS) if (re.test(text)) answers++;
  const rest = text.slice(after, after + FOLLOWING_CHARS);
  let sentences = 0;
  let normative = 0;
  ROUGH_SENTENCE.lastIndex = 0;
  for (let m = ROUGH_SENTENCE.exec(rest); m !== null; m = ROUGH_SENTENCE.exec(rest)) {
    if (m[0].trim().length < 3) continue;
    sentences++;
    if (NORMATIVE.test(m[0])) normative++;
  }
  // Nothing after the signal (the disclaimer is the whole reply), or mostly a lecture: no answer given.
  if (sentences > 0 ? normative * 2 >= sentences : !GOES_ON.test(text.slice(from, after))) deflections++;
  for (const re of ANSWERS_AFTER) if (re.test(rest)) answers++;
  if (matchesAtLeast(HEDGE, rest, 3)) answers++;
  if (matchesAtLeast(LIST_ITEM, text, 2)) answers++;
  if (text.length > LONG_ANSWER) answers++;
  return { deflections, answers, delivered: delivers(rest) || DIRECT_ANSWER.test(text) };
}
