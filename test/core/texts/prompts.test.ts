import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseLanguage, SUMMARY_STYLES } from '../../../src/core/texts/languages.js';
import type { Paper } from '../../../src/core/papers/paper.js';
import { PROMPT_VERSION, retryNote, summaryPrompt, translationPrompt } from '../../../src/core/texts/prompts.js';
import { GEMMA } from '../../fakes/llm-server.js';

const paper = {
  ...GEMMA, pk: 1, version: 1, updatedAt: null, primaryCategory: 'cs.CL', comment: null, journalRef: null, doi: null, codeUrl: null,
  projectUrl: null, githubStars: null, hfUpvotes: 25, aiKeywords: null, firstSeenAt: 0, revisedAt: null, refreshedAt: 0, missingFrom: [],
} satisfies Paper;

function allPrompts(): string {
  const ko = parseLanguage('ko');
  return JSON.stringify([
    ...SUMMARY_STYLES.map((style) => summaryPrompt(paper, style, ko)),
    summaryPrompt(paper, 'tldr', parseLanguage('en')),
    translationPrompt(paper, ko),
    retryNote('it was empty', ko),
  ]);
}

describe('prompts', () => {
  it('change only with a new PROMPT_VERSION', () => {
    // When this fails you changed a prompt: bump PROMPT_VERSION in src/core/texts/prompts.ts (so cached
    // texts are written anew) and record the new fingerprint here.
    const fingerprint = createHash('sha256').update(allPrompts()).digest('hex').slice(0, 16);
    expect({ version: PROMPT_VERSION, fingerprint }).toEqual({ version: 'v1', fingerprint: '44a432091a222786' });
  });

  it('name the language in English and in its own words', () => {
    const prompt = summaryPrompt(paper, 'bullets', parseLanguage('ru'));
    expect(prompt.system).toContain('Write the answer in Russian (Русский).');
    expect(prompt.system.endsWith('Language: Russian (ru)')).toBe(true);
    expect(summaryPrompt(paper, 'tldr', parseLanguage('en')).system).toContain('Write the answer in English.');
  });

  it('give a translation room for the whole abstract', () => {
    const prompt = translationPrompt(paper, parseLanguage('ja'));
    expect(prompt.maxTokens).toBeGreaterThan(paper.abstract.length);
    expect(prompt.maxChars).toBeGreaterThan(paper.abstract.length * 2);
  });
});
