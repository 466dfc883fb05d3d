/**
 * `npm run bench`: runs each bench of BENCHES that exists in bench/, one after another, each in its
 * own child process (a fresh heap and database per bench, and one bench's crash does not hide the
 * others' figures). Options are passed through to every bench; `--quick` asks each for small sizes.
 *
 *   npm run bench                  every bench, full size
 *   npm run bench -- --quick       every bench, small sizes
 *   npm run bench -- search        only the named benches
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Every bench, in running order: bench/<name>.ts. Listed, not scanned, so helpers in bench/ never run as benches. */
const BENCHES = ['search', 'import', 'import-parts', 'votes', 'discord', 'slack', 'upstream', 'taste'] as const;

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('-') && (BENCHES as readonly string[]).includes(a));
const passThrough = args.filter((a) => !named.includes(a));
const selected = BENCHES.filter((name) => named.length === 0 || named.includes(name));

function run(name: string): Promise<number> {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  // Corpus generation allocates many short strings; a larger young generation keeps GC out of the figures.
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', import.meta.resolve('tsx'), file, ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  });
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

const results: [string, string][] = [];
for (const name of selected) {
  if (!existsSync(fileURLToPath(new URL(`./${name}.ts`, import.meta.url)))) {
    results.push([name, 'not written yet, skipped']);
    continue;
  }
  console.log(`\n=== bench: ${name} ${passThrough.join(' ')}`.trimEnd());
  const started = performance.now();
  const code = await run(name);
  const seconds = Math.round((performance.now() - started) / 1000);
  results.push([name, code === 0 ? `ok (${seconds} s)` : `FAILED, exit ${code} (${seconds} s)`]);
  if (code !== 0) process.exitCode = 1;
}

console.log('\n=== benches');
for (const [name, outcome] of results) console.log(`${name.padEnd(10)} ${outcome}`);
