/**
 * Full-text search over stored papers: FTS5 with BM25 (title weighted above authors above abstract)
 * over every match, a typed title first (core/papers/title-index.ts), author, date and category
 * filters and sort:new. Every MATCH and bm25 query of the project lives here.
 * With a vector index attached (LLM_EMBEDDINGS_MODEL), `find` blends BM25 with similarity of meaning.
 * @module
 */
import type { Database } from '../../db/database.js';
import { fuseRankings, type VectorSearch } from './embeddings.js';
import type { Paper } from './paper.js';
import { isEmptyQuery, matchExpression, parseSearchQuery, type SearchQuery } from './search-query.js';
import { SearchIndex } from './search-index/index.js';
import { rankedSearch } from './search-index/ranked-search.js';
import { queryTermMatcher, snippetOf, type Tokenize } from './snippet.js';
import { TitleIndex } from './title-index.js';
import { collapseWhitespace } from '../../strings.js';

export interface SearchHit {
  paper: Paper;
  /** A short piece of the abstract around the match (plain text). */
  snippet: string;
  /** BM25 score, or minus the fused score of a blended search; lower is better. */
  score: number;
}

export interface SearchOptions {
  limit?: number;
}

const BM25 = 'bm25(papers_fts, 10.0, 4.0, 1.0)';

interface RankedRow { pk: number; score: number }

/** Lexical hits, of which the first `pinned` are papers whose title was typed. */
interface Lexical { hits: SearchHit[]; pinned: number }

export class PaperSearch {
  private vectors: VectorSearch | undefined;
  private onVectorError: ((err: unknown) => void) | undefined;
  private readonly titles: TitleIndex;
  /** Our own postings: the same ranking as bm25() below, without scoring every match. */
  readonly index: SearchIndex;

  constructor(private readonly database: Database, private readonly loadPapers: (pks: number[]) => Map<number, Paper>) {
    this.titles = new TitleIndex(database);
    this.index = new SearchIndex(database);
  }

  /** Attaches a vector index: `find` blends it with BM25 from now on. */
  useVectors(vectors: VectorSearch, onError?: (err: unknown) => void): void {
    this.vectors = vectors;
    this.onVectorError = onError;
  }

  /**
   * Search as /search runs it: BM25 alone, or, with a vector index and words to look for, BM25 and
   * vector similarity blended by reciprocal rank fusion, the filters applied to both. A paper whose
   * title was typed stays first. When the embeddings endpoint fails, BM25 alone answers.
   */
  async find(input: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limit = options.limit ?? 5;
    const query = parseSearchQuery(input);
    if (!this.vectors || query.terms.length === 0 || query.sort === 'new') return this.run(query, limit);
    const pool = Math.max(limit * 4, 40);
    const { hits, pinned } = this.lexical(query, pool);
    const titled = hits.slice(0, pinned);
    const lexical = hits.slice(pinned);
    let similar: number[];
    try {
      const text = query.terms.map((t) => t.replace(/["*]/g, '')).join(' ');
      const first = new Set(titled.map((h) => h.paper.pk));
      similar = this.passingFilters(query, (await this.vectors.nearest(text, pool)).map((n) => n.pk)).filter((pk) => !first.has(pk));
    } catch (err) {
      this.onVectorError?.(err);
      return hits.slice(0, limit);
    }
    const fused = fuseRankings([lexical.map((h) => h.paper.pk), similar]).slice(0, Math.max(0, limit - titled.length));
    const lexicalHits = new Map(lexical.map((h) => [h.paper.pk, h]));
    const others = this.loadPapers(fused.map((f) => f.item).filter((pk) => !lexicalHits.has(pk)));
    return [...titled, ...fused.flatMap(({ item, score }): SearchHit[] => {
      const hit = lexicalHits.get(item);
      if (hit) return [{ ...hit, score: -score }];
      const paper = others.get(item);
      return paper ? [{ paper, snippet: collapseWhitespace(paper.abstract).slice(0, 160), score: -score }] : [];
    })].slice(0, limit);
  }

  /** Parses user text and searches; throws BadInputError only for a malformed filter or nothing to search. */
  search(input: string, options: SearchOptions = {}): SearchHit[] {
    return this.run(parseSearchQuery(input), options.limit ?? 5);
  }

  run(query: SearchQuery, limit: number): SearchHit[] {
    return this.lexical(query, limit).hits;
  }

  /**
   * The exact top `limit` of BM25 over every matching paper, of any age (ties: the one stored last first), after
   * the papers whose title was typed; or, with sort:new, the newest matches. Several words that never
   * meet in one paper: papers with any of them.
   */
  private lexical(query: SearchQuery, limit: number): Lexical {
    if (isEmptyQuery(query)) return { hits: [], pinned: 0 };
    const titled = query.sort === 'relevance' ? this.passingFilters(query, this.titles.find(query.titleWords, (word) => this.index.titlesWith(word))).slice(0, limit) : [];
    let match = matchExpression(query, 'AND');
    let ranked = this.rank(query, match, 'AND', limit + titled.length);
    if (ranked.length === 0 && titled.length === 0 && query.words.length > 1) {
      match = matchExpression(query, 'OR');
      ranked = this.rank(query, match, 'OR', limit);
    }
    const scores = new Map(ranked.map((r) => [r.pk, r.score]));
    const first = new Set(titled);
    const rows = [
      // A typed title is found even when the query has a word its paper lacks: it may be unranked.
      ...titled.map((pk) => ({ pk, score: scores.get(pk) ?? Number.NEGATIVE_INFINITY })),
      ...ranked.filter((r) => !first.has(r.pk)),
    ].slice(0, limit);
    return { hits: this.hydrate(rows, query), pinned: titled.length };
  }

  private rank(query: SearchQuery, match: string | undefined, join: 'AND' | 'OR', limit: number): RankedRow[] {
    const indexed = match ? rankedSearch(this.index, query, join, limit) : undefined;
    // bm25() is negative, lower better; the index scores the other way round.
    if (indexed) return indexed.map(({ pk, score }) => ({ pk, score: -score }));
    const { where, params } = filterSql(query);
    const sql = this.database.sqlite;
    if (!match) {
      // Filters only: newest first.
      return sql.prepare(`SELECT p.pk AS pk, 0 AS score FROM papers p WHERE ${where.join(' AND ') || '1'}
                          ORDER BY p.published_at DESC, p.pk DESC LIMIT ?`).all(...params, limit) as RankedRow[];
    }
    const filter = where.map((w) => ` AND ${w}`).join('');
    if (query.sort === 'new') {
      return sql.prepare(`SELECT p.pk AS pk, 0 AS score FROM papers p
                          WHERE p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)${filter}
                          ORDER BY p.published_at DESC, p.pk DESC LIMIT ?`).all(match, ...params, limit) as RankedRow[];
    }
    return fts5Ranking(this.database, query, match, limit);
  }

  /** The papers among `pks` that pass the query's filters, in the same order. */
  private passingFilters(query: SearchQuery, pks: number[]): number[] {
    const { where, params } = filterSql(query);
    const authors = matchExpression({ ...query, terms: [], words: [] });
    if (authors) {
      where.push('p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)');
      params.push(authors);
    }
    if (where.length === 0 || pks.length === 0) return pks;
    const kept = new Set(
      this.database.sqlite
        .prepare(`SELECT p.pk FROM papers p WHERE p.pk IN (${pks.map(() => '?').join(', ')}) AND ${where.join(' AND ')}`)
        .pluck()
        .all(...pks, ...params) as number[],
    );
    return pks.filter((pk) => kept.has(pk));
  }

  private hydrate(rows: RankedRow[], query: SearchQuery): SearchHit[] {
    const papers = this.loadPapers(rows.map((r) => r.pk));
    const matches = queryTermMatcher(query, (text) => this.index.terms(text));
    const tokenize: Tokenize = (text, emit) => this.index.tokens(text, emit);
    return rows.flatMap((r) => {
      const paper = papers.get(r.pk);
      if (!paper) return [];
      // An abstract without the words searched for (a typed title's paper) shows its start.
      const snippet = collapseWhitespace(snippetOf(paper.abstract, matches, tokenize) || paper.abstract.slice(0, 200)).slice(0, 200);
      return [{ paper, snippet, score: r.score }];
    });
  }
}

/**
 * FTS5's own ranking: bm25() of every match, the filters in SQL. What the search index reproduces, and
 * what answers while the index is behind.
 */
export function fts5Ranking(database: Database, query: SearchQuery, match: string, limit: number): { pk: number; score: number }[] {
  const { where, params } = filterSql(query);
  const filter = where.map((w) => ` AND ${w}`).join('');
  // The join only serves the filters: SQLite would look each match up in the wide paper row;
  // papers_filter_idx holds just the filtered columns, so it is named.
  const from = filter ? 'papers_fts JOIN papers p INDEXED BY papers_filter_idx ON p.pk = papers_fts.rowid' : 'papers_fts';
  return database.sqlite.prepare(`SELECT papers_fts.rowid AS pk, ${BM25} AS score FROM ${from}
                                  WHERE papers_fts MATCH ?${filter} ORDER BY score, pk DESC LIMIT ?`).all(match, ...params, limit) as RankedRow[];
}

/** SQL conditions on `papers p` for the date and category filters of a query. */
function filterSql(query: SearchQuery): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.since) {
    where.push('p.published_at >= ?');
    params.push(query.since);
  }
  if (query.categories.length > 0) {
    // Categories are stored as a JSON array of plain strings: looking for `"cs.cl"` in its lower-cased
    // text is exact, and far cheaper per row than parsing it with json_each. A name without a dot is an
    // archive (`"cs.` starts every cs.*) or a category of its own (`"hep-th"`).
    const needles = query.categories.flatMap((c) => (c.includes('.') ? [`"${c}"`] : [`"${c}.`, `"${c}"`]));
    where.push(`(${needles.map(() => 'instr(lower(p.categories), ?) > 0').join(' OR ')})`);
    params.push(...needles);
  }
  return { where, params };
}
