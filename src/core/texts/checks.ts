/**
 * What a model's answer must pass before anyone reads it: not empty, not cut off, within the length
 * limit, in the asked script where the script can tell, in the asked shape (bullets, Why / Key
 * insights, title + abstract), and free of mentions. Answers are tidied first; a failed check
 * names the problem so the one retry can say what was wrong.
 * @module
 */
import { collapseWhitespace, neutralizeMentions } from '../../strings.js';
import type { Language, Script, SummaryStyle } from './languages.js';

export type CheckResult = { ok: true; text: string } | { ok: false; problem: string };

export interface AnswerFacts {
  /** The model stopped at its token limit: the text is cut off. */
  truncated: boolean;
  maxChars: number;
  language: Language;
}

const SCRIPT_LETTERS: Readonly<Record<Script, RegExp>> = {
  latin: /\p{Script=Latin}/gu,
  cyrillic: /\p{Script=Cyrillic}/gu,
  greek: /\p{Script=Greek}/gu,
  hangul: /\p{Script=Hangul}/gu,
  japanese: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu,
  han: /\p{Script=Han}/gu,
  arabic: /\p{Script=Arabic}/gu,
  hebrew: /\p{Script=Hebrew}/gu,
  devanagari: /\p{Script=Devanagari}/gu,
  bengali: /\p{Script=Bengali}/gu,
  tamil: /\p{Script=Tamil}/gu,
  thai: /\p{Script=Thai}/gu,
};
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const LETTER = /\p{L}/gu;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/**
 * The share of words with at least one letter in `script`. Words, not letters: "MMLU" or "HumanEval"
 * in a Korean sentence outweigh its syllables letter by letter, but not word by word.
 */
export function scriptWordShare(text: string, script: Script): number {
  const words = (text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return 0;
  const letters = SCRIPT_LETTERS[script];
  return words.filter((w) => w.match(letters) !== null).length / words.length;
}

/** The share of words with a letter outside the Latin script. */
function foreignWordShare(text: string): number {
  const words = (text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return 0;
  return words.filter((w) => /(?!\p{Script=Latin})\p{L}/u.test(w)).length / words.length;
}

// Words frequent in English and absent from the other Latin-script languages we list ("die", "is",
// "we", "of" and "in" are words in German or Dutch, so they are left out).
const ENGLISH_WORDS = new Set(['the', 'and', 'with', 'that', 'which', 'this', 'these', 'our', 'are', 'from', 'their', 'has', 'have', 'been', 'its']);

/** True when `text` reads as English: a tell for an answer that ignored a request for French or German. */
export function looksEnglish(text: string): boolean {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 8) return false;
  return words.filter((w) => ENGLISH_WORDS.has(w)).length / words.length >= 0.08;
}

/** Why `text` is not in `language`, or undefined when it is (or when the script cannot tell). */
export function languageProblem(text: string, language: Language): string | undefined {
  const wrong = `it was not written in ${language.name}`;
  switch (language.script) {
    case undefined:
      return undefined;
    case 'latin':
      if (foreignWordShare(text) > 0.2) return wrong;
      return language.code !== 'en' && looksEnglish(text) ? `${wrong} (it was English)` : undefined;
    case 'japanese':
      // Japanese always has kana; Han characters alone are Chinese.
      return scriptWordShare(text, 'japanese') >= 0.3 && count(text, KANA) > 0 ? undefined : wrong;
    case 'han': {
      const kana = count(text, KANA);
      return scriptWordShare(text, 'han') >= 0.3 && kana < 0.1 * (kana + count(text, SCRIPT_LETTERS.han)) ? undefined : wrong;
    }
    default:
      // Model and dataset names stay in Latin letters ("Gemma", "GSM8K"): 30 % of words is plenty.
      return scriptWordShare(text, language.script) >= 0.3 ? undefined : wrong;
  }
}

const PLATFORM_MENTION = /<[@#!][^<>\s]{0,80}>/;
const GROUP_MENTION = /(?<![\p{L}\p{N}_.])[@＠]\s*(everyone|here|channel|all)\b/iu;

/**
 * Why an answer cannot be kept because it mentions people, or undefined. Stripping the mention would
 * leave residue ("everyone here everyone - …") in a text cached for good, so the answer is refused
 * and the model asked again instead.
 */
export function mentionProblem(raw: string): string | undefined {
  const found = PLATFORM_MENTION.exec(raw)?.[0] ?? GROUP_MENTION.exec(raw)?.[0];
  return found ? `it contained a mention (${found.slice(0, 40)}); write no @ or <…> mentions` : undefined;
}

/** Takes away what models wrap answers in: reasoning blocks, code fences, surrounding quotes, stray blank lines. */
export function tidyAnswer(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n');
  // Reasoning models (DeepSeek R1, Qwen 3) think aloud first; an unclosed block means no answer at all.
  text = text.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/<think>[\s\S]*$/i, '');
  text = text.trim().replace(/^```[\w-]*\n([\s\S]*?)\n?```$/, '$1').trim();
  if (/^(["“«])[\s\S]*(["”»])$/.test(text) && !/["“”«»]/.test(text.slice(1, -1))) text = text.slice(1, -1).trim();
  // Renderers neutralize too; this keeps the stored text itself harmless.
  return neutralizeMentions(text)
    .replace(/[ \t]{2,}/g, ' ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const BULLET = /^\s*(?:[-*•‣◦▪·–]|\d{1,2}[.)])\s+/;

function shapeSummary(text: string, style: SummaryStyle): CheckResult {
  switch (style) {
    case 'bullets': {
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      // A "Here are the key points:" line before the list is dropped rather than refused.
      while (lines.length > 0 && !BULLET.test(lines[0]!) && lines[0]!.trim().endsWith(':')) lines.shift();
      const bullets = lines.filter((line) => BULLET.test(line));
      if (bullets.length < 2 || bullets.length > 10 || bullets.length < lines.length / 2) {
        return { ok: false, problem: 'it was not 3 to 7 bullet points, each on its own line starting with "- "' };
      }
      return { ok: true, text: lines.map((line) => (BULLET.test(line) ? line.replace(BULLET, '- ') : line.trim())).join('\n') };
    }
    case 'insights': {
      if (!text.includes('❓') || !text.includes('💡')) {
        return { ok: false, problem: 'it did not have the two parts "❓ Why → …" and "💡 Key insights → …"' };
      }
      return { ok: true, text: text.replace(/\s*(💡)/u, '\n$1').trim() };
    }
    default:
      return { ok: true, text };
  }
}

function common(text: string, facts: AnswerFacts): string | undefined {
  if (count(text, LETTER) === 0) return 'it was empty';
  if (facts.truncated) return 'it was cut off at the length limit; write less';
  if (text.length > facts.maxChars) return `it was too long (${text.length} characters; at most ${facts.maxChars})`;
  return languageProblem(text, facts.language);
}

/** Checks and tidies a summary answer. */
export function checkSummary(raw: string, style: SummaryStyle, facts: AnswerFacts): CheckResult {
  const text = tidyAnswer(raw);
  const problem = common(text, facts) ?? mentionProblem(raw);
  return problem ? { ok: false, problem } : shapeSummary(text, style);
}

/** Checks a translation answer: a title line, then the whole abstract; returns them as `title\n\nabstract`. */
export function checkTranslation(raw: string, sourceAbstract: string, facts: AnswerFacts): CheckResult {
  const text = tidyAnswer(raw);
  const problem = common(text, facts) ?? mentionProblem(raw);
  if (problem) return { ok: false, problem };
  const split = text.indexOf('\n\n') >= 0 ? text.indexOf('\n\n') : text.indexOf('\n');
  const title = text.slice(0, Math.max(split, 0)).replace(/^title:\s*/i, '').trim();
  const abstract = text.slice(Math.max(split, 0)).replace(/^\s*abstract:\s*/i, '').trim();
  if (split < 0 || !title || !abstract || title.includes('\n') || title.length > 400) {
    return { ok: false, problem: 'it was not the translated title on the first line, an empty line, then the translated abstract' };
  }
  // A summary passed off as a translation is much shorter. CJK scripts need far fewer characters.
  const dense = facts.language.script === 'han' || facts.language.script === 'japanese' || facts.language.script === 'hangul';
  if (abstract.length < collapseWhitespace(sourceAbstract).length * (dense ? 0.2 : 0.4)) {
    return { ok: false, problem: 'the abstract was shortened; translate all of it' };
  }
  return { ok: true, text: `${title}\n\n${abstract}` };
}
