/**
 * Import benchmark: the real CLI end to end, as a server runs it. Writes the synthetic corpus as Hugging
 * Face daily-papers JSON files (bench/hf-daily-files.ts: one file per day, fixed dates, made once and
 * kept in bench/out/), reads them once into the page cache, builds dist/ when needed, then times
 * `node dist/main.js import <folder>` from spawn to exit into a fresh database, and a second run over the
 * same files (nothing changes). Prints the CLI's progress, papers/s (target ≥ 20,000 at 1,000,000 papers),
 * CPU time per paper and the load average, which other work on the machine moves.
 *
 *   npx tsx bench/import.ts [--papers 1000000] [--quick] [--tsx] [--keep] [--corpus /tmp/imp1m]
 *
 * --corpus: the folder that holds (or will hold) the corpus folders, instead of bench/out/.
 * --quick: 100,000 papers. --tsx: run bin/paperboy (tsx, as from a checkout) instead of dist/.
 * @module
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusPapers, dailyFiles, readIntoPageCache } from './hf-daily-files.js';
import { cpuSecondsOf, distMain, ensureBuild, mb, memoryOf, root, spawnNode } from './prod.js';

const TARGET = 20_000;
const { values } = parseArgs({
  options: { papers: { type: 'string' }, quick: { type: 'boolean', default: false }, tsx: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false }, corpus: { type: 'string' }, seed: { type: 'string', default: '1' } },
});
const papers = corpusPapers(values.papers, values.quick);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`Import benchmark: ${fmt(papers)} papers as Hugging Face daily JSON files, the CLI end to end (Node ${process.version})`);
let lastShown = 0;
const generated = performance.now();
const corpus = dailyFiles(papers, Number(values.seed), (written) => {
  if (performance.now() - lastShown < 2000) return;
  lastShown = performance.now();
  process.stdout.write(`  writing files: ${fmt(written)}/${fmt(papers)} papers\n`);
}, values.corpus);
const bytes = (() => {
  let sum = 0;
  for (const name of readdirSync(corpus.dir).filter((n) => n.endsWith('.json'))) sum += statSync(join(corpus.dir, name)).size;
  return sum;
})();
console.log(`Files: ${fmt(corpus.files)} daily files, ${mb(bytes)} in ${corpus.dir} (${((performance.now() - generated) / 1000).toFixed(1)} s to make or find)`);

console.log(`Files read once into the page cache before timing: ${readIntoPageCache(corpus.dir).toFixed(1)} s`);

if (!values.tsx) ensureBuild();
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-import-'));
const databasePath = join(dir, 'paperboy.db');
process.on('exit', () => {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
});

async function importOnce(label: string): Promise<{ seconds: number; line: string; cpu: number | undefined; peak: number }> {
  const args = values.tsx ? [join(root, 'bin', 'paperboy'), 'import', corpus.dir] : [distMain, 'import', corpus.dir];
  const started = performance.now();
  const child = spawnNode(args, { cwd: dir, label, env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' } });
  let cpu: number | undefined;
  let peak = 0;
  // Sampled while it runs: /proc is gone once it has exited.
  const sampler = setInterval(() => {
    try {
      cpu = cpuSecondsOf(child.pid) ?? cpu;
      peak = Math.max(peak, memoryOf(child.pid).peak);
    } catch {
      /* exited between two samples */
    }
  }, 200);
  const { code } = await child.exited;
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import exited with ${code}: ${child.tail.join(' | ')}`);
  return { seconds, line: child.tail.find((l) => l.startsWith('Imported')) ?? '', cpu, peak };
}

console.log(`Load average before: ${load()}`);
const first = await importOnce('import');
const size = ['', '-wal'].reduce((sum, s) => sum + (existsSync(databasePath + s) ? statSync(databasePath + s).size : 0), 0);
console.log(`Load average after the first run: ${load()}`);
const second = await importOnce('again');
const rate = papers / first.seconds;
const perPaper = (cpu: number | undefined) => (cpu === undefined ? '? µs per paper' : `${Math.round((cpu * 1e6) / papers)} µs per paper`);
console.log(`
import benchmark: ${fmt(papers)} papers in ${fmt(corpus.files)} files (${mb(bytes)}), ${values.tsx ? 'bin/paperboy (tsx)' : 'node dist/main.js'} import <folder>
  first import     ${first.seconds.toFixed(1)} s = ${fmt(rate)} papers/s end to end (target ≥ ${fmt(TARGET)}: ${rate >= TARGET ? 'met' : 'MISSED'}); CPU ${first.cpu?.toFixed(1) ?? '?'} s (both threads, ${perPaper(first.cpu)}); peak RSS ${mb(first.peak)}
                   ${first.line}
  same files again ${second.seconds.toFixed(1)} s = ${fmt(papers / second.seconds)} papers/s; CPU ${second.cpu?.toFixed(1) ?? '?'} s (${perPaper(second.cpu)})
                   ${second.line}
  database         ${mb(size)}
  load average     ${load()} (1, 5, 15 min; ${availableParallelism()} cores)`);
