/**
 * What a platform offers while someone types a language or a summary style: at most 25 matches, the
 * closest first, each shown with its name and sent as the code the core parses.
 * @module
 */
import type { CommandOption } from './command.js';
import type { Suggestion } from '../core/inbound.js';
import { foldName, LANGUAGES, STYLE_DESCRIPTIONS, SUMMARY_STYLES } from '../core/texts/languages.js';

/** Discord shows at most 25 choices. */
const MAX_SUGGESTIONS = 25;

const LANGUAGE_SUGGESTIONS = LANGUAGES.map((l) => ({
  suggestion: { name: l.native === l.name ? `${l.name} (${l.code})` : `${l.name} · ${l.native} (${l.code})`, value: l.code },
  keys: [l.code, l.name, l.native, ...(l.aliases ?? [])].map(foldName),
}));

const STYLE_SUGGESTIONS = SUMMARY_STYLES.map((style) => ({
  suggestion: { name: `${style}: ${STYLE_DESCRIPTIONS[style]}`.slice(0, 100), value: style },
  keys: [style],
}));

/** What to offer for `typed`: codes and names that start with it first, then those that contain it. */
export function suggestionsFor(kind: NonNullable<CommandOption['autocomplete']>, typed: string): Suggestion[] {
  const all = kind === 'language' ? LANGUAGE_SUGGESTIONS : STYLE_SUGGESTIONS;
  const query = foldName(typed);
  if (!query) return all.slice(0, MAX_SUGGESTIONS).map((s) => s.suggestion);
  const starts = all.filter((s) => s.keys.some((k) => k.startsWith(query)));
  const contains = all.filter((s) => !starts.includes(s) && s.keys.some((k) => k.includes(query)));
  return [...starts, ...contains].slice(0, MAX_SUGGESTIONS).map((s) => s.suggestion);
}
