/**
 * How long a user waits with one upstream down. For each fault (Hugging Face, arXiv or the language
 * model hanging, answering 429 with a Retry-After date 30 s ahead, or 500), runs against the loopback
 * fakes with production's settings (HTTP_TIMEOUT_MS 15 s, 3 retries, LOOKUP_BUDGET_MS 5 s, arXiv paced
 * at 3 s): `bin/paperboy paper` end to end (until its answer is out, and until the process has exited),
 * and /paper, /paper with a summary, /translate, /search (with embeddings) and /digest through the
 * inbound port as a chat platform calls it. Prints seconds; asserts nothing.
 *
 *   npm run bench -- upstream            every fault
 *   npm run bench -- upstream --quick    fewer faults, no /digest with the slow model (minutes)
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Invoker } from '../src/core/inbound.js';
import { parseDailyPapers } from '../src/sources/hf.js';
import { readJsonFixture } from '../test/fakes/fixtures.js';
import { startFakeArxiv, type FakeArxiv } from '../test/fakes/arxiv-server.js';
import { startFakeHf, type FakeHf } from '../test/fakes/hf-server.js';
import { startFakeLlm, type FakeLlm } from '../test/fakes/llm-server.js';
import { RecordingChat } from '../test/helpers/recording-chat.js';

const quick = process.argv.includes('--quick');
const bin = fileURLToPath(new URL('../bin/paperboy', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paperboy-upstream-bench-'));
const invoker: Invoker = { platform: 'shell', workspace: 'bench', channel: 'bench', user: 'bench', canManage: true };
const GEMMA = '2403.08295';

interface Fakes { hf: FakeHf; arxiv: FakeArxiv; llm: FakeLlm }
type Fault = [name: string, apply: (f: Fakes) => void];

const retryAfterDate = () => ({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
const faults: Fault[] = [
  ['all healthy', () => undefined],
  ['HF hangs', (f) => f.hf.hang()],
  ['HF 429, Retry-After +30 s', (f) => f.hf.failAll(429, retryAfterDate())],
  ['HF 500', (f) => f.hf.failAll(500)],
  ['arXiv hangs', (f) => f.arxiv.hang()],
  ['arXiv 429, Retry-After +30 s', (f) => f.arxiv.failAll(429, retryAfterDate())],
  ['arXiv 500', (f) => f.arxiv.failAll(500)],
  ['LLM 30 s an answer', (f) => f.llm.setLatency(30_000)],
];
const selected = quick ? faults.filter(([name]) => /healthy|HF hangs|arXiv hangs|LLM/.test(name)) : faults;

function env(f: Fakes, db: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_PATH: join(dir, db),
    HF_API_URL: f.hf.url,
    ARXIV_API_URL: `${f.arxiv.url}/api/query`,
    LLM_BASE_URL: f.llm.url,
    LLM_MODEL: 'fake-model',
    LLM_EMBEDDINGS_MODEL: 'fake-embed',
    LOG_LEVEL: 'silent',
  };
}

/** bin/paperboy end to end: seconds until the first line is out, and until the process has exited. */
function cli(args: string[], vars: Record<string, string>): Promise<{ out: number; exit: number; code: number | null }> {
  const started = performance.now();
  let out = Number.NaN;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: vars });
    const first = () => (out = Number.isNaN(out) ? (performance.now() - started) / 1000 : out);
    child.stdout.on('data', first);
    child.stderr.on('data', first);
    child.on('close', (code) => resolve({ out, exit: (performance.now() - started) / 1000, code }));
    child.stdin.end();
  });
}

async function inProcess(vars: Record<string, string>, name: string, text: string, seed: boolean): Promise<{ seconds: number; error: string | undefined }> {
  const app = createApp(loadConfig(vars));
  if (seed) app.core.papers.saveDaily('2024-03-14', parseDailyPapers(readJsonFixture('hf/daily-2024-03-14.json'), '2024-03-14'));
  const started = performance.now();
  const reply = await app.inbound.command({ name, input: { text }, invoker, chat: new RecordingChat() });
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  return { seconds, error: reply.kind === 'text' && reply.error ? reply.text.slice(0, 70) : undefined };
}

const fmt = (s: number) => (Number.isNaN(s) ? '   -  ' : `${s.toFixed(1).padStart(5)} s`);

const commands: [label: string, name: string, text: string, seed: boolean][] = [
  ['/paper', 'paper', GEMMA, false],
  ['/paper ko', 'paper', `${GEMMA} ko`, false],
  ['/translate ko', 'translate', `${GEMMA} ko`, false],
  ['/search', 'search', 'gemma open models', true],
  ['/digest', 'digest', '2024-03-14', false],
];
const skipped = (fault: string, name: string) => quick && name === 'digest' && fault.startsWith('LLM');

console.log(`fault                          CLI paper: out   exit | ${commands.map(([label]) => label.padStart(13)).join(' ')}`);
let round = 0;
for (const [fault, apply] of selected) {
  const [hf, arxiv, llm] = await Promise.all([startFakeHf(), startFakeArxiv(), startFakeLlm()]);
  const fakes = { hf, arxiv, llm };
  apply(fakes);
  round++;
  const line: string[] = [];
  const viaCli = await cli(['paper', GEMMA], env(fakes, `cli-${round}.db`));
  const problems: string[] = [];
  for (const [label, name, text, seed] of commands) {
    if (skipped(fault, name)) {
      line.push('skipped'.padStart(13));
      continue;
    }
    const result = await inProcess(env(fakes, `cmd-${round}-${name}-${line.length}.db`), name, text, seed);
    line.push(fmt(result.seconds).padStart(13));
    if (result.error) problems.push(`${label}: ${result.error}`);
  }
  console.log(`${fault.padEnd(30)} ${fmt(viaCli.out)} ${fmt(viaCli.exit)} | ${line.join(' ')}`);
  for (const problem of problems) console.log(`${''.padEnd(32)}${problem}`);
  await Promise.all([hf.close(), arxiv.close(), llm.close()]);
}
rmSync(dir, { recursive: true, force: true });
