/**
 * Reads an arXiv id out of whatever a user pasted: a bare id, `arXiv:ID`, or a paper URL on arxiv.org,
 * alphaxiv.org or Hugging Face, possibly wrapped by Slack. Anything else is refused with a BadInputError.
 * @module
 */

import { BadInputError } from '../../errors.js';

/** An arXiv id without version (`2403.08295`, `hep-th/9901001`, `math.GT/0309136`) and the version if given. */
export interface ArxivRef {
  id: string;
  version?: number;
}

export const ARXIV_ID_EXAMPLE = '2403.08295 or https://arxiv.org/abs/2403.08295';

// Real input is a few dozen characters; refusing long strings up front bounds all the work below.
const MAX_INPUT_LENGTH = 2048;
const MAX_QUOTE_CHARS = 60;

const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v([1-9]\d{0,3}))?$/;
// Old archive names are short words with at most one hyphen: cs, hep-th, q-bio, cond-mat, solv-int.
const OLD_STYLE = /^([a-z]{1,8}(?:-[a-z]{1,8})?(?:\.[A-Z]{2})?)\/(\d{2})(\d{2})(\d{3})(?:v([1-9]\d{0,3}))?$/;
const PAPER_URL = /^(?:https?:\/\/)?(?:www\.|export\.)?(arxiv\.org|alphaxiv\.org|huggingface\.co|hf\.co)\/([^?#]*)(?:[?#].*)?$/i;
const SLACK_LINK = /^<([^<>|]+)(?:\|[^<>]*)?>$/;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** Path prefixes that are followed by a paper id, per host. */
const PAPER_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['arxiv.org', ['abs', 'pdf', 'html', 'format']],
  ['alphaxiv.org', ['abs', 'pdf', 'overview']],
  ['huggingface.co', ['papers']],
  ['hf.co', ['papers']],
]);

const LEADING_JUNK = new Set(['(', '[', '"', "'", '`', '*']);
const TRAILING_JUNK = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '"', "'", '`', '*']);

export function parseArxivId(input: string): ArxivRef {
  const ref = tryParseArxivId(input);
  if (ref) return ref;
  throw new BadInputError(refusalMessage(input));
}

export function tryParseArxivId(input: string): ArxivRef | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return undefined;
  let text = stripJunk(input.replace(INVISIBLE, '').trim());
  const slack = SLACK_LINK.exec(text);
  if (slack?.[1] !== undefined) text = stripJunk(slack[1].trim());
  if (text.toLowerCase().startsWith('arxiv:')) return parseBareId(text.slice('arxiv:'.length).trimStart());
  return parseBareId(text) ?? parseUrl(text);
}

export function formatArxivId(ref: ArxivRef): string {
  return ref.version === undefined ? ref.id : `${ref.id}v${ref.version}`;
}

function parseUrl(text: string): ArxivRef | undefined {
  const match = PAPER_URL.exec(text);
  if (!match?.[1] || match[2] === undefined) return undefined;
  const host = match[1].toLowerCase();
  const [kind = '', ...rest] = trimSlashes(match[2]).split('/');
  const section = kind.toLowerCase();
  if (!PAPER_PATHS.get(host)?.includes(section)) return undefined;
  if (section === 'html') {
    // HTML pages may carry a trailing path (`/html/2403.08295v1/#S2`); old-style ids span two segments.
    return parseBareId(rest.slice(0, 1).join('/')) ?? parseBareId(rest.slice(0, 2).join('/'));
  }
  let id = rest.join('/');
  if (section === 'pdf' && id.toLowerCase().endsWith('.pdf')) id = id.slice(0, -'.pdf'.length);
  return parseBareId(id);
}

function parseBareId(text: string): ArxivRef | undefined {
  const fresh = NEW_STYLE.exec(text);
  if (fresh) {
    const [, yy = '', mm = '', number = '', version] = fresh;
    const yymm = Number(yy + mm);
    if (!isMonth(mm) || yymm < 704) return undefined; // the new scheme started in April 2007
    // Four-digit numbers ran to December 2014, five-digit ones from January 2015.
    if (number.length === 4 ? yymm > 1412 : yymm < 1501) return undefined;
    return withVersion(`${yy}${mm}.${number}`, version);
  }
  const old = OLD_STYLE.exec(text);
  if (old) {
    const [, archive = '', yy = '', mm = '', number = '', version] = old;
    const year = Number(yy);
    if (!isMonth(mm) || (year > 7 && year < 91)) return undefined; // old scheme: 1991 to March 2007
    return withVersion(`${archive}/${yy}${mm}${number}`, version);
  }
  return undefined;
}

function withVersion(id: string, version: string | undefined): ArxivRef {
  return version === undefined ? { id } : { id, version: Number(version) };
}

function isMonth(mm: string): boolean {
  const month = Number(mm);
  return month >= 1 && month <= 12;
}

function stripJunk(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && LEADING_JUNK.has(text.charAt(start))) start++;
  while (end > start && TRAILING_JUNK.has(text.charAt(end - 1))) end--;
  return text.slice(start, end).trim();
}

function trimSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charAt(end - 1) === '/') end--;
  return path.slice(0, end);
}

function refusalMessage(input: unknown): string {
  const text = typeof input === 'string' ? input : '';
  // Only look at the head of the input: the quote is short, and the input may be huge.
  const cleaned = text.slice(0, MAX_QUOTE_CHARS * 4).replace(INVISIBLE, '').replace(/[\s\p{Cc}]+/gu, ' ').trim();
  if (cleaned === '') return `Missing arXiv id or paper URL. Try ${ARXIV_ID_EXAMPLE}`;
  const chars = Array.from(cleaned);
  const quote = chars.length > MAX_QUOTE_CHARS ? `${chars.slice(0, MAX_QUOTE_CHARS).join('')}…` : cleaned;
  return `Not an arXiv id or paper URL: "${quote}". Try ${ARXIV_ID_EXAMPLE}`;
}
