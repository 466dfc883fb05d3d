/**
 * Splits text into the terms papers_fts holds (`porter unicode61 remove_diacritics 2`), so our own
 * postings (search-index/) and FTS5 agree on every word. ASCII is handled here; what a non-ASCII
 * character is (part of a word, a diacritic to drop, a separator) and how it folds is asked of SQLite's
 * own tokenizer once per character and remembered, so the answer is exactly FTS5's for the SQLite we run.
 * @module
 */
import BetterSqlite3 from 'better-sqlite3';
import { porterStem } from './porter.js';

/** How unicode61 treats a character: separator, word character, or diacritic (continues a word, never starts one). */
const enum Kind { Separator, Word, Diacritic }
interface CharInfo { kind: Kind; folded: string }

/** Word characters of ASCII for unicode61: letters and digits. */
const asciiWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Asks an in-memory FTS5 table how unicode61 (remove_diacritics 2) treats characters. */
class CharOracle {
  private readonly db = new BetterSqlite3(':memory:');
  private readonly insert;
  private readonly terms;
  private readonly clear;

  constructor() {
    this.db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2');
                  CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);`);
    this.insert = this.db.prepare<[number, string]>('INSERT INTO t(rowid, x) VALUES (?, ?)');
    this.terms = this.db.prepare<[], { term: string; doc: number }>('SELECT term, doc FROM v ORDER BY doc, "offset"');
    this.clear = this.db.prepare('DELETE FROM t');
  }

  /** For each code point: alone it makes a word (a word character); between two q's, one word (a diacritic) or two. */
  ask(codePoints: readonly number[]): Map<number, CharInfo> {
    const found = new Map<number, CharInfo>();
    this.db.transaction(() => {
      this.clear.run();
      codePoints.forEach((cp, i) => {
        const ch = String.fromCodePoint(cp);
        this.insert.run(2 * i + 1, ch);
        this.insert.run(2 * i + 2, `q${ch}q`);
      });
      const byDoc = new Map<number, string[]>();
      for (const { term, doc } of this.terms.all()) {
        const list = byDoc.get(doc) ?? [];
        list.push(term);
        byDoc.set(doc, list);
      }
      codePoints.forEach((cp, i) => {
        const alone = byDoc.get(2 * i + 1) ?? [];
        const between = byDoc.get(2 * i + 2) ?? [];
        if (alone.length === 1) found.set(cp, { kind: Kind.Word, folded: alone[0]! });
        else if (between.length === 1) found.set(cp, { kind: Kind.Diacritic, folded: between[0]!.slice(1, -1) });
        else found.set(cp, { kind: Kind.Separator, folded: '' });
      });
      this.clear.run();
    })();
    return found;
  }
}

/** Folded words remembered with their term id; past this many the memory is given back and words are stemmed again. */
const WORD_CACHE = 500_000;
/** Slots the table of ASCII words starts with: a power of two; it doubles when half full. */
const ASCII_SLOTS = 1 << 14;

/**
 * Terms are numbered as they are first seen (ids stay fixed for the tokenizer's life), so that indexing
 * counts into arrays rather than maps of strings.
 */
export class Fts5Tokenizer {
  private readonly chars = new Map<number, CharInfo>();
  private oracle: CharOracle | undefined;
  private readonly wordIds = new Map<string, number>();
  /**
   * ASCII words (most words) by the hash of their lower-cased characters, open addressing: a word is
   * found without cutting it out of the text as a string of its own. Per slot, the hash and the term
   * id side by side (one cache line), the id -1 in a free slot; the word itself in `asciiWords`.
   */
  private asciiSlots = new Int32Array(2 * ASCII_SLOTS).fill(-1);
  private asciiWords: string[] = new Array<string>(ASCII_SLOTS);
  private asciiCount = 0;
  private readonly termIds = new Map<string, number>();
  /** Each term id's term. */
  readonly terms: string[] = [];

  /** Calls `emit` with the id of each term of `text`, in order, with where the word starts and ends. */
  tokenIds(text: string, emit: (id: number, start: number, end: number) => void): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      // Skip separators (and diacritics, which cannot start a word).
      let c = text.charCodeAt(i);
      if (c < 128) {
        if (!asciiWord(c)) { i++; continue; }
      } else {
        const cp = text.codePointAt(i)!;
        if (this.charInfo(text, cp).kind !== Kind.Word) { i += cp > 0xffff ? 2 : 1; continue; }
      }
      // Most words are ASCII: find their end, hashing their lower-cased characters (FNV-1a) on the way.
      const start = i;
      let hash = 0x811c9dc5 | 0;
      while (i < n && (c = text.charCodeAt(i)) < 128 && asciiWord(c)) {
        hash = Math.imul(hash ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
        i++;
      }
      if (i >= n || c < 128) {
        emit(this.asciiIdOf(text, start, i, hash), start, i);
        continue;
      }
      let word = text.slice(start, i).toLowerCase();
      let ascii = true;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c < 128) {
          if (!asciiWord(c)) break;
          word += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i]!;
          i++;
        } else {
          const cp = text.codePointAt(i)!;
          const info = this.charInfo(text, cp);
          if (info.kind === Kind.Separator) break;
          word += info.folded;
          if (ascii && /[^\0-\x7f]/.test(info.folded)) ascii = false;
          i += cp > 0xffff ? 2 : 1;
        }
      }
      emit(this.idOf(word, ascii), start, i);
    }
  }

  /** Calls `emit` with each term of `text`, in order, with where its word starts and ends. */
  tokens(text: string, emit: (term: string, start: number, end: number) => void): void {
    this.tokenIds(text, (id, start, end) => emit(this.terms[id]!, start, end));
  }

  /** The terms of `text`. */
  termsIn(text: string): string[] {
    const out: string[] = [];
    this.tokens(text, (term) => out.push(term));
    return out;
  }

  /** The id of a term given as it is (a filter term), numbered like any other. */
  idOfTerm(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  /** The term id of the ASCII word text[start, end), whose lower-cased characters hash to `hash`. */
  private asciiIdOf(text: string, start: number, end: number, hash: number): number {
    const slots = this.asciiSlots;
    const mask = (slots.length >> 1) - 1;
    const length = end - start;
    let slot = hash & mask;
    for (let id = slots[2 * slot + 1]!; id !== -1; slot = (slot + 1) & mask, id = slots[2 * slot + 1]!) {
      if (slots[2 * slot] !== hash) continue;
      const word = this.asciiWords[slot]!;
      if (word.length !== length) continue;
      let j = 0;
      for (; j < length; j++) {
        const c = text.charCodeAt(start + j);
        if (word.charCodeAt(j) !== (c >= 65 && c <= 90 ? c + 32 : c)) break;
      }
      if (j === length) return id;
    }
    const word = text.slice(start, end).toLowerCase();
    const id = this.idOfTerm(porterStem(word));
    if (this.asciiCount >= WORD_CACHE) this.resizeAscii(ASCII_SLOTS, false);
    else if (2 * (this.asciiCount + 1) > mask + 1) this.resizeAscii(2 * (mask + 1), true);
    this.placeAscii(hash, id, word);
    return id;
  }

  private placeAscii(hash: number, id: number, word: string): void {
    const slots = this.asciiSlots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    while (slots[2 * slot + 1] !== -1) slot = (slot + 1) & mask;
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = id;
    this.asciiWords[slot] = word;
    this.asciiCount++;
  }

  /** A table of `size` slots, with the words known so far (`keep`) or empty. */
  private resizeAscii(size: number, keep: boolean): void {
    const { asciiSlots: slots, asciiWords: words } = this;
    this.asciiSlots = new Int32Array(2 * size).fill(-1);
    this.asciiWords = new Array<string>(size);
    this.asciiCount = 0;
    if (!keep) return;
    for (let slot = 0; slot < words.length; slot++) if (slots[2 * slot + 1] !== -1) this.placeAscii(slots[2 * slot]!, slots[2 * slot + 1]!, words[slot]!);
  }

  private idOf(word: string, ascii: boolean): number {
    const known = this.wordIds.get(word);
    if (known !== undefined) return known;
    // The C stemmer counts and compares UTF-8 bytes: give it one character per byte, and decode after.
    const stem = ascii ? porterStem(word) : Buffer.from(porterStem(Buffer.from(word, 'utf8').toString('latin1')), 'latin1').toString('utf8');
    const id = this.idOfTerm(stem);
    if (this.wordIds.size >= WORD_CACHE) this.wordIds.clear();
    this.wordIds.set(word, id);
    return id;
  }

  /** How unicode61 treats `cp`, a character of `text`: learnt with the rest of `text` the first time. */
  private charInfo(text: string, cp: number): CharInfo {
    let info = this.chars.get(cp);
    if (info === undefined) {
      this.learn(text);
      info = this.chars.get(cp)!;
    }
    return info;
  }

  /** Learns every non-ASCII character of `text` not seen yet, in one round trip. */
  private learn(text: string): void {
    let unknown: Set<number> | undefined;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) < 128) continue;
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (!this.chars.has(cp)) (unknown ??= new Set()).add(cp);
    }
    if (!unknown) return;
    this.oracle ??= new CharOracle();
    for (const [cp, info] of this.oracle.ask([...unknown])) this.chars.set(cp, info);
  }
}
