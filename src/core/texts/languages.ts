/**
 * The languages and summary styles a reader can pick, and how what people type (`ko`, `Korean`,
 * `한국어`, `pt-BR`, `tl;dr`) maps onto them. The script of each language is what the output checks
 * look for; a language whose script cannot tell it apart from others has none.
 * @module
 */
import { BadInputError } from '../../errors.js';
import { quote } from '../reply-limits.js';
import { collapseWhitespace } from '../../strings.js';

/** A writing system the output checks can recognise. */
export type Script =
  | 'latin' | 'cyrillic' | 'greek' | 'hangul' | 'japanese' | 'han' | 'arabic' | 'hebrew'
  | 'devanagari' | 'bengali' | 'tamil' | 'thai';

export interface Language {
  /** BCP 47 code as stored and shown: `ko`, `pt-BR`, `zh-CN`. */
  code: string;
  /** English name, as prompts name it. */
  name: string;
  /** The language's own name for itself. */
  native: string;
  /** The script its text is written in, when a check can tell it apart. */
  script?: Script;
  /** Other names and codes people type for it, lower case. */
  aliases?: readonly string[];
}

/** How a summary reads: one sentence, bullets (seed 002), a paragraph (seed 000), or Why / Key insights (seed 003). */
export type SummaryStyle = 'tldr' | 'bullets' | 'pulse' | 'insights';

export const SUMMARY_STYLES = ['tldr', 'bullets', 'pulse', 'insights'] as const satisfies readonly SummaryStyle[];

/** One line per style, for help texts and error messages. */
export const STYLE_DESCRIPTIONS: Readonly<Record<SummaryStyle, string>> = {
  tldr: 'one sentence',
  bullets: '3 to 7 bullet points',
  pulse: 'one paragraph: what it is, what is new, key results with numbers',
  insights: '❓ Why → … 💡 Key insights → …',
};

// A Map, not an object: a typed word is looked up among these names only (`constructor` is no style).
const STYLE_NAMES: ReadonlyMap<string, SummaryStyle> = new Map<string, SummaryStyle>([
  ...SUMMARY_STYLES.map((style) => [style, style] as const),
  ['tl;dr', 'tldr'], ['tl-dr', 'tldr'], ['tl dr', 'tldr'], ['short', 'tldr'], ['sentence', 'tldr'],
  ['bullet', 'bullets'], ['list', 'bullets'], ['points', 'bullets'],
  ['paragraph', 'pulse'], ['narrative', 'pulse'],
  ['insight', 'insights'], ['why', 'insights'],
]);

export const LANGUAGES: readonly Language[] = [
  { code: 'en', name: 'English', native: 'English', script: 'latin', aliases: ['eng'] },
  { code: 'ru', name: 'Russian', native: 'Русский', script: 'cyrillic', aliases: ['rus'] },
  { code: 'ko', name: 'Korean', native: '한국어', script: 'hangul', aliases: ['kor', '조선말'] },
  { code: 'ja', name: 'Japanese', native: '日本語', script: 'japanese', aliases: ['jp', 'jpn'] },
  { code: 'zh-CN', name: 'Chinese (Simplified)', native: '简体中文', script: 'han', aliases: ['zh', 'zh-hans', 'chinese', 'simplified chinese', 'mandarin', '中文', '汉语', '简体'] },
  { code: 'zh-TW', name: 'Chinese (Traditional)', native: '繁體中文', script: 'han', aliases: ['zh-hant', 'zh-hk', 'traditional chinese', '繁體', '正體中文'] },
  { code: 'de', name: 'German', native: 'Deutsch', script: 'latin', aliases: ['deu', 'ger'] },
  { code: 'fr', name: 'French', native: 'Français', script: 'latin', aliases: ['fra', 'fre'] },
  { code: 'es', name: 'Spanish', native: 'Español', script: 'latin', aliases: ['spa', 'castellano'] },
  { code: 'pt', name: 'Portuguese', native: 'Português', script: 'latin', aliases: ['pt-pt', 'por'] },
  { code: 'pt-BR', name: 'Portuguese (Brazil)', native: 'Português (Brasil)', script: 'latin', aliases: ['brazilian portuguese', 'brazilian', 'português brasileiro'] },
  { code: 'it', name: 'Italian', native: 'Italiano', script: 'latin', aliases: ['ita'] },
  { code: 'nl', name: 'Dutch', native: 'Nederlands', script: 'latin', aliases: ['nld', 'flemish'] },
  { code: 'pl', name: 'Polish', native: 'Polski', script: 'latin', aliases: ['pol'] },
  { code: 'cs', name: 'Czech', native: 'Čeština', script: 'latin', aliases: ['ces', 'cze'] },
  { code: 'sk', name: 'Slovak', native: 'Slovenčina', script: 'latin' },
  { code: 'hu', name: 'Hungarian', native: 'Magyar', script: 'latin' },
  { code: 'ro', name: 'Romanian', native: 'Română', script: 'latin' },
  { code: 'sv', name: 'Swedish', native: 'Svenska', script: 'latin' },
  { code: 'da', name: 'Danish', native: 'Dansk', script: 'latin' },
  { code: 'nb', name: 'Norwegian', native: 'Norsk', script: 'latin', aliases: ['no', 'nn', 'norwegian bokmål', 'bokmål'] },
  { code: 'fi', name: 'Finnish', native: 'Suomi', script: 'latin' },
  { code: 'ca', name: 'Catalan', native: 'Català', script: 'latin' },
  { code: 'hr', name: 'Croatian', native: 'Hrvatski', script: 'latin' },
  { code: 'tr', name: 'Turkish', native: 'Türkçe', script: 'latin' },
  { code: 'vi', name: 'Vietnamese', native: 'Tiếng Việt', script: 'latin' },
  { code: 'id', name: 'Indonesian', native: 'Bahasa Indonesia', script: 'latin', aliases: ['in', 'bahasa'] },
  { code: 'ms', name: 'Malay', native: 'Bahasa Melayu', script: 'latin' },
  { code: 'sw', name: 'Swahili', native: 'Kiswahili', script: 'latin' },
  // Serbian is written in Cyrillic and in Latin letters alike: the script cannot tell.
  { code: 'sr', name: 'Serbian', native: 'Српски' },
  { code: 'uk', name: 'Ukrainian', native: 'Українська', script: 'cyrillic', aliases: ['ukr'] },
  { code: 'bg', name: 'Bulgarian', native: 'Български', script: 'cyrillic' },
  { code: 'el', name: 'Greek', native: 'Ελληνικά', script: 'greek' },
  { code: 'ar', name: 'Arabic', native: 'العربية', script: 'arabic' },
  { code: 'fa', name: 'Persian', native: 'فارسی', script: 'arabic', aliases: ['farsi'] },
  { code: 'ur', name: 'Urdu', native: 'اردو', script: 'arabic' },
  { code: 'he', name: 'Hebrew', native: 'עברית', script: 'hebrew', aliases: ['iw'] },
  { code: 'hi', name: 'Hindi', native: 'हिन्दी', script: 'devanagari' },
  { code: 'bn', name: 'Bengali', native: 'বাংলা', script: 'bengali', aliases: ['bangla'] },
  { code: 'ta', name: 'Tamil', native: 'தமிழ்', script: 'tamil' },
  { code: 'th', name: 'Thai', native: 'ไทย', script: 'thai' },
];

export const LANGUAGE_EXAMPLES = 'ko, Korean, 한국어, ru, ja, zh-CN, de, pt-BR';

/** Lower case, `_` as `-`, single spaces, accents removed: `Français` and `francais` meet. */
export function foldName(text: string): string {
  return collapseWhitespace(text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/_/g, '-'));
}

const byName = new Map<string, Language>();
for (const language of LANGUAGES) {
  for (const key of [language.code, language.name, language.native, ...(language.aliases ?? [])]) byName.set(foldName(key), language);
}

/** The language for a code or name, or undefined. */
export function findLanguage(input: string): Language | undefined {
  const key = foldName(input);
  const exact = byName.get(key);
  if (exact) return exact;
  // A region we do not list (`en-US`, `es-MX`) reads as its language.
  const base = /^([a-z]{2,3})-[a-z0-9]{2,8}$/.exec(key)?.[1];
  return base ? byName.get(base) : undefined;
}

/** The language for a code (`ko`) or a name (`Korean`, `한국어`); a BadInputError with examples otherwise. */
export function parseLanguage(input: string): Language {
  const language = findLanguage(input);
  if (language) return language;
  const shown = quote(input.trim(), 30);
  throw new BadInputError(
    `Unknown language "${shown}". Use an ISO code or a name, e.g. ${LANGUAGE_EXAMPLES}. Known codes: ${LANGUAGES.map((l) => l.code).join(', ')}.`,
  );
}

/** The English name of a language code, or the code itself when it is not listed. */
export function languageName(code: string): string {
  return findLanguage(code)?.name ?? code;
}

/** The style for a name (`bullets`, `tl;dr`), or undefined. */
export function findStyle(input: string): SummaryStyle | undefined {
  return STYLE_NAMES.get(foldName(input));
}

/** The style for a name; a BadInputError listing the styles otherwise. */
export function parseStyle(input: string): SummaryStyle {
  const style = findStyle(input);
  if (style) return style;
  const styles = SUMMARY_STYLES.map((s) => `${s} (${STYLE_DESCRIPTIONS[s]})`).join(', ');
  throw new BadInputError(`Unknown style "${quote(input.trim(), 30)}". Styles: ${styles}.`);
}
