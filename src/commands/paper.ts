import { findStyle, LANGUAGE_EXAMPLES, parseLanguage, SUMMARY_STYLES, type Language, type SummaryStyle } from '../core/texts/languages.js';
import { paperCard } from '../core/papers/card.js';
import { card } from '../core/reply.js';
import type { TextResult } from '../core/texts/service.js';
import { ARXIV_ID_EXAMPLE, parseArxivId } from '../core/papers/arxiv-id.js';
import { versionNote } from '../core/papers/version-note.js';
import { defineCommand } from './command.js';

/** The line above a card whose summary is not what was asked for. */
function fallbackNote(result: TextResult, asked: Language, style: SummaryStyle, llmEnabled: boolean): string {
  const shown = result.source === 'hf' ? "Hugging Face's summary" : "the abstract's first sentences";
  if (result.pending) return `The ${style} summary in ${asked.name} is still being written; ask again in a minute. Showing ${shown} in English.`;
  const why = llmEnabled ? 'the language model could not write it right now' : 'no language model is configured (LLM_BASE_URL, LLM_MODEL)';
  return `No ${style} summary in ${asked.name}: ${why}. Showing ${shown} in English.`;
}

export default defineCommand({
  name: 'paper',
  description: 'Look up a paper by arXiv id or URL, optionally summarised in a language and style',
  usage: '<id or url> [language] [style]',
  options: [
    { name: 'id', type: 'string', required: true, description: `arXiv id or URL, e.g. ${ARXIV_ID_EXAMPLE}` },
    { name: 'language', type: 'string', autocomplete: 'language', description: `Summary language, e.g. ${LANGUAGE_EXAMPLES}` },
    { name: 'style', type: 'string', choices: SUMMARY_STYLES, matchChoice: findStyle, description: `Summary style: ${SUMMARY_STYLES.join(', ')} (default tldr)` },
  ],
  slow: true,
  async execute({ args, core, invoker }) {
    const ref = parseArxivId(args.id);
    const asked = args.language ? parseLanguage(args.language) : undefined;
    const paper = await core.papers.lookup(ref);
    const teamVotes = core.votes.teamVotes(paper.id, invoker);
    const version = versionNote(ref, paper);
    if (!asked && !args.style) return card(paperCard(paper, { teamVotes }), version ? { text: version } : {});

    const language = asked ?? parseLanguage('en');
    const style = args.style ?? 'tldr';
    const result = await core.texts.summary(paper, style, language.code, { withinBudget: !invoker.oneShot });
    const notes = [version, result.fallback ? fallbackNote(result, language, style, core.texts.enabled) : undefined].filter(Boolean);
    return card(paperCard(paper, { body: result.text, teamVotes }), notes.length > 0 ? { text: notes.join('\n') } : {});
  },
});
