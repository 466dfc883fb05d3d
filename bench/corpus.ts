/**
 * A deterministic, arXiv-like synthetic corpus for the search bench: words drawn from the seed
 * vocabulary with a Zipf law, unique `YYMM.NNNNN` ids in date order (2007-01 to 2025-12, more papers
 * each year), realistic categories, 1 to 30 authors with unicode names. Also the bench's queries.
 * Same seed, same papers and queries, on any machine.
 * @module
 */
import type { PaperRecord } from '../src/core/papers/record.js';
import { FAMILY_NAMES, GIVEN_NAMES, WORDS } from './vocabulary.js';

/** A uniform number in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough to make a corpus; not for anything secret. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws rank i (0-based) with probability proportional to 1 / (i + 1)^exponent; O(1) per draw (Vose's alias method). */
export class ZipfSampler {
  private readonly keep: Float64Array;
  private readonly alias: Uint32Array;

  constructor(readonly size: number, exponent = 1) {
    const weights = Array.from({ length: size }, (_, i) => 1 / (i + 1) ** exponent);
    const total = weights.reduce((a, b) => a + b, 0);
    const scaled = weights.map((w) => (w * size) / total);
    this.keep = new Float64Array(size).fill(1);
    this.alias = new Uint32Array(size).map((_, i) => i);
    const small = scaled.flatMap((p, i) => (p < 1 ? [i] : []));
    const large = scaled.flatMap((p, i) => (p >= 1 ? [i] : []));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1]!;
      this.keep[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l] < 1) small.push(large.pop()!);
    }
  }

  sample(random: Random): number {
    const u = random() * this.size;
    const i = Math.floor(u);
    return u - i < this.keep[i]! ? i : this.alias[i]!;
  }
}

/** Primary categories with their share of papers (roughly arXiv's AI/ML mix); cross-lists come from the same list. */
const CATEGORIES: readonly (readonly [string, number])[] = [
  ['cs.CV', 22], ['cs.CL', 18], ['cs.LG', 18], ['cs.AI', 9], ['cs.RO', 5], ['stat.ML', 4], ['cs.IR', 3], ['eess.IV', 3],
  ['cs.CR', 2], ['cs.HC', 2], ['cs.NE', 2], ['cs.SD', 2], ['eess.AS', 2], ['eess.SP', 2], ['cs.MA', 1], ['math.OC', 1],
  ['cs.DC', 1], ['cs.SE', 1], ['q-bio.NC', 1], ['physics.comp-ph', 1],
];
const CATEGORY_TOTAL = CATEGORIES.reduce((sum, [, share]) => sum + share, 0);

/** Fixed dates, 2007-01 to 2025-12: the corpus never depends on today. */
export const FIRST_YEAR = 2007;
export const LAST_YEAR = 2025;
const MONTHS = (LAST_YEAR - FIRST_YEAR + 1) * 12;
const MAX_PER_MONTH = 99_999;

/** Papers per month: arXiv's AI/ML output grows, so the last month gets 2.5 times the first. */
function monthCounts(papers: number): number[] {
  const weights = Array.from({ length: MONTHS }, (_, m) => 1 + (1.5 * m) / (MONTHS - 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((papers * w) / total));
  let missing = papers - counts.reduce((a, b) => a + b, 0);
  for (let m = MONTHS - 1; missing > 0; m = (m - 1 + MONTHS) % MONTHS, missing--) counts[m]!++;
  if (counts.some((c) => c > MAX_PER_MONTH)) throw new Error(`At most ${MAX_PER_MONTH * MONTHS} papers fit YYMM.NNNNN ids.`);
  return counts;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
/** Title heads ("GEMMA:") come from below the 300 most frequent words, so they are names, not "THE:". */
const HEAD_FROM = 300;

/** Generates papers in date order, so `pk` order is date order, as when the bot gathers them day by day. */
export class CorpusGenerator {
  private readonly random: Random;
  private readonly words = new ZipfSampler(WORDS.length, 1);
  /** Prolific authors exist: family names are drawn with a mild Zipf law, given names uniformly. */
  private readonly families = new ZipfSampler(FAMILY_NAMES.length, 0.6);

  constructor(private readonly papers: number, seed = 1) {
    this.random = createRandom(seed);
  }

  /** The whole corpus, `size` records at a time. */
  *batches(size: number): Generator<PaperRecord[]> {
    let batch: PaperRecord[] = [];
    const counts = monthCounts(this.papers);
    for (let m = 0; m < MONTHS; m++) {
      const year = FIRST_YEAR + Math.floor(m / 12);
      const month = (m % 12) + 1;
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const count = counts[m]!;
      for (let n = 1; n <= count; n++) {
        // Numbers within a month follow submission order, so days rise with n.
        const day = 1 + Math.floor(((n - 1) * days) / count);
        batch.push(this.paper(`${pad(year % 100, 2)}${pad(month, 2)}.${pad(n, 5)}`, year, month, day));
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  private paper(id: string, year: number, month: number, day: number): PaperRecord {
    const r = this.random;
    const published = `${year}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(r() * 24), 2)}:${pad(Math.floor(r() * 60), 2)}:${pad(Math.floor(r() * 60), 2)}Z`;
    const version = r() < 0.35 ? (r() < 0.3 ? 3 : 2) : 1;
    const categories = this.categories();
    const record: PaperRecord = {
      id, version, title: this.title(), authors: this.authors(), abstract: this.abstract(),
      publishedAt: published, updatedAt: version === 1 ? published : this.later(published),
      categories, primaryCategory: categories[0]!,
    };
    if (r() < 0.45) record.comment = `${8 + Math.floor(r() * 30)} pages, ${1 + Math.floor(r() * 12)} figures`;
    if (r() < 0.1) record.doi = `10.${1000 + Math.floor(r() * 9000)}/${id}`;
    if (r() < 0.15) record.codeUrl = `https://github.com/${this.word().toLowerCase()}-lab/${this.word().toLowerCase()}`;
    if (r() < 0.05) record.hfUpvotes = Math.floor(1 / (r() + 0.01));
    return record;
  }

  private word(): string {
    return WORDS[this.words.sample(this.random)]!;
  }

  /** 8 to 15 words, capitalised; a third start with a "NAME:" head as arXiv titles often do. */
  private title(): string {
    const length = 8 + Math.floor(this.random() * 8);
    let title = this.random() < 0.33 ? `${WORDS[HEAD_FROM + Math.floor(this.random() * (WORDS.length - HEAD_FROM))]!.toUpperCase()}:` : capitalise(this.word());
    for (let i = 1; i < length; i++) title += ` ${capitalise(this.word())}`;
    return title;
  }

  /** About 180 words (160 to 200) in sentences of 12 to 30 words, some with a comma. */
  private abstract(): string {
    const total = 160 + Math.floor(this.random() * 41);
    const words = new Array<string>(total);
    for (let start = 0; start < total;) {
      const end = Math.min(total, start + 12 + Math.floor(this.random() * 19));
      words[start] = capitalise(this.word());
      for (let i = start + 1; i < end; i++) words[i] = this.word();
      if (end - start > 8 && this.random() < 0.5) words[start + 3] = `${words[start + 3]!},`;
      words[end - 1] = `${words[end - 1]!}.`;
      start = end;
    }
    return words.join(' ');
  }

  /** 1 to 30 authors, mostly 2 to 8 (an exponential tail, capped). */
  private authors(): string[] {
    const count = Math.min(30, 1 + Math.floor(-Math.log(1 - this.random()) * 4.5));
    return Array.from({ length: count }, () => {
      const given = GIVEN_NAMES[Math.floor(this.random() * GIVEN_NAMES.length)]!;
      const family = FAMILY_NAMES[this.families.sample(this.random)]!;
      return this.random() < 0.1 ? `${given} ${String.fromCharCode(65 + Math.floor(this.random() * 26))}. ${family}` : `${given} ${family}`;
    });
  }

  /** A primary category and 0 to 3 distinct cross-lists. */
  private categories(): string[] {
    const chosen = [this.category()];
    const extra = Math.floor(this.random() * this.random() * 4);
    for (let i = 0; i < extra; i++) {
      const next = this.category();
      if (!chosen.includes(next)) chosen.push(next);
    }
    return chosen;
  }

  private category(): string {
    let pick = this.random() * CATEGORY_TOTAL;
    for (const [name, share] of CATEGORIES) {
      pick -= share;
      if (pick < 0) return name;
    }
    return CATEGORIES[0]![0];
  }

  private later(iso: string): string {
    return new Date(Date.parse(iso) + Math.floor(this.random() * 120 * 86_400_000)).toISOString().replace('.000Z', 'Z');
  }
}

/** Function words nobody searches for; queries skip them. */
const STOPWORDS = new Set('the and of to a in for on is with we this that as by an from are it our can which be or while also at has its their then they when where how not into if them than these such but both each via any all one two up over about only more most what'.split(' '));
const SEARCHABLE = WORDS.map((w, rank) => ({ w, rank })).filter(({ w }) => !STOPWORDS.has(w.toLowerCase()));
/** The 300 most frequent searchable words: a common query term matches a large share of the corpus. */
const COMMON = SEARCHABLE.filter(({ rank }) => rank < 300).map(({ w }) => w);
/** Words below rank 1000: a rare term matches about one paper in a hundred. */
const RARE = SEARCHABLE.filter(({ rank }) => rank >= 1000).map(({ w }) => w);

export interface QueryOptions {
  /** Add one `since:`, `cat:` or `author:` filter to every query. */
  filtered: boolean;
}

/** `count` queries of 1 to 3 terms, each term common or rare with even odds. */
export function generateQueries(count: number, seed: number, options: QueryOptions): string[] {
  const r = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  return Array.from({ length: count }, () => {
    const terms = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r() < 0.5 ? COMMON : RARE));
    if (!options.filtered) return terms.join(' ');
    const kind = r();
    let filter: string;
    if (kind < 1 / 3) {
      const year = FIRST_YEAR + Math.floor(r() * (LAST_YEAR - FIRST_YEAR + 1));
      filter = `since:${year}-${pad(1 + Math.floor(r() * 12), 2)}-01`;
    } else if (kind < 2 / 3) {
      filter = `cat:${r() < 0.15 ? pick(['cs', 'eess', 'stat']) : pick(CATEGORIES)[0]}`;
    } else {
      filter = `author:${pick(FAMILY_NAMES).split(' ').at(-1)!}`;
    }
    return `${terms.join(' ')} ${filter}`;
  });
}

/** A planted paper, the query that should find it first, and why. */
export interface Planted { record: PaperRecord; query: string; kind: 'title' | 'best match' }

/**
 * 30 old papers (January 2007) to import before the corpus, as a backfill would: 20 with short titles
 * of common words, searched by their exact title, and 10 that are plainly the best match for two
 * common words (both twice in a short title, and in a one-line abstract), searched by those words.
 * Every one is older than everything else that matches: a search that favours recent papers misses them.
 */
export function plantedPapers(seed: number): Planted[] {
  const r = createRandom(seed);
  const words = COMMON.filter((w) => /^[a-z]+$/.test(w) && w.length >= 4);
  const pick = () => words[Math.floor(r() * words.length)]!;
  const planted: Planted[] = [];
  const used = new Set<string>();
  const distinct = (n: number) => {
    const chosen: string[] = [];
    while (chosen.length < n) {
      const w = pick();
      if (!chosen.includes(w)) chosen.push(w);
    }
    return chosen;
  };
  for (let i = 0; planted.length < 30; i++) {
    const id = `0701.${pad(90_001 + i, 5)}`;
    const published = `2007-01-${pad(1 + (i % 28), 2)}T12:00:00Z`;
    const base = { id, version: 1, authors: ['Ada Planted'], publishedAt: published, updatedAt: published, categories: ['cs.LG'], primaryCategory: 'cs.LG' };
    if (planted.length < 20) {
      const title = distinct(4 + (i % 3)).map(capitalise).join(' ');
      if (used.has(title)) continue;
      used.add(title);
      planted.push({ kind: 'title', query: title, record: { ...base, title, abstract: 'A short note.' } });
    } else {
      const [a, b] = distinct(2).map(capitalise) as [string, string];
      const key = `${a} ${b}`;
      if (used.has(key)) continue;
      used.add(key);
      planted.push({ kind: 'best match', query: key.toLowerCase(), record: { ...base, title: `${a} and ${b}: ${a} ${b}`, abstract: `${a} ${b}.` } });
    }
  }
  return planted;
}
