/**
 * The pasted-title rule: a query that is a paper's title (any case, accents and punctuation ignored,
 * words in any order, one word missing or one extra) finds that paper first. papers_title_fts holds
 * every title plus a token naming its word count, so a query looks only at titles of about its own
 * length; the candidates are then compared word for word.
 * @module
 */
import type { Database } from '../../db/database.js';
import { titleWords } from './search-query.js';

/** The text papers_title_fts indexes for a title: its words and `ptlen<count>`. */
export function titleIndexText(title: string): string {
  return `${title} ${lengthToken(titleWords(title).length)}`;
}

const lengthToken = (n: number) => `ptlen${n}`;

/** Candidates read at most; a title is found among them unless hundreds of titles share its words. */
const MAX_CANDIDATES = 200;
/**
 * Words used to find candidates: the longest, as a rule the rarest; or, when it is known how many
 * titles hold each word, the three rarest (a title within one word has two of any three).
 */
const KEY_WORDS = 6;
const RAREST_KEY_WORDS = 3;

/** How many titles hold a word, about: what picks the rarest words to find candidates by. */
export type TitlesWith = (word: string) => number;

/** How far a stored title is from what was typed: words in one and not the other (a multiset difference). */
export function titleDistance(typed: readonly string[], title: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const w of typed) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const w of title) counts.set(w, (counts.get(w) ?? 0) - 1);
  let distance = 0;
  for (const c of counts.values()) distance += Math.abs(c);
  return distance;
}

/** True when `title` counts as the title typed: the same words, or one word more or less (both at least two words). */
export function isSameTitle(typed: readonly string[], title: readonly string[]): boolean {
  const distance = titleDistance(typed, title);
  return distance === 0 || (distance === 1 && Math.min(typed.length, title.length) >= 2);
}

const quote = (word: string) => `"${word}"`;

/** The FTS5 expression that every title within one word of `typed` matches (a necessary condition). */
export function candidateExpression(typed: readonly string[], titlesWith?: TitlesWith): string | undefined {
  const n = typed.length;
  if (n === 0) return undefined;
  // The stored count may differ by one from ours for unusual scripts: a margin of one on each side.
  const lengths = [];
  for (let len = Math.max(1, n - 2); len <= n + 2; len++) lengths.push(quote(lengthToken(len)));
  const distinct = [...new Set(typed)];
  let words: string;
  if (n <= 2) {
    // One word fewer in the title would leave a one-word title: not the rule. Every word is in it.
    words = distinct.map(quote).join(' AND ');
  } else {
    // The title lacks at most one word typed: it has all but at most one of any few of them.
    const rarity = new Map(distinct.map((w) => [w, titlesWith?.(w) ?? 0]));
    const keys = [...distinct]
      .sort((a, b) => rarity.get(a)! - rarity.get(b)! || b.length - a.length || (a < b ? -1 : 1))
      .slice(0, titlesWith ? RAREST_KEY_WORDS : KEY_WORDS);
    words = keys.length === 1
      ? quote(keys[0]!)
      : keys.map((_, skip) => `(${keys.filter((__, i) => i !== skip).map(quote).join(' AND ')})`).join(' OR ');
  }
  return `(${lengths.join(' OR ')}) AND (${words})`;
}

export class TitleIndex {
  private readonly candidates;
  private readonly titles;

  constructor(database: Database) {
    this.candidates = database.sqlite.prepare<[string, number], number>('SELECT rowid FROM papers_title_fts WHERE papers_title_fts MATCH ? LIMIT ?').pluck();
    this.titles = database.sqlite.prepare<[string], { pk: number; title: string; publishedAt: string | null }>(
      `SELECT pk, title, published_at AS publishedAt FROM papers WHERE pk IN (SELECT value FROM json_each(?))`,
    );
  }

  /** Papers whose title is the one typed, closest first, then newest first. */
  find(typed: readonly string[], titlesWith?: TitlesWith): number[] {
    const match = candidateExpression(typed, titlesWith);
    if (!match) return [];
    const pks = this.candidates.all(match, MAX_CANDIDATES);
    if (pks.length === 0) return [];
    return this.titles
      .all(JSON.stringify(pks))
      .map((row) => ({ ...row, distance: titleDistance(typed, titleWords(row.title)) }))
      .filter((row) => isSameTitle(typed, titleWords(row.title)))
      .sort((a, b) => a.distance - b.distance || (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || b.pk - a.pk)
      .map((row) => row.pk);
  }
}
