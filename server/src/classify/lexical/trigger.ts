/**
 * A cheap first pass over the whole text: every pattern of patterns.ts needs one of these words or
 * phrases, so a text without any is not a refusal and is never segmented into sentences. Keep it
 * in step with the patterns (a unit test compares the result with matching every sentence).
 */
import { AP, APq } from './vocabulary';

const NEGATED = `can${APq}t|cannot|can\\s+not|could(?:n${APq}t|\\s+not)|won${APq}t|will\\s+not|would(?:n${APq}t|\\s+not|\\s+never)|must\\s+not|should(?:n${APq}t|\\s+not)|shan${APq}t|shall\\s+not|unable|incapable`;
const DONT_VERBS = 'think|feel|want|have|hold|possess|form|express|share|take|create|generate|write|produce|engage|participate|promote|endorse|condone|make|provide|assist|help|comply|encourage|tolerate|advocate|badmouth|criticiz|praise|speculate|judge|support';
/**
 * Every alternative starts at a word boundary, written once in front: V8 then rejects most
 * positions with one test instead of one per alternative (four to six times faster).
 */
export const TRIGGER = new RegExp(`\\b(?:${[
  `(?:${NEGATED})\\b`,
  `do(?:n${APq}t|\\s+not)\\s+(?:${DONT_VERBS})`,
  `(?:I${AP}m|am)\\s+not\\s+(?:able|going|allowed|permitted|willing|comfortable|in\\s+a\\s+position|capable|programmed|designed|built|trained|authori|equipped|prepared|something)`,
  'sorry\\b', 'apolog', 'declin', 'refus', 'refrain', '(?:rather|prefer)\\s+not\\b', `(?:to|I${AP}ll|we${AP}ll)\\s+pass\\b`, 'say\\s+no\\b',
  'sit\\s+this\\s+one', 'stop\\s+here\\b', 'draw\\s+the\\s+line', 'still\\s+learning\\b', 'never\\s+(?:condone|endorse|encourage|promote|support|tolerate)',
  'have\\s+no\\s+(?:[\\w-]+\\s+){0,3}?(?:opinion|view|belief|feeling|emotion|preference|stance|bias|side|political|personal)',
  '(?:neutral|impartial|unbiased|apolitical)\\b', '(?:be|remain|stay)\\s+objective\\b',
  'AI\\b', 'artificial\\s+intelligence', 'language\\s+model', 'LLM\\b', 'chatbot', 'virtual\\s+assistant',
  'guideline', 'polic(?:y|ies)\\b', 'programm(?:ed|ing)\\b', 'principles\\b', 'violat', 'contrary\\s+to\\b', '(?:scope|boundaries|purview|capabilities|abilities)\\b',
  'turn\\s+(?:(?:this|that|it|you)\\s+)?down\\b', 'but\\s+not\\s+(?:with|to|by|for|one|ones|that|this|those|these|the|a|an|any|anything|something|in|if|when|where|how)\\b',
  'please\\s+(?:call|contact|see|consult|visit|reach|seek)\\b', '(?:try|use|do)\\s+(?:an?\\s+)?(?:Google|(?:quick\\s+)?(?:web|internet|online)\\s+search|search\\s+engine|searching)\\b',
  'against\\s+(?:my|our|its|those|these|the\\s+(?:content|usage|use|community|ethical|safety)|OpenAI|Anthropic|Google|Meta)\\b',
  '(?:for|of)\\s+me\\s+to\\b', 'my\\s+place\\b', 'up\\s+to\\s+me\\b',
  '(?:inappropriate|unethical|irresponsible|unfair|inaccurate|incorrect|offensive|harmful|misleading|wrong)\\b',
  '(?:not|never)\\s+(?:\\w+\\s+)?(?:appropriate|ethical|responsible|acceptable|recommended|fair|accurate|right|correct|true|okay|ok|productive|helpful)\\b',
  `(?:would|could|should|might|must|wo|ca|is|was)n${AP}t\\s+be\\s+(?:appropriate|ethical|responsible|acceptable)`,
  '(?:request|question|prompt|query|statement|premise|message|content|claim|assumption|notion|idea|stereotype|generali[sz]ation|accusation|comparison|belief|assertion)\\s+(?:is|seems|appears|sounds|contains|would|could|involves|promotes|may|might)\\b',
  `(?:not|(?:is|are|was|were|ain)n${APq}t)\\s+(?:something|anything|a\\s+(?:request|task|topic)|what)\\s+(?:that\\s+)?I\\b`,
  '(?:recommend|suggest|encourage|urge|advise)\\w*\\s+(?:that\\s+)?(?:you\\s+)?(?:to\\s+)?(?:consult|speak|talk|reach|seek|contact|get\\s+in\\s+touch|see|visit|call)',
  '(?:something|anything)\\s+else\\b', '(?:a\\s+different|another)\\s+(?:topic|request|direction|question|approach)\\b', 'what\\s+I\\s+(?:can|could)\\s+(?:do|offer|help)\\b', 'instead\\b',
].join('|')})`, 'gi');
