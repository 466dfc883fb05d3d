/**
 * Search bench: ingests 30 planted old papers and then a synthetic arXiv-like corpus dated 2007-2025
 * (generated in a worker thread, corpus-worker.ts) through PaperStore.upsertMany into a fresh
 * database, then times PaperSearch over random queries without and with a filter, beside the
 * exhaustive ranking (plain FTS5 bm25() ORDER BY over every match, same weights), and says how often
 * the top 5 agree and whether the planted papers come first, and which targets are met. Searches run
 * as in the bot once its index is up to date: after the chunks are read ahead (SearchIndex.warm) and
 * 40 warm-up queries; each measured query is timed once.
 *
 *   npm run bench                          (every bench; this one at 1,000,000 papers)
 *   npx tsx bench/search.ts --quick        (100,000 papers)
 *   npx tsx bench/search.ts --papers 300000 --keep
 *   npx tsx bench/search.ts --db bench/out/kept.db   (reuse a kept database: search only)
 *   npx tsx bench/search.ts --optimize     (merge the full-text index's segments before searching, as the bot does)
 * @module
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fts5Ranking, PaperSearch } from '../src/core/papers/search.js';
import { PaperStore } from '../src/core/papers/store.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { rankedSearch } from '../src/core/papers/search-index/ranked-search.js';
import { matchExpression, parseSearchQuery } from '../src/core/papers/search-query.js';
import { generateQueries, plantedPapers, type Planted } from './corpus.js';
import { generateInWorker } from './corpus-worker.js';

const TARGETS = { ingestPerSecond: 20_000, p95Ms: 25, p99Ms: 60 };

const { values: options } = parseArgs({
  options: {
    papers: { type: 'string' },
    quick: { type: 'boolean', default: false },
    queries: { type: 'string', default: '300' },
    batch: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    db: { type: 'string' },
    optimize: { type: 'boolean', default: false },
  },
});

function positive(name: string, value: string): number {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive whole number, not "${value}".`);
  return n;
}

const papers = positive('papers', options.papers ?? (options.quick ? '100000' : '1000000'));
const queryCount = positive('queries', options.queries);
const batchSize = positive('batch', options.batch);
const seed = positive('seed', options.seed);
const dbPath = options.db ?? fileURLToPath(new URL(`./out/search-${process.pid}.db`, import.meta.url));
const keep = options.keep || options.db !== undefined;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function removeDatabase(): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
}

/** One line on stderr, redrawn in place on a terminal and every 5% elsewhere (a log file stays short). */
function progress(done: number, total: number, startedAt: number, storeMs: number): void {
  const elapsed = (performance.now() - startedAt) / 1000;
  const rate = done / elapsed;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${fmt(done)}/${fmt(total)} papers  ` +
    `${fmt(rate)}/s (store ${fmt(done / (storeMs / 1000))}/s)  ETA ${fmt((total - done) / rate)} s`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (Math.floor((done / total) * 20) !== Math.floor(((done - batchSize) / total) * 20) || done === total) process.stderr.write(`${line}\n`);
}

interface IngestResult { papers: number; storeMs: number; wallMs: number }

async function ingest(database: Database): Promise<IngestResult> {
  const store = new PaperStore(database);
  let done = 0;
  let storeMs = 0;
  const startedAt = performance.now();
  store.upsertMany(plantedPapers(seed).map((p) => p.record));
  for await (const batch of generateInWorker({ papers, seed, batchSize })) {
    const t = performance.now();
    store.upsertMany(batch);
    storeMs += performance.now() - t;
    done += batch.length;
    progress(done, papers, startedAt, storeMs);
    await nextTurn(); // lets Ctrl-C reach the handler that removes the database
  }
  return { papers: done, storeMs, wallMs: performance.now() - startedAt };
}

interface Latencies { p50: number; p95: number; p99: number; max: number }
interface Ranked { pk: number; score: number }
interface SetResult {
  ours: Latencies; exhaustive: Latencies; zeroHits: number; slowest: [string, number][];
  /** Top 5 equal to the exhaustive top 5; equal but for the order of tied scores; first a typed title; different. */
  agree: number; ties: number; titled: number; differ: number; noMatch: number; differing: string[];
  /** Queries with a hyphenated word, checked against the index's postings scored without pruning. */
  compound: number;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const latencies = (ms: number[]): Latencies => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! };
};

/**
 * The reference: FTS5's own bm25() over every match, filters as plain SQL, no window, no title rule.
 * Only the query words go through the project's parser (which makes them safe FTS5 terms).
 */
function exhaustiveTop(database: Database, input: string, limit: number): Ranked[] {
  const query = parseSearchQuery(input);
  const match = matchExpression(query);
  return match ? fts5Ranking(database, query, match, limit) : [];
}

const sameScore = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

async function timeQueries(database: Database, search: PaperSearch, queries: string[]): Promise<SetResult> {
  const ours: number[] = [];
  const reference: number[] = [];
  const timed: [string, number][] = [];
  const result = { zeroHits: 0, agree: 0, ties: 0, titled: 0, differ: 0, noMatch: 0, compound: 0, differing: [] as string[] };
  for (const query of queries) {
    let t = performance.now();
    const hits = search.search(query, { limit: 5 });
    const ms = performance.now() - t;
    ours.push(ms);
    timed.push([query, ms]);
    t = performance.now();
    const best = exhaustiveTop(database, query, 5);
    reference.push(performance.now() - t);
    // A hyphenated word is a compound term of the index and a phrase in FTS5: its reference is the
    // index's own postings scored without pruning.
    const parsed = parseSearchQuery(query);
    const compound = parsed.joined.length > 0;
    if (compound) result.compound++;
    const expected = compound ? (rankedSearch(search.index, parsed, 'AND', 5, true) ?? []).map((r) => ({ pk: r.pk, score: -r.score })) : best;
    if (hits.length === 0) result.zeroHits++;
    if (expected.length === 0) result.noMatch++; // no paper has every word: both fall back or find nothing
    else if (hits.length === expected.length && hits.every((h, i) => h.paper.pk === expected[i]!.pk)) result.agree++;
    else if (hits.length === expected.length && hits.every((h, i) => sameScore(h.score, expected[i]!.score))) result.ties++;
    else if (hits[0] && !Number.isFinite(hits[0].score)) result.titled++;
    else {
      result.differ++;
      if (result.differing.length < 5) result.differing.push(query);
    }
    if (timed.length % 50 === 0) await nextTurn();
  }
  return { ...result, ours: latencies(ours), exhaustive: latencies(reference), slowest: [...timed].sort((a, b) => b[1] - a[1]).slice(0, 5) };
}

interface PlantedResult { ours: number; exhaustive: number; missed: string[] }

function checkPlanted(database: Database, search: PaperSearch, planted: Planted[]): PlantedResult {
  const result: PlantedResult = { ours: 0, exhaustive: 0, missed: [] };
  for (const { record, query, kind } of planted) {
    const pk = database.sqlite.prepare('SELECT pk FROM papers WHERE id = ?').pluck().get(record.id);
    if (search.search(query, { limit: 5 })[0]?.paper.pk === pk) result.ours++;
    else result.missed.push(`${kind}: ${query}`);
    if (exhaustiveTop(database, query, 1)[0]?.pk === pk) result.exhaustive++;
  }
  return result;
}

function report(ingested: IngestResult | undefined, indexed: { papers: number; ms: number }, warmed: { ms: number; rssMb: number }, optimizeMs: number | undefined, sizes: { db: number; wal: number }, sets: [string, SetResult][], planted: PlantedResult, plantedTotal: number): boolean {
  const mb = (bytes: number) => fmt(bytes / 1024 / 1024);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const searchOk = (l: Latencies) => l.p95 <= TARGETS.p95Ms && l.p99 <= TARGETS.p99Ms;
  const latency = (l: Latencies) => `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.p99, 1)} ms (max ${fmt(l.max, 0)})`;
  const rows: [string, string, string, string][] = [];
  let ok = sets.every(([, s]) => searchOk(s.ours));
  if (ingested) {
    const storeRate = ingested.papers / (ingested.storeMs / 1000);
    ok &&= storeRate >= TARGETS.ingestPerSecond;
    rows.push(['ingest, PaperStore.upsertMany', `${fmt(storeRate)} papers/s`, `>= ${fmt(TARGETS.ingestPerSecond)}/s`, verdict(storeRate >= TARGETS.ingestPerSecond)]);
    rows.push(['ingest, wall (generated in a worker)', `${fmt(ingested.papers / (ingested.wallMs / 1000))} papers/s, ${fmt(ingested.wallMs / 1000)} s`, '', '']);
  }
  if (indexed.papers > 0) rows.push(['search index build (catch-up)', `${fmt(indexed.papers / (indexed.ms / 1000))} papers/s, ${fmt(indexed.ms / 1000, 1)} s`, '', '']);
  rows.push(['index read ahead, as the bot does', `${fmt(warmed.ms / 1000, 1)} s, process RSS ${fmt(warmed.rssMb)} MB after`, '', '']);
  if (optimizeMs !== undefined) rows.push(['full-text index merged', `${fmt(optimizeMs / 1000, 1)} s`, '', '']);
  rows.push(['database size (db + -wal)', `${mb(sizes.db + sizes.wal)} MB (${mb(sizes.db)} + ${mb(sizes.wal)})`, '', '']);
  const target = `p95 <= ${TARGETS.p95Ms}, p99 <= ${TARGETS.p99Ms} ms`;
  for (const [name, set] of sets) {
    const compared = set.agree + set.ties + set.titled + set.differ;
    rows.push([`search, ${name} p50/p95/p99`, latency(set.ours), target, verdict(searchOk(set.ours))]);
    rows.push([`exhaustive bm25, ${name} p50/p95/p99`, latency(set.exhaustive), '', '']);
    rows.push([`top 5 = exhaustive top 5, ${name}`, `${set.agree + set.ties}/${compared}` +
      ` (${set.ties} only in the order of tied scores; ${set.titled} a typed title first; ${set.noMatch} without a paper having every word;` +
      ` ${set.compound} with a hyphenated word, against the index scored without pruning)`, `${compared}/${compared}`, verdict(set.differ === 0)]);
    ok &&= set.differ === 0;
  }
  rows.push(['planted old papers found first', `${planted.ours}/${plantedTotal} (exhaustive bm25: ${planted.exhaustive}/${plantedTotal})`, `${plantedTotal}/${plantedTotal}`, verdict(planted.ours === plantedTotal)]);
  ok &&= planted.ours === plantedTotal;
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['metric', 'result', 'target'][i]!.length));
  const line = (r: readonly string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  console.log(line(['metric', 'result', 'target', '']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  for (const [name, set] of sets) {
    if (set.differing.length > 0) console.log(`top 5 differ (${name}): ${set.differing.join(' | ')}`);
  }
  if (planted.missed.length > 0) console.log(`planted papers not first: ${planted.missed.join(' | ')}`);
  console.log(`\nqueries with no hit: ${sets.map(([name, s]) => `${s.zeroHits}/${queryCount} ${name}`).join(', ')}`);
  console.log('slowest queries:');
  for (const [query, ms] of sets.flatMap(([, s]) => s.slowest).sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`  ${fmt(ms, 1).padStart(7)} ms  ${query}`);
  return ok;
}

async function main(): Promise<number> {
  const reuse = options.db !== undefined && existsSync(dbPath);
  if (!reuse) removeDatabase();
  const corpus = reuse ? `the papers of ${dbPath}` : `${fmt(papers)} papers dated 2007-2025 (+30 planted), batches of ${fmt(batchSize)}`;
  console.log(`search bench: ${corpus}, ${fmt(queryCount)} queries per set, seed ${seed}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const database = openDatabase(dbPath);
  try {
    const store = new PaperStore(database);
    const stored = store.count();
    const ingested = stored === 0 ? await ingest(database) : undefined;
    if (!ingested) console.log(`reusing ${dbPath} with ${fmt(stored)} papers: search only`);
    let optimizeMs: number | undefined;
    if (options.optimize) {
      const t = performance.now();
      while (store.tidySearchIndexStep()) {
        // The running bot's merge, step after step, until nothing is left to merge.
      }
      optimizeMs = performance.now() - t;
    }
    const sizes = { db: fileSize(dbPath), wal: fileSize(`${dbPath}-wal`) };

    const search = new PaperSearch(database, (pks) => store.getByPks(pks));
    const t = performance.now();
    let last = 0;
    const indexedPapers = search.index.catchUp(({ done, total }) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      console.error(`search index: ${fmt(done)}/${fmt(total)} papers, ${fmt((performance.now() - t) / 1000)} s`);
    });
    const indexed = { papers: indexedPapers, ms: performance.now() - t };
    // As the running bot does once the index is up to date (background.ts): chunks read ahead.
    const w = performance.now();
    while (search.index.warm()) await nextTurn();
    const warmed = { ms: performance.now() - w, rssMb: process.memoryUsage().rss / 1024 / 1024 };
    // Warm-up, not counted: both sets' code paths compiled, as in a bot that has answered a few searches.
    await timeQueries(database, search, generateQueries(20, seed + 100, { filtered: false }));
    await timeQueries(database, search, generateQueries(20, seed + 101, { filtered: true }));
    console.error(`load average before searching: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const plain = await timeQueries(database, search, generateQueries(queryCount, seed + 1, { filtered: false }));
    const filtered = await timeQueries(database, search, generateQueries(queryCount, seed + 2, { filtered: true }));
    const planted = plantedPapers(seed);
    const ok = report(ingested, indexed, warmed, optimizeMs, sizes, [['no filter', plain], ['filter', filtered]], checkPlanted(database, search, planted), planted.length);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(ok ? 'every target met' : 'some targets missed (FAIL above)');
    return 0;
  } finally {
    database.close();
    if (keep) console.log(`database kept at ${dbPath}`);
    else removeDatabase();
  }
}

process.on('SIGINT', () => {
  if (!keep) removeDatabase();
  process.exit(130);
});
process.exitCode = await main();
