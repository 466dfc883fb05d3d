/**
 * Full-text search over stored papers: FTS5 with BM25 (title weighted above authors above abstract),
 * plus author, date and category filters. Every MATCH and bm25 query of the project lives here.
 * @module
 */
import type { Database } from '../db/database.js';
import type { Paper } from './paper.js';
import { isEmptyQuery, matchExpression, parseSearchQuery, type SearchQuery } from './search-query.js';

export interface SearchHit {
  paper: Paper;
  /** A short piece of the abstract around the match (plain text). */
  snippet: string;
  /** BM25 score; lower is better. */
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

const BM25 = 'bm25(papers_fts, 10.0, 4.0, 1.0)';
const SNIPPET = "snippet(papers_fts, 2, '', '', '…', 16)";

interface HitRow { pk: number; score: number; snippet: string }

export class PaperSearch {
  constructor(private readonly database: Database, private readonly loadPapers: (pks: number[]) => Map<number, Paper>) {}

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
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.since) {
      where.push('p.published_at >= ?');
      params.push(query.since);
    }
    if (query.categories.length > 0) {
      const tests = query.categories.map((c) => (c.includes('.') ? 'c.value = ?' : "c.value LIKE ? || '.%'"));
      where.push(`EXISTS (SELECT 1 FROM json_each(p.categories) c WHERE ${tests.join(' OR ')})`);
      params.push(...query.categories);
    }

    if (!match) {
      // Filters only: newest first.
      const rows = this.database.sqlite
        .prepare(`SELECT p.pk AS pk, 0 AS score, substr(p.abstract, 1, 160) AS snippet FROM papers p
                  WHERE ${where.join(' AND ')} ORDER BY p.published_at DESC, p.pk DESC LIMIT ?`)
        .all(...params, limit) as HitRow[];
      return this.hydrate(rows);
    }

    const filter = where.length > 0 ? ` AND ${where.join(' AND ')}` : '';
    const floor = this.database.sqlite
      .prepare(`SELECT papers_fts.rowid AS pk FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
                WHERE papers_fts MATCH ?${filter} ORDER BY papers_fts.rowid DESC LIMIT 1 OFFSET ?`)
      .pluck()
      .get(match, ...params, RANK_WINDOW - 1) as number | undefined;
    const rows = this.database.sqlite
      .prepare(`SELECT papers_fts.rowid AS pk, ${BM25} AS score, ${SNIPPET} AS snippet
                FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
                WHERE papers_fts MATCH ? AND papers_fts.rowid >= ?${filter} ORDER BY score LIMIT ?`)
      .all(match, floor ?? 0, ...params, limit) as HitRow[];
    return this.hydrate(rows);
  }

  private hydrate(rows: HitRow[]): SearchHit[] {
    const papers = this.loadPapers(rows.map((r) => r.pk));
    return rows.flatMap((r) => {
      const paper = papers.get(r.pk);
      return paper ? [{ paper, snippet: r.snippet.replace(/\s+/g, ' ').trim(), score: r.score }] : [];
    });
  }
}
