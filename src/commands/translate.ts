import { LANGUAGE_EXAMPLES, parseLanguage } from '../core/texts/languages.js';
import { paperCard } from '../core/papers/card.js';
import { splitTranslation } from '../core/texts/prompts.js';
import { card } from '../core/reply.js';
import { LLM_SETUP_HINT } from '../core/texts/service.js';
import { BadInputError } from '../errors.js';
import { ARXIV_ID_EXAMPLE, parseArxivId } from '../core/papers/arxiv-id.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'translate',
  description: "Translate a paper's title and abstract",
  usage: '<id or url> <language>',
  options: [
    { name: 'id', type: 'string', required: true, description: `arXiv id or URL, e.g. ${ARXIV_ID_EXAMPLE}` },
    { name: 'language', type: 'string', required: true, autocomplete: 'language', description: `e.g. ${LANGUAGE_EXAMPLES}` },
  ],
  slow: true,
  async execute({ args, core, invoker }) {
    // Bad input is answered before any network call.
    const ref = parseArxivId(args.id);
    const language = parseLanguage(args.language);
    if (!core.texts.enabled) throw new BadInputError(LLM_SETUP_HINT);
    const paper = await core.papers.lookup(ref);
    const result = await core.texts.translation(paper, language.code, { withinBudget: !invoker.oneShot });
    const { title, abstract } = splitTranslation(result.text);
    const base = paperCard(paper, { body: abstract, compact: true });
    const translated = { ...base, title, footer: `${base.footer ?? ''} · machine translation into ${language.name}` };
    if (result.pending) {
      return card(base, { text: `The ${language.name} translation is still being written; here is the original. Ask again in a minute to see it.` });
    }
    if (result.fallback) {
      return card(base, { text: `The language model could not translate this into ${language.name} right now; here is the original. Try again in a few minutes.` });
    }
    return card(result.language === language.code && language.code !== 'en' ? translated : base);
  },
});
