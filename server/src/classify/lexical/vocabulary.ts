/**
 * The words refusal patterns are built from: who speaks ("I", "I'm just a language model and"),
 * how it declines ("can't", "won't be able to", "must decline"), what it declines to do, and what
 * the declined thing is (an opinion, a limitation, a whole category of content). Sources of
 * regular expressions, combined in patterns.ts.
 */

/** Straight or typographic apostrophe, optional: "can't", "can’t", "cant". */
export const AP = "['\u2019]";
export const APq = `${AP}?`;

export const ADVERBS = '(?:\\s+(?:really|truly|simply|just|honestly|unfortunately|sadly|regrettably|still|certainly|definitely|absolutely|respectfully|politely|personally|therefore|thus|also|currently|ultimately|generally|usually|typically|strongly|firmly))*';

/** "I" with the words that may sit between it and its verb ("I'm afraid I", "I unfortunately"). */
export const I = `\\bI\\b${ADVERBS}`;

/** The negated or declining verb group that follows "I". */
const DECLINING = [
  `can${APq}t`, 'cannot', 'can\\s+not',
  `could(?:n${APq}t|\\s+not)`,
  `won${APq}t`, 'will\\s+not',
  `would(?:n${APq}t|\\s+not)`,
  'must\\s+not', `shouldn${APq}t`, 'should\\s+not', `shan${APq}t`, 'shall\\s+not',
  `(?:${AP}m|\\s+am)\\s+(?:not\\s+capable\\s+of|incapable\\s+of|not|unable)`,
  `do(?:n${APq}t|\\s+not)(?=\\s+(?:create|generate|write|produce|engage|participate|promote|endorse|condone|make|take\\s+part|provide|share|assist|help|comply|encourage|tolerate|advocate|badmouth|criticiz|praise|express|speculate|judge))`,
  `${AP}m\\s+(?:not\\s+capable\\s+of|incapable\\s+of|not|unable)`,
  `do(?:n${APq}t|\\s+not)\\s+(?:think\\s+I\\s+(?:can|should|could|will)|feel\\s+(?:comfortable|right|good|it${AP}s\\s+appropriate)|want\\s+to|have\\s+(?:the\\s+)?(?:ability|capacity|capability|means|authority|permission))`,
  `(?:must|have\\s+to|need\\s+to|(?:${AP}ll|will|${AP}d|would|${AP}m\\s+going\\s+to|am\\s+going\\s+to)\\s+have\\s+to|(?:${AP}m|am)\\s+going\\s+to)\\s+(?:respectfully\\s+|politely\\s+)?(?:decline|refuse|refrain|pass|say\\s+no|sit\\s+this|stop|draw\\s+the\\s+line)`,
  '(?:respectfully\\s+|politely\\s+)?(?:decline|refuse)',
  `(?:${AP}d|would)\\s+(?:rather|prefer)\\s+not`,
  'prefer\\s+not',
].join('|');

/** What may come between the declining group and the verb: "be able to", "comfortable", "going to". */
export const BRIDGE = `(?:\\s*,\\s*(?:however|though|unfortunately|sadly|of\\s+course|I${AP}m\\s+afraid)\\s*,)?(?:\\s+(?:and|or)\\s+(?:will|would|should|must)\\s+not)?(?:\\s+(?:be\\s+)?(?:able|allowed|permitted|willing|comfortable|going|in\\s+a\\s+position|authori[sz]ed|equipped|prepared|designed|programmed)(?:\\s+with)?)?(?:\\s+to)?(?:\\s+(?:be\\s+)?(?:of\\s+)?)?`;

/** Verbs of doing what was asked. "help" not followed by "but/feeling/it" ("I can't help but notice"). */
export const REQUEST_VERBS = [
  'help(?!\\s+(?:but|feeling|thinking|wondering|noticing|it\\b|myself|laughing|smiling|being))', 'helping', 'assist\\w*', 'aid(?:ing)?',
  'provid\\w*', 'offer\\w*', 'giv(?:e|ing)', 'shar(?:e|ing)', 'supply\\w*', 'fulfill?\\w*', 'comply\\w*', 'complet(?:e|ing)',
  'creat\\w*', 'generat\\w*', 'writ(?:e|ing)', 'produc\\w*', 'compos\\w*', 'draft\\w*', 'craft\\w*', 'engag\\w*',
  'participat\\w*', 'take\\s+part', 'partak\\w*', 'answer\\w*', 'respond\\w*', 'reply\\w*',
  'do(?:ing)?\\s+(?:that|this|it|so|what|anything|something|such|the\\s+same)(?!\\s+(?:anymore|any\\s+longer|again|right\\s+now|on\\s+my\\s+own))',
  'support\\w*', 'facilitat\\w*', 'condon\\w*', 'promot\\w*', 'encourag\\w*', 'endors\\w*', 'gloriff?y\\w*',
  'continu\\w*', 'proceed\\w*', 'discuss\\w*', 'talk(?:ing)?\\s+about', 'go(?:ing)?\\s+(?:into|there|along)', 'get(?:ting)?\\s+into', 'accommodat\\w*',
  'grant\\w*', 'perform\\w*', 'carry(?:ing)?\\s+out', 'play(?:ing)?\\s+along', 'pretend\\w*', 'role-?play\\w*', 'act(?:ing)?\\s+as', 'impersonat\\w*',
  'describ\\w*', 'explain\\w*', 'disclos\\w*', 'reveal\\w*', 'divulg\\w*', 'tell(?:ing)?\\s+(?:you|them|him|her|anyone|people)', 'list(?:ing)?', 'recommend\\w*', 'suggest\\w*',
  'advis\\w*', 'contribut\\w*', 'guid(?:e|ing)', 'teach\\w*', 'show(?:ing)?', 'instruct\\w*', 'detail\\w*', 'outlin\\w*', 'design\\w*',
  'develop\\w*', 'build\\w*', 'code', 'coding', 'program', 'programming', 'translat\\w*', 'rewrit\\w*',
  'repeat\\w*', 'reproduc\\w*', 'mak(?:e|ing)\\s+(?:that|this|it|such|an?\\s+(?:joke|story|poem|song|list|essay|article|post|video|image|speech|plan))', 'entertain\\w*',
  'be\\s+(?:part|involved)', 'cooperat\\w*', 'comment\\w*', 'spread\\w*', 'us(?:e|ing)\\s+(?:that|this|such)', 'identify\\w*', 'diagnos\\w*', 'prescrib\\w*',
].join('|');

/** Verbs of capability: declining them is a limitation, not a refusal ("I can't browse the internet"). */
export const CAPABILITY_VERBS = 'tell\\s+(?:if|whether|from|which|what|who|how\\s+(?!much|many)|for\\s+sure|exactly)|send\\w*|post(?:ing)?|edit\\w*|access\\w*|brows\\w*|look\\w*\\s+up|search\\w*|see|view|read|watch|listen|hear|remember|recall|open|click|run|execut\\w*|download|fetch|retriev\\w*|verify|confirm|check|know|guarantee\\w*|predict\\w*|foresee|feel|experience|perceive|understand|learn|keep\\s+track|physically|be\\s+sure|be\\s+certain|say\\s+(?:for\\s+(?:sure|certain)|with\\s+certainty|exactly|definitively)';

/** Verbs of taking a stance: declining them is an opinion disclaimer. */
export const STANCE_VERBS = [
  'express\\w*', 'hold', 'have', 'form', 'tak(?:e|ing)\\s+(?:a\\s+)?(?:sides?|stances?|positions?)', 'speculat\\w*', 'judg\\w*',
  'mak(?:e|ing)\\s+(?:[\\w-]+\\s+){0,2}?(?:assumptions?|generali[sz]ations?|judge?ments?|predictions?|statements?|claims?|remarks?|comments?|accusations?|assertions?|conclusions?|guesses)',
  'endors\\w*\\s+(?:any|a\\s+particular|one)', 'choos\\w*\\s+(?:a\\s+)?side', 'choos\\w*\\s+between', 'weigh\\s+in', 'be\\s+the\\s+one\\s+to\\s+(?:decide|judge|say|tell|choose)', 'decid\\w*\\s+(?:whether|which|who|if)', 'pick\\w*\\s+between', 'say\\s+(?:which|who)\\s+(?:one\\s+)?(?:is|was|are)\\s+(?:better|best|right|true|correct|wrong|worse)', 'favou?r\\w*', 'pick\\w*\\s+(?:a\\s+)?side', 'speak\\s+(?:for|on\\s+behalf)',
  'agree', 'disagree', 'decid\\w*\\s+for\\s+you', 'determin\\w*', 'criticiz\\w*', 'criticis\\w*', 'critique', 'prais\\w*', 'badmouth\\w*',
  'mock\\w*', 'ridicul\\w*', 'insult\\w*', 'mak(?:e|ing)\\s+fun', 'assum\\w*', 'generali[sz]\\w*', 'stereotyp\\w*', 'label\\w*', 'blame',
  'affirm', 'deny', 'assert', 'infer\\w*', 'ascrib\\w*', 'attribut\\w*\\s+motiv', 'rank\\w*', 'rate', 'compar\\w*\\s+(?:the|different|one|two|people|groups|races|religions)',
].join('|');

/** The object right after a request verb that makes it an opinion disclaimer or a limitation instead. */
export const OPINION_OBJECT = /^[\s\w,]{0,24}?\b(?:(?:personal\s+)?(?:opinions?|views?|beliefs?|feelings?|emotions?|preferences?|stances?|biases?|thoughts\s+on|take\s+on|sides?)|subjective|moral\s+judge?ments?)\b/i;
export const LIMITATION_OBJECT = /^[\s\w,]{0,24}?\b(?:real[-\s]time|up[-\s]to[-\s]date|current|live|latest|today['\u2019]?s|exact|precise|definitive|definite|accurate|specific\s+(?:numbers|figures|data|statistics|dates?)|guarantee|certainty|for\s+(?:sure|certain)|with\s+certainty|exhaustive|complete|comprehensive|full\s+list|every\s+(?:single\s+)?\w+|all\s+(?:of\s+)?(?:them|the|these|those)|(?:personal|moral|religious|spiritual|specific|direct|individuali[sz]ed|personali[sz]ed)\s+(?:advice|recommendations?|guidance)(?!\s+on\s+how))\b/i;
/**
 * Professional advice declined ("I can't give medical advice", "I'm not able to provide a
 * diagnosis"): a disclaimer when an answer follows, a refusal when only a pointer to a
 * professional does. Scored between a limitation and a refusal, moved by what follows.
 */
export const ADVICE_OBJECT = /^[\s\w,]{0,24}?\b(?:(?:legal|medical|financial|professional|investment|tax|health|mental\s+health|psychological|clinical)\s+(?:advice|recommendations?|guidance|opinions?)(?!\s+on\s+how)|diagnos\w*|therapy|treatment\s+recommendations|(?:a|any)\s+prescription)\b/i;
/** Verbs that are themselves professional advice: declining them is declining advice. */
export const ADVICE_VERB = /^(?:diagnos|prescrib)/i;
/**
 * A whole category of content rather than the request itself ("I cannot promote any form of
 * violence", "I can't generate inappropriate content"): a principle stated, often before answering.
 */
export const CATEGORY_OBJECT = /^\s*(?:you\s+)?(?:to\s+)?(?:or\s+\w+\s+)?(?:(?:any|anything|such|the|these|those)\s+)?(?:(?:form|kind|type|sort)s?\s+of\s+)?(?:[\w-]+,?\s+(?:or|and)\s+)?(?:illegal|unethical|immoral|harmful|inappropriate|dangerous|violent|violence|hate|hateful|offensive|discriminat\w+|disrespectful|derogatory|biased|negative|insulting|rude|explicit|racist|sexist|extremist|misleading|false|political|controversial)\b/i;

/** "I'm just a language model and can't ...", "I'm a text-based AI, so I can't ...". */
export const AS_AN_AI_SUBJECT = `\\bI(?:${AP}m|\\s+am)\\s+(?:just\\s+|only\\s+|merely\\s+|simply\\s+)?an?\\s+(?:[\\w-]+\\s+){0,3}?(?:AI|model|assistant|program|chatbot|bot)\\b,?\\s+(?:and|so|which\\s+means)\\s+(?:I\\s+)?`;

export const SUBJECT = `(?:(?:${I}|${AS_AN_AI_SUBJECT})\\s*(?:${DECLINING}))`;

