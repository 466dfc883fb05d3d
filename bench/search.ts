/**
 * Search bench: ingests a synthetic arXiv-like corpus (generated in a worker thread, corpus-worker.ts)
 * through PaperStore.upsertMany into a fresh database, then times PaperSearch over 1,000 queries
 * without and with a filter. Prints a table and exits 1 when a target is missed.
 *
 *   npm run bench                          (every bench; this one at 1,000,000 papers)
 *   npx tsx bench/search.ts --quick        (100,000 papers)
 *   npx tsx bench/search.ts --papers 300000 --keep
 *   npx tsx bench/search.ts --db bench/out/kept.db   (reuse a kept database: search only)
 * @module
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PaperSearch } from '../src/core/papers/search.js';
import { PaperStore } from '../src/core/papers/store.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { generateQueries } from './corpus.js';
import { generateInWorker } from './corpus-worker.js';

const TARGETS = { ingestPerSecond: 20_000, p95Ms: 25, p99Ms: 60 };

const { values: options } = parseArgs({
  options: {
    papers: { type: 'string' },
    quick: { type: 'boolean', default: false },
    queries: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    db: { type: 'string' },
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

interface Latencies { p50: number; p95: number; p99: number; max: number; zeroHits: number; slowest: [string, number][] }

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function timeQueries(search: PaperSearch, queries: string[]): Promise<Latencies> {
  const timed: [string, number][] = [];
  let zeroHits = 0;
  for (const query of queries) {
    const t = performance.now();
    const hits = search.search(query, { limit: 5 });
    timed.push([query, performance.now() - t]);
    if (hits.length === 0) zeroHits++;
    if (timed.length % 100 === 0) await nextTurn();
  }
  const sorted = timed.map(([, ms]) => ms).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)!,
    zeroHits, slowest: [...timed].sort((a, b) => b[1] - a[1]).slice(0, 5),
  };
}

function report(ingested: IngestResult | undefined, sizes: { db: number; wal: number }, plain: Latencies, filtered: Latencies): boolean {
  const mb = (bytes: number) => fmt(bytes / 1024 / 1024);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const searchOk = (l: Latencies) => l.p95 <= TARGETS.p95Ms && l.p99 <= TARGETS.p99Ms;
  const latency = (l: Latencies) => `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.p99, 1)} ms (max ${fmt(l.max, 0)})`;
  const rows: [string, string, string, string][] = [];
  let ok = searchOk(plain) && searchOk(filtered);
  if (ingested) {
    const storeRate = ingested.papers / (ingested.storeMs / 1000);
    ok &&= storeRate >= TARGETS.ingestPerSecond;
    rows.push(['ingest, PaperStore.upsertMany', `${fmt(storeRate)} papers/s`, `>= ${fmt(TARGETS.ingestPerSecond)}/s`, verdict(storeRate >= TARGETS.ingestPerSecond)]);
    rows.push(['ingest, wall (generated in a worker)', `${fmt(ingested.papers / (ingested.wallMs / 1000))} papers/s, ${fmt(ingested.wallMs / 1000)} s`, '', '']);
  }
  rows.push(['database size (db + -wal)', `${mb(sizes.db + sizes.wal)} MB (${mb(sizes.db)} + ${mb(sizes.wal)})`, '', '']);
  const target = `p95 <= ${TARGETS.p95Ms}, p99 <= ${TARGETS.p99Ms} ms`;
  rows.push(['search, no filter p50/p95/p99', latency(plain), target, verdict(searchOk(plain))]);
  rows.push(['search, filter p50/p95/p99', latency(filtered), target, verdict(searchOk(filtered))]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['metric', 'result', 'target'][i]!.length));
  const line = (r: readonly string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  console.log(line(['metric', 'result', 'target', '']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log(`\nqueries with no hit: ${plain.zeroHits}/${queryCount} without filter, ${filtered.zeroHits}/${queryCount} with`);
  console.log('slowest queries:');
  for (const [query, ms] of [...plain.slowest, ...filtered.slowest].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`  ${fmt(ms, 1).padStart(7)} ms  ${query}`);
  return ok;
}

async function main(): Promise<number> {
  const reuse = options.db !== undefined && existsSync(dbPath);
  if (!reuse) removeDatabase();
  console.log(`search bench: ${fmt(papers)} papers, ${fmt(queryCount)} queries per set, seed ${seed}, ` +
    `batches of ${fmt(batchSize)}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const database = openDatabase(dbPath);
  try {
    const store = new PaperStore(database);
    const stored = store.count();
    const ingested = stored === 0 ? await ingest(database) : undefined;
    if (!ingested) console.log(`reusing ${dbPath} with ${fmt(stored)} papers: search only`);
    const sizes = { db: fileSize(dbPath), wal: fileSize(`${dbPath}-wal`) };

    const search = new PaperSearch(database, (pks) => store.getByPks(pks));
    await timeQueries(search, generateQueries(20, seed + 100, { filtered: false })); // warm-up, not counted
    const plain = await timeQueries(search, generateQueries(queryCount, seed + 1, { filtered: false }));
    const filtered = await timeQueries(search, generateQueries(queryCount, seed + 2, { filtered: true }));
    const ok = report(ingested, sizes, plain, filtered);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    return ok ? 0 : 1;
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
