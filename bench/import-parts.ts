/**
 * Import parts benchmark: what each part of `paperboy import` costs a paper on its own, so that the
 * import bench's figure can be held against what this machine allows. Runs the import's parts one after
 * another on one thread, file by file over the import bench's corpus (bench/hf-daily-files.ts), with the
 * production build's modules (dist/), and times each with the thread's CPU clock:
 *   - reading, JSON parsing, validation and packing (the reader thread's part before the index),
 *   - the search index's segments: tokenizing, counting, postings, chunks (the reader's other part),
 *   - the store's writes: rows, both FTS5 tables, commits, one transaction per import batch (the writer),
 *   - storing the index's segments and merging them (the writer's other part),
 *   - and, apart from the sum, papers_fts's insert alone, in a table of its own with the same tokenizer.
 * Prints CPU µs per paper of each, their sum, and the papers/s that sum allows on this machine's cores if
 * the import spread it over them perfectly: no import can be faster than that.
 *
 *   npx tsx bench/import-parts.ts [--papers 1000000] [--quick] [--corpus /tmp/imp1m]
 * @module
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { corpusPapers, dailyFiles, readIntoPageCache } from './hf-daily-files.js';
import { ensureBuild, root } from './prod.js';

const TARGET = 20_000;
const { values } = parseArgs({ options: { papers: { type: 'string' }, quick: { type: 'boolean', default: false }, corpus: { type: 'string' }, seed: { type: 'string', default: '1' } } });
const papers = corpusPapers(values.papers, values.quick);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

ensureBuild();
const dist = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, 'dist', path)).href) as Promise<T>;
const { parseImportFile } = await dist<typeof import('../src/sources/import-file.js')>('sources/import-file.js');
const { BulkImport, IMPORT_BATCH } = await dist<typeof import('../src/core/papers/bulk-import.js')>('core/papers/bulk-import.js');
const { BULK_FTS_SETTINGS, PaperStore } = await dist<typeof import('../src/core/papers/store.js')>('core/papers/store.js');
const { openDatabase } = await dist<typeof import('../src/db/database.js')>('db/database.js');
const { SearchIndex } = await dist<typeof import('../src/core/papers/search-index/index.js')>('core/papers/search-index/index.js');
const { SegmentFeed } = await dist<typeof import('../src/core/papers/search-index/segment-feed.js')>('core/papers/search-index/segment-feed.js');
const { FIELD, PACKED_WIDTH } = await dist<typeof import('../src/core/papers/packed-papers.js')>('core/papers/packed-papers.js');
type FedSegment = import('../src/core/papers/search-index/segment-feed.js').FedSegment;

console.log(`Import parts benchmark: ${fmt(papers)} papers, each part of an import alone on one thread (Node ${process.version}, dist/)`);
const corpus = dailyFiles(papers, Number(values.seed), () => {}, values.corpus);
const paths = readdirSync(corpus.dir).filter((n) => n.endsWith('.json')).sort().map((n) => join(corpus.dir, n));
// As the import bench does: the files come from the page cache, not the disk.
readIntoPageCache(corpus.dir);

const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-parts-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const database = openDatabase(join(dir, 'paperboy.db'));
const store = new PaperStore(database);
const index = new SearchIndex(database);
let position = index.feedStart();
if (!position) throw new Error('a fresh database has an index behind: the search index cannot take fed segments');
const feed = new SegmentFeed({ papers: position.papers, tokens: position.tokens });

// papers_fts alone: a contentless table with the real one's tokenizer, in a database of its own.
const ftsDefinition = database.sqlite.prepare<[], string>("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'").pluck().get() ?? '';
const tokenize = /tokenize\s*=\s*'([^']+)'/.exec(ftsDefinition)?.[1];
if (!tokenize) throw new Error(`cannot read papers_fts's tokenizer from: ${ftsDefinition}`);
const fts = new BetterSqlite3(join(dir, 'fts.db'));
fts.pragma('journal_mode = WAL');
fts.pragma('synchronous = NORMAL');
fts.exec(`CREATE VIRTUAL TABLE f USING fts5(title, authors, abstract, content='', tokenize='${tokenize}')`);
// The store's settings for a bulk batch: one segment per batch, no merging.
const ftsSetting = fts.prepare('INSERT INTO f(f, rank) VALUES(?, ?)');
// As an integer, as PaperStore binds them: FTS5 refuses a setting bound as a double.
for (const [key, value] of Object.entries(BULK_FTS_SETTINGS)) ftsSetting.run(key, BigInt(value));
const ftsInsert = fts.prepare('INSERT INTO f(rowid, title, authors, abstract) VALUES (?, ?, ?, ?)');
const ftsBegin = fts.prepare('BEGIN');
const ftsCommit = fts.prepare('COMMIT');

const spent = { read: 0, index: 0, store: 0, segments: 0, fts: 0 };
/** CPU time of the timed calls inside the one running (the store's commit hands segments on). */
let inner = 0;
/** Runs `work`, adding the CPU time it took (µs, this thread), less that of timed calls inside it, to `part`. */
function timed<T>(part: keyof typeof spent, work: () => T): T {
  const outer = inner;
  inner = 0;
  const start = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(start);
  spent[part] += used.user + used.system - inner;
  inner = outer + used.user + used.system;
  return result;
}
const storeSegments = (segments: FedSegment[]) => {
  for (const segment of segments) {
    if (!position) throw new Error('the search index did not take a fed segment');
    position = timed('segments', () => index.writeFed(segment, position!));
  }
};
const bulk = new BulkImport(store, IMPORT_BATCH, (placed) => {
  for (const pks of placed) storeSegments(timed('index', () => feed.placed(pks)));
});

let stored = 0;
let ftsRow = 0;
let ftsCommitted = 0;
let shown = performance.now();
for (const path of paths) {
  const file = timed('read', () => parseImportFile(path));
  timed('index', () => feed.keep(file.packed));
  timed('store', () => bulk.add(file));
  timed('fts', () => {
    // One transaction (one FTS5 segment) per import batch, as the store writes them.
    if (!fts.inTransaction) ftsBegin.run();
    const v = file.packed.values;
    for (let i = 0, at = 0; i < file.packed.count; i++, at += PACKED_WIDTH) ftsInsert.run(++ftsRow, v[at + FIELD.title]!, v[at + FIELD.authorsText]!, v[at + FIELD.abstract]!);
    if (ftsRow - ftsCommitted >= IMPORT_BATCH) {
      ftsCommit.run();
      ftsCommitted = ftsRow;
    }
  });
  stored += file.papers;
  if (performance.now() - shown > 5000) {
    shown = performance.now();
    console.log(`  ${fmt(stored)}/${fmt(papers)} papers`);
  }
}
timed('store', () => bulk.flush());
timed('fts', () => fts.inTransaction && ftsCommit.run());
const last = timed('index', () => feed.end());
storeSegments(last ? [last] : []);
database.close();
fts.close();

const per = (us: number) => us / stored;
const sum = per(spent.read + spent.index + spent.store + spent.segments);
const cores = availableParallelism();
const line = (label: string, us: number) => `  ${label.padEnd(46)} ${per(us).toFixed(1).padStart(6)} µs per paper`;
console.log(`
import parts benchmark: ${fmt(stored)} papers in ${fmt(paths.length)} files, one thread, CPU time of each part
${line('read, parse, validate, pack', spent.read)}
${line('search index segments (tokenize, count, build)', spent.index)}
${line('store: rows, FTS5 tables, commits', spent.store)}
${line('search index: store and merge segments', spent.segments)}
  ${'sum (one thread)'.padEnd(46)} ${sum.toFixed(1).padStart(6)} µs per paper = ${fmt(1e6 / sum)} papers/s
${line('of the store\'s part: papers_fts alone', spent.fts)}
  fastest import this allows on ${cores} cores: ${fmt((cores * 1e6) / sum)} papers/s (all ${cores} busy all the time; target ≥ ${fmt(TARGET)} needs a sum ≤ ${((cores * 1e6) / TARGET).toFixed(0)} µs)`);
