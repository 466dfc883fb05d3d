/**
 * Feature vectors of stored papers, by paper id: computed from the papers table with the current idf
 * table, kept in a bounded cache of the recently used, so a day's list or a month of candidates is
 * scored without re-reading and re-tokenising every abstract.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.js';
import { featurize, featurizeNamed, IdfTable, textPart, withEmbedding, type NamedVector, type PaperText, type SparseVector } from './features.js';

/** Stored paper embeddings by papers.pk (the search's vector index), when an embeddings model is set. */
export interface EmbeddingSource {
  stored(pks: readonly number[]): Map<number, Float32Array>;
}

/** Papers the idf table is learned from (the newest stored). */
export const IDF_SAMPLE = 5_000;
const IDF_MAX_AGE_MS = 86_400_000;
const CHUNK = 500;

interface TextRow { pk: number; id: string; title: string; abstract: string; authors: string; categories: string }

const toText = (row: TextRow): PaperText => ({
  title: row.title, abstract: row.abstract, authors: JSON.parse(row.authors) as string[], categories: JSON.parse(row.categories) as string[],
});

export class PaperVectors {
  private idfTable: IdfTable | undefined;
  private idfBuiltAt = 0;
  /**
   * Two generations instead of a strict LRU list: a hit in the young one costs one lookup (moving each hit
   * to the end of one big Map costs more than the scoring itself); when the young one is full, it becomes
   * the old one and the old one is dropped. Holds the `capacity / 2` to `capacity` most recently used.
   */
  private young = new Map<string, SparseVector>();
  private old = new Map<string, SparseVector>();
  private readonly texts: BetterSqlite3.Statement<string[], TextRow>[] = [];
  private readonly sample: BetterSqlite3.Statement<[number], TextRow>;

  /** Bumped when cached vectors are dropped (an idf rebuild, new embeddings): scores kept from them are stale. */
  epoch = 0;

  constructor(
    private readonly database: Database,
    private readonly now: () => number,
    readonly capacity = 50_000,
    private readonly embeddings?: EmbeddingSource,
  ) {
    this.sample = database.sqlite.prepare(`SELECT pk, id, title, abstract, authors, categories FROM papers ORDER BY pk DESC LIMIT ?`);
  }

  /** Whether vectors carry the papers' embeddings. */
  get withEmbeddings(): boolean {
    return this.embeddings !== undefined;
  }

  /** The idf table, rebuilt once a day from the newest stored papers (a rebuild empties the cache). */
  idf(): IdfTable {
    if (!this.idfTable || this.now() - this.idfBuiltAt > IDF_MAX_AGE_MS || (this.idfTable.documents < IDF_SAMPLE && this.grewSince())) {
      const rows = this.sample.all(IDF_SAMPLE);
      this.idfTable = rows.length > 0 ? IdfTable.fromPapers(rows.map(toText)) : IdfTable.uniform();
      this.idfBuiltAt = this.now();
      this.young = new Map();
      this.old = new Map();
      this.epoch++;
    }
    return this.idfTable;
  }

  /** A small store still filling up: relearn idf when it has doubled. */
  private grewSince(): boolean {
    const count = this.database.sqlite.prepare('SELECT count(*) FROM (SELECT 1 FROM papers LIMIT ?)').pluck().get(IDF_SAMPLE) as number;
    return count >= 2 * Math.max(1, this.idfTable!.documents);
  }

  /** Vectors of the stored papers among `ids` (missing ids are left out). `keep: false` reads without filling the cache. */
  async get(ids: readonly string[], options: { keep?: boolean; pause?: () => Promise<void> } = {}): Promise<Map<string, SparseVector>> {
    const idf = this.idf();
    const found = new Map<string, SparseVector>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.cached(id);
      if (hit) found.set(id, hit);
      else missing.push(id);
    }
    for (let start = 0; start < missing.length; start += CHUNK) {
      const rows = this.rows(missing.slice(start, start + CHUNK));
      const embedded = this.embeddings?.stored(rows.map((r) => r.pk));
      for (const row of rows) {
        const text = featurize(toText(row), idf);
        const vector = embedded ? withEmbedding(text, embedded.get(row.pk)) : text;
        found.set(row.id, vector);
        if (options.keep !== false) this.remember(row.id, vector);
      }
      if (options.pause && start + CHUNK < missing.length) await options.pause();
    }
    return found;
  }

  /** Named vectors (for reasons and summaries), never cached. */
  named(ids: readonly string[]): Map<string, NamedVector & { title: string }> {
    const idf = this.idf();
    const result = new Map<string, NamedVector & { title: string }>();
    for (let start = 0; start < ids.length; start += CHUNK) {
      for (const row of this.rows(ids.slice(start, start + CHUNK))) result.set(row.id, { ...featurizeNamed(toText(row), idf), title: row.title });
    }
    return result;
  }

  /** The vector of a paper that may not be stored, from its words alone. */
  of(paper: PaperText): SparseVector {
    return featurize(paper, this.idf());
  }

  /** Vectors of the given papers as they are (a stored one's embedding joined in when there is one). */
  ofPapers(papers: readonly (PaperText & { pk?: number })[]): SparseVector[] {
    const idf = this.idf();
    const embedded = this.embeddings?.stored(papers.flatMap((p) => (p.pk === undefined ? [] : [p.pk])));
    return papers.map((p) => {
      const text = featurize(p, idf);
      return embedded ? withEmbedding(text, p.pk === undefined ? undefined : embedded.get(p.pk)) : text;
    });
  }

  /** A vector's words alone, as `namedOf` gives them: what reasons compare. */
  textOf(vector: SparseVector): SparseVector {
    return this.embeddings ? textPart(vector) : vector;
  }

  /** Drops the cached vectors of these papers (their embedding has just been stored). */
  forget(ids: readonly string[]): void {
    for (const id of ids) {
      this.young.delete(id);
      this.old.delete(id);
    }
    this.epoch++;
  }

  namedOf(paper: PaperText): NamedVector {
    return featurizeNamed(paper, this.idf());
  }

  private cached(id: string): SparseVector | undefined {
    const young = this.young.get(id);
    if (young) return young;
    const old = this.old.get(id);
    if (old) this.remember(id, old);
    return old;
  }

  private remember(id: string, vector: SparseVector): void {
    this.young.set(id, vector);
    if (this.young.size >= this.capacity / 2) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  private rows(ids: string[]): TextRow[] {
    if (ids.length === 0) return [];
    let statement = this.texts[ids.length];
    if (!statement) {
      statement = this.database.sqlite.prepare(`SELECT pk, id, title, abstract, authors, categories FROM papers WHERE id IN (${ids.map(() => '?').join(',')})`);
      this.texts[ids.length] = statement;
    }
    return statement.all(...ids);
  }
}
