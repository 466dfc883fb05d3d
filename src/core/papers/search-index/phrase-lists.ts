/**
 * Postings for what our own index cannot hold: phrases, prefixes and author-column terms. FTS5 finds
 * their papers, with bm25() of the term alone; since that score is idf × saturation(f, length), the
 * paper's weighted frequency f (a whole number: the column weights are) comes back exactly by inverting
 * it. The result is cut into chunks per segment like any stored term, and kept until the index changes.
 * @module
 */
import type { Database } from '../../../db/database.js';
import { B, K1, idf, roundUp, saturation } from './bm25.js';
import { BLOCK, CHUNK } from './builder.js';
import type { DocTable } from './doc-table.js';
import type { ChunkData, ChunkInfo } from './store.js';

/** Marks a term as an FTS5 expression rather than a stored term. */
export const EXPRESSION = '\u0002';
export const expressionTerm = (fts5: string) => `${EXPRESSION}${fts5}`;
export const isExpressionTerm = (term: string) => term.startsWith(EXPRESSION);

/** Expressions remembered at once; each holds its postings. */
const MAX_EXPRESSIONS = 256;

export class PhraseLists {
  private readonly lists = new Map<string, ChunkInfo[]>();
  private readonly data = new Map<number, ChunkData>();
  private nextId = -1;
  private readonly matches;

  constructor(database: Database) {
    this.matches = database.sqlite.prepare<[string], [number, number]>(
      'SELECT rowid, bm25(papers_fts, 10.0, 4.0, 1.0) FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid',
    ).raw();
  }

  /** Forgets every list (the index changed). */
  clear(): void {
    this.lists.clear();
    this.data.clear();
  }

  chunk(id: number): ChunkData | undefined {
    return this.data.get(id);
  }

  chunks(term: string, docs: DocTable, ln: (x: number) => number): ChunkInfo[] {
    const known = this.lists.get(term);
    if (known) return known;
    if (this.lists.size >= MAX_EXPRESSIONS) this.clear();
    const rows = this.matches.all(term.slice(EXPRESSION.length));
    const weight = idf(docs.papers, rows.length, ln);
    const average = docs.averageLength;
    const bySegment = new Map<number, { pks: number[]; freqs: number[] }>();
    for (const [pk, score] of rows) {
      const segment = pk < docs.segmentOf.length ? docs.segmentOf[pk]! : 0;
      if (segment === 0) continue;
      const s = -score / weight;
      const k = K1 * (1 - B + (B * docs.lengthOf[pk]!) / average);
      const f = Math.round((s * k) / (K1 + 1.0 - s));
      const list = bySegment.get(segment) ?? { pks: [], freqs: [] };
      list.pks.push(pk);
      list.freqs.push(Math.max(1, f));
      bySegment.set(segment, list);
    }
    const infos: ChunkInfo[] = [];
    for (const [segment, list] of [...bySegment].sort((a, b) => a[0] - b[0])) {
      const reference = docs.averageLengths.get(segment) ?? average;
      for (let start = 0; start < list.pks.length; start += CHUNK) {
        const pks = Uint32Array.from(list.pks.slice(start, start + CHUNK));
        const freqs = Uint16Array.from(list.freqs.slice(start, start + CHUNK), (f) => Math.min(f, 0xffff));
        const bounds = new Float64Array(Math.ceil(pks.length / BLOCK));
        for (let j = 0; j < pks.length; j++) {
          const b = Math.floor(j / BLOCK);
          bounds[b] = Math.max(bounds[b]!, roundUp(saturation(freqs[j]!, docs.lengthOf[pks[j]!]!, reference)));
        }
        const id = this.nextId--;
        this.data.set(id, { pks, freqs, bounds });
        infos.push({ id, segment, firstPk: pks[0]!, lastPk: pks[pks.length - 1]!, count: pks.length, bound: Math.max(...bounds) });
      }
    }
    this.lists.set(term, infos);
    return infos;
  }
}
