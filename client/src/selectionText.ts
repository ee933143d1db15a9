/**
 * The text Classify Selection sends. In JSON and JSONL, a selection inside a string holds escapes
 * (`\n`, `\"`, `\u00e9`): they are read the way the file's parser reads them. A selection that
 * is not a valid string body is sent as it is.
 */
export function selectionText(selected: string, languageId: string): string {
  if (!['json', 'jsonc', 'jsonl'].includes(languageId) || (!selected.includes('\\') && !/^".*"$/s.test(selected))) return selected;
  const body = /^".*"$/s.test(selected) ? selected.slice(1, -1) : selected;
  try {
    const value: unknown = JSON.parse(`"${body}"`);
    return typeof value === 'string' ? value : selected;
  } catch {
    return selected;
  }
}
