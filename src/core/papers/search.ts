/**
 * Full-text search over stored papers: FTS5 with BM25 (title weighted above authors above abstract),
 * plus author, date and category filters. Every MATCH and bm25 query of the project lives here.
 * With a vector index attached (LLM_EMBEDDINGS_MODEL), `find` blends BM25 with similarity of meaning.
 * @module
 */
import type { Database } from '../../db/database.js';
import { fuseRankings, type VectorSearch } from './embeddings.js';
import type { Paper } from './paper.js';
import { isEmptyQuery, matchExpression, parseSearchQuery, type SearchQuery } from './search-query.js';
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

/**
 * When a query matches more papers than this, only the newest this many are ranked. Ranking every
 * match of a common word in a million papers costs hundreds of milliseconds; the newest few thousand
 * are what a team searching its feed wants, and this keeps p99 bounded.
 */
export const RANK_WINDOW = 4000;

const SNIPPET = "snippet(papers_fts, 2, '', '', '…', 16)";

interface HitRow { pk: number; score: number; snippet: string }

export class PaperSearch {
  private vectors: VectorSearch | undefined;
  private onVectorError: ((err: unknown) => void) | undefined;

  constructor(private readonly database: Database, private readonly loadPapers: (pks: number[]) => Map<number, Paper>) {}

  /** Attaches a vector index: `find` blends it with BM25 from now on. */
  useVectors(vectors: VectorSearch, onError?: (err: unknown) => void): void {
    this.vectors = vectors;
    this.onVectorError = onError;
  }

  /**
   * Search as /search runs it: BM25 alone, or, with a vector index and words to look for, BM25 and
   * vector similarity blended by reciprocal rank fusion, the filters applied to both. When the
   * embeddings endpoint fails, BM25 alone answers.
   */
  async find(input: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limit = options.limit ?? 5;
    const query = parseSearchQuery(input);
    if (!this.vectors || query.terms.length === 0) return this.run(query, limit);
    const pool = Math.max(limit * 4, 40);
    const lexical = this.run(query, pool);
    let similar: number[];
    try {
      const text = query.terms.map((t) => t.replace(/["*]/g, '')).join(' ');
      similar = this.passingFilters(query, (await this.vectors.nearest(text, pool)).map((n) => n.pk));
    } catch (err) {
      this.onVectorError?.(err);
      return lexical.slice(0, limit);
    }
    const fused = fuseRankings([lexical.map((h) => h.paper.pk), similar]).slice(0, limit);
    const lexicalHits = new Map(lexical.map((h) => [h.paper.pk, h]));
    const others = this.loadPapers(fused.map((f) => f.item).filter((pk) => !lexicalHits.has(pk)));
    return fused.flatMap(({ item, score }): SearchHit[] => {
      const hit = lexicalHits.get(item);
      if (hit) return [{ ...hit, score: -score }];
      const paper = others.get(item);
      return paper ? [{ paper, snippet: paper.abstract.replace(/\s+/g, ' ').trim().slice(0, 160), score: -score }] : [];
    });
  }

  /** Parses user text and searches; throws BadInputError only for a malformed filter or nothing to search. */
  search(input: string, options: SearchOptions = {}): SearchHit[] {
    return this.run(parseSearchQuery(input), options.limit ?? 5);
  }

  run(query: SearchQuery, limit: number): SearchHit[] {
    if (isEmptyQuery(query)) return [];
    const all = this.query(query, limit, 'AND');
    // Several words that never meet in one paper: rank papers that have any of them.
    if (all.length === 0 && query.words.length > 1) return this.query(query, limit, 'OR');
    return all;
  }

  private query(query: SearchQuery, limit: number, join: 'AND' | 'OR'): SearchHit[] {
    const match = matchExpression(query, join);
    const { where, params } = filterSql(query);

    if (!match) {
      // Filters only: newest first.
      const rows = this.database.sqlite
        .prepare(`SELECT p.pk AS pk, 0 AS score, substr(p.abstract, 1, 160) AS snippet FROM papers p
                  WHERE ${where.join(' AND ')} ORDER BY p.published_at DESC, p.pk DESC LIMIT ?`)
        .all(...params, limit) as HitRow[];
      return this.hydrate(rows);
    }

    const filter = where.length > 0 ? ` AND ${where.join(' AND ')}` : '';
    // Recent papers first: bm25() reads every match of every phrase in its table to weigh terms, so a
    // small index keeps that bounded. The whole index only when the recent one has too few hits.
    const recent = this.rank('papers_recent_fts', match, filter, params, limit);
    const ranked = recent.length >= limit ? recent : this.rank('papers_fts', match, filter, params, limit);
    // snippet() re-reads and re-tokenises the abstract: only for the hits shown. The CAST matters:
    // better-sqlite3 binds numbers as REAL, and FTS5 ignores a REAL rowid bound (it then returns
    // every match, and .get() the first one).
    const snippet = this.database.sqlite
      .prepare(`SELECT ${SNIPPET} FROM papers_fts WHERE papers_fts MATCH ? AND rowid = CAST(? AS INTEGER)`)
      .pluck();
    return this.hydrate(ranked.map((r) => ({ ...r, snippet: (snippet.get(match, r.pk) as string | undefined) ?? '' })));
  }

  /** One pass: scores the newest RANK_WINDOW matches of `table` in a subquery and keeps the best. */
  private rank(table: 'papers_fts' | 'papers_recent_fts', match: string, filter: string, params: (string | number)[], limit: number): Omit<HitRow, 'snippet'>[] {
    // The join only serves the filters: every index row has its paper. SQLite would look each match up
    // in the wide paper row (a page read per match, half the time of a filtered search at a million
    // papers); papers_filter_idx holds just the filtered columns, so it is named.
    const from = filter ? `${table} JOIN papers p INDEXED BY papers_filter_idx ON p.pk = ${table}.rowid` : table;
    return this.database.sqlite
      .prepare(`SELECT pk, score FROM (
                  SELECT ${table}.rowid AS pk, bm25(${table}, 10.0, 4.0, 1.0) AS score FROM ${from}
                  WHERE ${table} MATCH ?${filter} ORDER BY ${table}.rowid DESC LIMIT ?)
                ORDER BY score, pk DESC LIMIT ?`)
      .all(match, ...params, RANK_WINDOW, limit) as Omit<HitRow, 'snippet'>[];
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

  private hydrate(rows: HitRow[]): SearchHit[] {
    const papers = this.loadPapers(rows.map((r) => r.pk));
    return rows.flatMap((r) => {
      const paper = papers.get(r.pk);
      return paper ? [{ paper, snippet: collapseWhitespace(r.snippet), score: r.score }] : [];
    });
  }
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
    // Categories are stored as a JSON array of plain strings: looking for `"cs.CL"` (or `"cs.` for a whole
    // archive) in its text is exact, and far cheaper per row than parsing it with json_each.
    where.push(`(${query.categories.map(() => 'instr(p.categories, ?) > 0').join(' OR ')})`);
    params.push(...query.categories.map((c) => (c.includes('.') ? `"${c}"` : `"${c}.`)));
  }
  return { where, params };
}
