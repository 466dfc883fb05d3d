import { describe, expect, it } from 'vitest';
import { findStyle, LANGUAGES, parseLanguage, parseStyle, SUMMARY_STYLES } from '../../../src/core/texts/languages.js';
import { checkSummary, checkTranslation, languageProblem, looksEnglish, tidyAnswer } from '../../../src/core/texts/checks.js';
import { firstSentences, sentences } from '../../../src/core/texts/fallback.js';
import { BadInputError } from '../../../src/errors.js';
import { GEMMA, SAMPLE_SENTENCES } from '../../fakes/llm-server.js';

const lang = (code: string) => parseLanguage(code);
const facts = (code: string, maxChars = 2000) => ({ truncated: false, maxChars, language: lang(code) });

describe('parseLanguage', () => {
  it.each([
    ['ko', 'ko'], ['Korean', 'ko'], ['한국어', 'ko'], ['KO', 'ko'], ['ru', 'ru'], ['русский', 'ru'], ['pt-BR', 'pt-BR'],
    ['pt_br', 'pt-BR'], ['Brazilian Portuguese', 'pt-BR'], ['pt', 'pt'], ['português', 'pt'], ['portugues', 'pt'],
    ['zh', 'zh-CN'], ['Chinese', 'zh-CN'], ['中文', 'zh-CN'], ['zh-Hant', 'zh-TW'], ['ja', 'ja'], ['日本語', 'ja'],
    ['en-US', 'en'], ['es-MX', 'es'], ['francais', 'fr'], [' German ', 'de'], ['farsi', 'fa'], ['no', 'nb'],
  ])('reads %j as %s', (input, code) => {
    expect(parseLanguage(input).code).toBe(code);
  });

  it.each(['klingon', 'xx', '', 'ko ru', 'en-', '@everyone'])('refuses %j with examples', (input) => {
    expect(() => parseLanguage(input)).toThrow(BadInputError);
    expect(() => parseLanguage(input)).toThrow(/e\.g\. ko, Korean, 한국어, ru.*Known codes: en, ru, ko/);
  });

  it('lists unique codes, each with an English and a native name', () => {
    expect(new Set(LANGUAGES.map((l) => l.code)).size).toBe(LANGUAGES.length);
    expect(LANGUAGES.length).toBeGreaterThanOrEqual(30);
    for (const l of LANGUAGES) expect(l.name && l.native).toBeTruthy();
  });
});

describe('styles', () => {
  it('reads names and aliases', () => {
    expect(SUMMARY_STYLES).toEqual(['tldr', 'bullets', 'pulse', 'insights']);
    expect(findStyle('TL;DR')).toBe('tldr');
    expect(findStyle('bullet')).toBe('bullets');
    expect(findStyle('ko')).toBeUndefined();
    expect(() => parseStyle('haiku')).toThrow(/Unknown style "haiku". Styles: tldr \(one sentence\), bullets/);
  });
});

describe('language of an answer', () => {
  it.each(Object.entries(SAMPLE_SENTENCES))('accepts %s text in its language', (code, sample) => {
    expect(languageProblem(sample.join(' '), lang(code))).toBeUndefined();
  });

  it.each([
    ['ko', 'en'], ['ru', 'ko'], ['ja', 'zh-CN'], ['zh-CN', 'ja'], ['ko', 'ja'], ['en', 'ru'], ['de', 'en'], ['fr', 'en'], ['pt-BR', 'en'],
  ])('refuses an answer for %s written in %s', (asked, written) => {
    expect(languageProblem(SAMPLE_SENTENCES[written]!.join(' '), lang(asked))).toMatch(/not written in/);
  });

  it('tolerates English model names in another script', () => {
    expect(languageProblem('Gemma 7B는 MMLU, GSM8K, HumanEval, MBPP에서 LLaMA-2 13B보다 높은 성능을 보였다.', lang('ko'))).toBeUndefined();
  });

  it('tells English apart from other Latin-script languages, and cannot tell Serbian', () => {
    expect(looksEnglish(GEMMA.abstract)).toBe(true);
    expect(looksEnglish(SAMPLE_SENTENCES.de!.join(' '))).toBe(false);
    expect(looksEnglish('Wij introduceren Gemma, een familie van open modellen die is gebouwd op het onderzoek van Gemini.')).toBe(false);
    expect(languageProblem('anything at all', lang('sr'))).toBeUndefined();
  });
});

describe('mentions and tidying', () => {
  it('removes reasoning, fences and quotes', () => {
    expect(tidyAnswer('<think>Korean, short.</think>\n\n"Gemma는 모델이다."')).toBe('Gemma는 모델이다.');
    expect(tidyAnswer('```\n- a\n- b\n```')).toBe('- a\n- b');
    expect(tidyAnswer('<think>never closed')).toBe('');
    expect(tidyAnswer('a\r\n\r\n\r\n\r\nb  ')).toBe('a\n\nb');
  });
});

describe('shape of an answer', () => {
  it('normalises bullets and drops a preamble line', () => {
    const result = checkSummary('Here are the key points:\n• First point here.\n* Second point here.\n1. Third point here.', 'bullets', facts('en'));
    expect(result).toEqual({ ok: true, text: '- First point here.\n- Second point here.\n- Third point here.' });
  });

  it('refuses prose for bullets and a missing part for insights', () => {
    expect(checkSummary('Gemma is a model. It is open.', 'bullets', facts('en'))).toMatchObject({ ok: false });
    expect(checkSummary('❓ Why → Because.', 'insights', facts('en'))).toMatchObject({ ok: false });
    expect(checkSummary('❓ Why → Because it matters. 💡 Key insights → It works.', 'insights', facts('en'))).toEqual({
      ok: true, text: '❓ Why → Because it matters.\n💡 Key insights → It works.',
    });
  });

  it('refuses empty, cut-off and overlong answers', () => {
    expect(checkSummary(' … ', 'tldr', facts('en'))).toEqual({ ok: false, problem: 'it was empty' });
    expect(checkSummary('Gemma is', 'tldr', { ...facts('en'), truncated: true })).toMatchObject({ ok: false, problem: expect.stringContaining('cut off') });
    expect(checkSummary('word '.repeat(200), 'tldr', facts('en', 600))).toMatchObject({ ok: false, problem: expect.stringContaining('too long') });
  });

  it('reads a translation as a title line and the abstract', () => {
    const ru = SAMPLE_SENTENCES.ru!.join(' ');
    expect(checkTranslation(`Title: Gemma — открытые модели\n\n${ru}`, ru, facts('ru'))).toEqual({ ok: true, text: `Gemma — открытые модели\n\n${ru}` });
    expect(checkTranslation(`Gemma — открытые модели\n${ru}`, ru, facts('ru'))).toMatchObject({ ok: true });
    expect(checkTranslation(ru, ru, facts('ru'))).toMatchObject({ ok: false });
    expect(checkTranslation(`Gemma\n\n${SAMPLE_SENTENCES.ru![1]}`, GEMMA.abstract, facts('ru'))).toMatchObject({ ok: false, problem: expect.stringContaining('shortened') });
  });
});

describe('the abstract as a fallback', () => {
  it('splits sentences without breaking at abbreviations or decimals', () => {
    expect(sentences('We use e.g. transformers (Vaswani et al. 2017). Accuracy is 3.5 points higher! Does it work? Yes.')).toEqual([
      'We use e.g. transformers (Vaswani et al. 2017).', 'Accuracy is 3.5 points higher!', 'Does it work?', 'Yes.',
    ]);
  });

  it('cuts at a sentence boundary, or visibly inside a very long first sentence', () => {
    expect(firstSentences(GEMMA.abstract, 2, 1000)).toBe(
      'This work introduces Gemma, a family of lightweight, state-of-the art open models built from the research and technology used to create Gemini models. ' +
        'Gemma models demonstrate strong performance across academic benchmarks for language understanding, reasoning, and safety.',
    );
    expect(firstSentences(GEMMA.abstract, 3, 200)).toMatch(/Gemini models\.$/);
    const long = firstSentences('word '.repeat(200), 1, 100);
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(100);
  });
});
