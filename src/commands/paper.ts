import { findStyle, LANGUAGE_EXAMPLES, parseLanguage, SUMMARY_STYLES, type Language, type SummaryStyle } from '../core/texts/languages.js';
import { paperCard } from '../core/papers/card.js';
import { card } from '../core/reply.js';
import type { TextResult } from '../core/texts/service.js';
import { ARXIV_ID_EXAMPLE, parseArxivId } from '../core/papers/arxiv-id.js';
import { versionNote } from '../core/papers/version-note.js';
import type { Command } from './command.js';

/**
 * Reads `[language] [style]` in either order ("ko bullets", "bullets ko", "Brazilian Portuguese pulse"):
 * the style is a word at either end, the language is the rest.
 */
export function readSummaryOptions(language: string | undefined, style: string | undefined): { language?: Language; style?: SummaryStyle } {
  const words = [language, style].filter((w): w is string => Boolean(w?.trim())).join(' ').trim().split(/\s+/).filter(Boolean);
  let picked: SummaryStyle | undefined;
  if (words.length > 0 && findStyle(words.at(-1)!)) picked = findStyle(words.pop()!);
  else if (words.length > 0 && findStyle(words[0]!)) picked = findStyle(words.shift()!);
  return {
    ...(words.length > 0 ? { language: parseLanguage(words.join(' ')) } : {}),
    ...(picked ? { style: picked } : {}),
  };
}

/** The line above a card whose summary is not what was asked for. */
function fallbackNote(result: TextResult, asked: Language, style: SummaryStyle, llmEnabled: boolean): string {
  const why = llmEnabled ? 'the language model could not write it right now' : 'no language model is configured (LLM_BASE_URL, LLM_MODEL)';
  const shown = result.source === 'hf' ? "Hugging Face's summary" : "the abstract's first sentences";
  return `No ${style} summary in ${asked.name}: ${why}. Showing ${shown} in English.`;
}

export default {
  name: 'paper',
  description: 'Look up a paper by arXiv id or URL, optionally summarised in a language and style',
  usage: '<id or url> [language] [style]',
  options: [
    { name: 'id', type: 'string', required: true, description: `arXiv id or URL, e.g. ${ARXIV_ID_EXAMPLE}` },
    { name: 'language', type: 'string', autocomplete: 'language', description: `Summary language, e.g. ${LANGUAGE_EXAMPLES}` },
    { name: 'style', type: 'string', choices: SUMMARY_STYLES, description: `Summary style: ${SUMMARY_STYLES.join(', ')} (default tldr)` },
  ],
  slow: true,
  async execute({ args, core, invoker }) {
    const ref = parseArxivId(args.id ?? '');
    const wanted = readSummaryOptions(args.language, args.style);
    const paper = await core.lookup(ref);
    const teamVotes = core.votes.teamVotes(paper.id, invoker);
    const version = versionNote(ref, paper);
    if (!wanted.language && !wanted.style) return card(paperCard(paper, { teamVotes }), version ? { text: version } : {});

    const language = wanted.language ?? parseLanguage('en');
    const style = wanted.style ?? 'tldr';
    const result = await core.texts.summary(paper, style, language.code);
    const notes = [version, result.fallback ? fallbackNote(result, language, style, core.texts.enabled) : undefined].filter(Boolean);
    return card(paperCard(paper, { body: result.text, teamVotes }), notes.length > 0 ? { text: notes.join('\n') } : {});
  },
} satisfies Command;
