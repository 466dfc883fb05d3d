/**
 * The one owner of stored papers: version-aware upsert, reads, daily lists, and lookup-or-fetch
 * (store, then Hugging Face, then arXiv). Writes are synchronous transactions; network calls
 * happen before them, never inside.
 * @module
 */
import { SqliteError } from 'better-sqlite3';
import { and, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { dailyPapers, papers, type PaperSource } from '../../db/schema.js';
import type { ArxivRef } from './arxiv-id.js';
import { boundRecord } from './bounds.js';
import { PaperLookup, type LookupOptions, type PaperFetchers } from './lookup.js';
import { enteredAtMs, FIELD, packPapers, PACKED_WIDTH, unpackPaper, type PackedPapers } from './packed-papers.js';
import type { DailyEntry, PaperRecord } from './record.js';
import type { Paper } from './paper.js';
import { titleIndexText } from './title-index.js';

export type { PaperFetchers } from './lookup.js';

export type UpsertOutcome = 'inserted' | 'revised' | 'updated' | 'unchanged';

type Value = string | number | null;

type Row = typeof papers.$inferInsert;

const TEXT_FIELDS = ['title', 'authors', 'abstract', 'publishedAt', 'updatedAt', 'categories', 'primaryCategory', 'comment', 'journalRef', 'doi'] as const;
const HF_FIELDS = ['codeUrl', 'projectUrl', 'githubStars', 'hfUpvotes', 'aiSummary', 'aiKeywords'] as const;

/** The full-text indexes every new paper is written to (see insertPacked). */
const BULK_FTS_TABLES = ['papers_fts', 'papers_title_fts'] as const;
/** FTS5's own defaults, for settings a table never had set. */
const FTS_DEFAULTS = { automerge: 4, crisismerge: 16, hashsize: 1024 * 1024 };
/**
 * Inside a bulk batch: no merging (crisismerge at its maximum), and room to hold the whole batch's
 * index in memory (under 1 KB per paper once written), so it is written out once, as one segment.
 */
export const BULK_FTS_SETTINGS = { automerge: 0, crisismerge: 2000, hashsize: 256 * 1024 * 1024 };
/**
 * Pages a step of tidySearchIndexStep merges: tens of ms, so the bot stays responsive. FTS5 merges a
 * word's whole list in one step: a very common word's takes longer (0.3 s at a million papers).
 */
const MERGE_STEP_PAGES = 200;

export class PaperStore {
  private readonly selectById;
  private readonly lookups: PaperLookup;
  private readonly fetchers: PaperFetchers;
  private readonly insertRow;
  private readonly storedSame;
  private readonly indexRow;
  private readonly indexTitleRow;
  private readonly unindexTitleRow;
  private readonly mergeSteps;
  private readonly totalChanges;
  private readonly queueDetails;
  private readonly unqueueDetails;
  private readonly dailyIds;
  private readonly clearDaily;
  private readonly addDaily;

  /** `lookup.fetchers` are the sources `lookup()` asks (none: the store alone answers). */
  constructor(private readonly database: Database, private readonly now: () => number = Date.now, lookup: LookupOptions & { fetchers?: PaperFetchers } = {}) {
    const { db } = database;
    this.lookups = new PaperLookup(this, lookup);
    this.fetchers = lookup.fetchers ?? {};
    this.selectById = db.select().from(papers).where(eq(papers.id, sql.placeholder('id'))).prepare();
    // Raw SQL with positional parameters on the bulk-ingest path: drizzle's placeholder mapping, and
    // named parameters, cost much of ingest time. Columns in packed-papers.ts's FIELD order.
    this.insertRow = database.sqlite.prepare<(string | number | null)[]>(`INSERT INTO papers (id, version, title, authors, abstract,
      published_at, updated_at, categories, primary_category, comment, journal_ref, doi, code_url, project_url, github_stars,
      hf_upvotes, ai_summary, ai_keywords, first_seen_at, refreshed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO NOTHING`);
    // Compared in SQL, so nothing of the row is read into JS. A null parameter is a field the source did not know.
    const known = ['published_at', 'updated_at', 'categories', 'primary_category', 'comment', 'journal_ref', 'doi', 'code_url',
      'project_url', 'github_stars', 'hf_upvotes', 'ai_summary', 'ai_keywords'].map((c) => `coalesce(?, ${c}) IS ${c}`);
    this.storedSame = database.sqlite.prepare<Value[], number>(`SELECT 1 FROM papers WHERE id = ? AND version IS ? AND title = ?
      AND authors = ? AND abstract = ? AND ${known.join(' AND ')} AND missing_from = '[]'`).pluck();
    this.queueDetails = database.sqlite.prepare('INSERT OR IGNORE INTO paper_details_queue (paper_pk) VALUES (?)');
    this.unqueueDetails = database.sqlite.prepare('DELETE FROM paper_details_queue WHERE paper_pk = ?');
    this.dailyIds = database.sqlite.prepare<[string], string>('SELECT paper_id FROM daily_papers WHERE date = ? ORDER BY position').pluck();
    this.clearDaily = database.sqlite.prepare('DELETE FROM daily_papers WHERE date = ?');
    this.addDaily = database.sqlite.prepare('INSERT OR IGNORE INTO daily_papers (date, paper_id, position, entered_at) VALUES (?, ?, ?, ?)');
    // Indexed here, not by a trigger: see drizzle/0001_papers_fts.sql. Authors as "A, B, C", as the
    // update and delete triggers there expect.
    this.indexRow = database.sqlite.prepare('INSERT INTO papers_fts(rowid, title, authors, abstract) VALUES (?, ?, ?, ?)');
    // papers_title_fts (core/papers/title-index.ts): the title and its word count.
    this.indexTitleRow = database.sqlite.prepare('INSERT INTO papers_title_fts(rowid, title) VALUES (?, ?)');
    this.unindexTitleRow = database.sqlite.prepare('DELETE FROM papers_title_fts WHERE rowid = ?');
    this.mergeSteps = BULK_FTS_TABLES.map((table) => database.sqlite.prepare(`INSERT INTO ${table}(${table}, rank) VALUES('merge', ${MERGE_STEP_PAGES})`));
    this.totalChanges = database.sqlite.prepare('SELECT total_changes()').pluck();
  }

  get(id: string): Paper | undefined {
    return this.selectById.get({ id });
  }

  /** Papers by arXiv id; unknown ids are left out. */
  getMany(ids: readonly string[]): Map<string, Paper> {
    return this.byColumn('id', ids);
  }

  /** Papers by their row key (what the search index points at). */
  getByPks(pks: readonly number[]): Map<number, Paper> {
    return this.byColumn('pk', pks);
  }

  private byColumn<K extends 'id' | 'pk'>(column: K, keys: readonly Paper[K][]): Map<Paper[K], Paper> {
    const found = new Map<Paper[K], Paper>();
    // SQLite caps bound parameters per statement: ask in chunks.
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500) as (string | number)[];
      for (const row of this.database.db.select().from(papers).where(inArray(papers[column], chunk)).all()) found.set(row[column], row);
    }
    return found;
  }

  /**
   * Stores what a source knows. A newer arXiv version replaces the text and marks the paper revised;
   * an older or unversioned record never overwrites a versioned text, but still refreshes HF fields.
   */
  upsert(record: PaperRecord): UpsertOutcome {
    const existing = this.get(record.id);
    return existing ? this.update(existing, record) : (this.insert(record) ?? this.upsert(record));
  }

  /** Stores a paper not stored yet; undefined (and nothing written) when its id is already there. */
  private insert(record: PaperRecord): 'inserted' | undefined {
    return this.insertPacked(packPapers([record]), 0, this.now()) > 0 ? 'inserted' : undefined;
  }

  /**
   * Stores the packed paper at `index` unless its id is already there (then writes nothing and returns
   * 0); returns its pk. Every new paper goes through here, with its full-text indexes, in the caller's
   * transaction.
   */
  private insertPacked(packed: PackedPapers, index: number, now: number): number {
    const v = packed.values;
    const at = index * PACKED_WIDTH;
    const { lastInsertRowid, changes } = this.insertRow.run(
      v[at]!, v[at + 1]!, v[at + 2]!, v[at + 3]!, v[at + 4]!, v[at + 5]!, v[at + 6]!, v[at + 7] ?? '[]', v[at + 8]!, v[at + 9]!,
      v[at + 10]!, v[at + 11]!, v[at + 12]!, v[at + 13]!, v[at + 14]!, v[at + 15]!, v[at + 16]!, v[at + 17]!, now, now,
    );
    if (changes === 0) return 0;
    // Hugging Face knows no categories or versions: the details backfill asks arXiv for them.
    if (v[at + FIELD.version] === null) this.queueDetails.run(lastInsertRowid);
    this.indexRow.run(lastInsertRowid, v[at + FIELD.title]!, v[at + FIELD.authorsText]!, v[at + FIELD.abstract]!);
    this.indexTitleRow.run(lastInsertRowid, v[at + FIELD.titleText]!);
    return Number(lastInsertRowid);
  }

  /**
   * True when the stored paper is the packed one already: the same version, every field the source
   * knows equal, and no source owing its part. Such a paper would be 'unchanged' by {@link update};
   * this tells it without reading the whole row into a Paper (what makes importing the same files again quick).
   */
  private storedAsPacked(packed: PackedPapers, index: number): boolean {
    const v = packed.values;
    const at = index * PACKED_WIDTH;
    return this.storedSame.get(
      v[at]!, v[at + 1]!, v[at + 2]!, v[at + 3]!, v[at + 4]!, v[at + 5]!, v[at + 6]!, v[at + 7]!, v[at + 8]!, v[at + 9]!, v[at + 10]!,
      v[at + 11]!, v[at + 12]!, v[at + 13]!, v[at + 14]!, v[at + 15]!, v[at + 16]!, v[at + 17]!,
    ) !== undefined;
  }

  private update(existing: Paper, unbounded: PaperRecord): UpsertOutcome {
    const record = boundRecord(unbounded);
    const now = this.now();
    const newer = record.version !== undefined && (existing.version === null || record.version > existing.version);
    const takesText = newer || (record.version !== undefined ? record.version === existing.version : existing.version === null);
    const changes: Partial<Row> = {};
    const consider = (fields: readonly (keyof PaperRecord & keyof Row)[]) => {
      for (const field of fields) {
        const value = record[field];
        if (value === undefined) continue;
        if (JSON.stringify(value) !== JSON.stringify(existing[field])) Object.assign(changes, { [field]: value });
      }
    };
    if (takesText) consider(TEXT_FIELDS);
    consider(HF_FIELDS);
    if (newer) Object.assign(changes, { version: record.version, revisedAt: existing.version === null ? existing.revisedAt : now });
    // Upvotes come with every whole Hugging Face record, a version with every arXiv one.
    const completes = existing.missingFrom.filter((s) => !(s === 'huggingface' ? record.hfUpvotes !== undefined : record.version !== undefined));
    if (completes.length !== existing.missingFrom.length) changes.missingFrom = completes;
    if (Object.keys(changes).length === 0) return 'unchanged';
    const { title } = changes;
    this.atomically(() => {
      this.database.db.update(papers).set({ ...changes, refreshedAt: now }).where(eq(papers.id, record.id)).run();
      if (title !== undefined) {
        this.unindexTitleRow.run(existing.pk);
        this.indexTitleRow.run(existing.pk, titleIndexText(title));
      }
      if (existing.version === null && record.version !== undefined) this.unqueueDetails.run(existing.pk);
    });
    return newer && existing.version !== null ? 'revised' : 'updated';
  }

  /**
   * Runs one batch of a bulk import in one transaction, with the full-text indexes' merging held back
   * inside it: FTS5 then writes the batch as one new segment and merges nothing, so a large import's
   * index is rewritten once (tidySearchIndexStep, by the running bot) instead of at every level of
   * every merge.
   * The settings are put back before the commit, so no other write ever sees them, even if this
   * process dies.
   */
  bulkWrite<T>(write: () => T): T {
    return this.atomically(() => {
      const kept = BULK_FTS_TABLES.map((table) => ({ table, settings: this.ftsSettings(table) }));
      for (const { table } of kept) this.setFts(table, BULK_FTS_SETTINGS);
      const result = write();
      // Setting a value writes out what FTS5 holds in memory first, with these settings still in force.
      for (const { table, settings } of kept) this.setFts(table, settings);
      return result;
    });
  }

  private ftsSettings(table: string): Record<keyof typeof BULK_FTS_SETTINGS, number> {
    const stored = new Map(this.database.sqlite.prepare<[], [string, unknown]>(`SELECT k, v FROM ${table}_config`).raw().all());
    const value = (key: keyof typeof FTS_DEFAULTS) => Number(stored.get(key) ?? FTS_DEFAULTS[key]);
    return { automerge: value('automerge'), crisismerge: value('crisismerge'), hashsize: value('hashsize') };
  }

  private setFts(table: string, settings: Record<string, number>): void {
    const set = this.database.sqlite.prepare(`INSERT INTO ${table}(${table}, rank) VALUES (?, ?)`);
    // As an integer: FTS5 refuses a setting bound as a double, which is how a JS number is bound.
    for (const [key, value] of Object.entries(settings)) set.run(key, BigInt(Math.trunc(value)));
  }

  /**
   * One step of merging the full-text indexes' segments (MERGE_STEP_PAGES pages, tens of ms), as FTS5
   * merges them: a level of four segments or more becomes one segment of the next level. A large import
   * leaves a segment per batch, and the running bot merges them a step at a time between other work
   * (search-index/background.ts). Returns true while there is more to merge; false when nothing is left,
   * or when another process holds the write lock (a step never waits for it: it is tried again later).
   */
  tidySearchIndexStep(): boolean {
    const sqlite = this.database.sqlite;
    const timeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
    sqlite.pragma('busy_timeout = 0');
    try {
      for (const merge of this.mergeSteps) {
        const before = this.totalChanges.get() as number;
        merge.run();
        if ((this.totalChanges.get() as number) - before >= 2) return true; // FTS5's sign that it merged
      }
      return false;
    } catch (err) {
      if (err instanceof SqliteError && err.code.startsWith('SQLITE_BUSY')) return false;
      throw err;
    } finally {
      sqlite.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /**
   * Upserts many records in one transaction (or in the caller's: see {@link atomically}); returns how many
   * of each outcome. See upsertPacked.
   */
  upsertMany(records: readonly PaperRecord[]): Record<UpsertOutcome, number> {
    return this.upsertPacked(packPapers(records));
  }

  /**
   * Upserts the packed papers `from` to `to` (exclusive) in one transaction, or in the caller's. A paper
   * is first inserted as new, which most papers of a bulk load are; only when its id is already stored
   * is the row compared, and read whole only when it differs. `placed[i]`, when given, is set to the pk
   * of packed paper `i` when it is inserted (what the search index's feed needs to know).
   */
  upsertPacked(packed: PackedPapers, from = 0, to = packed.count, placed?: Uint32Array): Record<UpsertOutcome, number> {
    const counts: Record<UpsertOutcome, number> = { inserted: 0, revised: 0, updated: 0, unchanged: 0 };
    const now = this.now();
    this.atomically(() => {
      for (let i = from; i < to; i++) {
        const pk = this.insertPacked(packed, i, now);
        if (pk > 0) {
          counts.inserted++;
          if (placed) placed[i] = pk;
        } else if (this.storedAsPacked(packed, i)) counts.unchanged++;
        else counts[this.upsert(unpackPaper(packed, i))]++;
      }
    });
    return counts;
  }

  /**
   * Stores a day's Hugging Face list: the papers, and which of them made the list that day (replacing
   * what was stored for that day, unless it is the same list).
   */
  saveDaily(date: string, entries: readonly DailyEntry[]): Record<UpsertOutcome, number> {
    const packed = packPapers(entries.map((e) => e.paper));
    return this.saveDailyPacked(date, packed, 0, packed.count, entries.map((e) => enteredAtMs(date, e.enteredAt)));
  }

  /**
   * saveDaily for a list whose papers are packed: the papers `from` to `to` (exclusive) in list order,
   * `enteredAt[i]` (ms, see enteredAtMs) for the paper at `from + i`; `placed` as for upsertPacked.
   */
  saveDailyPacked(date: string, packed: PackedPapers, from: number, to: number, enteredAt: readonly number[], placed?: Uint32Array): Record<UpsertOutcome, number> {
    let counts!: Record<UpsertOutcome, number>;
    this.atomically(() => {
      counts = this.upsertPacked(packed, from, to, placed);
      const stored = this.dailyIds.all(date);
      const idAt = (i: number) => packed.values[(from + i) * PACKED_WIDTH] as string;
      if (stored.length === to - from && stored.every((id, i) => id === idAt(i))) return;
      this.clearDaily.run(date);
      for (let i = 0; i < to - from; i++) this.addDaily.run(date, idAt(i), i, enteredAt[i]!);
    });
    return counts;
  }

  /**
   * Runs `write` in a transaction, or inside the caller's when one is open. Not as a nested transaction:
   * that is a savepoint, and FTS5 writes its pending index out at every savepoint (small segments, then
   * merges), so a bulk import that wraps many days in one transaction would lose what the batch gains.
   */
  atomically<T>(write: () => T): T {
    return this.database.sqlite.inTransaction ? write() : this.database.sqlite.transaction(write)();
  }

  /** The stored daily list for a date, in list order. */
  daily(date: string): Paper[] {
    return this.database.db
      .select({ paper: papers })
      .from(dailyPapers)
      .innerJoin(papers, eq(papers.id, dailyPapers.paperId))
      .where(eq(dailyPapers.date, date))
      .orderBy(dailyPapers.position)
      .all()
      .map((r) => r.paper);
  }

  /** Stored daily-list papers that entered their list in (fromMs, toMs], in the order they entered. */
  enteredBetween(fromMs: number, toMs: number): { paper: Paper; date: string; enteredAt: number }[] {
    return this.database.db
      .select({ paper: papers, date: dailyPapers.date, enteredAt: dailyPapers.enteredAt })
      .from(dailyPapers)
      .innerJoin(papers, eq(papers.id, dailyPapers.paperId))
      .where(and(gt(dailyPapers.enteredAt, fromMs), lte(dailyPapers.enteredAt, toMs)))
      .orderBy(dailyPapers.enteredAt, dailyPapers.position)
      .all()
      .map((r) => ({ paper: r.paper, date: r.date, enteredAt: r.enteredAt ?? 0 }));
  }

  /** The most recent stored daily list date on or before `onOrBefore`. */
  latestDailyDate(onOrBefore?: string): string | undefined {
    const row = this.database.db
      .select({ date: dailyPapers.date })
      .from(dailyPapers)
      .where(onOrBefore ? sql`${dailyPapers.date} <= ${onOrBefore}` : undefined)
      .orderBy(desc(dailyPapers.date))
      .limit(1)
      .get();
    return row?.date;
  }

  count(): number {
    return this.database.db.select({ n: sql<number>`count(*)` }).from(papers).get()?.n ?? 0;
  }

  /**
   * Notes that `sources` still owe their part of a stored paper (one failed, or sent nulls), or with
   * `missing` false that one has nothing more to give (it does not know the paper).
   */
  setMissing(id: string, sources: readonly PaperSource[], missing = true): void {
    const existing = this.get(id);
    if (!existing) return;
    const next = missing ? [...new Set([...existing.missingFrom, ...sources])] : existing.missingFrom.filter((s) => !sources.includes(s));
    if (next.length === existing.missingFrom.length && next.every((s) => existing.missingFrom.includes(s))) return;
    this.database.db.update(papers).set({ missingFrom: next }).where(eq(papers.id, id)).run();
  }

  /**
   * The stored paper, else what Hugging Face and arXiv (asked side by side, within the lookup budget)
   * know of it, stored on the way. See PaperLookup.
   */
  lookupOrFetch(ref: ArxivRef, fetchers: PaperFetchers): Promise<Paper> {
    return this.lookups.lookup(ref, fetchers);
  }

  /** The stored paper, or Hugging Face's, or arXiv's: lookupOrFetch with the configured sources. */
  lookup(ref: ArxivRef): Promise<Paper> {
    return this.lookups.lookup(ref, this.fetchers);
  }

  /** Resolves when background fill-ins have finished (for tests and a clean stop). */
  settled(): Promise<void> {
    return this.lookups.settled();
  }

  /** Cancels background fill-ins (a one-shot CLI stops without waiting for them) and waits for them to stop. */
  cancelBackground(): Promise<void> {
    return this.lookups.cancel();
  }

  /** Papers by id in the given order, skipping unknown ids. */
  ordered(ids: readonly string[]): Paper[] {
    const map = this.getMany(ids);
    return ids.flatMap((id) => map.get(id) ?? []);
  }
}

