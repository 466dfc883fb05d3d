/**
 * Paper embeddings in SQLite through sqlite-vec, for search by meaning beside BM25. Optional: only
 * built when LLM_EMBEDDINGS_MODEL is set. The vec0 table is created at run time, once the first
 * embedding gives its dimension (a migration would fail wherever the extension is not loaded), and
 * it is named after the model, so a new model never compares its vectors with another's.
 * @module
 */
import { createHash } from 'node:crypto';
import * as sqliteVec from 'sqlite-vec';
import type { Database } from '../../db/database.js';
import { UpstreamError } from '../../errors.js';
import type { LanguageModel } from '../texts/language-model.js';
import { collapseWhitespace } from '../../strings.js';

/** What search needs from a vector index. */
export interface VectorSearch {
  /** Stored papers nearest in meaning to `text`, nearest first, as papers.pk. */
  nearest(text: string, k: number): Promise<{ pk: number; distance: number }[]>;
}

type Embedder = Required<Pick<LanguageModel, 'embed'>> & { embeddingsModel: string };

/** Papers embedded per search at most, newest first: the index fills up as people search. */
export const EMBED_PER_SEARCH = 64;

/** How long a search waits for its vectors by default before BM25 answers alone (SEARCH_VECTOR_BUDGET_MS). */
const VECTOR_BUDGET_MS = 1500;

const loaded = new WeakSet<object>();

/** Loads sqlite-vec into the connection once. */
export function loadVectorExtension(database: Database): void {
  if (loaded.has(database.sqlite)) return;
  sqliteVec.load(database.sqlite);
  loaded.add(database.sqlite);
}

export class PaperEmbeddings implements VectorSearch {
  /** `paper_vectors_<hash of the model name>`: safe as an identifier whatever the model is called. */
  readonly table: string;
  #dimension: number | undefined;
  #filling: Promise<number> | undefined;

  /** @param budgetMs how long `nearest` may take; past it, it fails and the backfill goes on behind. */
  constructor(private readonly database: Database, private readonly model: Embedder, private readonly budgetMs = VECTOR_BUDGET_MS) {
    loadVectorExtension(database);
    this.table = `paper_vectors_${createHash('sha256').update(model.embeddingsModel).digest('hex').slice(0, 12)}`;
    const sql = database.sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(this.table) as string | undefined;
    const dimension = sql ? /float\[(\d+)\]/.exec(sql)?.[1] : undefined;
    this.#dimension = dimension ? Number(dimension) : undefined;
  }

  /** How many papers have a vector. */
  count(): number {
    if (this.#dimension === undefined) return 0;
    return this.database.sqlite.prepare(`SELECT count(*) FROM ${this.table}`).pluck().get() as number;
  }

  /**
   * Embeds up to `limit` stored papers that have no vector yet, newest first; returns how many.
   * Concurrent callers share one run.
   */
  embedMissing(limit = EMBED_PER_SEARCH): Promise<number> {
    this.#filling ??= this.#embedMissing(limit).finally(() => {
      this.#filling = undefined;
    });
    return this.#filling;
  }

  async #embedMissing(limit: number): Promise<number> {
    const missing = this.database.sqlite
      .prepare(
        this.#dimension === undefined
          ? 'SELECT pk, title, abstract FROM papers ORDER BY pk DESC LIMIT ?'
          : `SELECT pk, title, abstract FROM papers WHERE pk NOT IN (SELECT rowid FROM ${this.table}) ORDER BY pk DESC LIMIT ?`,
      )
      .all(limit) as { pk: number; title: string; abstract: string }[];
    if (missing.length === 0) return 0;
    const vectors = await this.model.embed(missing.map((p) => collapseWhitespace(`${p.title}\n\n${p.abstract}`)));
    this.#ensureTable(vectors[0]!.length);
    // vec0 has no INSERT OR IGNORE: another process may have stored some of these meanwhile.
    const exists = this.database.sqlite.prepare(`SELECT 1 FROM ${this.table} WHERE rowid = ?`).pluck();
    const insert = this.database.sqlite.prepare(`INSERT INTO ${this.table}(rowid, embedding) VALUES (?, ?)`);
    this.database.sqlite.transaction(() => {
      missing.forEach((paper, i) => {
        // vec0 wants its rowids as BigInt.
        const rowid = BigInt(paper.pk);
        if (exists.get(rowid) === undefined) insert.run(rowid, vectorBlob(vectors[i]!));
      });
    })();
    return missing.length;
  }

  /** Fails with UpstreamError when the embeddings take longer than the budget (search then answers from BM25). */
  async nearest(text: string, k: number): Promise<{ pk: number; distance: number }[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UpstreamError('llm', `The embeddings endpoint did not answer within ${this.budgetMs / 1000} s`)), this.budgetMs);
    });
    const work = this.#nearest(text, k);
    work.catch(() => undefined); // a late failure is nobody's to hear
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #nearest(text: string, k: number): Promise<{ pk: number; distance: number }[]> {
    await this.embedMissing();
    if (this.#dimension === undefined) return [];
    const [vector] = await this.model.embed([text]);
    return this.database.sqlite
      .prepare(`SELECT rowid AS pk, distance FROM ${this.table} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
      .all(vectorBlob(vector!), k) as { pk: number; distance: number }[];
  }

  #ensureTable(dimension: number): void {
    if (this.#dimension === undefined) {
      this.database.sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.table} USING vec0(embedding float[${dimension}] distance_metric=cosine)`);
      this.#dimension = dimension;
    }
  }
}

function vectorBlob(vector: readonly number[]): Buffer {
  return Buffer.from(new Float32Array(vector).buffer);
}

/**
 * Reciprocal rank fusion: each ranking gives an item 1 / (k + rank); items are ordered by the sum.
 * k = 60 is the constant of Cormack et al. (2009): it keeps one list's top item from outweighing
 * agreement between lists.
 */
export function fuseRankings<T>(rankings: readonly (readonly T[])[], k = 60): { item: T; score: number }[] {
  const scores = new Map<T, number>();
  for (const ranking of rankings) {
    ranking.forEach((item, rank) => scores.set(item, (scores.get(item) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score);
}

/** The vector index for a language model with an embeddings model, or undefined without one. */
export function vectorIndexFor(database: Database, llm: LanguageModel | undefined, budgetMs?: number): PaperEmbeddings | undefined {
  const embed = llm?.embed?.bind(llm);
  if (!embed || !llm?.embeddingsModel) return undefined;
  return new PaperEmbeddings(database, { embeddingsModel: llm.embeddingsModel, embed }, budgetMs);
}
