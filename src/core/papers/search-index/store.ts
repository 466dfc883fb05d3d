/**
 * The search index's tables (search_segments, search_chunks, search_dead_terms, search_pending,
 * search_state): every SQL statement of the index lives here.
 * @module
 */
import type { Database } from '../../../db/database.js';
import { toBlob, toFloat32, toInt32, toUint16, toUint32 } from './arrays.js';
import { packBlocks, unpackBlocks } from './bit-packing.js';
import { BLOCK, type Chunk } from './builder.js';
import type { SegmentDocs } from './doc-table.js';
import type { IndexedPaper } from './documents.js';

/** Where a chunk is, and what it may score: enough to decide whether to read it. */
export interface ChunkInfo { id: number; segment: number; firstPk: number; lastPk: number; count: number; bound: number }

export interface ChunkData { pks: Uint32Array; freqs: Uint16Array; bounds: Float32Array | Float64Array }

export interface PendingPaper { pk: number; changes: number; title: string; authors: string; abstract: string; categories: string }

/** Pks as gaps (the first 0: the chunk's first pk is known), packed per block. */
function encodePks(pks: Uint32Array): Uint8Array {
  const gaps = new Uint32Array(pks.length);
  for (let i = 1; i < pks.length; i++) gaps[i] = pks[i]! - pks[i - 1]!;
  return packBlocks(gaps, BLOCK);
}

const decodePks = (blob: Buffer, info: ChunkInfo) => unpackBlocks(blob, info.count, BLOCK, new Uint32Array(info.count), info.firstPk);

/** Block bounds as 32-bit floats, each rounded up so that it stays a bound. */
function encodeBounds(bounds: Float64Array): Float32Array {
  const out = new Float32Array(bounds.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < bounds.length; i++) {
    out[i] = bounds[i]!;
    // Positive floats order as their bits do: one up is the next float.
    if (out[i]! < bounds[i]!) bits[i]!++;
  }
  return out;
}

/** A chunk's postings as stored: packed pk gaps and frequencies, float32 block bounds. */
export interface ChunkRow { pks: Buffer; freqs: Buffer; bounds: Buffer }

/** A chunk ready to be written: a tenth of the memory of its postings unpacked. */
export type StoredChunk = ChunkRow & Omit<ChunkInfo, 'id' | 'segment'> & { term: string };

export function storedChunk(c: Chunk): StoredChunk {
  return {
    term: c.term, firstPk: c.firstPk, lastPk: c.lastPk, count: c.pks.length, bound: c.bound,
    pks: toBlob(encodePks(c.pks)), freqs: toBlob(packBlocks(c.freqs, BLOCK)), bounds: toBlob(encodeBounds(c.bounds)),
  };
}

export const chunkRowBytes = (row: ChunkRow) => row.pks.length + row.freqs.length + row.bounds.length;

export function decodeChunk(row: ChunkRow, info: ChunkInfo): ChunkData {
  return {
    pks: decodePks(row.pks, info),
    freqs: unpackBlocks(row.freqs, info.count, BLOCK, new Uint16Array(info.count)),
    bounds: toFloat32(row.bounds),
  };
}

const PAPER_COLUMNS = 'pk, title, authors, abstract, categories, published_at AS publishedAt';

export class SearchIndexStore {
  private readonly chunkInfo;
  private readonly chunkData;
  private readonly state;
  private readonly setState;
  private readonly insertChunk;
  private readonly insertSegment;
  private readonly addDead;
  private readonly papersAfter;
  private readonly paperByPk;
  private readonly unpend;
  private readonly repend;
  // Asked before every search (SearchIndex.ready): prepared once.
  private readonly papersAbove;
  private readonly pendingCount;

  constructor(private readonly database: Database) {
    const sql = database.sqlite;
    this.chunkInfo = sql.prepare<[string], ChunkInfo>(
      'SELECT id, segment, first_pk AS firstPk, last_pk AS lastPk, count, bound FROM search_chunks WHERE term = ? ORDER BY segment, first_pk',
    );
    this.chunkData = sql.prepare<[number], ChunkRow>('SELECT pks, freqs, bounds FROM search_chunks WHERE id = ?');
    this.state = sql.prepare<[string], number>('SELECT value FROM search_state WHERE key = ?').pluck();
    this.setState = sql.prepare('INSERT INTO search_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.insertChunk = sql.prepare(`INSERT INTO search_chunks (term, segment, first_pk, last_pk, count, bound, pks, freqs, bounds)
                                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertSegment = sql.prepare(`INSERT INTO search_segments (docs, lengths, days, average_length, filters, filter_terms, created_at)
                                      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.addDead = sql.prepare(`INSERT INTO search_dead_terms (segment, term, count) VALUES (?, ?, 1)
                                ON CONFLICT (segment, term) DO UPDATE SET count = count + 1`);
    this.papersAfter = sql.prepare<[number, number], IndexedPaper>(`SELECT ${PAPER_COLUMNS} FROM papers WHERE pk > ? ORDER BY pk LIMIT ?`);
    this.paperByPk = sql.prepare<[number], IndexedPaper>(`SELECT ${PAPER_COLUMNS} FROM papers WHERE pk = ?`);
    this.unpend = sql.prepare('DELETE FROM search_pending WHERE pk = ? AND changes = ?');
    this.repend = sql.prepare('UPDATE search_pending SET title = ?, authors = ?, abstract = ?, categories = ? WHERE pk = ?');
    this.papersAbove = sql.prepare<[number], number>('SELECT count(*) FROM papers WHERE pk > ?').pluck();
    this.pendingCount = sql.prepare<[], number>('SELECT count(*) FROM search_pending').pluck();
  }

  /** The highest pk indexed. */
  get watermark(): number {
    return this.state.get('watermark') ?? 0;
  }

  /** Bumped by every change to the index, by any process. */
  get generation(): number {
    return this.state.get('generation') ?? 0;
  }

  /** Papers not yet indexed: above the watermark. */
  countAfter(pk: number): number {
    return this.papersAbove.get(pk)!;
  }

  papersAfterPk(pk: number, limit: number): IndexedPaper[] {
    return this.papersAfter.all(pk, limit);
  }

  paper(pk: number): IndexedPaper | undefined {
    return this.paperByPk.get(pk);
  }

  pending(limit = -1): PendingPaper[] {
    return this.database.sqlite.prepare<[number], PendingPaper>('SELECT pk, changes, title, authors, abstract, categories FROM search_pending ORDER BY pk LIMIT ?').all(limit);
  }

  countPending(): number {
    return this.pendingCount.get()!;
  }

  /** Every segment, oldest first, or those of `ids`. */
  segments(ids?: readonly number[]): SegmentDocs[] {
    const where = ids ? `WHERE id IN (${ids.map(() => '?').join(', ')})` : '';
    return this.database.sqlite
      .prepare<number[], { id: number; docs: Buffer; lengths: Buffer; days: Buffer; averageLength: number; filters: Buffer; filterTerms: string }>(
        `SELECT id, docs, lengths, days, average_length AS averageLength, filters, filter_terms AS filterTerms FROM search_segments ${where} ORDER BY id`,
      )
      .all(...(ids ?? []))
      .map((s) => ({
        id: s.id, docs: toUint32(s.docs), lengths: toUint32(s.lengths), days: toInt32(s.days), averageLength: s.averageLength,
        filters: toUint16(s.filters), filterTerms: JSON.parse(s.filterTerms) as string[],
      }));
  }

  /** Dead counts per term, summed over segments. */
  deadTerms(): Map<string, number> {
    const rows = this.database.sqlite.prepare<[], { term: string; n: number }>('SELECT term, sum(count) AS n FROM search_dead_terms GROUP BY term').all();
    return new Map(rows.map((r) => [r.term, r.n]));
  }

  chunks(term: string): ChunkInfo[] {
    return this.chunkInfo.all(term);
  }

  /** A chunk's postings as stored (see {@link decodeChunk}). */
  chunkRow(id: number): ChunkRow {
    const row = this.chunkData.get(id);
    if (!row) throw new Error(`search index: chunk ${id} is gone`);
    return row;
  }

  /** Writes a segment and its chunks; returns its id. Call inside {@link transaction}. */
  writeSegment(docs: Omit<SegmentDocs, 'id'>, chunks: Iterable<Chunk | StoredChunk>, now: number): number {
    const id = Number(this.insertSegment.run(
      toBlob(docs.docs), toBlob(docs.lengths), toBlob(docs.days), docs.averageLength, toBlob(docs.filters), JSON.stringify(docs.filterTerms), now,
    ).lastInsertRowid);
    for (const chunk of chunks) {
      const c = 'count' in chunk ? chunk : storedChunk(chunk);
      this.insertChunk.run(c.term, id, c.firstPk, c.lastPk, c.count, c.bound, c.pks, c.freqs, c.bounds);
    }
    return id;
  }

  /**
   * Chunk ids in the order worth reading ahead: every list but the words' abstract tiers (titles and
   * authors, author and compound terms, categories), then the abstract tiers' fullest chunks (the
   * commonest words', which most searches read) first.
   */
  chunkIdsToWarm(): number[] {
    const sql = this.database.sqlite;
    const rest = sql.prepare<[], number>('SELECT id FROM search_chunks WHERE term < char(6) OR term >= char(7) ORDER BY term').pluck().all();
    const weak = sql.prepare<[], number>('SELECT id FROM search_chunks WHERE term >= char(6) AND term < char(7) ORDER BY count DESC').pluck().all();
    return [...rest, ...weak];
  }

  /** The chunks of some segments, term by term (each term's in segment and pk order). */
  chunksOfSegments(ids: readonly number[]): (ChunkInfo & { term: string })[] {
    return this.database.sqlite
      .prepare<number[], ChunkInfo & { term: string }>(
        `SELECT id, term, segment, first_pk AS firstPk, last_pk AS lastPk, count, bound FROM search_chunks
         WHERE segment IN (${ids.map(() => '?').join(', ')}) ORDER BY term, segment, first_pk`,
      )
      .all(...ids);
  }

  /** Counts the terms of a replaced version against the segment that still holds them. */
  addDeadTerms(segment: number, terms: Iterable<string>): void {
    for (const term of terms) this.addDead.run(segment, term);
  }

  /** Removes segments (their chunks and dead counts). */
  deleteSegments(ids: readonly number[]): void {
    for (const id of ids) {
      this.database.sqlite.prepare('DELETE FROM search_chunks WHERE segment = ?').run(id);
      this.database.sqlite.prepare('DELETE FROM search_dead_terms WHERE segment = ?').run(id);
      this.database.sqlite.prepare('DELETE FROM search_segments WHERE id = ?').run(id);
    }
  }

  /**
   * Marks a changed paper indexed as `indexed`. When it changed again since it was read, it stays
   * pending, now with the version just indexed as the one to take out next time.
   */
  unpendPaper(pending: PendingPaper, indexed: IndexedPaper | undefined): void {
    if (this.unpend.run(pending.pk, pending.changes).changes > 0 || !indexed) return;
    this.repend.run(indexed.title, indexed.authors, indexed.abstract, indexed.categories, pending.pk);
  }

  /** The layout the stored postings were written in. */
  get format(): number {
    return this.state.get('format') ?? 0;
  }

  /** Forgets every segment, so the next catch-up indexes every paper again in layout `format`. */
  reset(format: number): void {
    this.transaction(() => {
      this.database.sqlite.exec('DELETE FROM search_chunks; DELETE FROM search_dead_terms; DELETE FROM search_segments; DELETE FROM search_pending;');
      this.setState.run('format', format);
      this.advance(0);
    });
  }

  /** Records progress and bumps the generation. */
  advance(watermark: number): void {
    this.setState.run('watermark', watermark);
    this.setState.run('generation', this.generation + 1);
  }

  transaction<T>(work: () => T): T {
    return this.database.sqlite.inTransaction ? work() : this.database.sqlite.transaction(work).immediate();
  }
}
