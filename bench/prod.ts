/**
 * Helpers for benches that measure Paperboy as it runs in production: `node dist/main.js start` in a
 * child process. Builds dist/ when it is missing or older than src/, reads the Node flags of the
 * `start:prod` script, spawns the child with its output prefixed, and reads its memory and CPU time
 * from /proc. Not a bench itself (bench/index.ts runs only the benches it lists).
 * @module
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const distMain = join(root, 'dist', 'main.js');

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Newest (or oldest) modification time of the files under `dir` whose paths pass `keep`; undefined when none. */
function mtimes(dir: string, keep: (path: string) => boolean, pick: (a: number, b: number) => number): number | undefined {
  if (!existsSync(dir)) return undefined;
  let found: number | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? mtimes(path, keep, pick) : entry.isFile() && keep(path) ? statSync(path).mtimeMs : undefined;
    if (time !== undefined) found = found === undefined ? time : pick(found, time);
  }
  return found;
}

/** Runs `tsc -p tsconfig.build.json` (what `npm run build` does) when dist/ is missing or older than src/ or the tsconfigs. */
export function ensureBuild(): void {
  const newestInput = Math.max(
    mtimes(join(root, 'src'), (n) => n.endsWith('.ts'), Math.max) ?? 0,
    ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs),
  );
  // Only outputs of today's sources: tsc leaves those of removed modules in dist/, never to be rewritten.
  const compiled = (path: string) => path.endsWith('.js') && existsSync(join(root, 'src', relative(join(root, 'dist'), path)).replace(/\.js$/, '.ts'));
  const oldestOutput = existsSync(distMain) ? mtimes(join(root, 'dist'), compiled, Math.min) : undefined;
  if (oldestOutput !== undefined && oldestOutput >= newestInput) return;
  process.stdout.write(`Building dist/ (${oldestOutput === undefined ? 'missing' : 'older than src/'}): tsc -p tsconfig.build.json, as npm run build … `);
  const started = performance.now();
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write('failed\n');
    throw new Error(`the production build does not compile:\n${`${result.stdout}${result.stderr}`.trim() || `tsc exited with ${result.status ?? result.signal}`}`);
  }
  process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The Node flags of package.json's `start:prod` (`node [flags] dist/main.js start`), so the bench runs what production runs. */
export function startProdFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.['start:prod'] ?? '';
  const words = script.trim().split(/\s+/);
  const main = words.indexOf('dist/main.js');
  if (words[0] !== 'node' || main === -1 || words.slice(main + 1).join(' ') !== 'start') {
    throw new Error(`package.json's start:prod is "${script}", not "node [flags] dist/main.js start": pass --node-flags to say what to run`);
  }
  return words.slice(1, main);
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last lines it wrote, for an error message. */
  tail: string[];
  /** Settles when it exits: code, or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Spawns `node <args>` with exactly `env` (no inherited variables beyond PATH and HOME), its output prefixed with `label`. */
export function spawnNode(args: string[], options: { env: Record<string, string>; cwd: string; label: string }): Child {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${process.execPath} ${args.join(' ')}`);
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      process.stdout.write(`  ${options.label}| ${line}\n`);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    process: child,
    pid: child.pid,
    tail,
    exited,
    async stop(graceMs = 10_000) {
      const started = performance.now();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return { ...(await exited), ms: performance.now() - started };
    },
  };
}

export interface Memory {
  /** Resident set size now (VmRSS), bytes. */
  rss: number;
  /** Its anonymous part (heaps, native allocations) and file-backed part (the node binary, libraries). */
  anon: number;
  file: number;
  /** The highest RSS so far (VmHWM). */
  peak: number;
}

/** The child's memory from /proc/<pid>/status (Linux); elsewhere RSS from ps, parts unknown (0). */
export function memoryOf(pid: number): Memory {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) {
    const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
    return { rss, anon: 0, file: 0, peak: 0 };
  }
  const status = readFileSync(path, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem'), peak: kb('VmHWM') };
}

let clockTicks: number | undefined;

/** CPU seconds the child has used, user and system, all threads (/proc/<pid>/stat utime + stime); undefined off Linux. */
export function cpuSecondsOf(pid: number): number | undefined {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return undefined;
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}
